package dev.edgeiam.authorize;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EdgeContextKeys#instanceIdOf} against the regular expression it replaced (kept here as the oracle):
 * random ARNs and near-ARNs built from the pieces that matter (colons, slashes, stars, line terminators, the literal
 * parts with one character off).
 */
class EdgeContextKeysInstanceIdTest {

    private static final Pattern ORACLE = Pattern.compile("^arn:[^:]+:connect:[^:]*:[^:]*:instance/([^/:*]+)(?:[/:]|$)");

    private static String oracle(String arn) {
        Matcher m = ORACLE.matcher(arn);
        return m.find() ? m.group(1) : null;
    }

    private static final List<String> PIECES = List.of("arn:", "aws", "aws-cn", ":", "connect:", "connect", "conect:",
            "us-east-1", "", "111122223333", "instance/", "instance", "Instance/", "a1b2", "x", "/", "*", "?", "\n",
            "\r\n", "\u2028", "agent/", "queue/q-1", ":", "::", "arn:aws:connect:");

    @Test
    void readsTheInstanceAsTheExpressionDid() {
        SplittableRandom random = new SplittableRandom(6L);
        int found = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder arn = new StringBuilder();
            if (random.nextInt(4) != 0) {
                arn.append("arn:").append(random.nextBoolean() ? "aws" : PIECES.get(random.nextInt(PIECES.size())))
                        .append(":connect:").append(random.nextBoolean() ? "us-east-1" : "")
                        .append(':').append(random.nextBoolean() ? "111122223333" : "").append(':');
                if (random.nextInt(3) != 0) {
                    arn.append("instance/");
                }
            }
            int pieces = random.nextInt(6);
            for (int p = 0; p < pieces; p++) {
                arn.append(PIECES.get(random.nextInt(PIECES.size())));
            }
            String text = arn.toString();
            String expected = oracle(text);
            assertEquals(expected, EdgeContextKeys.instanceIdOf(text), text);
            if (expected != null) {
                found++;
            }
        }
        assertTrue(found > 20_000, "instances found: " + found);
    }

    @Test
    void examples() {
        assertEquals("i-1", EdgeContextKeys.instanceIdOf("arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/a"));
        assertEquals("i-1", EdgeContextKeys.instanceIdOf("arn:aws:connect:us-east-1:111122223333:instance/i-1"));
        assertEquals(null, EdgeContextKeys.instanceIdOf("arn:aws:connect:us-east-1:111122223333:instance/*/agent/a"));
        assertEquals(null, EdgeContextKeys.instanceIdOf("arn:aws:connect:us-east-1:111122223333:instance/i*"));
        assertEquals(null, EdgeContextKeys.instanceIdOf("arn:aws:connect:us-east-1:111122223333:instance//a"));
        assertEquals(null, EdgeContextKeys.instanceIdOf("arn::connect:us-east-1:111122223333:instance/i-1"));
    }
}
