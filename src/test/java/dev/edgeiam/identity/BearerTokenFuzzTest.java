package dev.edgeiam.identity;

import dev.edgeiam.principal.MutableClock;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeiam.fuzz.ByteCursor;
import dev.edgeiam.fuzz.FuzzInputs;
import org.jose4j.base64url.Base64Url;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzes {@link BearerTokenVerifier#verify} against the committed development JWKS ({@code file:} URL, fixed
 * clock). It may only answer with a {@link VerifiedToken} or its documented {@link CredentialRejectedException} /
 * {@link IdentityUnavailableException}; any other exception is a failure. Two targets:
 * <ul>
 * <li>{@link #arbitraryTokenIsRejected}: any text (seeds: forged headers — {@code none}, HS256, {@code crit},
 * {@code jku}, embedded {@code jwk} — and broken shapes) is rejected;</li>
 * <li>{@link #mutatedTokenIsRejected}: a token validly signed with the development key, edited as the input bytes
 * say (characters replaced, inserted, deleted; header or payload swapped for attacker JSON; parts reordered), is
 * rejected — unless the edit left the signed text and the decoded signature bytes unchanged.</li>
 * </ul>
 */
class BearerTokenFuzzTest {

    private static final MutableClock CLOCK = new MutableClock(BearerTokenVerifierTest.NOW);
    private static final BearerTokenVerifier VERIFIER =
            BearerTokenVerifier.fromSettings(BearerTokenVerifierTest.settings(), CLOCK);
    static final String VALID = DevTokens.sign(DevTokens.claims(BearerTokenVerifierTest.NOW, "user-1"));

    private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String EDIT_CHARS = B64URL + ".=+/ \u0000\u00e9";
    private static final String[] HEADERS = {
            "{\"alg\":\"none\"}", "{\"alg\":\"HS256\",\"kid\":\"" + DevTokens.DEV_KID + "\"}",
            "{\"alg\":\"RS256\",\"kid\":\"" + DevTokens.DEV_KID + "\",\"crit\":[\"exp\"]}",
            "{\"alg\":\"RS256\",\"kid\":\"../../etc/passwd\"}", "{\"alg\":\"RS256\",\"jku\":\"https://evil.example/k\"}",
            "{\"alg\":\"RS256\",\"kid\":\"" + DevTokens.DEV_KID + "\",\"kid\":\"other\"}", "{\"alg\":\"RS256\"}",
            "{\"alg\":\"ES256\",\"kid\":\"" + DevTokens.DEV_KID + "\"}", "{\"alg\":[\"RS256\"]}", "[]", "null",
            "{\"alg\":\"RS256\",\"kid\":\"" + DevTokens.DEV_KID + "\"}", "{\"alg\":\"rs256\"}",
    };
    private static final String[] PAYLOADS = {
            "{\"iss\":\"" + DevTokens.ISSUER + "\",\"aud\":\"" + DevTokens.AUDIENCE + "\",\"sub\":\"admin\",\"exp\":9999999999}",
            "{\"iss\":\"" + DevTokens.ISSUER + "\",\"aud\":[\"x\",\"" + DevTokens.AUDIENCE + "\"],\"exp\":\"9999999999\"}",
            "{}", "[]", "{\"exp\":1e400}", "{\"iss\":null}",
    };

    private static VerifiedToken verify(String token) {
        try {
            return VERIFIER.verify(token);
        } catch (CredentialRejectedException e) {
            assertNotNull(e.reason());
            if (token.length() > 16) {
                assertTrue(!e.getMessage().contains(token), "the message must not echo the token");
            }
            return null;
        } catch (IdentityUnavailableException e) {
            return null;
        }
    }

    @FuzzTest(maxDuration = "20s")
    void arbitraryTokenIsRejected(byte[] data) {
        String token = new String(data, StandardCharsets.UTF_8);
        VerifiedToken t = verify(token);
        if (t != null) {
            assertEquivalentToValid(token);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void mutatedTokenIsRejected(byte[] data) {
        ByteCursor in = new ByteCursor(data);
        String token = VALID;
        for (int n = 1 + in.nextInt(3); n > 0; n--) {
            token = edit(in, token);
        }
        VerifiedToken t = verify(token);
        if (t != null) {
            assertEquivalentToValid(token);
        }
    }

    /** An accepted token must be the valid token: same signed text, same signature bytes. */
    private static void assertEquivalentToValid(String token) {
        String[] got = token.split("\\.", -1);
        String[] valid = VALID.split("\\.", -1);
        if (got.length != 3 || !got[0].equals(valid[0]) || !got[1].equals(valid[1])
                || !Arrays.equals(Base64Url.decode(got[2]), Base64Url.decode(valid[2]))) {
            fail("a forged or mutated token was accepted: " + token);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String edit(ByteCursor in, String token) {
        int at = token.isEmpty() ? 0 : in.nextInt(token.length());
        String[] parts = token.split("\\.", -1);
        return switch (in.nextInt(8)) {
            case 0 -> token.substring(0, at) + EDIT_CHARS.charAt(in.nextInt(EDIT_CHARS.length()))
                    + token.substring(Math.min(token.length(), at + 1));
            case 1 -> token.substring(0, at) + token.substring(Math.min(token.length(), at + 1));
            case 2 -> token.substring(0, at) + EDIT_CHARS.charAt(in.nextInt(EDIT_CHARS.length())) + token.substring(at);
            case 3 -> parts.length < 2 ? token : b64(in.pick(HEADERS)) + token.substring(parts[0].length());
            case 4 -> parts.length < 3 ? token : parts[0] + "." + b64(in.pick(PAYLOADS)) + "." + parts[2];
            case 5 -> parts.length < 3 ? token : parts[in.nextInt(3)] + "." + parts[in.nextInt(3)] + "." + parts[in.nextInt(3)];
            case 6 -> {
                char c = token.isEmpty() ? 'a' : token.charAt(at);
                char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                yield token.isEmpty() ? token : token.substring(0, at) + flipped + token.substring(at + 1);
            }
            default -> parts.length < 3 ? token : parts[0] + "." + parts[1] + "." + parts[2].substring(0,
                    in.nextInt(parts[2].length() + 1));
        };
    }

    @Test
    void theUnmutatedTokenIsAccepted() {
        VerifiedToken t = verify(VALID);
        assertNotNull(t, "the fixture token must verify, or the mutation target proves nothing");
        assertEquals("user-1", t.subject());
    }

    @Test
    void arbitraryTokenSeedsAndMutations() {
        FuzzInputs.runSeedsAndMutations(BearerTokenFuzzTest.class, "arbitraryTokenIsRejected", 1_500,
                this::arbitraryTokenIsRejected);
    }

    @Test
    void mutatedTokenSeedsAndMutations() {
        FuzzInputs.runSeedsAndMutations(BearerTokenFuzzTest.class, "mutatedTokenIsRejected", 1_500,
                this::mutatedTokenIsRejected);
    }
}
