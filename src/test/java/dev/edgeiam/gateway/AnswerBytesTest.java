package dev.edgeiam.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link AnswerBytes} writes the bytes Jackson's generator writes for the same calls, and so
 * {@link AuthorizerResponses} the answers it wrote with Jackson before: random text (every character class the
 * escaping distinguishes — controls with and without a short escape, quote, backslash, DEL, two- and three-byte
 * UTF-8, paired and lone surrogates, text long enough to grow the buffer) in random nesting, compared byte for
 * byte with Jackson 2.21's {@code UTF8JsonGenerator}; and random policies and contexts through both writers.
 */
class AnswerBytesTest {

    private static final JsonFactory JACKSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Characters of every class the escaping treats differently. */
    private static final char[] INTERESTING = {
        0x00, 0x01, '\b', '\t', '\n', 0x0B, '\f', '\r', 0x1F, ' ', '"', '\\', '/', '~', 0x7F, 0x80, 0xE9, 0x7FF,
        0x800, 0x2028, 0xFFFD, 0xFFFF, 0xD800, 0xD83D, 0xDBFF, 0xDC00, 0xDE00, 0xDFFF, 'a', 'Z', '0', ':', '*'
    };

    static String randomText(SplittableRandom r) {
        int n = switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 900 + r.nextInt(2_500); // past the initial buffer and across its growth
            default -> r.nextInt(40);
        };
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(6)) {
                case 0 -> sb.append(INTERESTING[r.nextInt(INTERESTING.length)]);
                case 1 -> sb.append((char) r.nextInt(0x10000));
                case 2 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // a surrogate pair
                default -> sb.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    /** The same random calls on both writers. */
    private interface Both {
        void startObject() throws IOException;
        void endObject() throws IOException;
        void startArray() throws IOException;
        void endArray() throws IOException;
        void name(String n) throws IOException;
        void string(String s) throws IOException;
        void number(long v) throws IOException;
        void bool(boolean b) throws IOException;
    }

    static void randomValue(SplittableRandom r, Both w, int depth) throws IOException {
        int kind = depth > 4 ? 2 + r.nextInt(4) : r.nextInt(6);
        switch (kind) {
            case 0 -> {
                w.startObject();
                for (int i = r.nextInt(5); i > 0; i--) {
                    w.name(randomText(r));
                    randomValue(r, w, depth + 1);
                }
                w.endObject();
            }
            case 1 -> {
                w.startArray();
                for (int i = r.nextInt(5); i > 0; i--) {
                    randomValue(r, w, depth + 1);
                }
                w.endArray();
            }
            case 2 -> w.string(r.nextInt(50) == 0 ? null : randomText(r));
            case 3 -> w.number(switch (r.nextInt(4)) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> r.nextInt();
                default -> r.nextLong();
            });
            case 4 -> w.bool(r.nextBoolean());
            default -> w.string(randomText(r));
        }
    }

    static byte[] jackson(long seed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeStartObject();
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = r.nextInt(6); i > 0; i--) {
                g.writeFieldName(randomText(r));
                randomValue(r, new Both() {
                    public void startObject() throws IOException { g.writeStartObject(); }
                    public void endObject() throws IOException { g.writeEndObject(); }
                    public void startArray() throws IOException { g.writeStartArray(); }
                    public void endArray() throws IOException { g.writeEndArray(); }
                    public void name(String n) throws IOException { g.writeFieldName(n); }
                    public void string(String s) throws IOException { g.writeString(s); }
                    public void number(long v) throws IOException { g.writeNumber(v); }
                    public void bool(boolean b) throws IOException { g.writeBoolean(b); }
                }, 0);
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static byte[] ours(AnswerBytes w, long seed) throws IOException {
        w.reset().startObject();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = r.nextInt(6); i > 0; i--) {
            w.name(randomText(r));
            randomValue(r, new Both() {
                public void startObject() { w.startObject(); }
                public void endObject() { w.endObject(); }
                public void startArray() { w.startArray(); }
                public void endArray() { w.endArray(); }
                public void name(String n) { w.name(n); }
                public void string(String s) { w.string(s); }
                public void number(long v) { w.number(v); }
                public void bool(boolean b) { w.bool(b); }
            }, 0);
        }
        return w.endObject().lend().bytes();
    }

    @Test
    void writesTheBytesJacksonWritesForRandomDocuments() throws IOException {
        AnswerBytes reused = new AnswerBytes(); // one writer for all, as one thread reuses it
        for (long seed = 0; seed < 6_000; seed++) {
            byte[] expected = jackson(seed);
            byte[] actual = ours(reused, seed);
            if (!java.util.Arrays.equals(expected, actual)) {
                assertEquals(new String(expected, StandardCharsets.ISO_8859_1),
                        new String(actual, StandardCharsets.ISO_8859_1), "seed " + seed);
            }
        }
    }

    @Test
    void escapesAsJacksonDoesCharacterByCharacter() throws IOException {
        AnswerBytes w = new AnswerBytes();
        for (int c = 0; c < 0x10000; c++) {
            String s = "a" + (char) c + "b";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JACKSON.createGenerator(out)) {
                g.writeStartArray();
                g.writeString(s);
                g.writeEndArray();
            }
            byte[] ours = w.reset().startArray().string(s).endArray().lend().bytes();
            assertArrayEquals(out.toByteArray(), ours, "U+" + Integer.toHexString(c));
        }
    }

    /**
     * The writer remembers the bytes of strings it wrote before, by identity: the same instances written again and
     * again (as an answer's constant and per-caller strings are), interleaved with new strings of equal and of other
     * content and with strings too long to keep, still give Jackson's bytes every time.
     */
    @Test
    void stringsWrittenAgainGiveTheSameBytesAsTheFirstTime() throws IOException {
        SplittableRandom r = new SplittableRandom(15_10L);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String t = randomText(r);
            pool.add(r.nextInt(5) == 0 ? t + "x".repeat(300) : t); // some longer than the remembered limit
        }
        AnswerBytes w = new AnswerBytes();
        for (int doc = 0; doc < 3_000; doc++) {
            List<String> strings = new ArrayList<>();
            for (int k = r.nextInt(12); k > 0; k--) {
                String t = pool.get(r.nextInt(pool.size()));
                strings.add(r.nextInt(4) == 0 ? new String(t) : t); // equal content, another instance
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = JACKSON.createGenerator(out)) {
                g.writeStartArray();
                for (String t : strings) {
                    g.writeString(t);
                }
                g.writeEndArray();
            }
            w.reset().startArray();
            strings.forEach(w::string);
            assertArrayEquals(out.toByteArray(), w.endArray().lend().bytes(), "document " + doc);
        }
    }

    @Test
    void anUnfinishedDocumentIsRefusedAndTheWriterStartsCleanAfterwards() {
        AnswerBytes w = new AnswerBytes();
        w.startObject().name("a").startArray();
        assertThrows(IllegalStateException.class, w::lend);
        assertEquals("{\"b\":true}", new String(w.startObject().name("b").bool(true).endObject().lend().bytes(),
                StandardCharsets.UTF_8));
        assertThrows(IllegalStateException.class, () -> new AnswerBytes().endObject());
    }

    /** The Jackson writer AuthorizerResponses used before (the oracle). */
    static byte[] jacksonPolicy(String principalId, GatewayPolicy policy, Map<String, String> context)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("principalId", principalId);
            g.writeObjectFieldStart("policyDocument");
            g.writeStringField("Version", "2012-10-17");
            g.writeArrayFieldStart("Statement");
            if (!policy.allow().isEmpty()) {
                jacksonStatement(g, "Allow", policy.allow());
            }
            if (!policy.deny().isEmpty() || policy.allow().isEmpty()) {
                jacksonStatement(g, "Deny", policy.deny().isEmpty() ? List.of("*") : policy.deny());
            }
            g.writeEndArray();
            g.writeEndObject();
            jacksonContext(g, context);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static byte[] jacksonSimple(boolean authorized, Map<String, String> context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeBooleanField("isAuthorized", authorized);
            jacksonContext(g, context);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void jacksonStatement(JsonGenerator g, String effect, List<String> resources) throws IOException {
        g.writeStartObject();
        g.writeStringField("Effect", effect);
        g.writeStringField("Action", "execute-api:Invoke");
        if (resources.size() == 1) {
            g.writeStringField("Resource", resources.get(0));
        } else {
            g.writeArrayFieldStart("Resource");
            for (String r : resources) {
                g.writeString(r);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void jacksonContext(JsonGenerator g, Map<String, String> values) throws IOException {
        g.writeObjectFieldStart("context");
        for (Map.Entry<String, String> e : values.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** Ten random values, a null (left out) now and then. */
    static AnswerContext randomContext(SplittableRandom r) {
        String[] v = new String[10];
        for (int k = 0; k < v.length; k++) {
            v[k] = r.nextInt(5) == 0 ? null : randomText(r);
        }
        return new AnswerContext(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    @Test
    void authorizerAnswersAreTheBytesTheJacksonWriterWrote() throws IOException {
        SplittableRandom r = new SplittableRandom(15_3L);
        for (int i = 0; i < 3_000; i++) {
            List<String> allow = new ArrayList<>();
            List<String> deny = new ArrayList<>();
            for (int k = r.nextInt(4); k > 0; k--) {
                allow.add(randomText(r));
            }
            for (int k = r.nextInt(3); k > 0; k--) {
                deny.add(randomText(r));
            }
            GatewayPolicy policy = new GatewayPolicy(allow, deny, GatewayPolicy.Scope.REQUEST, "", List.of());
            AnswerContext context = randomContext(r);
            String principal = r.nextInt(40) == 0 ? null : randomText(r);
            assertArrayEquals(jacksonPolicy(principal, policy, context.asMap()),
                    AuthorizerResponses.policy(principal, policy, context).bytes(), "policy " + i);
            boolean authorized = r.nextBoolean();
            assertArrayEquals(jacksonSimple(authorized, context.asMap()),
                    AuthorizerResponses.simple(authorized, context).bytes(), "simple " + i);
        }
    }

    @Test
    void theSampleAnswerReadsBackAsWritten() throws IOException {
        AnswerContext context = new AnswerContext("Allow", "allowed", "allowed", "connect:DescribeUser", "", "p", "",
                "", null, "REQUEST");
        byte[] json = AuthorizerResponses.policy("arn:aws:sts::111122223333:assumed-role/R/s",
                new GatewayPolicy(List.of("arn:aws:execute-api:us-east-1:111122223333:api/prod/GET/users"), List.of(),
                        GatewayPolicy.Scope.REQUEST, "", List.of()), context).bytes();
        JsonNode back = MAPPER.readTree(json);
        assertEquals("{\"principalId\":\"arn:aws:sts::111122223333:assumed-role/R/s\",\"policyDocument\":"
                + "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\","
                + "\"Resource\":\"arn:aws:execute-api:us-east-1:111122223333:api/prod/GET/users\"}]},"
                + "\"context\":{\"decision\":\"Allow\",\"reason\":\"allowed\",\"category\":\"allowed\","
                + "\"action\":\"connect:DescribeUser\",\"resource\":\"\",\"principalArn\":\"p\",\"sid\":\"\",\"policyId\":\"\","
                + "\"cacheScope\":\"REQUEST\"}}", new String(json, StandardCharsets.UTF_8));
        assertEquals("REQUEST", back.at("/context/cacheScope").asText());
        assertFalse(back.path("context").has("principalType"), "a null member is left out");
    }
}
