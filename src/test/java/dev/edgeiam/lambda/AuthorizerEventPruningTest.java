package dev.edgeiam.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.gateway.AuthorizerEventReader;
import dev.edgeiam.gateway.AuthorizerRequest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dispatcher reads authorizer events pruned to the members {@link AuthorizerEventReader#read} looks at
 * ({@link AuthorizerEventReader#readPruned}). Differential: for the sample events of every format and thousands of
 * mutations of them, whenever the pruned read answers, the whole event is classified as an authorizer event too and
 * {@code read} gives an equal {@link AuthorizerRequest} (or the same error) from either form. A member the reader
 * uses but the pruning drops, a wrong classification, or a skipped duplicate would fail it.
 */
class AuthorizerEventPruningTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final ObjectReader TREES = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Every path the reader reads, and some it does not, as mutation targets. */
    private static final List<String> PATHS = List.of("type", "version", "methodArn", "routeArn",
            "authorizationToken", "headers", "headers/Authorization", "headers/authorization", "headers/User-Agent",
            "multiValueHeaders", "multiValueHeaders/User-Agent", "queryStringParameters", "queryStringParameters/a",
            "multiValueQueryStringParameters", "multiValueQueryStringParameters/a", "rawQueryString",
            "identitySource", "routeKey", "httpMethod", "resource", "requestContext", "requestContext/http",
            "requestContext/http/sourceIp", "requestContext/http/userAgent", "requestContext/timeEpoch",
            "requestContext/requestTimeEpoch", "requestContext/requestTime", "requestContext/requestId",
            "requestContext/eventType", "requestContext/identity", "requestContext/identity/sourceIp",
            "requestContext/identity/userAgent", "requestContext/identity/vpceId",
            // not read: pruned away
            "path", "pathParameters", "pathParameters/UserId", "stageVariables", "body", "requestContext/stage",
            "requestContext/path", "requestContext/identity/caller", "requestContext/http/method", "cookies",
            "SimulateCustomPolicy", "detail-type", "source");

    static Stream<Path> samples() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path dir : List.of(Path.of("events"), Path.of("src/test/resources/apigateway"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".json")).sorted().forEach(out::add);
            }
        }
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> everySampleEventReadsAlikePrunedAndWhole() throws IOException {
        return samples().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            byte[] bytes = Files.readAllBytes(p);
            String outcome = compare(bytes);
            JsonNode whole = MAPPER.readTree(bytes);
            if (EventDispatcher.classify(whole) == EventDispatcher.EventKind.AUTHORIZER) {
                assertEquals("pruned", outcome, "an authorizer sample takes the pruned read");
            } else {
                assertEquals("whole", outcome, "any other event is read whole");
            }
        }));
    }

    @Test
    void mutatedEventsReadAlikePrunedAndWhole() throws IOException {
        List<ObjectNode> seeds = authorizerSamples();
        assertTrue(seeds.size() >= 6, "samples of every format");
        SplittableRandom random = new SplittableRandom(20261205L);
        int pruned = 0;
        int whole = 0;
        for (int i = 0; i < 6_000; i++) {
            ObjectNode event = seeds.get(random.nextInt(seeds.size())).deepCopy();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                mutate(event, random);
            }
            byte[] bytes = withLiterals(MAPPER.writeValueAsBytes(event), NUMBER_LITERALS);
            String outcome;
            try {
                outcome = compare(bytes);
            } catch (AssertionError failure) {
                throw new AssertionError("case " + i + ": " + event, failure);
            }
            if (outcome.equals("pruned")) {
                pruned++;
            } else {
                whole++;
            }
        }
        assertTrue(pruned > 2_000 && whole > 200, "both reads exercised: pruned " + pruned + ", whole " + whole);
    }

    @Test
    void aDuplicateMemberInsideASkippedMemberIsStillRefused() {
        String event = "{\"type\":\"TOKEN\",\"methodArn\":\"arn:aws:execute-api:us-east-1:111122223333:a1/prod/GET/x\","
                + "\"authorizationToken\":\"t\",\"stageVariables\":{\"a\":\"1\",\"a\":\"2\"}}";
        assertNull(pruned(event.getBytes(StandardCharsets.UTF_8)), "the parser rejects it while skipping");
        EventDispatcher dispatcher = new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER,
                e -> fail("a malformed event reached the handler")), new EventLimits(262_144, 64, 131_072));
        EventDispatcher.Dispatch d = dispatcher.dispatch(event.getBytes(StandardCharsets.UTF_8));
        assertEquals("InvalidInput", d.outcome());
        assertEquals(EventDispatcher.EventKind.UNREADABLE, d.kind());
    }

    @Test
    void trailingContentAndSingleMemberEventsAreReadWhole() {
        String ok = "{\"type\":\"TOKEN\",\"methodArn\":\"arn:aws:execute-api:us-east-1:111122223333:a1/prod/GET/x\"}";
        assertNotNull(pruned(ok.getBytes(StandardCharsets.UTF_8)));
        assertNull(pruned((ok + " {}").getBytes(StandardCharsets.UTF_8)));
        assertNull(pruned("{\"type\":\"TOKEN\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(pruned("[1]".getBytes(StandardCharsets.UTF_8)));
        assertNull(pruned(new byte[0]));
    }

    /**
     * Compares the two reads of one event: "pruned" when the pruned read answered (and agreed), "whole" when it
     * declined.
     */
    private static String compare(byte[] bytes) {
        JsonNode pruned = pruned(bytes);
        if (pruned == null) {
            return "whole";
        }
        JsonNode whole;
        try {
            whole = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("the pruned read accepted what the whole read rejects: " + e.getMessage());
        }
        assertEquals(EventDispatcher.EventKind.AUTHORIZER, EventDispatcher.classify(whole),
                "the pruned read took an event the dispatcher classifies otherwise");
        assertTrue(AuthorizerEventReader.isAuthorizerEvent(pruned));
        assertKeptAsBuilt(pruned, whole, "");
        assertEquals(outcome(whole), outcome(pruned), "read() of the whole and of the pruned event");
        return "pruned";
    }

    /**
     * Every member the pruned event kept is the node the whole read built, of the same class (an int node is not a
     * long node, 2.0 is not "2.0"); objects are compared member by member, since the pruning may have descended into
     * them (that it kept what {@code read} uses is the other assertion's job).
     */
    private static void assertKeptAsBuilt(JsonNode pruned, JsonNode whole, String at) {
        pruned.fieldNames().forEachRemaining(name -> {
            JsonNode p = pruned.get(name);
            JsonNode w = whole.get(name);
            assertNotNull(w, at + "/" + name + " is not in the whole event");
            assertEquals(w.getClass(), p.getClass(), at + "/" + name);
            if (p.isObject()) {
                assertKeptAsBuilt(p, w, at + "/" + name);
            } else {
                assertEquals(w, p, at + "/" + name);
            }
        });
    }

    /** Number literals as written on the wire, each read by Jackson's tree reader as a different node or value. */
    private static final List<String> NUMBER_LITERALS = List.of("2", "2.0", "2e0", "-0", "0.5", "1795860942123",
            "1795860942123.9", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "99999999999999999999999", "1e400", "-1E-400", "1.0E2",
            "12345678901234567890.5", "1795860942123e-3");

    /** The members whose number values the reader turns into text or a time. */
    private static final List<String> NUMBER_PATHS = List.of("version", "requestContext/timeEpoch",
            "requestContext/requestTimeEpoch", "requestContext/requestTime", "requestContext/identity/sourceIp",
            "requestContext/http/sourceIp", "headers/authorization", "queryStringParameters/a",
            "multiValueQueryStringParameters/a", "rawQueryString", "httpMethod", "routeKey", "identitySource",
            "requestContext/eventType");

    @TestFactory
    Stream<DynamicTest> numberLiteralsAreBuiltAsTheTreeReaderBuildsThem() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        List<ObjectNode> seeds = authorizerSamples();
        for (String path : NUMBER_PATHS) {
            for (String literal : NUMBER_LITERALS) {
                tests.add(DynamicTest.dynamicTest(path + " = " + literal, () -> {
                    int answered = 0;
                    for (ObjectNode seed : seeds) {
                        ObjectNode event = seed.deepCopy();
                        set(event, path, JSON.textNode(NUMBER_MARKER + "0@@"));
                        byte[] bytes = withLiterals(MAPPER.writeValueAsBytes(event), List.of(literal));
                        if (compare(bytes).equals("pruned")) {
                            answered++;
                        }
                    }
                    assertTrue(answered > 0, "some sample took the pruned read");
                }));
            }
        }
        return tests.stream();
    }

    private static final String NUMBER_MARKER = "@@number";

    /** Replaces each quoted marker {@code "@@number<i>@@"} with {@code literals.get(i)} as a bare literal. */
    private static byte[] withLiterals(byte[] json, List<String> literals) {
        String text = new String(json, StandardCharsets.UTF_8);
        for (int i = 0; i < literals.size(); i++) {
            text = text.replace("\"" + NUMBER_MARKER + i + "@@\"", literals.get(i));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void set(ObjectNode event, String path, JsonNode value) {
        String[] parts = path.split("/");
        ObjectNode parent = event;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = parent.get(parts[i]);
            parent = next != null && next.isObject() ? (ObjectNode) next : parent.putObject(parts[i]);
        }
        parent.set(parts[parts.length - 1], value);
    }

    private static List<ObjectNode> authorizerSamples() throws IOException {
        List<ObjectNode> seeds = new ArrayList<>();
        for (Path p : samples().toList()) {
            JsonNode n = MAPPER.readTree(Files.readAllBytes(p));
            if (AuthorizerEventReader.isAuthorizerEvent(n)) {
                seeds.add((ObjectNode) n);
            }
        }
        return seeds;
    }

    private static JsonNode pruned(byte[] bytes) {
        try (JsonParser parser = MAPPER.createParser(bytes)) {
            return AuthorizerEventReader.readPruned(parser);
        } catch (IOException e) {
            return null;
        }
    }

    private static Object outcome(JsonNode event) {
        try {
            AuthorizerRequest r = AuthorizerEventReader.read(event);
            return Objects.requireNonNull(r);
        } catch (IllegalArgumentException e) {
            return "IllegalArgumentException: " + e.getMessage();
        }
    }

    /**
     * The object holding the last member of {@code path} ({@code a/b/c}: the object at {@code a/b}), with the objects on
     * the way made where missing or not objects — or, at random in that case, null (the mutation is skipped). Shared
     * with {@code AuthorizerEventBytesTest}.
     */
    static ObjectNode parentOf(ObjectNode event, String[] parts, SplittableRandom random) {
        ObjectNode parent = event;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = parent.get(parts[i]);
            if (next == null || !next.isObject()) {
                if (random.nextBoolean()) {
                    return null;
                }
                next = parent.putObject(parts[i]);
            }
            parent = (ObjectNode) next;
        }
        return parent;
    }

    private static void mutate(ObjectNode event, SplittableRandom random) {
        String path = PATHS.get(random.nextInt(PATHS.size()));
        String[] parts = path.split("/");
        ObjectNode parent = parentOf(event, parts, random);
        if (parent == null) {
            return;
        }
        String name = parts[parts.length - 1];
        switch (random.nextInt(5)) {
            case 0 -> parent.remove(name);
            case 1 -> { // another member beside it, read or not
                parent.set(random.nextBoolean() ? name.toUpperCase(java.util.Locale.ROOT) : "x" + random.nextInt(9),
                        value(random, 0));
            }
            default -> parent.set(name, value(random, 0));
        }
    }

    private static final List<String> TEXTS = List.of("TOKEN", "REQUEST", "2.0", "1.0", "CONNECT", "", "GET",
            "Bearer abc", "a=1&a=2&b=%41", "a=%zz", "198.51.100.7", "vpce-0a1b", "12/Mar/2026:10:00:00 +0000",
            "1795860942123", "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/GET/users/x/y",
            "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/$connect", "GET /users/{id}", "$default",
            "null");

    private static JsonNode value(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 2 ? 6 : 9);
        return switch (kind) {
            case 0, 1, 2 -> JSON.textNode(TEXTS.get(random.nextInt(TEXTS.size())));
            case 3 -> random.nextBoolean()
                    ? JSON.textNode(NUMBER_MARKER + random.nextInt(NUMBER_LITERALS.size()) + "@@")
                    : JSON.numberNode(random.nextInt(3) == 0 ? 2.0 : random.nextLong(0, 1_800_000_000_000L));
            case 4 -> JSON.booleanNode(random.nextBoolean());
            case 5 -> JSON.nullNode();
            case 6, 7 -> {
                ObjectNode o = JSON.objectNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.set(random.nextBoolean() ? "a" + i : TEXTS.get(random.nextInt(TEXTS.size())),
                            value(random, depth + 1));
                }
                yield o;
            }
            default -> {
                ArrayNode a = JSON.arrayNode();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(value(random, depth + 1));
                }
                yield a;
            }
        };
    }
}
