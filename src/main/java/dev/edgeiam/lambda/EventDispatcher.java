package dev.edgeiam.lambda;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
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

import dev.edgeiam.gateway.WrittenAnswer;
import dev.edgeiam.observe.DecisionLogFields;

/**
 * Reads one Lambda event as bounded JSON, recognises its kind by shape and answers it.
 *
 * <p>Pure Java: no Quarkus, no Lambda runtime types, so it runs in plain JUnit. {@link #dispatch(InputStream)} never
 * throws; every failure becomes an error response, which is how the authorizer fails closed.
 *
 * <p>Error responses are {@code {"errorCode", "message"}} plus {@code "location": {"pointer"}} or
 * {@code {"line", "column"}} where one is known. Messages never
 * echo the event's content: events carry policy documents and, later, bearer tokens.
 */
public final class EventDispatcher {

    /** Top-level member that marks an IAM {@code SimulateCustomPolicy}-shaped request. */
    public static final String SIMULATE_CUSTOM_POLICY = "SimulateCustomPolicy";

    /** What an event turned out to be; {@link #label()} is what the invocation log line shows. */
    public enum EventKind {
        SIMULATE_CUSTOM_POLICY(EventDispatcher.SIMULATE_CUSTOM_POLICY),
        SIMULATE_PRINCIPAL_POLICY("SimulatePrincipalPolicy"),
        VALIDATE_POLICY("ValidatePolicy"),
        EXPAND_ACTIONS("ExpandActions"),
        /** An API Gateway Lambda authorizer event (REST TOKEN/REQUEST, HTTP API 2.0, WebSocket $connect). */
        AUTHORIZER("Authorizer"),
        /** An EventBridge event: the scheduled refresh or an IAM change recorded by CloudTrail. */
        EVENTBRIDGE("EventBridge"),
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

        /** The top-level member that marks a direct-invoke request of this kind, or null. */
        String member() {
            return switch (this) {
                case SIMULATE_CUSTOM_POLICY, SIMULATE_PRINCIPAL_POLICY, VALIDATE_POLICY, EXPAND_ACTIONS -> label;
                default -> null;
            };
        }
    }

    /**
     * What a handler answers: the response object, fields for the invocation log line (never secrets), and
     * whether API Gateway must be told {@code Unauthorized} (a REST authorizer's 401, which only a failed
     * invocation with exactly that error message produces). The response is given as a tree, or already written as
     * the exact JSON bytes of an object that is not an error ({@link #written}); either form reads as the other.
     */
    public record Answer(ObjectNode response, WrittenAnswer written, DecisionLogFields logFields,
                         boolean unauthorized) {

        public Answer(ObjectNode response, DecisionLogFields logFields, boolean unauthorized) {
            this(Objects.requireNonNull(response, "response"), null, logFields, unauthorized);
        }

        public static Answer of(ObjectNode response) {
            return new Answer(response, null, false);
        }

        /**
         * An answer already written: {@code json} is returned as it is, so it must be one JSON object without an
         * {@code errorCode} member (the authorizer's policy and simple responses).
         */
        public static Answer written(byte[] json, DecisionLogFields logFields) {
            return written(WrittenAnswer.of(json), logFields);
        }

        /** As {@link #written(byte[], DecisionLogFields)}, with bytes that may be lent ({@link WrittenAnswer}). */
        public static Answer written(WrittenAnswer json, DecisionLogFields logFields) {
            return new Answer(null, Objects.requireNonNull(json, "json"), logFields, false);
        }

        /** The written bytes as an array of their own, or null for an answer given as a tree. */
        public byte[] json() {
            return written == null ? null : written.bytes();
        }

        /** The response as a tree (read from the written bytes when it was given written). */
        @Override
        public ObjectNode response() {
            return response != null ? response : readObject(json());
        }
    }

    /**
     * Answers one kind of event. May throw: the dispatcher turns any failure into an error response. The
     * authorizer handler may receive the event pruned to the members {@code gateway.AuthorizerEventReader} reads.
     */
    @FunctionalInterface
    public interface Handler {
        Answer answer(JsonNode event);
    }

    /**
     * An authorizer handler that also answers a request read straight from the event's bytes
     * ({@code gateway.AuthorizerEventBytes}, which declines what it does not take; the event is then read as a tree
     * and given to {@link #answer(JsonNode)}). Both must answer an event alike.
     */
    public interface AuthorizerHandler extends Handler {
        Answer answer(dev.edgeiam.gateway.AuthorizerRequest request);
    }

    /**
     * The answer to one event.
     *
     * <p>{@code kind}: what the event was recognised as; {@code response()}: the JSON object returned to the caller;
     * {@code responseJson()}: exactly the bytes to return; {@code failure()}: class name of the exception that
     * produced an {@code InternalError}, or {@code null}.
     */
    public record Dispatch(EventKind kind, ObjectNode response, WrittenAnswer written, String failure,
                           DecisionLogFields logFields, boolean unauthorized) {

        /**
         * Exactly the bytes to return, as an array of their own (a copy when the handler's writer lent them: read
         * them on the dispatching thread before it answers again, {@link WrittenAnswer}).
         */
        public byte[] responseJson() {
            return written.bytes();
        }

        /** Writes exactly the bytes to return to {@code out}, from the writer's buffer when they are lent. */
        public void writeResponse(java.io.OutputStream out) throws java.io.IOException {
            written.writeTo(out);
        }

        /** The response as a tree (read from {@link #responseJson()} when the handler wrote it directly). */
        @Override
        public ObjectNode response() {
            return response != null ? response : readObject(responseJson());
        }

        /** {@code "ok"}, or the response's {@code errorCode} (a written answer never has one). */
        public String outcome() {
            JsonNode code = response == null ? null : response.get("errorCode");
            return code == null ? "ok" : code.asText();
        }
    }

    private static final ObjectMapper READ_BACK = new ObjectMapper();

    private static ObjectNode readObject(byte[] json) {
        try {
            return (ObjectNode) READ_BACK.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a written answer is not a JSON object", e);
        }
    }

    /** Deliberately says nothing about the cause; the invocation log line names the exception class. */
    private static final String INTERNAL_ERROR_MESSAGE = "the authorizer could not process the event";

    private final java.util.Map<EventKind, Handler> handlers;
    private final EventLimits limits;
    private final ObjectMapper mapper;

    /**
     * @param simulateCustomPolicy answers the object under {@value #SIMULATE_CUSTOM_POLICY} (a dispatcher of that kind
     *                             alone, used by tests; production wires every kind through the map form below)
     * @param limits               bounds on the raw event
     */
    public EventDispatcher(Function<? super JsonNode, ? extends ObjectNode> simulateCustomPolicy, EventLimits limits) {
        this(java.util.Map.of(EventKind.SIMULATE_CUSTOM_POLICY, bodyHandler(simulateCustomPolicy)), limits);
    }

    /**
     * @param handlers the event kinds this function answers; a direct-invoke kind's handler receives the object
     *                 under its member ({@code {"ValidatePolicy": {...}}} → {@code {...}}), the others the whole event
     * @param limits   bounds on the raw event
     */
    public EventDispatcher(java.util.Map<EventKind, Handler> handlers, EventLimits limits) {
        this.handlers = java.util.Map.copyOf(handlers);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.mapper = parser(limits);
    }

    /**
     * The JSON reader events are parsed with: nesting and string length bounded by {@code limits}, a repeated member
     * name and anything after the event refused. Public so that tests hold other readers of events to exactly it.
     */
    public static ObjectMapper parser(EventLimits limits) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxStringLength(limits.maxStringLength())
                        .build())
                // Two members with one name are ambiguous; IAM rejects them too.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
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
            if (!wellFormedUtf8(event)) {
                return answer(kind, error("InvalidInput", "event is not valid UTF-8", null));
            }
            if (handlers.get(EventKind.AUTHORIZER) instanceof AuthorizerHandler direct) {
                dev.edgeiam.gateway.AuthorizerRequest request = dev.edgeiam.gateway.AuthorizerEventBytes.read(event,
                        limits.maxDepth(), limits.maxStringLength());
                if (request != null) {
                    kind = EventKind.AUTHORIZER;
                    return handled(kind, direct.answer(request));
                }
            }
            JsonNode root = prunedAuthorizerEvent(event);
            if (root != null) {
                kind = EventKind.AUTHORIZER;
                return handled(kind, handlers.get(kind).answer(root));
            }
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
            Handler handler = handlers.get(kind);
            if (handler == null) {
                kind = EventKind.UNRECOGNIZED;
                return answer(kind, Answer.of(error("UnrecognizedEvent", "unrecognised event: expected an API Gateway "
                        + "authorizer event, an EventBridge event, or a JSON object with one of the members "
                        + directMembers(), null)));
            }
            String member = kind.member();
            JsonNode input = root;
            if (member != null) {
                input = root.get(member);
                if (!input.isObject()) {
                    return answer(kind, Answer.of(error("InvalidInput", member + " must be a JSON object",
                            "/" + member)));
                }
            }
            return handled(kind, handler.answer(input));
        } catch (Throwable e) {
            // With the read above, the place that catches everything: an authorizer that cannot answer must say so.
            return internalError(kind, e);
        }
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<java.nio.charset.CharsetDecoder> UTF8 = new ThreadLocal<>() {
        @Override
        protected java.nio.charset.CharsetDecoder initialValue() {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        }
    };

    /**
     * Whether the event is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates, or bytes C0, C1, F5–FF),
     * checked before Jackson reads it: Jackson's byte parser validates a member name's UTF-8 only when the name is
     * new to the factory's symbol table, which pads short name quads with 0xFF — so once an instance has read
     * {@code methodArn}, the invalid bytes {@code methodAr\xFF\xFF\xFFn} were read as {@code methodArn} (R11.4).
     * Events the Lambda runtime delivers are UTF-8; an ASCII event is passed by the first loop.
     */
    static boolean wellFormedUtf8(byte[] event) {
        int i = 0;
        // eight bytes at a time: an ASCII event (every byte's top bit clear) is passed without decoding
        while (i + 8 <= event.length && ((long) LONGS.get(event, i) & 0x8080808080808080L) == 0) {
            i += 8;
        }
        while (i < event.length && event[i] >= 0) {
            i++;
        }
        if (i == event.length) {
            return true;
        }
        try {
            UTF8.get().reset().decode(java.nio.ByteBuffer.wrap(event));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /**
     * An authorizer event read without building the members its reader does not look at
     * ({@code AuthorizerEventReader.readPruned}); null when there is no authorizer handler or the event is not
     * plainly one — it is then read whole, which classifies it and reports bad input with its position.
     */
    private JsonNode prunedAuthorizerEvent(byte[] event) {
        if (!handlers.containsKey(EventKind.AUTHORIZER)) {
            return null;
        }
        try (JsonParser parser = mapper.createParser(event)) {
            return dev.edgeiam.gateway.AuthorizerEventReader.readPruned(parser);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Recognises an event by its shape (each kind's shape is documented in README.md). */
    static EventKind classify(JsonNode event) {
        if (!event.isObject()) {
            return EventKind.UNRECOGNIZED;
        }
        if (event.size() == 1) {
            for (EventKind k : EventKind.values()) {
                if (k.member() != null && event.has(k.member())) {
                    return k;
                }
            }
        }
        if (dev.edgeiam.gateway.AuthorizerEventReader.isAuthorizerEvent(event)) {
            return EventKind.AUTHORIZER;
        }
        if (event.hasNonNull("detail-type") && event.hasNonNull("source")) {
            return EventKind.EVENTBRIDGE;
        }
        return EventKind.UNRECOGNIZED;
    }

    private String directMembers() {
        return handlers.keySet().stream().map(EventKind::member).filter(Objects::nonNull).sorted()
                .map(m -> "\"" + m + "\"").collect(java.util.stream.Collectors.joining(", "));
    }

    private static Handler bodyHandler(Function<? super JsonNode, ? extends ObjectNode> f) {
        Objects.requireNonNull(f, "handler");
        return body -> Answer.of(f.apply(body));
    }

    private Dispatch answer(EventKind kind, ObjectNode response) throws JsonProcessingException {
        return answer(kind, Answer.of(response));
    }

    /** A handler's answer; a handler that answers nothing is a programming error (an {@code InternalError}). */
    private Dispatch handled(EventKind kind, Answer a) throws JsonProcessingException {
        if (a == null) {
            throw new IllegalStateException("handler returned no response");
        }
        if (a.written() != null) {
            return new Dispatch(kind, null, a.written(), null, a.logFields(), a.unauthorized());
        }
        return answer(kind, a);
    }

    private Dispatch answer(EventKind kind, Answer a) throws JsonProcessingException {
        return new Dispatch(kind, a.response(), WrittenAnswer.of(mapper.writeValueAsBytes(a.response())), null,
                a.logFields(), a.unauthorized());
    }

    private static Dispatch internalError(EventKind kind, Throwable e) {
        ObjectNode response = error("InternalError", INTERNAL_ERROR_MESSAGE, null);
        // Serialised by hand so that answering cannot fail a second time.
        byte[] json = ("{\"errorCode\":\"InternalError\",\"message\":\"" + INTERNAL_ERROR_MESSAGE + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return new Dispatch(kind, response, WrittenAnswer.of(json), e.getClass().getName(), null, false);
    }

    /** {@code InvalidInput} with the parser's position as {@code line:column}; the parser's own text is dropped. */
    private static ObjectNode unparsable(String what, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 1) {
            return error("InvalidInput", what, null);
        }
        ObjectNode error = error("InvalidInput", what + " at " + at.getLineNr() + ":" + at.getColumnNr()
                + " (line:column)", null);
        error.putObject("location").put("line", at.getLineNr()).put("column", at.getColumnNr());
        return error;
    }

    /**
     * {@code {"errorCode", "message"}} plus, when given, {@code "location": {"pointer"}} — the one error shape of
     * every event kind (the simulators add {@code line}/{@code column} and {@code policyInput} to the same object).
     */
    static ObjectNode error(String errorCode, String message, String pointer) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("errorCode", errorCode);
        error.put("message", message);
        if (pointer != null) {
            error.putObject("location").put("pointer", pointer);
        }
        return error;
    }
}
