package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.principal.PrincipalCache;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's resource side (issue 12): {@code ResourcePolicy}, {@code ResourceOwner}, {@code CallerArn} and
 * {@code ResourceControlPolicyInputList} in both entry points, the resource layer in {@code MatchedStatements}
 * ({@code SourcePolicyType} {@code resource}) and {@code LayerDecisions}, and IAM's input validation.
 */
class ResourcePolicySimulationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BUCKET_OBJECT = "arn:aws:s3:::bucket/key";
    static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    static final String GRANT_ALICE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"GrantAlice\",\"Effect\":"
            + "\"Allow\",\"Principal\":{\"AWS\":\"" + ALICE + "\"},\"Action\":\"s3:GetObject\",\"Resource\":"
            + "\"arn:aws:s3:::bucket/*\"}]}";

    final CustomPolicySimulator custom = new CustomPolicySimulator();
    final PrincipalPolicySimulator principal = new PrincipalPolicySimulator(PrincipalCache.create(
            SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json"), PrincipalCache.Settings.DEFAULTS, java.time.Clock.systemUTC()));

    static ObjectNode body(String identity) {
        ObjectNode b = JSON.createObjectNode();
        b.putArray("PolicyInputList").add(identity);
        b.putArray("ActionNames").add("s3:GetObject");
        b.putArray("ResourceArns").add(BUCKET_OBJECT);
        return b;
    }

    static final String NOTHING = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "\"sqs:ListQueues\",\"Resource\":\"*\"}]}";
    static final String S3_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Id\",\"Effect\":\"Allow\","
            + "\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";

    static List<String> layers(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.get("LayerDecisions").forEach(l -> out.add(l.get("Layer").asText()
                + (l.has("Level") ? "#" + l.get("Level").asInt() : "") + "=" + l.get("Decision").asText()));
        return out;
    }

    @Test
    void sameAccountGrantToTheUserIsReportedAsTheResourceLayer() {
        ObjectNode b = body(NOTHING);
        b.put("CallerArn", ALICE);
        b.put("ResourcePolicy", GRANT_ALICE);
        JsonNode r = custom.simulate(b).get("EvaluationResults").get(0);
        assertEquals("allowed", r.get("EvalDecision").asText(), r.toPrettyString());
        JsonNode m = r.get("MatchedStatements").get(0);
        assertEquals("resource", m.get("SourcePolicyType").asText());
        assertEquals("ResourcePolicy", m.get("SourcePolicyId").asText());
        assertEquals("GrantAlice", m.get("Sid").asText());
        assertEquals(List.of("IAM Policy=implicitDeny", "resource=allowed"), layers(r));
    }

    @Test
    void crossAccountNeedsBothSidesAndRcpLevelsAreNumbered() {
        ObjectNode b = body(S3_ALL);
        b.put("CallerArn", ALICE);
        b.put("ResourceOwner", "arn:aws:iam::444455556666:root");
        JsonNode none = custom.simulate(b).get("EvaluationResults").get(0);
        assertEquals("implicitDeny", none.get("EvalDecision").asText());
        assertEquals("cross-account-no-resource-policy", none.get("Reason").asText());
        assertEquals(0, none.get("MatchedStatements").size());

        b.put("ResourcePolicy", GRANT_ALICE);
        b.putArray("ResourceControlPolicyInputList").add(S3_ALL).add(S3_ALL);
        JsonNode both = custom.simulate(b).get("EvaluationResults").get(0);
        assertEquals("allowed", both.get("EvalDecision").asText(), both.toPrettyString());
        assertEquals(List.of("IAM Policy=allowed", "ResourceControlPolicy#0=allowed", "ResourceControlPolicy#1=allowed",
                "resource=allowed"), layers(both));
        List<String> types = new ArrayList<>();
        both.get("MatchedStatements").forEach(m -> types.add(m.get("SourcePolicyType").asText()));
        assertTrue(types.contains("resource") && types.contains("IAM Policy"), types.toString());
    }

    @Test
    void resourcePolicyNeedsCallerArnAndOwnerIsAnAccountArn() {
        ObjectNode b = body(S3_ALL);
        b.put("ResourcePolicy", GRANT_ALICE);
        ObjectNode out = custom.simulate(b);
        assertEquals("InvalidInput", out.path("errorCode").asText(), out.toPrettyString());
        assertEquals("/SimulateCustomPolicy/CallerArn", out.path("location").path("pointer").asText());

        ObjectNode o = body(S3_ALL);
        o.put("ResourceOwner", "444455556666");
        assertEquals("/SimulateCustomPolicy/ResourceOwner",
                custom.simulate(o).path("location").path("pointer").asText());

        ObjectNode malformed = body(S3_ALL);
        malformed.put("CallerArn", ALICE);
        malformed.put("ResourcePolicy", S3_ALL); // no Principal
        ObjectNode m = custom.simulate(malformed);
        assertEquals("MalformedPolicyDocument", m.path("errorCode").asText(), m.toPrettyString());
        assertEquals("ResourcePolicy", m.path("location").path("policyInput").asText());
    }

    /** A request whose caller is not a principal ARN, or whose caller and resource sit in two partitions, has no IAM
     * answer (red-team pass 25): it is refused with the field that makes it so, in both entry points. */
    @Test
    void aCallerThatIsNotAPrincipalArnOrAnotherPartitionThanTheResourceIsRefused() {
        String[][] cases = {
                // CallerArn, ResourceArn, ResourceOwner, pointer of the refusal (null: answered)
                {"111122223333", BUCKET_OBJECT, null, "CallerArn"},
                {"arn:aws:iam::111122223333", BUCKET_OBJECT, null, "CallerArn"},
                {"arn:aws:s3:::bucket", BUCKET_OBJECT, null, "CallerArn"},
                {"arn:aws:iam::11112222333:user/alice", BUCKET_OBJECT, null, "CallerArn"},
                {"arn:aws-cn:iam::111122223333:user/alice", BUCKET_OBJECT, null, "ResourceArns/0"},
                {ALICE, "arn:aws-us-gov:s3:::bucket/key", null, "ResourceArns/0"},
                {ALICE, BUCKET_OBJECT, "arn:aws-cn:iam::444455556666:root", "ResourceOwner"},
                {"arn:aws-cn:iam::111122223333:user/alice", "arn:aws-cn:s3:::bucket/key",
                        "arn:aws-cn:iam::444455556666:root", null},
                {"arn:aws:iam::111122223333:root", BUCKET_OBJECT, null, null},
                {"arn:aws:sts::111122223333:federated-user/f", "*", null, null},
        };
        for (String[] c : cases) {
            ObjectNode b = body(S3_ALL);
            b.put("CallerArn", c[0]);
            b.put("ResourcePolicy", GRANT_ALICE);
            b.putArray("ResourceArns").add(c[1]);
            if (c[2] != null) {
                b.put("ResourceOwner", c[2]);
            }
            ObjectNode out = custom.simulate(b);
            String label = String.join(" ", c[0], c[1], String.valueOf(c[2])) + ": " + out.toPrettyString();
            if (c[3] == null) {
                assertTrue(out.has("EvaluationResults"), label);
                continue;
            }
            assertEquals("InvalidInput", out.path("errorCode").asText(), label);
            assertEquals("/SimulateCustomPolicy/" + c[3], out.path("location").path("pointer").asText(), label);
            ObjectNode p = principalBody("arn:aws:iam::111122223333:user/alice");
            p.put("CallerArn", c[0]);
            p.putArray("ResourceArns").add(c[1]);
            if (c[2] != null) {
                p.put("ResourceOwner", c[2]);
            }
            ObjectNode viaPrincipal = principal.simulate(p);
            assertEquals("InvalidInput", viaPrincipal.path("errorCode").asText(), label);
            assertEquals("/SimulatePrincipalPolicy/" + c[3], viaPrincipal.path("location").path("pointer").asText(),
                    label);
        }
    }

    ObjectNode principalBody(String source) {
        ObjectNode b = JSON.createObjectNode();
        b.put("PolicySourceArn", source);
        b.putArray("ActionNames").add("s3:GetObject");
        b.putArray("ResourceArns").add(BUCKET_OBJECT);
        return b;
    }

    @Test
    void simulatePrincipalPolicyTakesTheResourceSideToo() {
        // alice has no S3 permissions: a same-account grant to her ARN (CallerArn defaults to the user) decides
        ObjectNode b = principalBody(ALICE);
        b.put("ResourcePolicy", GRANT_ALICE);
        JsonNode r = principal.simulate(b).get("EvaluationResults").get(0);
        assertEquals("allowed", r.get("EvalDecision").asText(), r.toPrettyString());
        assertEquals("resource", r.get("MatchedStatements").get(0).get("SourcePolicyType").asText());

        // the bucket belongs to another account: her identity policies would have to allow as well
        b.put("ResourceOwner", "arn:aws:iam::444455556666:root");
        JsonNode cross = principal.simulate(b).get("EvaluationResults").get(0);
        assertEquals("implicitDeny", cross.get("EvalDecision").asText());
        assertEquals("no-identity-allow", cross.get("Reason").asText());

        // a role is not a caller: IAM wants CallerArn with a ResourcePolicy
        ObjectNode role = principalBody("arn:aws:iam::111122223333:role/connect/ConnectAgentWebRole");
        role.put("ResourcePolicy", GRANT_ALICE);
        ObjectNode out = principal.simulate(role);
        assertEquals("InvalidInput", out.path("errorCode").asText(), out.toPrettyString());
        role.put("CallerArn", "arn:aws:sts::111122223333:assumed-role/ConnectAgentWebRole/s1");
        assertEquals("implicitDeny", principal.simulate(role).get("EvaluationResults").get(0).get("EvalDecision")
                .asText());
    }
}
