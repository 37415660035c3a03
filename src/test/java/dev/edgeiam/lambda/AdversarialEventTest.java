package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.lambda.EventDispatcher.Dispatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile events through the dispatcher with the real simulator and validator and the deployed default limits
 * (256 KiB, depth 64, strings of 128 KiB). {@code EventDispatcherTest} covers the same rules with small limits and
 * a fake simulator; these check them at production size and end to end.
 */
class AdversarialEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", "
            + "\"Action\": \"connect:*\", \"Resource\": \"*\", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": "
            + "\"10.0.0.0/8\"}}}}";

    private final EventDispatcher dispatcher = EventDispatcherFuzzTest.realDispatcher();

    private Dispatch dispatch(String event) {
        return dispatcher.dispatch(event.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertError(Dispatch d, String errorCode) throws IOException {
        JsonNode response = JSON.readTree(d.responseJson());
        assertEquals(errorCode, response.path("errorCode").asText(), response.toString());
        assertFalse(response.has("EvaluationResults"));
        assertNull(d.failure(), "answered, not an internal error");
    }

    private static String simulate(String policy, String contextEntries) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("PolicyInputList").add(policy);
        body.putArray("ActionNames").add("connect:DescribeUser");
        if (contextEntries != null) {
            body.set("ContextEntries", JSON.readTree(contextEntries));
        }
        ObjectNode event = JSON.createObjectNode();
        event.set("SimulateCustomPolicy", body);
        return JSON.writeValueAsString(event);
    }

    @Test
    void duplicateMemberInTheSimulatorBodyIsInvalidInput() throws IOException {
        assertError(dispatch("{\"SimulateCustomPolicy\": {\"PolicyInputList\": [\"{}\"], "
                + "\"ActionNames\": [\"connect:ListUsers\"], \"ActionNames\": [\"connect:DeleteUser\"]}}"), "InvalidInput");
    }

    @Test
    void duplicateTopLevelMemberIsInvalidInput() throws IOException {
        String body = "{\"PolicyInputList\": [\"{}\"], \"ActionNames\": [\"connect:ListUsers\"]}";
        assertError(dispatch("{\"SimulateCustomPolicy\": " + body + ", \"SimulateCustomPolicy\": " + body + "}"),
                "InvalidInput");
    }

    @Test
    void duplicateContextEntryFieldIsInvalidInput() throws IOException {
        assertError(dispatch(simulate(POLICY, "[]").replace("\"ContextEntries\":[]",
                "\"ContextEntries\":[{\"ContextKeyName\":\"aws:SourceIp\",\"ContextKeyValues\":[\"192.0.2.1\"],"
                        + "\"ContextKeyValues\":[\"10.0.0.1\"],\"ContextKeyType\":\"ip\"}]")), "InvalidInput");
    }

    @Test
    void duplicateKeyInsideAnEmbeddedPolicyIsAMalformedPolicy() throws IOException {
        String policy = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\", \"Effect\": \"Allow\", "
                + "\"Action\": \"connect:*\", \"Resource\": \"*\"}}";
        assertError(dispatch(simulate(policy, null)), "MalformedPolicyDocument");
    }

    @Test
    void eventOverTheDeployedLimitOf256KiBIsRefusedBeforeParsing() throws IOException {
        String padding = "x".repeat(262_144);
        String event = "{\"SimulateCustomPolicy\": {\"PolicyInputList\": [\"{}\"], \"ActionNames\": [\"" + padding
                + "\"]}}";
        assertTrue(event.length() > 262_144);
        Dispatch d = dispatch(event);
        assertEquals(EventDispatcher.EventKind.UNREADABLE, d.kind());
        assertError(d, "InvalidInput");
        assertFalse(new String(d.responseJson(), StandardCharsets.UTF_8).contains("xxxx"), "nothing echoed");
    }

    @Test
    void endlessEventStreamIsCutAtTheLimit() throws IOException {
        InputStream endless = new InputStream() {
            long read;

            @Override
            public int read() {
                read++;
                return read == 1 ? '[' : ' ';
            }
        };
        Dispatch d = dispatcher.dispatch(endless);
        assertError(d, "InvalidInput");
    }

    @Test
    void eventJustUnderTheLimitIsAnsweredNormally() throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode policies = body.putArray("PolicyInputList");
        policies.add(POLICY);
        ArrayNode actions = body.putArray("ActionNames");
        actions.add("connect:DescribeUser");
        body.putArray("ResourceArns").add("arn:aws:connect:us-east-1:111122223333:instance/i/agent/" + "a".repeat(200_000));
        String event = JSON.writeValueAsString(JSON.createObjectNode().set("SimulateCustomPolicy", body));
        assertTrue(event.length() < 262_144);
        Dispatch d = dispatch(event);
        assertNull(d.failure());
        JsonNode response = JSON.readTree(d.responseJson());
        assertTrue(response.has("EvaluationResults") || response.has("errorCode"), response.toString());
    }

    @Test
    void nestingDeeperThanTheDeployedLimitIsInvalidInput() throws IOException {
        String deep65 = "[".repeat(65) + "]".repeat(65);
        assertError(dispatch("{\"SimulateCustomPolicy\": {\"PolicyInputList\": [\"{}\"], \"ActionNames\": "
                + "[\"connect:ListUsers\"], \"ContextEntries\": " + deep65 + "}}"), "InvalidInput");
    }

    @Test
    void hostileNestingDepthCausesNoStackOverflow() throws IOException {
        assertError(dispatcher.dispatch(new ByteArrayInputStream(("{\"a\":".repeat(100_000)).getBytes(
                StandardCharsets.UTF_8))), "InvalidInput");
        assertError(dispatch("[".repeat(200_000)), "InvalidInput");
    }

    @Test
    void deepNestingInsideAnEmbeddedPolicyIsAMalformedPolicy() throws IOException {
        String policy = "{\"Version\": \"2012-10-17\", \"Statement\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        Dispatch d = dispatch(simulate(policy, null));
        assertNull(d.failure());
        JsonNode response = JSON.readTree(d.responseJson());
        assertTrue(response.path("errorCode").asText().matches("MalformedPolicyDocument|LimitExceeded"),
                response.toString());
    }

    @Test
    void nulInAContextValueIsRefusedOrNeverAllows() throws IOException {
        Dispatch d = dispatch(simulate(POLICY, "[{\"ContextKeyName\": \"aws:SourceIp\", \"ContextKeyValues\": "
                + "[\"10.0.0.1\\u0000\"], \"ContextKeyType\": \"ip\"}]"));
        JsonNode response = JSON.readTree(d.responseJson());
        assertNull(d.failure());
        assertTrue(response.has("errorCode")
                        || !"allowed".equals(response.at("/EvaluationResults/0/EvalDecision").asText()),
                response.toString());
        Dispatch s = dispatch(simulate(POLICY.replace("IpAddress", "StringEquals").replace("10.0.0.0/8", "bob"),
                "[{\"ContextKeyName\": \"aws:SourceIp\", \"ContextKeyValues\": [\"bob\\u0000\"], "
                        + "\"ContextKeyType\": \"string\"}]"));
        assertEquals("implicitDeny", JSON.readTree(s.responseJson()).at("/EvaluationResults/0/EvalDecision").asText());
    }

    @Test
    void controlCharactersInActionNamesAreAnsweredWithoutMatching() throws IOException {
        Dispatch d = dispatch(simulate(POLICY.replace(", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": "
                + "\"10.0.0.0/8\"}}", ""), null).replace("connect:DescribeUser", "connect\\u0000:DescribeUser"));
        JsonNode response = JSON.readTree(d.responseJson());
        assertNull(d.failure());
        assertTrue(response.has("errorCode")
                        || !"allowed".equals(response.at("/EvaluationResults/0/EvalDecision").asText()),
                response.toString());
    }

    @Test
    void invalidUtf8IsInvalidInput() throws IOException {
        byte[] event = {'{', '"', 'S', '"', ':', '"', (byte) 0xFF, '"', '}'};
        assertError(dispatcher.dispatch(event), "InvalidInput");
    }

    @Test
    void overlongUtf8IsAnsweredWithAnErrorNotAFailure() throws IOException {
        // Jackson decodes the overlong C0 80 leniently (as U+0000) instead of refusing it: harmless here, because
        // every check runs on the decoded text, but the event must still be answered and never simulated
        byte[] event = {'{', '"', (byte) 0xC0, (byte) 0x80, '"', ':', '1', '}'};
        Dispatch d = dispatcher.dispatch(event);
        assertNull(d.failure());
        assertTrue(JSON.readTree(d.responseJson()).has("errorCode"));
    }
}
