package dev.edgeiam.simulate;

import dev.edgeiam.corpus.Corpus;
import dev.edgeiam.corpus.CorpusCase;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every public conformance case, through the SimulateCustomPolicy entry point: one dynamic test per case. */
class ConformanceTest {

    @TestFactory
    List<DynamicTest> conformanceCases() {
        List<CorpusCase> cases = Corpus.load("/conformance/cases.jsonl");
        assertEquals(71, cases.size(), "the shared conformance set has 71 cases");
        return CaseRunner.tests(cases);
    }
}
