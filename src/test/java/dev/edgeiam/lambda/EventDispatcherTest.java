package dev.edgeiam.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgeiam.lambda.EventDispatcher.Dispatch;
import dev.edgeiam.lambda.EventDispatcher.EventKind;

/** The dispatcher alone, with a fake simulator passed in through the constructor. */
class EventDispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventLimits LIMITS = new EventLimits(4096, 8, 256);

    private final List<JsonNode> simulated = new ArrayList<>();

    /** Stands in for the engine: records its input and answers one allowed result. */
    private final Function<JsonNode, ObjectNode> fakeSimulator = body -> {
        simulated.add(body);
        ObjectNode response = JSON.createObjectNode();
        response.putArray("EvaluationResults").addObject()
                .put("EvalActionName", "connect:DescribeUser")
                .put("EvalResourceName", "*")
                .put("EvalDecision", "allowed");
        return response;
    };

    private final EventDispatcher dispatcher = new EventDispatcher(fakeSimulator, LIMITS);

    private Dispatch dispatch(String event) {
        return dispatcher.dispatch(event.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertError(Dispatch dispatch, String errorCode) {
        assertEquals(errorCode, dispatch.response().path("errorCode").asText(), dispatch.response().toString());
        assertEquals(errorCode, dispatch.outcome());
        assertTrue(dispatch.response().path("message").isTextual(), "message present");
        assertFalse(dispatch.response().has("EvaluationResults"));
    }

    @Test
    void simulateCustomPolicyIsHandedTheBodyAndItsAnswerReturnedAsIs() throws IOException {
        Dispatch dispatch = dispatch("""
                {"SimulateCustomPolicy": {"PolicyInputList": ["{}"], "ActionNames": ["connect:DescribeUser"]}}""");

        assertEquals(EventKind.SIMULATE_CUSTOM_POLICY, dispatch.kind());
        assertEquals("ok", dispatch.outcome());
        assertNull(dispatch.failure());
        assertEquals(1, simulated.size());
        assertEquals(JSON.readTree("""
                {"PolicyInputList": ["{}"], "ActionNames": ["connect:DescribeUser"]}"""), simulated.get(0));
        assertEquals("allowed", dispatch.response().at("/EvaluationResults/0/EvalDecision").asText());
        assertEquals(dispatch.response(), JSON.readTree(dispatch.responseJson()));
    }

    @Test
    void simulatorErrorResponseIsPassedThroughAndBecomesTheOutcome() {
        ObjectNode malformed = EventDispatcher.error("MalformedPolicyDocument", "Statement is missing", "PolicyInputList[0]");
        EventDispatcher d = new EventDispatcher(body -> malformed, LIMITS);

        Dispatch dispatch = d.dispatch("{\"SimulateCustomPolicy\": {}}".getBytes(StandardCharsets.UTF_8));

        assertSame(malformed, dispatch.response());
        assertEquals("MalformedPolicyDocument", dispatch.outcome());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "[]",
            "\"SimulateCustomPolicy\"",
            "42",
            "null",
            "{\"type\": \"TOKEN\", \"authorizationToken\": \"Bearer x\", \"methodArn\": \"arn:aws:execute-api:eu-west-2:111122223333:k7p2q9x4zd/prod/GET/\"}",
            "{\"SimulateCustomPolicy\": {}, \"ActionNames\": []}",
            "{\"simulateCustomPolicy\": {}}",
    })
    void anyOtherShapeIsUnrecognized(String event) {
        Dispatch dispatch = dispatch(event);

        assertEquals(EventKind.UNRECOGNIZED, dispatch.kind());
        assertError(dispatch, "UnrecognizedEvent");
        assertTrue(simulated.isEmpty());
    }

    @Test
    void unrecognizedMessageDoesNotEchoTheEvent() {
        Dispatch dispatch = dispatch("{\"authorizationToken\": \"Bearer s3cr3t-token\"}");

        assertFalse(new String(dispatch.responseJson(), StandardCharsets.UTF_8).contains("s3cr3t"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2", "{\"a\": }", "{'a': 1}", "{\"a\": 1} {\"b\": 2}", "{\"a\": 1, \"a\": 2}", "nul"})
    void invalidJsonIsInvalidInput(String event) {
        Dispatch dispatch = dispatch(event);

        assertEquals(EventKind.UNREADABLE, dispatch.kind());
        assertError(dispatch, "InvalidInput");
    }

    @Test
    void invalidJsonReportsLineAndColumnButNotTheOffendingText() {
        Dispatch dispatch = dispatch("{\n  \"SimulateCustomPolicy\": {\n    \"CallerArn\": s3cr3t\n  }\n}");

        assertError(dispatch, "InvalidInput");
        String message = dispatch.response().get("message").asText();
        assertTrue(message.matches("event is not valid JSON at 3:\\d+ \\(line:column\\)"), message);
        assertEquals(3, dispatch.response().get("location").get("line").asInt());
        assertFalse(message.contains("s3cr3t"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void emptyEventIsInvalidInput(String event) {
        Dispatch dispatch = dispatch(event);

        assertError(dispatch, "InvalidInput");
        assertEquals("event is empty", dispatch.response().get("message").asText());
    }

    @Test
    void eventLargerThanTheLimitIsRefusedBeforeParsing() {
        String padding = " ".repeat(LIMITS.maxBytes());
        Dispatch dispatch = dispatch("{\"SimulateCustomPolicy\": {}}" + padding);

        assertError(dispatch, "InvalidInput");
        assertEquals("event exceeds 4096 bytes", dispatch.response().get("message").asText());
        assertTrue(simulated.isEmpty());
    }

    @Test
    void eventOfExactlyTheLimitIsRead() {
        String event = "{\"SimulateCustomPolicy\": {}}";
        Dispatch dispatch = dispatch(event + " ".repeat(LIMITS.maxBytes() - event.length()));

        assertEquals("ok", dispatch.outcome());
    }

    @Test
    void readsNoMoreThanTheLimitFromAnEndlessStream() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return ' ';
            }
        };

        Dispatch dispatch = dispatcher.dispatch(endless);

        assertError(dispatch, "InvalidInput");
    }

    @Test
    void nestingDeeperThanTheLimitIsInvalidInput() {
        String deep = "[".repeat(LIMITS.maxDepth() + 1) + "]".repeat(LIMITS.maxDepth() + 1);

        Dispatch dispatch = dispatch(deep);

        assertError(dispatch, "InvalidInput");
        assertTrue(dispatch.response().get("message").asText().startsWith("event exceeds a parser limit"));
    }

    @Test
    void nestingUpToTheLimitIsRead() {
        String deep = "[".repeat(LIMITS.maxDepth()) + "]".repeat(LIMITS.maxDepth());

        assertEquals(EventKind.UNRECOGNIZED, dispatch(deep).kind());
    }

    @Test
    void stringLongerThanTheLimitIsInvalidInput() {
        Dispatch dispatch = dispatch("{\"SimulateCustomPolicy\": {\"CallerArn\": \"" + "a".repeat(LIMITS.maxStringLength() + 1) + "\"}}");

        assertError(dispatch, "InvalidInput");
        assertTrue(simulated.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"x\"", "null", "1"})
    void simulateCustomPolicyMustBeAnObject(String body) {
        Dispatch dispatch = dispatch("{\"SimulateCustomPolicy\": " + body + "}");

        assertEquals(EventKind.SIMULATE_CUSTOM_POLICY, dispatch.kind());
        assertError(dispatch, "InvalidInput");
        assertEquals("/SimulateCustomPolicy", dispatch.response().get("location").get("pointer").asText());
        assertTrue(simulated.isEmpty());
    }

    @Test
    void simulatorExceptionBecomesInternalErrorWithoutItsMessage() {
        EventDispatcher d = new EventDispatcher(body -> {
            throw new IllegalStateException("policy text {\"Effect\":\"Allow\"} leaked");
        }, LIMITS);

        Dispatch dispatch = d.dispatch("{\"SimulateCustomPolicy\": {}}".getBytes(StandardCharsets.UTF_8));

        assertEquals(EventKind.SIMULATE_CUSTOM_POLICY, dispatch.kind());
        assertError(dispatch, "InternalError");
        assertEquals(IllegalStateException.class.getName(), dispatch.failure());
        assertFalse(new String(dispatch.responseJson(), StandardCharsets.UTF_8).contains("leaked"));
    }

    @Test
    void simulatorErrorThrowableBecomesInternalError() {
        EventDispatcher d = new EventDispatcher(body -> {
            throw new StackOverflowError();
        }, LIMITS);

        assertError(d.dispatch("{\"SimulateCustomPolicy\": {}}".getBytes(StandardCharsets.UTF_8)), "InternalError");
    }

    @Test
    void simulatorReturningNothingIsInternalError() {
        EventDispatcher d = new EventDispatcher(body -> null, LIMITS);

        assertError(d.dispatch("{\"SimulateCustomPolicy\": {}}".getBytes(StandardCharsets.UTF_8)), "InternalError");
    }

    @Test
    void internalErrorBytesAreTheResponse() throws IOException {
        EventDispatcher d = new EventDispatcher(body -> null, LIMITS);

        Dispatch dispatch = d.dispatch("{\"SimulateCustomPolicy\": {}}".getBytes(StandardCharsets.UTF_8));

        assertEquals(dispatch.response(), JSON.readTree(dispatch.responseJson()));
    }

    @Test
    void failingStreamIsInternalError() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        Dispatch dispatch = dispatcher.dispatch(broken);

        assertEquals(EventKind.UNREADABLE, dispatch.kind());
        assertError(dispatch, "InternalError");
        assertEquals(IOException.class.getName(), dispatch.failure());
    }

    @Test
    void responseJsonIsTheSerialisedResponse() throws IOException {
        Dispatch dispatch = dispatch("{}");

        assertArrayEquals(JSON.writeValueAsBytes(dispatch.response()), dispatch.responseJson());
    }
}
