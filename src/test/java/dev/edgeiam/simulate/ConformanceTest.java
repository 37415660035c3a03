package dev.edgeiam.simulate;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every public conformance case, through the SimulateCustomPolicy entry point: one dynamic test per case. */
class ConformanceTest {

    @TestFactory
    List<DynamicTest> conformanceCases() throws IOException {
        List<com.fasterxml.jackson.databind.JsonNode> cases = CaseRunner.load("/conformance/cases.jsonl");
        assertEquals(71, cases.size(), "the shared conformance set has 71 cases");
        return CaseRunner.tests(cases);
    }
}
