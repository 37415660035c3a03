package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalCache;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SimulatePrincipalPolicy over the embedded sample account (src/main/resources/snapshot/sample-account.json). */
class PrincipalPolicySimulatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCT = "111122223333";
    static final String INSTANCE_ID = "a1b2c3d4-5678-90ab-cdef-example11111";
    static final String INSTANCE = "arn:aws:connect:us-east-1:" + ACCT + ":instance/" + INSTANCE_ID;
    static final String OTHER_INSTANCE = "arn:aws:connect:us-east-1:" + ACCT + ":instance/ffffffff-0000-0000-0000-000000000000";

    final SnapshotPolicySource sample = SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json");
    final PrincipalPolicySimulator simulator = new PrincipalPolicySimulator(
            PrincipalCache.create(sample, PrincipalCache.Settings.DEFAULTS, java.time.Clock.systemUTC()));

    static String user(String name) {
        return "arn:aws:iam::" + ACCT + ":user/" + name;
    }

    ObjectNode simulate(String principal, List<String> actions, List<String> resources, String... context) {
        ObjectNode body = JSON.createObjectNode();
        body.put("PolicySourceArn", principal);
        actions.forEach(body.putArray("ActionNames")::add);
        resources.forEach(body.putArray("ResourceArns")::add);
        if (context.length > 0) {
            ArrayNode entries = body.putArray("ContextEntries");
            for (int i = 0; i < context.length; i += 2) {
                ObjectNode e = entries.addObject();
                e.put("ContextKeyName", context[i]);
                e.put("ContextKeyType", "string");
                e.putArray("ContextKeyValues").add(context[i + 1]);
            }
        }
        return simulator.simulate(body);
    }

    String decision(String principal, String action, String resource, String... context) {
        ObjectNode out = simulate(principal, List.of(action), List.of(resource), context);
        JsonNode results = out.get("EvaluationResults");
        if (results == null) {
            throw new AssertionError("no results: " + out);
        }
        return results.get(0).get("EvalDecision").asText();
    }

    @Test
    void aliceAdministersTheInstanceOnly() {
        assertEquals("allowed", decision(user("alice"), "connect:DeleteUser", INSTANCE + "/agent/u-1"));
        assertEquals("allowed", decision(user("alice"), "connect:UpdateInstanceAttribute", INSTANCE));
        assertEquals("implicitDeny", decision(user("alice"), "connect:DescribeUser", OTHER_INSTANCE + "/agent/u-1"));
    }

    @Test
    void bobSupervisesOneInstanceWithinHisBoundary() {
        // connect:InstanceId comes from the request (the route table gives it); without it the condition fails.
        assertEquals("allowed", decision(user("bob"), "connect:DescribeUser", INSTANCE + "/agent/u-1",
                "connect:InstanceId", INSTANCE_ID));
        assertEquals("implicitDeny", decision(user("bob"), "connect:DescribeUser", INSTANCE + "/agent/u-1"));
        assertEquals("implicitDeny", decision(user("bob"), "connect:DescribeUser", OTHER_INSTANCE + "/agent/u-1",
                "connect:InstanceId", "ffffffff-0000-0000-0000-000000000000"));
        assertEquals("explicitDeny", decision(user("bob"), "connect:DeleteUser", INSTANCE + "/agent/u-1",
                "connect:InstanceId", INSTANCE_ID));
        ObjectNode out = simulate(user("bob"), List.of("connect:DescribeQueue"), List.of(INSTANCE + "/queue/q-1"),
                "connect:InstanceId", INSTANCE_ID);
        JsonNode r = out.get("EvaluationResults").get(0);
        assertTrue(r.get("PermissionsBoundaryDecisionDetail").get("AllowedByPermissionsBoundary").asBoolean());
        assertEquals("SuperviseOnThisInstance", r.get("MatchedStatements").get(0).get("Sid").asText());
    }

    @Test
    void carolReachesOnlyHerOwnAgentRecord() {
        assertEquals("allowed", decision(user("carol"), "connect:DescribeUser", INSTANCE + "/agent/carol"));
        assertEquals("allowed", decision(user("carol"), "connect:PutUserStatus", INSTANCE + "/agent/carol"));
        assertEquals("implicitDeny", decision(user("carol"), "connect:DescribeUser", INSTANCE + "/agent/bob"));
        // Given context entries win over the principal's own keys.
        assertEquals("allowed", decision(user("carol"), "connect:DescribeUser", INSTANCE + "/agent/bob",
                "aws:username", "bob"));
        // Group inline policy.
        assertEquals("allowed", decision(user("carol"), "connect:DescribeContact", INSTANCE + "/contact/c-1"));
        // Her inline policy compares the queue's tag with her own principal tag (team=agents).
        assertEquals("allowed", decision(user("carol"), "connect:DescribeQueue", INSTANCE + "/queue/q-1",
                "aws:ResourceTag/team", "agents"));
        assertEquals("implicitDeny", decision(user("carol"), "connect:DescribeQueue", INSTANCE + "/queue/q-1",
                "aws:ResourceTag/team", "supervisors"));
    }

    @Test
    void daveReadsEverythingAndWritesNothing() {
        for (String action : List.of("connect:DescribeUser", "connect:ListQueues", "connect:GetCurrentMetricData",
                "connect:SearchUsers")) {
            assertEquals("allowed", decision(user("dave"), action, OTHER_INSTANCE + "/agent/u-1"), action);
        }
        assertEquals("implicitDeny", decision(user("dave"), "connect:UpdateUserRoutingProfile", INSTANCE + "/agent/u-1"));
    }

    @Test
    void supervisorRoleSessionIsCappedByItsBoundary() {
        String session = "arn:aws:sts::" + ACCT + ":assumed-role/ConnectSupervisorRole/bob";
        assertEquals("allowed", decision(session, "connect:GetCurrentMetricData", INSTANCE + "/queue/q-1"));
        assertEquals("allowed", decision(session, "connect:MonitorContact", INSTANCE + "/contact/c-1",
                "connect:InstanceId", INSTANCE_ID));
        // Outside the boundary's region: the boundary does not allow it.
        ObjectNode out = simulate(session, List.of("connect:DescribeUser"),
                List.of("arn:aws:connect:eu-west-2:" + ACCT + ":instance/x/agent/u-1"),
                "connect:InstanceId", INSTANCE_ID);
        JsonNode r = out.get("EvaluationResults").get(0);
        assertEquals("implicitDeny", r.get("EvalDecision").asText());
        assertEquals("boundary-implicit-deny", r.get("Reason").asText());
        // The role's tag drives ${aws:PrincipalTag/...}; its ARN (not the session's) is aws:PrincipalArn.
        String roleArn = "arn:aws:iam::" + ACCT + ":role/connect/ConnectSupervisorRole";
        assertEquals("allowed", decision(roleArn, "connect:GetCurrentMetricData", INSTANCE));
    }

    @Test
    void errorsAreAnswersNotExceptions() {
        ObjectNode unknown = simulate(user("mallory"), List.of("connect:DescribeUser"), List.of("*"));
        assertEquals("NoSuchEntity", unknown.get("errorCode").asText());
        ObjectNode unknownSession = simulate("arn:aws:sts::" + ACCT + ":assumed-role/NoSuchRole/s",
                List.of("connect:DescribeUser"), List.of("*"));
        assertEquals("NoSuchEntity", unknownSession.get("errorCode").asText());
        ObjectNode malformed = simulate("arn:aws:iam::" + ACCT + ":group/ConnectAgents",
                List.of("connect:DescribeUser"), List.of("*"));
        assertEquals("InvalidInput", malformed.get("errorCode").asText());
        assertEquals("/SimulatePrincipalPolicy/PolicySourceArn", malformed.get("location").get("pointer").asText());
        ObjectNode failing = new PrincipalPolicySimulator(arn -> {
            throw new PolicySourceException("Rate exceeded");
        }).simulate(JSON.createObjectNode().put("PolicySourceArn", user("alice"))
                .set("ActionNames", JSON.createArrayNode().add("connect:DescribeUser")));
        assertEquals("ServiceFailure", failing.get("errorCode").asText());
        assertTrue(failing.get("message").asText().contains("Rate exceeded"));
        ObjectNode crashing = new PrincipalPolicySimulator(arn -> {
            throw new IllegalStateException("bug");
        }).simulate(JSON.createObjectNode().put("PolicySourceArn", user("alice"))
                .set("ActionNames", JSON.createArrayNode().add("connect:DescribeUser")));
        assertEquals("ServiceFailure", crashing.get("errorCode").asText());
        assertEquals("InvalidInput", simulator.simulate(JSON.createObjectNode().put("PolicySourceArn", user("alice")))
                .get("errorCode").asText());
        assertEquals("InvalidInput", simulator.simulate(null).get("errorCode").asText());
        assertFalse(simulate(user("alice"), List.of("connect:DescribeUser"), List.of()).has("errorCode"));
    }

    @Test
    void resultShapeMatchesSimulateCustomPolicy() throws Exception {
        // The same policy through both entry points gives the same result object, modulo SourcePolicyId.
        String doc = """
                {"Version":"2012-10-17","Statement":[{"Sid":"ReadEverything","Effect":"Allow","Action":["connect:Describe*","connect:List*","connect:Get*","connect:Search*"],"Resource":"*"}]}""";
        ObjectNode custom = JSON.createObjectNode();
        custom.putArray("PolicyInputList").add(doc);
        custom.putArray("ActionNames").add("connect:DescribeUser").add("connect:DeleteUser");
        custom.putArray("ResourceArns").add(INSTANCE + "/agent/u-1");
        ObjectNode a = new CustomPolicySimulator().simulate(custom);
        ObjectNode b = simulate(user("dave"), List.of("connect:DescribeUser", "connect:DeleteUser"),
                List.of(INSTANCE + "/agent/u-1"));
        for (int i = 0; i < 2; i++) {
            JsonNode ra = a.get("EvaluationResults").get(i);
            JsonNode rb = b.get("EvaluationResults").get(i);
            assertEquals(JSON.writeValueAsString(fieldNames(ra)), JSON.writeValueAsString(fieldNames(rb)));
            assertEquals(ra.get("EvalDecision"), rb.get("EvalDecision"));
            assertEquals(ra.get("Reason"), rb.get("Reason"));
        }
        assertEquals("arn:aws:iam::" + ACCT + ":policy/connect/ConnectReadOnlyAudit", b.get("EvaluationResults")
                .get(0).get("MatchedStatements").get(0).get("SourcePolicyId").asText());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
