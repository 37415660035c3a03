package dev.edgeiam.lambda;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one Lambda event as bounded JSON, recognises its kind by shape and answers it.
 *
 * <p>Pure Java: no Quarkus, no Lambda runtime types, so it runs in plain JUnit. {@link #dispatch(InputStream)} never
 * throws; every failure becomes an error response, which is how the authorizer fails closed.
 *
 * <p>Error responses are {@code {"errorCode", "message"}} plus {@code "location"} where one is known. Messages never
 * echo the event's content: events carry policy documents and, later, bearer tokens.
 */
public final class EventDispatcher {

    /** Top-level member that marks an IAM {@code SimulateCustomPolicy}-shaped request. */
    public static final String SIMULATE_CUSTOM_POLICY = "SimulateCustomPolicy";

    /** What an event turned out to be; {@link #label()} is what the invocation log line shows. */
    public enum EventKind {
        SIMULATE_CUSTOM_POLICY(EventDispatcher.SIMULATE_CUSTOM_POLICY),
        /** Valid JSON of a shape this function does not answer. */
        UNRECOGNIZED("Unrecognized"),
        /** Not read as JSON at all: too large, malformed, beyond a parser limit, or the stream failed. */
        UNREADABLE("Unreadable");

        private final String label;

        EventKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The answer to one event.
     *
     * @param kind         what the event was recognised as
     * @param response     the JSON object returned to the caller
     * @param responseJson {@code response} serialised, exactly the bytes to return
     * @param failure      class name of the exception that produced an {@code InternalError}, or {@code null}
     */
    public record Dispatch(EventKind kind, ObjectNode response, byte[] responseJson, String failure) {

        /** {@code "ok"}, or the response's {@code errorCode}. */
        public String outcome() {
            JsonNode code = response.get("errorCode");
            return code == null ? "ok" : code.asText();
        }
    }

    /** Deliberately says nothing about the cause; the invocation log line names the exception class. */
    private static final String INTERNAL_ERROR_MESSAGE = "the authorizer could not process the event";

    private final Function<? super JsonNode, ? extends ObjectNode> simulateCustomPolicy;
    private final EventLimits limits;
    private final ObjectMapper mapper;

    /**
     * @param simulateCustomPolicy answers the object under {@value #SIMULATE_CUSTOM_POLICY}; in production
     *                             {@code CustomPolicySimulator::simulate}
     * @param limits               bounds on the raw event
     */
    public EventDispatcher(Function<? super JsonNode, ? extends ObjectNode> simulateCustomPolicy, EventLimits limits) {
        this.simulateCustomPolicy = Objects.requireNonNull(simulateCustomPolicy, "simulateCustomPolicy");
        this.limits = Objects.requireNonNull(limits, "limits");
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxStringLength(limits.maxStringLength())
                        .build())
                // Two members with one name are ambiguous; IAM rejects them too.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** Reads at most {@link EventLimits#maxBytes()} + 1 bytes from {@code event} and answers it. Never throws. */
    public Dispatch dispatch(InputStream event) {
        byte[] bytes;
        try {
            bytes = event.readNBytes(limits.maxBytes() + 1);
        } catch (Throwable e) {
            return internalError(EventKind.UNREADABLE, e);
        }
        return dispatch(bytes);
    }

    /** Answers one event given as JSON bytes. Never throws. */
    public Dispatch dispatch(byte[] event) {
        EventKind kind = EventKind.UNREADABLE;
        try {
            if (event.length > limits.maxBytes()) {
                return answer(kind, error("InvalidInput", "event exceeds " + limits.maxBytes() + " bytes", null));
            }
            JsonNode root;
            try {
                root = mapper.readTree(event);
            } catch (StreamConstraintsException e) {
                return answer(kind, unparsable("event exceeds a parser limit (nesting depth " + limits.maxDepth()
                        + ", string length " + limits.maxStringLength() + ")", e));
            } catch (JsonProcessingException e) {
                return answer(kind, unparsable("event is not valid JSON", e));
            }
            if (root == null || root.isMissingNode()) {
                return answer(kind, error("InvalidInput", "event is empty", null));
            }
            kind = classify(root);
            return answer(kind, switch (kind) {
                case SIMULATE_CUSTOM_POLICY -> simulateCustomPolicy(root.get(SIMULATE_CUSTOM_POLICY));
                case UNRECOGNIZED -> error("UnrecognizedEvent", "unrecognised event: expected a JSON object with the"
                        + " single member \"" + SIMULATE_CUSTOM_POLICY + "\"", null);
                case UNREADABLE -> throw new IllegalStateException("a parsed event is never unreadable");
            });
        } catch (Throwable e) {
            // With the read above, the place that catches everything: an authorizer that cannot answer must say so.
            return internalError(kind, e);
        }
    }

    /**
     * Recognises an event by its shape. Later kinds (API Gateway TOKEN / REQUEST authorizer events, HTTP API 2.0,
     * ValidatePolicy, SimulatePrincipalPolicy, scheduled and IAM-change events) are added here and in {@link EventKind}.
     */
    private static EventKind classify(JsonNode event) {
        if (event.isObject() && event.size() == 1 && event.has(SIMULATE_CUSTOM_POLICY)) {
            return EventKind.SIMULATE_CUSTOM_POLICY;
        }
        return EventKind.UNRECOGNIZED;
    }

    private ObjectNode simulateCustomPolicy(JsonNode body) {
        if (!body.isObject()) {
            return error("InvalidInput", SIMULATE_CUSTOM_POLICY + " must be a JSON object", SIMULATE_CUSTOM_POLICY);
        }
        ObjectNode response = simulateCustomPolicy.apply(body);
        if (response == null) {
            throw new IllegalStateException("simulator returned no response");
        }
        return response;
    }

    private Dispatch answer(EventKind kind, ObjectNode response) throws JsonProcessingException {
        return new Dispatch(kind, response, mapper.writeValueAsBytes(response), null);
    }

    private static Dispatch internalError(EventKind kind, Throwable e) {
        ObjectNode response = error("InternalError", INTERNAL_ERROR_MESSAGE, null);
        // Serialised by hand so that answering cannot fail a second time.
        byte[] json = ("{\"errorCode\":\"InternalError\",\"message\":\"" + INTERNAL_ERROR_MESSAGE + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new Dispatch(kind, response, json, e.getClass().getName());
    }

    /** {@code InvalidInput} with the parser's position as {@code line:column}; the parser's own text is dropped. */
    private static ObjectNode unparsable(String what, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 1) {
            return error("InvalidInput", what, null);
        }
        String position = at.getLineNr() + ":" + at.getColumnNr();
        return error("InvalidInput", what + " at " + position + " (line:column)", position);
    }

    static ObjectNode error(String errorCode, String message, String location) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("errorCode", errorCode);
        error.put("message", message);
        if (location != null) {
            error.put("location", location);
        }
        return error;
    }
}
