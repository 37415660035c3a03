package dev.edgeiam.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.fuzz.FuzzInputs;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

import static dev.edgeiam.identity.IdentityFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Correctly signed tokens (the TEST-ONLY development key in {@code src/test/resources/dev-keys/}) with arbitrary
 * claim values: the caller-identity stage answers {@link IdentityOutcome.Caller} or
 * {@link IdentityOutcome.Rejected} — never an exception (which API Gateway would turn into a 500), never
 * {@link IdentityOutcome.Unavailable}. Two parts:
 * <ul>
 * <li>{@link #numericDateCases}: {@code exp}, {@code iat} and {@code nbf} at and beyond the edges of what a
 * NumericDate can mean (data: {@code numeric-date-claims.json}, one dynamic test per case);</li>
 * <li>{@link #arbitraryClaimValuesNeverEscape}: a seeded generator replaces the registered and the
 * authorizer's own claims ({@code aud}, {@code sub}, role mapping, tags, session policy, federated user, ...)
 * with values of every JSON type and range; both web-identity and federated-user paths are configured.</li>
 * </ul>
 */
class SignedTokenClaimsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW_S = NOW.getEpochSecond();
    private static final String[] TIME_CLAIMS = {"exp", "iat", "nbf"};
    private static final String[] OTHER_CLAIMS = {"iss", "aud", "sub", "groups", "amr", "email", "session_policy",
            "federated_user", SessionTags.CLAIM, "role", "jti"};

    private final CallerIdentityResolver resolver = IdentityFixtures.resolver(IdentityFixtures.federationEnv());

    /** A valid web-identity payload: the agent role through the {@code groups} mapping. */
    private static Map<String, String> basePayload() {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("iss", quote(DevTokens.ISSUER));
        claims.put("aud", quote(DevTokens.AUDIENCE));
        claims.put("sub", quote("agent-7"));
        claims.put("groups", "[\"agents\"]");
        claims.put("iat", Long.toString(NOW_S));
        claims.put("exp", Long.toString(NOW_S + 3600));
        return claims;
    }

    private static String payload(Map<String, String> claims) {
        StringJoiner j = new StringJoiner(",", "{", "}");
        claims.forEach((k, v) -> j.add(quote(k) + ":" + v));
        return j.toString();
    }

    private IdentityOutcome resolveSafely(String payload) {
        String token = DevTokens.signPayload(payload);
        IdentityOutcome outcome;
        try {
            outcome = resolver.resolve(token);
        } catch (RuntimeException e) {
            throw new AssertionError("an exception escaped for payload " + payload, e);
        }
        if (outcome instanceof IdentityOutcome.Unavailable u) {
            fail("a signed token with odd claims is not a dependency failure: " + u.message() + " for " + payload);
        }
        if (outcome instanceof IdentityOutcome.Rejected r) {
            assertFalse(r.message().contains(token), "the message must not echo the token");
            // The resolver's last-resort catch answers UNPROCESSABLE: every claim value must meet a precise check.
            assertFalse(r.reason() == Reason.CREDENTIAL_REJECTED_UNPROCESSABLE, "no check anticipated payload "
                    + payload);
        }
        if (outcome instanceof IdentityOutcome.Caller c) {
            assertTrue(c.session().validAt(NOW), "an accepted session is valid now: " + payload);
        }
        return outcome;
    }

    @TestFactory
    List<DynamicTest> numericDateCases() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("numeric-date-claims.json")) {
            root = JSON.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> {
                Map<String, String> claims = basePayload();
                String claim = c.get("claim").asText();
                if (c.get("value").isNull()) {
                    claims.remove(claim);
                } else {
                    claims.put(claim, c.get("value").asText());
                }
                IdentityOutcome outcome = resolveSafely(payload(claims));
                String got = outcome instanceof IdentityOutcome.Rejected r ? "rejected:"
                        + r.reason().name().replace("CREDENTIAL_REJECTED_", "")
                        : outcome instanceof IdentityOutcome.Caller ? "caller" : outcome.toString();
                assertEquals(c.get("expect").asText(), got, c.get("id").asText());
            }));
        }
        return tests;
    }

    @Test
    void arbitraryClaimValuesNeverEscape() {
        Random r = new Random(FuzzInputs.SEED ^ 0x7E57C1A1L);
        int callers = 0;
        int rejected = 0;
        for (int i = 0; i < 1_000; i++) {
            Map<String, String> claims = basePayload();
            for (String name : TIME_CLAIMS) {
                if (r.nextInt(3) == 0) {
                    claims.put(name, r.nextInt(4) == 0 ? anyValue(r, 2) : number(r));
                }
            }
            for (String name : OTHER_CLAIMS) {
                if (r.nextInt(6) == 0) {
                    claims.put(name, anyValue(r, 3));
                }
            }
            if (r.nextInt(8) == 0) {
                claims.remove(pick(r, TIME_CLAIMS));
            }
            IdentityOutcome outcome = resolveSafely(payload(claims));
            if (outcome instanceof IdentityOutcome.Caller) {
                callers++;
            } else {
                rejected++;
            }
        }
        // The generator must reach both answers, or the property says little.
        assertTrue(callers > 30, "accepted tokens: " + callers);
        assertTrue(rejected > 200, "rejected tokens: " + rejected);
    }

    /** A JSON number text: near now, at the edges of long, double and Instant, fractional, huge, tiny. */
    private static String number(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> Long.toString(NOW_S + r.nextInt(7200) - 3600);
            case 1 -> (NOW_S + r.nextInt(7200) - 3600) + "." + r.nextInt(1000);
            case 2 -> Long.toString(r.nextLong());
            case 3 -> pick(r, new String[]{"9223372036854775807", "-9223372036854775808", "9223372036854775808",
                    "31556889864403199", "-31557014167219200", "253402300799", "253402300800", "0", "-0", "-0.0"});
            case 4 -> pick(r, new String[]{"1e30", "-1e30", "1e400", "-1e400", "1e308", "4.9e-324", "1E2", "2e9"});
            case 5 -> {
                StringBuilder b = new StringBuilder(r.nextBoolean() ? "-" : "");
                b.append(1 + r.nextInt(9));
                for (int d = r.nextInt(40); d > 0; d--) {
                    b.append(r.nextInt(10));
                }
                yield b.toString();
            }
            case 6 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 5) * (r.nextBoolean() ? 1 : -1));
            case 7 -> Long.toString(NOW_S + (long) r.nextInt(1_000_000) * (r.nextBoolean() ? 1 : -1));
            case 8 -> "-" + Long.toString(Math.abs((long) r.nextInt()));
            case 9 -> Long.toString(NOW_S + 3600) + "e0";
            case 10 -> "1772366400" + ".99999999999999999999";
            default -> Integer.toString(r.nextInt());
        };
    }

    /** Any JSON value text, nested to {@code depth}. */
    private static String anyValue(Random r, int depth) {
        int kind = r.nextInt(depth > 0 ? 9 : 6);
        return switch (kind) {
            case 0 -> number(r);
            case 1 -> "null";
            case 2 -> r.nextBoolean() ? "true" : "false";
            case 3 -> quote(string(r));
            case 4 -> quote(pick(r, new String[]{DevTokens.ISSUER, DevTokens.AUDIENCE, "agents", "carol", "mfa",
                    IdentityFixtures.AGENT_ARN, "Agent", "agent-1", "carol@example.com", "aws:x", ""}));
            case 5 -> quote(Long.toString(NOW_S + 600));
            case 6, 7 -> {
                StringJoiner j = new StringJoiner(",", "[", "]");
                for (int n = r.nextInt(4); n > 0; n--) {
                    j.add(anyValue(r, depth - 1));
                }
                yield j.toString();
            }
            default -> {
                StringJoiner j = new StringJoiner(",", "{", "}");
                for (int n = r.nextInt(4); n > 0; n--) {
                    String key = pick(r, new String[]{"principal_tags", "transitive_tag_keys", "Version",
                            "Statement", "team", string(r)});
                    j.add(quote(key) + ":" + anyValue(r, depth - 1));
                }
                yield j.toString();
            }
        };
    }

    private static String string(Random r) {
        StringBuilder b = new StringBuilder();
        String alphabet = "aZ09-_.:/=+@ \u00e9\u0000\u2028\"\\{}[]*?$";
        for (int n = r.nextInt(r.nextInt(10) == 0 ? 300 : 12); n > 0; n--) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}
