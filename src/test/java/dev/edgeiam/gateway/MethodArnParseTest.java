package dev.edgeiam.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link MethodArn#parse} finds the ARN's fields by position, as {@code split(":", 6)} would cut them: random ARNs
 * and damaged ones (colons added, dropped or doubled, fields emptied, the service changed) parse to the same record,
 * or fail with the same message, as a reference parser written here with {@code split}; and each parsed ARN gives its
 * own stage prefix and ARN text back, whatever was parsed before it on the thread. Property test.
 */
class MethodArnParseTest {

    private static final List<String> SEEDS = List.of(
            "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/GET/users/x/y",
            "arn:aws-cn:execute-api:cn-north-1:111122223333:a1/dev/$connect",
            "arn:aws:execute-api:eu-west-1:444455556666:api/stage/POST/a:b/c",
            "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/GET/",
            "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/$default");
    private static final String ALPHABET = "::/a-$:Ex";

    @Test
    void agreesWithASplittingReferenceParser() {
        SplittableRandom random = new SplittableRandom(4242);
        int parsed = 0;
        MethodArn previous = null;
        String previousText = null;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
            int edits = random.nextInt(4);
            for (int e = 0; e < edits && !b.isEmpty(); e++) {
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    default -> b.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            String arn = b.toString();
            Object expected = outcome(() -> reference(arn));
            Object actual = outcome(() -> MethodArn.parse(arn));
            assertEquals(expected, actual, arn);
            if (actual instanceof MethodArn m) {
                parsed++;
                String prefix = "arn:" + m.partition() + ":execute-api:" + m.region() + ":" + m.account() + ":"
                        + m.apiId() + "/" + m.stage();
                assertEquals(prefix, m.stagePrefix(), "the stage prefix of " + arn + " (its memo follows each ARN)");
                assertEquals(prefix + "/" + m.verb() + m.path(), m.arn());
                assertEquals(arn, m.arn(), "the ARN's text again");
                assertEquals(m.verb() + m.path(), m.verbAndPath());
                assertEquals(m, MethodArn.parse(new String(arn)), "an equal text that is another instance");
                assertEquals(arn, m.arn(), "no longer the thread's last parse");
                assertEquals(m.verb() + m.path(), m.verbAndPath());
                if (previous != null) {
                    // the previous parse reads its own text, not the memo's, after another ARN was parsed
                    assertEquals(previousText, previous.arn());
                    assertEquals(previous.verb() + previous.path(), previous.verbAndPath());
                }
                MethodArn again = MethodArn.parse(arn);
                assertEquals(m, again);
                assertEquals(arn, again.arn());
                assertEquals(new MethodArn(m.partition(), m.region(), m.account(), m.apiId(), m.stage(), m.verb(),
                        m.path()).arn(), arn, "the same fields given directly make the same text");
                previous = again;
                previousText = arn;
            }
        }
        assertEquals(true, parsed > 10_000, "valid ARNs among the cases: " + parsed);
    }

    private interface Parse {
        MethodArn parse();
    }

    private static Object outcome(Parse p) {
        try {
            return p.parse();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The parser as it was written before it took the fields by position: split, then the same rules. */
    private static MethodArn reference(String arn) {
        if (arn == null || arn.length() > 1600) {
            throw new IllegalArgumentException("methodArn is missing or longer than 1600 characters");
        }
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("execute-api") || parts[1].isEmpty()
                || parts[3].isEmpty() || parts[4].isEmpty()) {
            throw new IllegalArgumentException("not an execute-api ARN");
        }
        String rest = parts[5];
        int a = rest.indexOf('/');
        int b = a < 0 ? -1 : rest.indexOf('/', a + 1);
        if (a <= 0 || b <= a + 1) {
            throw new IllegalArgumentException("execute-api ARN lacks apiId/stage/verb");
        }
        String apiId = rest.substring(0, a);
        String stage = rest.substring(a + 1, b);
        String tail = rest.substring(b + 1);
        if (tail.equals("$connect") || tail.equals("$disconnect") || tail.equals("$default")) {
            return new MethodArn(parts[1], parts[3], parts[4], apiId, stage, tail, "");
        }
        int c = tail.indexOf('/');
        if (c <= 0) {
            throw new IllegalArgumentException("execute-api ARN lacks a path after the verb");
        }
        return new MethodArn(parts[1], parts[3], parts[4], apiId, stage, tail.substring(0, c), tail.substring(c));
    }
}
