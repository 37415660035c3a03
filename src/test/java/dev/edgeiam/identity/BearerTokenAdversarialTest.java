package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.principal.MutableClock;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Token attacks not in {@link BearerTokenVerifierTest}: JSON that two parsers could read differently (duplicate
 * header parameters and claims, claims of the wrong JSON type) inside validly signed tokens, and a key substituted
 * under the configured {@code kid}. Tokens are built by hand so that the JSON is exactly as written.
 */
class BearerTokenAdversarialTest {

    private static final long NOW = BearerTokenVerifierTest.NOW.getEpochSecond();
    private static final String HEADER = "{\"alg\":\"RS256\",\"kid\":\"" + DevTokens.DEV_KID + "\"}";

    private final BearerTokenVerifier verifier = BearerTokenVerifier.fromSettings(BearerTokenVerifierTest.settings(),
            new MutableClock(BearerTokenVerifierTest.NOW));

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** RS256 over exactly these header and payload bytes with the committed development key. */
    static String signRaw(String header, String payload) throws Exception {
        String input = b64(header) + "." + b64(payload);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(DevTokens.devPrivateKey());
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    private static String claims(String extra) {
        return "{\"iss\":\"" + DevTokens.ISSUER + "\",\"sub\":\"user-1\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 3600)
                + extra + "}";
    }

    private Reason rejection(String token) {
        return assertThrows(CredentialRejectedException.class, () -> verifier.verify(token)).reason();
    }

    @Test
    void handSignedTokenIsAcceptedSoTheOthersProveSomething() throws Exception {
        assertEquals("user-1", verifier.verify(signRaw(HEADER, claims(",\"aud\":\"" + DevTokens.AUDIENCE + "\"")))
                .subject());
    }

    @Test
    void duplicateAlgorithmInTheHeaderIsRejected() throws Exception {
        String header = "{\"alg\":\"none\",\"kid\":\"" + DevTokens.DEV_KID + "\",\"alg\":\"RS256\"}";
        assertThrows(CredentialRejectedException.class, () -> verifier.verify(signRaw(header,
                claims(",\"aud\":\"" + DevTokens.AUDIENCE + "\""))));
        String reversed = "{\"alg\":\"RS256\",\"kid\":\"" + DevTokens.DEV_KID + "\",\"alg\":\"HS256\"}";
        assertThrows(CredentialRejectedException.class, () -> verifier.verify(signRaw(reversed,
                claims(",\"aud\":\"" + DevTokens.AUDIENCE + "\""))));
    }

    @Test
    void duplicateAudienceClaimIsRejected() throws Exception {
        // read as the first or the last member, this token would pass or fail: it must fail either way
        assertThrows(CredentialRejectedException.class, () -> verifier.verify(signRaw(HEADER,
                claims(",\"aud\":\"someone-else\",\"aud\":\"" + DevTokens.AUDIENCE + "\""))));
        assertThrows(CredentialRejectedException.class, () -> verifier.verify(signRaw(HEADER,
                claims(",\"aud\":\"" + DevTokens.AUDIENCE + "\",\"aud\":\"someone-else\""))));
    }

    @Test
    void duplicateExpiryClaimIsRejected() throws Exception {
        assertThrows(CredentialRejectedException.class, () -> verifier.verify(signRaw(HEADER,
                claims(",\"aud\":\"" + DevTokens.AUDIENCE + "\",\"exp\":" + (NOW - 10)))));
    }

    @Test
    void registeredClaimsOfTheWrongJsonTypeAreRejected() throws Exception {
        String aud = ",\"aud\":\"" + DevTokens.AUDIENCE + "\"";
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(signRaw(HEADER, "{\"iss\":\"" + DevTokens.ISSUER
                + "\",\"aud\":\"" + DevTokens.AUDIENCE + "\",\"exp\":\"" + (NOW + 3600) + "\"}")));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(signRaw(HEADER, claims(",\"aud\":42"))));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(signRaw(HEADER, claims(aud + ",\"nbf\":true"))));
        assertEquals(Reason.CREDENTIAL_REJECTED_WRONG_ISSUER, rejection(signRaw(HEADER, "{\"iss\":[\""
                + DevTokens.ISSUER
                + "\"]" + aud + ",\"exp\":" + (NOW + 3600) + "}")));
    }

    @Test
    void audienceArrayWithNonStringMembersIsRejected() throws Exception {
        assertThrows(CredentialRejectedException.class, () -> verifier.verify(signRaw(HEADER,
                claims(",\"aud\":[{\"a\":1},\"" + DevTokens.AUDIENCE + "\"]"))));
    }

    /**
     * SECURITY.md: the configured JWKS is the only source of keys — a token naming its own key ({@code jwk}), a key
     * URL ({@code jku}, {@code x5u}) or a certificate chain ({@code x5c}) is verified against the JWKS regardless.
     */
    @Test
    void keysAndKeyLocationsInTheTokenHeaderAreIgnored() {
        var attacker = DevTokens.rsaKey(DevTokens.DEV_KID);
        Map<String, Object> selfDescribing = Map.of(
                "jwk", attacker.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY),
                "jku", "https://attacker.example/jwks.json",
                "x5u", "https://attacker.example/cert.pem",
                "x5c", java.util.List.of("MIIBattacker"));
        for (Map.Entry<String, Object> header : selfDescribing.entrySet()) {
            String forged = DevTokens.sign(DevTokens.claims(BearerTokenVerifierTest.NOW, "user-1"),
                    attacker.getPrivateKey(), "RS256", DevTokens.DEV_KID, Map.of(header.getKey(), header.getValue()));
            assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SIGNATURE, rejection(forged), header.getKey());
            String noKid = DevTokens.sign(DevTokens.claims(BearerTokenVerifierTest.NOW, "user-1"),
                    attacker.getPrivateKey(), "RS256", null, Map.of(header.getKey(), header.getValue()));
            assertThrows(CredentialRejectedException.class, () -> verifier.verify(noKid), header.getKey()
                    + " without a kid");
            String genuine = DevTokens.sign(DevTokens.claims(BearerTokenVerifierTest.NOW, "user-1"),
                    DevTokens.devPrivateKey(), "RS256", DevTokens.DEV_KID, Map.of(header.getKey(), header.getValue()));
            assertEquals("user-1", assertDoesNotThrow(() -> verifier.verify(genuine)).subject(),
                    header.getKey() + " does not stop a token the JWKS verifies");
        }
    }

    @Test
    void anotherKeyUnderTheConfiguredKidIsRejected() {
        var other = DevTokens.rsaKey(DevTokens.DEV_KID);
        String token = DevTokens.sign(DevTokens.claims(BearerTokenVerifierTest.NOW, "user-1"), other.getPrivateKey(),
                "RS256", DevTokens.DEV_KID, Map.of());
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SIGNATURE, rejection(token));
    }

    @Test
    void signatureOverTheDecodedRatherThanTheEncodedPartsIsRejected() throws Exception {
        String good = signRaw(HEADER, claims(",\"aud\":\"" + DevTokens.AUDIENCE + "\""));
        String[] p = good.split("\\.");
        // same JSON, re-encoded with padding: a different signing input, so the signature no longer verifies
        String padded = Base64.getUrlEncoder().encodeToString(Base64.getUrlDecoder().decode(p[1]));
        if (!padded.equals(p[1])) {
            assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(p[0] + "." + padded + "." + p[2]));
        }
    }

    /**
     * The signature part of an RS256 token (256 bytes) ends in a base64url character with unused bits; a lenient
     * decoder would let several token strings carry one token (and defeat anything keyed on the token text, such as
     * API Gateway's result cache or the verified-credential cache). {@code BearerTokenVerifier} refuses any part
     * whose re-encoding differs from it (RFC 4648 §3.5).
     */
    @Test
    void nonCanonicalBase64UrlSignatureIsRejected() throws Exception {
        String good = signRaw(HEADER, claims(",\"aud\":\"" + DevTokens.AUDIENCE + "\""));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(good.charAt(good.length() - 1));
        String variant = good.substring(0, good.length() - 1) + alphabet.charAt(last ^ 1);
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(variant));
    }
}
