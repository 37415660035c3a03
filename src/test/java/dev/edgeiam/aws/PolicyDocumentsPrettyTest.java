package dev.edgeiam.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PolicyDocuments#pretty} writes exactly what Jackson's default pretty printer writes (the text the snapshot
 * source gave the policy parser before, so every line:column in a policy error stays where it was): every AWS managed
 * policy, every document of the bundled sample snapshot, and random trees (nesting, empty containers, escapes and
 * non-ASCII text, integers past {@code long}, fractions and exponents, booleans, nulls).
 */
class PolicyDocumentsPrettyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static void assertSameText(JsonNode doc, String where) throws IOException {
        assertEquals(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc), PolicyDocuments.pretty(doc),
                where);
    }

    @Test
    void everyAwsManagedPolicyIsWrittenAsJacksonWritesIt() throws IOException {
        JsonNode policies = JSON.readTree(Path.of("src/test/resources/managed/aws-managed-policies.json").toFile())
                .get("policies");
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = policies.fields(); it.hasNext(); n++) {
            Map.Entry<String, JsonNode> p = it.next();
            assertSameText(p.getValue(), p.getKey());
        }
        assertTrue(n > 1_500, "policies: " + n);
    }

    @Test
    void everyDocumentOfTheSampleSnapshotIsWrittenAsJacksonWritesIt() throws IOException {
        JsonNode snapshot = JSON.readTree(Path.of("src/main/resources/snapshot/sample-account.json").toFile());
        int[] n = {0};
        visit(snapshot, (name, doc) -> {
            if (name.endsWith("PolicyDocument") || name.equals("Document")) {
                if (doc.isObject()) {
                    assertSameText(doc, name);
                    n[0]++;
                }
            }
        });
        assertTrue(n[0] > 5, "documents: " + n[0]);
    }

    @Test
    void randomTreesAreWrittenAsJacksonWritesThem() throws IOException {
        SplittableRandom r = new SplittableRandom(6_12_2026L);
        for (int i = 0; i < 3_000; i++) {
            assertSameText(randomObject(r, 0), "tree " + i);
        }
    }

    /**
     * Red-team pass 19: a literal past double's range reads as Infinity, which Jackson writes quoted; written bare the
     * policy text did not parse and the whole principal was refused (a Deny, not an Allow).
     */
    @Test
    void numbersPastDoublesRangeAreWrittenAsJacksonWritesThem() throws IOException {
        for (String literal : new String[]{"1e400", "-1E400", "2e308", "1.7976931348623159e308", "1e-400"}) {
            JsonNode doc = JSON.readTree("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                    + "\"Action\":\"connect:DeleteInstance\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":"
                    + "{\"aws:username\":" + literal + "}}}]}");
            assertSameText(doc, literal);
            dev.edgeiam.policy.PolicyParser.parse(PolicyDocuments.pretty(doc), dev.edgeiam.policy.PolicyType.INLINE_USER,
                    "p"); // parses, as Jackson's text did
        }
    }

    private interface Visitor {
        void member(String name, JsonNode value) throws IOException;
    }

    private static void visit(JsonNode node, Visitor v) throws IOException {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                v.member(m.getKey(), m.getValue());
                visit(m.getValue(), v);
            }
        } else if (node.isArray()) {
            for (JsonNode e : node) {
                visit(e, v);
            }
        }
    }

    private static final String[] TEXTS = {"", "connect:*", "a\"b\\c", "tab\there", "line\nbreak", "\u0001\u001f",
            "caf\u00e9 \u2028 \ud83d\ude00", "arn:aws:connect:*:*:instance/${aws:PrincipalTag/i}", "/slash/"};

    private static ObjectNode randomObject(SplittableRandom r, int depth) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (int k = r.nextInt(depth > 3 ? 2 : 5); k > 0; k--) {
            o.set(TEXTS[r.nextInt(TEXTS.length)] + k, randomValue(r, depth + 1));
        }
        return o;
    }

    private static JsonNode randomValue(SplittableRandom r, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (r.nextInt(depth > 4 ? 7 : 9)) {
            case 0 -> f.textNode(TEXTS[r.nextInt(TEXTS.length)]);
            case 1 -> f.numberNode(r.nextInt() >> r.nextInt(32));
            case 2 -> f.numberNode(r.nextLong());
            case 3 -> f.numberNode(new BigInteger(80, new java.util.Random(r.nextLong())));
            case 4 -> f.numberNode(r.nextBoolean() ? r.nextDouble() * Math.pow(10, r.nextInt(-12, 25))
                    : (double) r.nextInt(1000));
            case 5 -> f.booleanNode(r.nextBoolean());
            case 6 -> f.nullNode();
            case 7 -> {
                ArrayNode a = f.arrayNode();
                for (int k = r.nextInt(4); k > 0; k--) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
            default -> randomObject(r, depth);
        };
    }
}
