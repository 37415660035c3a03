package dev.edgeiam.policy;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.corpus.Corpus;
import dev.edgeiam.corpus.CorpusCase;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The error cases of the evaluation corpus ({@code expectError}, in whichever discovered file they sit): the
 * case's policies are read in the order SimulateCustomPolicy reads them — identity, boundaries, session policy,
 * SCPs — and the first that {@link PolicyParser} (or the compiler) refuses must fail with the expected error code,
 * JSON pointer and, where the case gives them, line and column. One dynamic test per case. Error cases with a
 * resource side (a resource policy, owner or RCPs: simulator input errors) run in {@code simulate.CorpusTest}. The decision cases of
 * the same files run in {@code evaluate.EvaluationCorpusTest}.
 */
class MalformedPolicyCorpusTest {

    @TestFactory
    List<DynamicContainer> errorCases() {
        List<DynamicContainer> containers = new ArrayList<>();
        int total = 0;
        for (Corpus.CorpusFile file : Corpus.discover()) {
            List<DynamicTest> tests = file.cases().stream().filter(c -> c.expectError() != null && !c.hasResourceSide())
                    .map(c -> DynamicTest.dynamicTest(c.id(), () -> run(c))).toList();
            total += tests.size();
            if (!tests.isEmpty()) {
                containers.add(DynamicContainer.dynamicContainer(file.name(), tests));
            }
        }
        assertFalse(total < 60, "the corpus should hold at least 60 malformed-policy cases, has " + total);
        return containers;
    }

    private static void run(CorpusCase c) {
        List<String> documents = new ArrayList<>(c.identityPolicies());
        documents.addAll(c.permissionBoundaries());
        if (c.sessionPolicy() != null) {
            documents.add(c.sessionPolicy());
        }
        documents.addAll(c.serviceControlPolicies());
        for (int i = 0; i < documents.size(); i++) {
            try {
                CompiledPolicy.compile(PolicyParser.parse(documents.get(i), PolicyType.SIMULATION, "p" + i));
            } catch (PolicyException e) {
                CorpusCase.ExpectedError want = c.expectError();
                String got = c + "\ngot: " + e.errorCode() + " at " + e.pointer() + " " + e.position() + ": "
                        + e.getMessage();
                assertEquals(want.errorCode(), e.errorCode(), got);
                assertEquals(want.pointer(), e.pointer(), got);
                if (want.line() != null) {
                    assertEquals(want.line(), e.position().line(), "line, " + got);
                }
                if (want.column() != null) {
                    assertEquals(want.column(), e.position().column(), "column, " + got);
                }
                return;
            }
        }
        fail(c + ": every policy was accepted; expected " + c.expectError());
    }
}
