package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project's own evaluation and malformed-policy corpus (src/test/resources/corpus, written from the IAM
 * documentation — see each case's description), run through SimulateCustomPolicy: one dynamic test per case.
 */
class CorpusTest {

    static final List<String> FILES = List.of("actions", "resources", "string-operators", "numeric", "date",
            "bool-binary", "ip", "arn-operators", "null", "ifexists", "set-operators", "variables", "layers",
            "malformed", "cross-account");

    @TestFactory
    List<DynamicContainer> corpus() throws IOException {
        List<DynamicContainer> containers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int total = 0;
        for (String file : FILES) {
            List<JsonNode> cases = CaseRunner.load("/corpus/" + file + ".jsonl");
            for (JsonNode c : cases) {
                assertTrue(ids.add(c.path("id").asText()), "duplicate case id " + c.path("id"));
            }
            total += cases.size();
            containers.add(DynamicContainer.dynamicContainer(file, CaseRunner.tests(cases)));
        }
        assertTrue(total >= 400, "the corpus must hold at least 400 cases, has " + total);
        return containers;
    }
}
