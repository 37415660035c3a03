package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.gateway.AuthorizerEventBytes;
import dev.edgeiam.gateway.AuthorizerEventReader;
import dev.edgeiam.gateway.AuthorizerRequest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link AuthorizerEventBytes} (the warm path's reader, bytes to request without a tree) against the general read it
 * stands in for: the dispatcher's JSON parser (its limits, strict duplicate detection, no trailing content), the
 * dispatcher's classification, and {@link AuthorizerEventReader#read}. Differential, one way: whenever the bytes
 * reader answers, the general read takes the event as an authorizer event and reads an equal request. Declining is
 * always allowed (the general read then answers), so the test also holds it to taking the plain events: every sample,
 * and most generated ones. Inputs: the sample events, thousands of tree-level mutations of them, and byte-level
 * mutations of their JSON text (whitespace, escapes, literals, truncation, duplicate members, deep nesting, long
 * strings under tight parser limits).
 */
class AuthorizerEventBytesTest {

    /** The dispatcher's parser settings at the deployed limits, and at tight ones. */
    private record Limits(int depth, int string, ObjectMapper mapper) {
        static Limits of(int depth, int string) {
            return new Limits(depth, string, EventDispatcher.parser(new EventLimits(262_144, depth, string)));
        }
    }

    private static final Limits DEPLOYED = Limits.of(64, 131_072);
    private static final Limits TIGHT = Limits.of(9, 40);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper WRITER = new ObjectMapper();

    private enum Outcome { TAKEN, DECLINED }

    /**
     * One event through both readers; fails when the bytes reader answers where the general read would not, or
     * answers differently.
     */
    private static Outcome compare(byte[] bytes, Limits limits) {
        if (!EventDispatcher.wellFormedUtf8(bytes)) {
            return Outcome.DECLINED; // the dispatcher refuses it before either reader
        }
        AuthorizerRequest direct = AuthorizerEventBytes.read(bytes, limits.depth(), limits.string());
        if (direct == null) {
            return Outcome.DECLINED;
        }
        JsonNode whole;
        try {
            whole = limits.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("taken, but the parser refuses the event: " + e.getMessage() + "\n"
                    + new String(bytes, StandardCharsets.UTF_8));
        }
        assertEquals(EventDispatcher.EventKind.AUTHORIZER, EventDispatcher.classify(whole),
                "taken, but the dispatcher classifies the event otherwise: " + whole);
        AuthorizerRequest general;
        try {
            general = AuthorizerEventReader.read(whole);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("taken, but the general read refuses it (" + e.getMessage() + "): " + whole);
        }
        assertEquals(general, direct, () -> "the two readers disagree on " + whole);
        return Outcome.TAKEN;
    }

    static Stream<Path> samples() throws IOException {
        return AuthorizerEventPruningTest.samples();
    }

    @TestFactory
    Stream<DynamicTest> everyAuthorizerSampleIsTakenAndReadAlike() throws IOException {
        return samples().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            byte[] bytes = Files.readAllBytes(p);
            Outcome outcome = compare(bytes, DEPLOYED);
            boolean authorizer = EventDispatcher.classify(DEPLOYED.mapper().readTree(bytes))
                    == EventDispatcher.EventKind.AUTHORIZER;
            assertEquals(authorizer ? Outcome.TAKEN : Outcome.DECLINED, outcome);
            // the same event compacted, and pretty-printed with CR LF and tabs, reads alike
            JsonNode tree = DEPLOYED.mapper().readTree(bytes);
            assertEquals(outcome, compare(WRITER.writeValueAsBytes(tree), DEPLOYED));
            String pretty = WRITER.writerWithDefaultPrettyPrinter().writeValueAsString(tree)
                    .replace("\n", "\r\n").replace("  ", "\t");
            assertEquals(outcome, compare(pretty.getBytes(StandardCharsets.UTF_8), DEPLOYED));
        }));
    }

    @Test
    void treeMutationsReadAlike() throws IOException {
        List<ObjectNode> seeds = authorizerSamples();
        SplittableRandom random = new SplittableRandom(20261206L);
        int[] counts = outcomes(8_000, i -> {
            ObjectNode event = seeds.get(random.nextInt(seeds.size())).deepCopy();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                mutate(event, random);
            }
            return withLiterals(writeValueAsBytes(event));
        }, 5);
        assertTrue(counts[0] > 2_000 && counts[1] > 500, "both outcomes exercised: taken " + counts[0] + ", declined "
                + counts[1]);
    }

    /**
     * {@code cases} events through {@link #compare}, every {@code tightEvery}-th under the tight limits; returns how
     * many were taken and how many declined.
     */
    private static int[] outcomes(int cases, java.util.function.IntFunction<byte[]> eventOfCase, int tightEvery) {
        int[] counts = new int[2];
        for (int i = 0; i < cases; i++) {
            byte[] bytes = eventOfCase.apply(i);
            try {
                counts[compare(bytes, i % tightEvery == 0 ? TIGHT : DEPLOYED) == Outcome.TAKEN ? 0 : 1]++;
            } catch (AssertionError failure) {
                throw new AssertionError("case " + i, failure);
            }
        }
        return counts;
    }

    private static byte[] writeValueAsBytes(JsonNode event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Snippets spliced into the JSON text: JSON's own whitespace, what the grammar refuses, and escapes. */
    private static final List<String> SNIPPETS = List.of(" ", "\t", "\n", "\r", "\f", "\u000b", "\u0000", "\u00a0",
            "\u2028", "\ufeff", ",", ":", "{", "}", "[", "]", "\"", "\\", "\\u0041", "\\ud83d\\ude00", "\\ud800",
            "\\u00zz", "\\x41", "\\/", "\\\"", "/* c */", "//", "#", "0", "00", "-", "+1", ".5", "1.", "1e", "1e+",
            "-0", "tru", "true", "nul", "null", "NaN", "Infinity", "'", "é", "Ω", "😀", "İ", "a", "A", "\"x\":1,",
            "\"x\":1", "{}", "[]");

    @Test
    void byteMutationsReadAlike() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (ObjectNode seed : authorizerSamples()) {
            seeds.add(WRITER.writeValueAsBytes(seed));
            seeds.add(WRITER.writerWithDefaultPrettyPrinter().writeValueAsBytes(seed));
        }
        SplittableRandom random = new SplittableRandom(1206L);
        int[] counts = outcomes(30_000, i -> {
            byte[] bytes = seeds.get(random.nextInt(seeds.size()));
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                bytes = spliced(bytes, random);
            }
            return bytes;
        }, 7);
        assertTrue(counts[0] > 3_000 && counts[1] > 10_000, "both outcomes exercised: taken " + counts[0]
                + ", declined " + counts[1]);
    }

    /**
     * The same mutations end to end through two dispatchers: one whose authorizer handler takes requests read from
     * the bytes, one with the tree handler only (the dispatcher's old path: the pruned read, then the whole read and
     * its classification). Both handlers record the request they were given and answer alike (the reader's error as
     * {@code GatewayAuthorizer} does); kind, outcome and answer must be the same for every event, at production and at
     * tight limits, and so must the request each handler was given.
     */
    @Test
    void theDispatcherAnswersEveryEventAsTheTreeOnlyDispatcherDoes() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (ObjectNode seed : authorizerSamples()) {
            seeds.add(WRITER.writeValueAsBytes(seed));
        }
        AtomicReference<AuthorizerRequest> treeRead = new AtomicReference<>();
        AtomicReference<AuthorizerRequest> bytesRead = new AtomicReference<>();
        EventDispatcher.Handler tree = event -> {
            try {
                treeRead.set(AuthorizerEventReader.read(event));
                return EventDispatcher.Answer.of(JSON.objectNode().put("read", true));
            } catch (IllegalArgumentException e) {
                return EventDispatcher.Answer.of(EventDispatcher.error("InvalidInput", e.getMessage(), null));
            }
        };
        EventDispatcher.AuthorizerHandler both = new EventDispatcher.AuthorizerHandler() {
            @Override
            public EventDispatcher.Answer answer(JsonNode event) {
                EventDispatcher.Answer a = tree.answer(event);
                bytesRead.set(treeRead.get());
                return a;
            }

            @Override
            public EventDispatcher.Answer answer(AuthorizerRequest request) {
                bytesRead.set(request);
                return EventDispatcher.Answer.of(JSON.objectNode().put("read", true));
            }
        };
        SplittableRandom random = new SplittableRandom(61206L);
        for (EventLimits limits : List.of(new EventLimits(262_144, 64, 131_072), new EventLimits(262_144, 9, 40))) {
            EventDispatcher withBytes = new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER, both), limits);
            EventDispatcher treeOnly = new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER, tree), limits);
            int authorized = 0;
            for (int i = 0; i < 6_000; i++) {
                byte[] bytes = seeds.get(random.nextInt(seeds.size()));
                int edits = random.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    bytes = spliced(bytes, random);
                }
                treeRead.set(null);
                bytesRead.set(null);
                EventDispatcher.Dispatch a = withBytes.dispatch(bytes);
                AuthorizerRequest readByA = bytesRead.get();
                treeRead.set(null);
                EventDispatcher.Dispatch b = treeOnly.dispatch(bytes);
                AuthorizerRequest readByB = treeRead.get();
                String what = "case " + i + ": " + new String(bytes, StandardCharsets.UTF_8);
                assertEquals(b.kind(), a.kind(), what);
                assertEquals(b.outcome(), a.outcome(), what);
                assertEquals(new String(b.responseJson(), StandardCharsets.UTF_8),
                        new String(a.responseJson(), StandardCharsets.UTF_8), what);
                assertEquals(readByB, readByA, what);
                if (readByA != null) {
                    authorized++;
                }
            }
            // under the tight limits the samples' tokens are over the string limit: refused by both, as checked above
            assertTrue(limits.maxStringLength() < 1_000 || authorized > 1_000, "requests read: " + authorized);
        }
    }

    private static byte[] spliced(byte[] in, SplittableRandom random) {
        int at = random.nextInt(in.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 16);
        switch (random.nextInt(7)) {
            case 6 -> { // one byte replaced by a snippet (a closing brace by a bracket, a colon by a comma, ...)
                if (at == in.length) {
                    return in;
                }
                out.write(in, 0, at);
                out.writeBytes(SNIPPETS.get(random.nextInt(SNIPPETS.size())).getBytes(StandardCharsets.UTF_8));
                out.write(in, at + 1, in.length - at - 1);
            }
            case 0 -> { // delete a few bytes
                int end = Math.min(in.length, at + 1 + random.nextInt(4));
                out.write(in, 0, at);
                out.write(in, end, in.length - end);
            }
            case 1 -> out.write(in, 0, at); // truncate
            case 2 -> { // a letter as a unicode escape (inside a string it reads alike; elsewhere it is refused)
                int letter = indexOfLetter(in, at);
                if (letter < 0) {
                    return in;
                }
                out.write(in, 0, letter);
                out.writeBytes(String.format(Locale.ROOT, "\\u%04x", in[letter] & 0xff)
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(in, letter + 1, in.length - letter - 1);
            }
            default -> {
                out.write(in, 0, at);
                out.writeBytes(SNIPPETS.get(random.nextInt(SNIPPETS.size())).getBytes(StandardCharsets.UTF_8));
                out.write(in, at, in.length - at);
            }
        }
        return out.toByteArray();
    }

    private static int indexOfLetter(byte[] in, int from) {
        for (int i = from; i < in.length; i++) {
            if ((in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z')) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Every structural character of every sample (compact), replaced in turn by each of the others and by a space:
     * a brace closed by a bracket, a colon for a comma, a quote for a brace ... — each such event is malformed, so
     * the bytes reader must decline it wherever it sits (in a member read, an object walked for its leaves, or a
     * skipped one).
     */
    @Test
    void everyStructuralCharacterReplacedIsDeclined() throws IOException {
        String structural = "{}[],:\"";
        int cases = 0;
        for (ObjectNode seed : authorizerSamples()) {
            byte[] bytes = WRITER.writeValueAsBytes(seed);
            for (int i = 0; i < bytes.length; i++) {
                if (structural.indexOf(bytes[i]) < 0) {
                    continue;
                }
                for (char other : (structural + " ").toCharArray()) {
                    if (other == bytes[i]) {
                        continue;
                    }
                    byte[] changed = bytes.clone();
                    changed[i] = (byte) other;
                    try {
                        compare(changed, DEPLOYED);
                    } catch (AssertionError failure) {
                        throw new AssertionError("byte " + i + " '" + (char) bytes[i] + "' -> '" + other + "'", failure);
                    }
                    cases++;
                }
            }
        }
        assertTrue(cases > 5_000, "cases: " + cases);
    }

    /** The objects the reader reads, and skipped ones: a repeated member name in any of them refuses the event. */
    private static final List<String> OBJECTS = List.of("", "headers", "multiValueHeaders", "queryStringParameters",
            "multiValueQueryStringParameters", "requestContext", "requestContext/http", "requestContext/identity",
            "pathParameters", "stageVariables/deep/er");

    @TestFactory
    Stream<DynamicTest> aRepeatedMemberNameIsDeclinedInEveryObject() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (ObjectNode seed : authorizerSamples()) {
            for (String object : OBJECTS) {
                tests.add(DynamicTest.dynamicTest(seed.path("type").asText() + seed.path("version").asText() + " "
                        + (object.isEmpty() ? "(event)" : object), () -> {
                    ObjectNode event = seed.deepCopy();
                    ObjectNode target = object(event, object);
                    target.put("dup", "1");
                    target.put("@@second@@", "2");
                    byte[] bytes = WRITER.writeValueAsString(event).replace("\"@@second@@\"", "\"dup\"")
                            .getBytes(StandardCharsets.UTF_8);
                    assertNull(AuthorizerEventBytes.read(bytes, 64, 131_072));
                    assertRefused(bytes);
                    // and with the first one absent, the event is taken again when plain
                    byte[] single = WRITER.writeValueAsString(event).replace("\"@@second@@\"", "\"dup2\"")
                            .getBytes(StandardCharsets.UTF_8);
                    compare(single, DEPLOYED);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> nestingAtAndBeyondTheParserLimitIsNeverTakenWhereRefused() throws IOException {
        ObjectNode seed = authorizerSamples().get(0);
        List<DynamicTest> tests = new ArrayList<>();
        for (int depth = 1; depth <= 70; depth += 3) {
            int levels = depth;
            tests.add(DynamicTest.dynamicTest("skipped member nested " + levels + " deep", () -> {
                String nested = "[".repeat(levels) + "]".repeat(levels);
                byte[] bytes = WRITER.writeValueAsString(seed.deepCopy().put("deep", "@@"))
                        .replace("\"@@\"", nested).getBytes(StandardCharsets.UTF_8);
                compare(bytes, DEPLOYED);
                compare(bytes, TIGHT);
            }));
        }
        return tests.stream();
    }

    @Test
    void aStringLongerThanTheParserLimitIsDeclined() throws IOException {
        ObjectNode seed = authorizerSamples().get(0).deepCopy();
        seed.put("skipped", "x".repeat(41));
        byte[] bytes = WRITER.writeValueAsBytes(seed);
        assertNull(AuthorizerEventBytes.read(bytes, 64, 40));
        assertNotNull(AuthorizerEventBytes.read(bytes, 64, 131_072));
    }

    @Test
    void headerNamesEqualButForCaseAreDeclined() throws IOException {
        for (ObjectNode seed : authorizerSamples()) {
            ObjectNode event = seed.deepCopy();
            if (!event.path("headers").isObject()) {
                continue;
            }
            ((ObjectNode) event.get("headers")).put("X-Twice", "a").put("x-twice", "b");
            assertNull(AuthorizerEventBytes.read(WRITER.writeValueAsBytes(event), 64, 131_072));
        }
    }

    /** The dispatcher gives an event the bytes reader takes to the request handler, any other to the tree handler. */
    @Test
    void theDispatcherAnswersTakenEventsFromTheirRequest() throws IOException {
        AtomicReference<String> route = new AtomicReference<>();
        EventDispatcher.AuthorizerHandler handler = new EventDispatcher.AuthorizerHandler() {
            @Override
            public EventDispatcher.Answer answer(JsonNode event) {
                route.set("tree");
                return EventDispatcher.Answer.of(JSON.objectNode().put("read", "tree"));
            }

            @Override
            public EventDispatcher.Answer answer(AuthorizerRequest request) {
                route.set("bytes " + request.format());
                return EventDispatcher.Answer.of(JSON.objectNode().put("read", "bytes"));
            }
        };
        EventDispatcher dispatcher = new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER, handler),
                new EventLimits(262_144, 64, 131_072));
        byte[] plain = Files.readAllBytes(Path.of("events/rest-request.json"));
        assertEquals(EventDispatcher.EventKind.AUTHORIZER, dispatcher.dispatch(plain).kind());
        assertEquals("bytes REST_REQUEST", route.get());
        // a header value as a number: declined by the bytes reader, read as a tree
        ObjectNode event = (ObjectNode) DEPLOYED.mapper().readTree(plain);
        ((ObjectNode) event.get("headers")).put("X-Number", 7);
        route.set(null);
        dispatcher.dispatch(WRITER.writeValueAsBytes(event));
        assertEquals("tree", route.get());
        // a repeated member: neither handler, the event is refused
        route.set(null);
        byte[] twice = new String(plain, StandardCharsets.UTF_8).replaceFirst("\"httpMethod\"",
                "\"httpMethod\": \"GET\", \"httpMethod\"").getBytes(StandardCharsets.UTF_8);
        assertEquals("InvalidInput", dispatcher.dispatch(twice).outcome());
        assertNull(route.get());
    }

    private static void assertRefused(byte[] bytes) {
        try {
            DEPLOYED.mapper().readTree(bytes);
            fail("the parser accepts the event");
        } catch (IOException expected) {
            // refused, as the bytes reader's decline assumes
        }
    }

    private static ObjectNode object(ObjectNode event, String path) {
        ObjectNode at = event;
        if (path.isEmpty()) {
            return at;
        }
        for (String part : path.split("/")) {
            JsonNode next = at.get(part);
            at = next != null && next.isObject() ? (ObjectNode) next : at.putObject(part);
        }
        return at;
    }

    // ---- tree mutations ----

    private static final List<String> PATHS = List.of("type", "version", "methodArn", "routeArn",
            "authorizationToken", "headers", "headers/Authorization", "headers/authorization", "headers/User-Agent",
            "headers/İd", "headers/i̇d", "headers/Ünï", "multiValueHeaders", "multiValueHeaders/User-Agent",
            "multiValueHeaders/user-agent", "multiValueHeaders/Authorization", "queryStringParameters",
            "queryStringParameters/a", "multiValueQueryStringParameters", "multiValueQueryStringParameters/a",
            "rawQueryString", "identitySource", "routeKey", "httpMethod", "resource", "requestContext",
            "requestContext/http", "requestContext/http/sourceIp", "requestContext/http/userAgent",
            "requestContext/timeEpoch", "requestContext/requestTimeEpoch", "requestContext/requestTime",
            "requestContext/requestId", "requestContext/eventType", "requestContext/identity",
            "requestContext/identity/sourceIp", "requestContext/identity/userAgent", "requestContext/identity/vpceId",
            "path", "pathParameters", "pathParameters/UserId", "stageVariables", "body", "requestContext/stage",
            "requestContext/identity/caller", "requestContext/http/method", "cookies", "SimulateCustomPolicy",
            "detail-type", "source");

    private static final List<String> TEXTS = List.of("TOKEN", "REQUEST", "2.0", "1.0", "CONNECT", "", "GET",
            "Bearer abc", "a=1&a=2&b=%41", "a=%zz", "a=1,2", "198.51.100.7", "vpce-0a1b", "12/Mar/2026:10:00:00 +0000",
            "1795860942123", "0", "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/GET/users/x/y",
            "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/$connect", "arn:aws:s3:::b/k",
            "GET /users/{id}", "$default", "null", "é\"\\/\t\n\u0001Ω😀\ud800", "x".repeat(45),
            // past RecentTexts' 64 characters: header values left in the bytes (DeferredText), or not (escaped,
            // non-ASCII, a control character)
            "Bearer " + "t".repeat(58), "Bearer " + "t".repeat(57), "Bearer " + "t".repeat(900),
            "y".repeat(66) + "é", "w".repeat(65) + "\"q\\", "v".repeat(70) + "\u0007");

    private static final List<String> NUMBER_LITERALS = List.of("2", "2.0", "2e0", "-0", "0.5", "1795860942123",
            "1795860942123.9", "2147483648", "999999999999999999", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999999", "1e400", "-1E-400", "1795860942123e-3");

    private static void mutate(ObjectNode event, SplittableRandom random) {
        String path = PATHS.get(random.nextInt(PATHS.size()));
        String[] parts = path.split("/");
        ObjectNode parent = AuthorizerEventPruningTest.parentOf(event, parts, random);
        if (parent == null) {
            return;
        }
        String name = parts[parts.length - 1];
        switch (random.nextInt(6)) {
            case 0 -> parent.remove(name);
            case 1 -> parent.set(random.nextBoolean() ? name.toUpperCase(Locale.ROOT) : "x" + random.nextInt(9),
                    value(random, 0));
            case 2 -> parent.set(name, stringsOrNulls(random)); // the shapes the multi-valued members take
            default -> parent.set(name, value(random, 0));
        }
    }

    private static JsonNode stringsOrNulls(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            ObjectNode o = JSON.objectNode();
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                o.set(random.nextBoolean() ? "a" : "A" + i, stringsOrNulls(random));
            }
            return o;
        }
        ArrayNode a = JSON.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(5) == 0) {
                a.addNull();
            } else {
                a.add(TEXTS.get(random.nextInt(TEXTS.size())));
            }
        }
        return a;
    }

    private static JsonNode value(SplittableRandom random, int depth) {
        return switch (random.nextInt(depth > 2 ? 6 : 9)) {
            case 0, 1, 2 -> JSON.textNode(TEXTS.get(random.nextInt(TEXTS.size())));
            case 3 -> random.nextBoolean()
                    ? JSON.textNode("@@number" + random.nextInt(NUMBER_LITERALS.size()) + "@@")
                    : JSON.numberNode(random.nextLong(0, 1_800_000_000_000L));
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
            default -> stringsOrNulls(random);
        };
    }

    private static byte[] withLiterals(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        for (int i = 0; i < NUMBER_LITERALS.size(); i++) {
            text = text.replace("\"@@number" + i + "@@\"", NUMBER_LITERALS.get(i));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ObjectNode> authorizerSamples() throws IOException {
        List<ObjectNode> seeds = new ArrayList<>();
        for (Path p : samples().toList()) {
            JsonNode n = DEPLOYED.mapper().readTree(Files.readAllBytes(p));
            if (AuthorizerEventReader.isAuthorizerEvent(n)) {
                seeds.add((ObjectNode) n);
            }
        }
        assertTrue(seeds.size() >= 6, "samples of every format");
        return seeds;
    }
}
