package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.corpus.Corpus;
import dev.edgeiam.corpus.CorpusCase;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IAM's evaluation logic is the same in every partition: only the partition part of the ARNs changes ("ARN format":
 * {@code arn:partition:service:region:account-id:resource}, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
 * So every decision case of the corpus, moved whole into {@code aws-cn} and into {@code aws-us-gov} (every
 * {@code arn:aws:} in its request — caller, resource, owner, policies, context — rewritten), must get the decision and
 * the reason it gets in {@code aws}, through SimulateCustomPolicy. One dynamic test per case and partition.
 *
 * <p>This holds the principal matcher to the page's rule that an account id in a {@code Principal} element names
 * that account's root ("AWS JSON policy elements: Principal", AWS account principals,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html) in the partition the
 * policy is evaluated in: the cross-account corpus names its caller's account by bare id in 67 cases (Allow, Deny and
 * {@code NotPrincipal} statements).
 */
class PartitionInvarianceTest {

    static final String[] OTHER_PARTITIONS = {"aws-cn", "aws-us-gov"};

    @TestFactory
    List<DynamicContainer> everyCaseDecidesAlikeInEveryPartition() {
        CustomPolicySimulator simulator = new CustomPolicySimulator();
        List<DynamicContainer> containers = new ArrayList<>();
        int moved = 0;
        for (Corpus.CorpusFile file : Corpus.discover()) {
            List<DynamicTest> tests = new ArrayList<>();
            for (CorpusCase c : file.cases()) {
                if (c.expect() == null) {
                    continue;
                }
                String request = CaseRunner.request(c).toString();
                if (!request.contains("arn:aws:") || request.contains("arn:aws-") || request.contains("arn:AWS-")) {
                    continue; // nothing to move, or a case about partitions themselves
                }
                moved++;
                for (String partition : OTHER_PARTITIONS) {
                    tests.add(DynamicTest.dynamicTest(c.id() + " in " + partition,
                            () -> compare(simulator, c, request, partition)));
                }
            }
            if (!tests.isEmpty()) {
                containers.add(DynamicContainer.dynamicContainer(file.name(), tests));
            }
        }
        assertTrue(moved > 500, "the corpus has hundreds of cases with ARNs; found " + moved);
        return containers;
    }

    private static void compare(CustomPolicySimulator simulator, CorpusCase c, String request, String partition)
            throws Exception {
        // the corpus spells some policy ARNs' partition in capitals (whether ARNs compare ignoring case is open)
        String movedText = request.replace("arn:aws:", "arn:" + partition + ":")
                .replace("arn:AWS:", "arn:" + partition.toUpperCase(java.util.Locale.ROOT) + ":");
        JsonNode inAws = result(simulator, request, c);
        JsonNode moved = result(simulator, movedText, c);
        String label = c + "\nin aws: " + inAws.toPrettyString() + "\nin " + partition + ": " + moved.toPrettyString();
        assertEquals(inAws.path("EvalDecision").asText(), moved.path("EvalDecision").asText(), label);
        assertEquals(inAws.path("Reason").asText(), moved.path("Reason").asText(), label);
        assertEquals(inAws.path("EvalResourceName").asText().replace("arn:aws:", "arn:" + partition + ":"),
                moved.path("EvalResourceName").asText(), label);
    }

    private static JsonNode result(CustomPolicySimulator simulator, String request, CorpusCase c) throws Exception {
        ObjectNode response = simulator.simulate((ObjectNode) CaseRunner.JSON.readTree(request));
        assertFalse(response.has("errorCode"), c + ": " + response.toPrettyString());
        assertEquals(1, response.path("EvaluationResults").size(), c + ": " + response.toPrettyString());
        return response.path("EvaluationResults").get(0);
    }
}
