package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.principal.MutableClock;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bearer-token verification against the committed development JWKS, read through a {@code file:} URL. */
class BearerTokenVerifierTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final BearerTokenVerifier verifier = BearerTokenVerifier.fromSettings(settings(), clock);

    static IdentitySettings settings() {
        return IdentitySettings.fromEnvironment(Map.of(
                "AUTHORIZER_JWKS_URL", DevTokens.devJwksUrl().toString(),
                "AUTHORIZER_ISSUER", DevTokens.ISSUER,
                "AUTHORIZER_AUDIENCE", DevTokens.AUDIENCE + ",second-audience"));
    }

    private Reason rejection(String token) {
        CredentialRejectedException e = assertThrows(CredentialRejectedException.class, () -> verifier.verify(token));
        if (token != null && token.length() > 8) {
            assertFalse(e.getMessage().contains(token), "the message must not echo the token");
        }
        return e.reason();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validTokenIsAccepted() throws Exception {
        JwtClaims claims = DevTokens.claims(NOW, "user-1");
        claims.setNotBefore(NumericDate.fromSeconds(NOW.getEpochSecond() - 5));
        VerifiedToken t = verifier.verify(DevTokens.sign(claims));
        assertEquals("user-1", t.subject());
        assertEquals(DevTokens.AUDIENCE, t.audience());
        assertEquals(NOW, t.issuedAt());
        assertEquals(NOW.plusSeconds(3600), t.expiresAt());
    }

    @Test
    void audienceArrayWithOneConfiguredAudienceIsAccepted() throws Exception {
        JwtClaims claims = DevTokens.claims(NOW, "user-1");
        claims.setAudience("someone-else", "second-audience");
        assertEquals("second-audience", verifier.verify(DevTokens.sign(claims)).audience());
    }

    @Test
    void missingToken() {
        assertEquals(Reason.CREDENTIAL_REJECTED_MISSING, rejection(""));
        assertEquals(Reason.CREDENTIAL_REJECTED_MISSING, assertThrows(CredentialRejectedException.class,
                () -> verifier.verify(null)).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE"})
    void algNoneIsRejected(String alg) {
        String payload = b64(DevTokens.claims(NOW, "user-1").toJson());
        assertEquals(Reason.CREDENTIAL_REJECTED_ALGORITHM_NOT_ALLOWED,
                rejection(b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + DevTokens.DEV_KID + "\"}") + "." + payload + "."));
        assertEquals(Reason.CREDENTIAL_REJECTED_ALGORITHM_NOT_ALLOWED,
                rejection(b64("{\"alg\":\"" + alg + "\"}") + "." + payload + ".c2ln"));
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRejected() throws Exception {
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) DevTokens.devPrivateKey();
        byte[] publicKeyBytes = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent())).getEncoded();
        for (String alg : List.of("HS256", "HS384", "HS512")) {
            String token = DevTokens.sign(DevTokens.claims(NOW, "user-1"), new HmacKey(publicKeyBytes), alg,
                    DevTokens.DEV_KID, Map.of());
            assertEquals(Reason.CREDENTIAL_REJECTED_ALGORITHM_NOT_ALLOWED, rejection(token), alg);
        }
    }

    @Test
    void otherAsymmetricAlgorithmsOutsideTheAllowListAreRejected() {
        String token = DevTokens.sign(DevTokens.claims(NOW, "u"), DevTokens.devPrivateKey(), "RS512",
                DevTokens.DEV_KID, Map.of());
        assertEquals(Reason.CREDENTIAL_REJECTED_ALGORITHM_NOT_ALLOWED, rejection(token));
    }

    @Test
    void expiredTokenIsRejectedAfterTheSkew() throws Exception {
        String token = DevTokens.sign(DevTokens.claims(NOW, "user-1"));
        clock.set(NOW.plusSeconds(3600 + 59));
        verifier.verify(token); // within the 60 s skew
        clock.set(NOW.plusSeconds(3600 + 60));
        assertEquals(Reason.CREDENTIAL_REJECTED_EXPIRED, rejection(token));
    }

    @Test
    void tokenWithoutExpIsRejected() {
        JwtClaims claims = DevTokens.claims(NOW, "user-1");
        claims.unsetClaim("exp");
        assertEquals(Reason.CREDENTIAL_REJECTED_EXPIRED, rejection(DevTokens.sign(claims)));
    }

    @Test
    void notBeforeInTheFutureIsRejected() throws Exception {
        JwtClaims claims = DevTokens.claims(NOW, "user-1");
        claims.setNotBefore(NumericDate.fromSeconds(NOW.getEpochSecond() + 300));
        assertEquals(Reason.CREDENTIAL_REJECTED_NOT_YET_VALID, rejection(DevTokens.sign(claims)));
        claims.setNotBefore(NumericDate.fromSeconds(NOW.getEpochSecond() + 30));
        verifier.verify(DevTokens.sign(claims)); // within the skew
    }

    @Test
    void issuedInTheFutureIsRejected() {
        JwtClaims claims = DevTokens.claims(NOW, "user-1");
        claims.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond() + 120));
        assertEquals(Reason.CREDENTIAL_REJECTED_NOT_YET_VALID, rejection(DevTokens.sign(claims)));
    }

    @Test
    void wrongIssuerIsRejected() {
        JwtClaims claims = DevTokens.claims(NOW, "user-1");
        claims.setIssuer("https://issuer.dev.edgeiam.test/"); // a trailing slash is another issuer
        assertEquals(Reason.CREDENTIAL_REJECTED_WRONG_ISSUER, rejection(DevTokens.sign(claims)));
        claims.unsetClaim("iss");
        assertEquals(Reason.CREDENTIAL_REJECTED_WRONG_ISSUER, rejection(DevTokens.sign(claims)));
    }

    @Test
    void wrongAudienceIsRejected() {
        JwtClaims claims = DevTokens.claims(NOW, "user-1");
        claims.setAudience("another-app");
        assertEquals(Reason.CREDENTIAL_REJECTED_WRONG_AUDIENCE, rejection(DevTokens.sign(claims)));
        claims.unsetClaim("aud");
        assertEquals(Reason.CREDENTIAL_REJECTED_WRONG_AUDIENCE, rejection(DevTokens.sign(claims)));
    }

    @Test
    void oversizedTokenIsRejectedBeforeParsing() {
        JwtClaims claims = DevTokens.claims(NOW, "user-1");
        claims.setClaim("padding", "x".repeat(8_000));
        String token = DevTokens.sign(claims);
        assertTrue(token.length() > 8_192);
        assertEquals(Reason.CREDENTIAL_REJECTED_TOO_LARGE, rejection(token));
    }

    @Test
    void truncatedSignatureIsRejected() {
        String token = DevTokens.sign(DevTokens.claims(NOW, "user-1"));
        // a cut that leaves a canonical base64url length fails the signature; any other cut is not canonical
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SIGNATURE, rejection(token.substring(0, token.length() - 12 - 2)));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(token.substring(0, token.length() - 12)));
    }

    @Test
    void tamperedPayloadIsRejected() {
        String token = DevTokens.sign(DevTokens.claims(NOW, "user-1"));
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + b64(DevTokens.claims(NOW, "admin").toJson()) + "." + parts[2];
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SIGNATURE, rejection(forged));
    }

    @Test
    void truncatedOrMalformedTokensAreRejected() {
        String token = DevTokens.sign(DevTokens.claims(NOW, "user-1"));
        String[] parts = token.split("\\.");
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(parts[0] + "." + parts[1]));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(parts[0] + "." + parts[1] + "."));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(token.substring(0, 20)));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(token + ".extra"));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(parts[0] + "." + parts[1] + "." + parts[2]
                + "=="));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(b64("not json") + "." + parts[1] + "."
                + parts[2]));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection("a.b.c d"));
    }

    @Test
    void criticalHeaderIsRejected() {
        String token = DevTokens.sign(DevTokens.claims(NOW, "user-1"), DevTokens.devPrivateKey(), "RS256",
                DevTokens.DEV_KID, Map.of("crit", List.of("exp"), "exp", 1));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejection(token));
    }

    @Test
    void keysEmbeddedInTheHeaderOrLinkedByJkuAreIgnored() {
        PublicJsonWebKey attacker = DevTokens.rsaKey("attacker");
        String token = DevTokens.sign(DevTokens.claims(NOW, "admin"), attacker.getPrivateKey(), "RS256",
                "attacker", Map.of("jku", "https://attacker.example/jwks.json",
                        "jwk", attacker.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
        assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, rejection(token));
        String reusingKid = DevTokens.sign(DevTokens.claims(NOW, "admin"), attacker.getPrivateKey(), "RS256",
                DevTokens.DEV_KID, Map.of());
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SIGNATURE, rejection(reusingKid));
    }

    @Test
    void kidPathTricksAreOnlyLookupKeys() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        String jwks = java.nio.file.Files.readString(java.nio.file.Path.of(DevTokens.devJwksUrl()));
        JwksCache cache = new JwksCache(() -> {
            fetches.incrementAndGet();
            return jwks;
        }, clock, Duration.ofMinutes(10), Duration.ofSeconds(30), 8);
        BearerTokenVerifier v = new BearerTokenVerifier(cache, DevTokens.ISSUER, java.util.Set.of(DevTokens.AUDIENCE),
                Duration.ofSeconds(60), 8192, clock);
        v.verify(DevTokens.sign(DevTokens.claims(NOW, "u"))); // loads the JWKS
        clock.advance(Duration.ofSeconds(31));
        for (String kid : List.of("../../etc/passwd", "/dev/null", "file:///etc/passwd",
                "https://attacker.example/k", "..%2f..%2fetc%2fpasswd")) {
            String token = DevTokens.sign(DevTokens.claims(NOW, "u"), DevTokens.devPrivateKey(), "RS256", kid,
                    Map.of());
            CredentialRejectedException e = assertThrows(CredentialRejectedException.class, () -> v.verify(token));
            assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, e.reason(), kid);
        }
        // the first unknown kid refetched once; the others within the minimum interval did not
        assertEquals(2, fetches.get());
        String control = DevTokens.sign(DevTokens.claims(NOW, "u"), DevTokens.devPrivateKey(), "RS256",
                "kid\nwith\u0000control", Map.of());
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, assertThrows(CredentialRejectedException.class,
                () -> v.verify(control)).reason());
    }

    @Test
    void tokenWithoutKidUsesTheOnlyFittingKey() throws Exception {
        String token = DevTokens.sign(DevTokens.claims(NOW, "user-1"), DevTokens.devPrivateKey(), "RS256", null,
                Map.of());
        assertEquals("user-1", verifier.verify(token).subject());
        String es = DevTokens.sign(DevTokens.claims(NOW, "user-1"), DevTokens.ecKey("x").getPrivateKey(), "ES256",
                null, Map.of());
        assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, rejection(es));
    }
}
