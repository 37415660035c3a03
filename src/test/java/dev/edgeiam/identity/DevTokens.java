package dev.edgeiam.identity;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * TEST ONLY: signs bearer tokens with the committed development key ({@code src/test/resources/dev-keys/}) or
 * with keys generated on the fly, and builds JWKS documents for them.
 */
public final class DevTokens {

    public static final String DEV_KID = "edgeiam-dev-test-only-1";
    public static final String ISSUER = "https://issuer.dev.edgeiam.test";
    public static final String AUDIENCE = "connect-authorizer-dev";

    private DevTokens() {
    }

    /** The committed JWKS as a {@code file:} URL. */
    public static URI devJwksUrl() {
        try {
            return DevTokens.class.getResource("/dev-keys/jwks.json").toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Identity settings that trust the development issuer (as run-local.sh and the packaged-function ITs do). */
    public static IdentitySettings identitySettings() {
        return IdentitySettings.fromEnvironment(java.util.Map.of(
                "AUTHORIZER_JWKS_URL", devJwksUrl().toString(),
                "AUTHORIZER_ISSUER", ISSUER,
                "AUTHORIZER_AUDIENCE", AUDIENCE));
    }

    /** The committed (public, test-only) private key. */
    public static PrivateKey devPrivateKey() {
        return DevKey.KEY;
    }

    /** Read once: property tests sign thousands of tokens. */
    private static final class DevKey {
        static final PrivateKey KEY = readDevPrivateKey();
    }

    private static PrivateKey readDevPrivateKey() {
        try (InputStream in = DevTokens.class.getResourceAsStream("/dev-keys/TEST-ONLY-dev-rsa-private.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims for a fresh token: iss, aud, sub, iat = now, exp = now + 1h. */
    public static JwtClaims claims(Instant now, String sub) {
        JwtClaims c = new JwtClaims();
        c.setIssuer(ISSUER);
        c.setAudience(AUDIENCE);
        c.setSubject(sub);
        c.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        c.setExpirationTime(NumericDate.fromSeconds(now.getEpochSecond() + 3600));
        return c;
    }

    /** Signs with the development key, RS256, kid {@link #DEV_KID}. */
    public static String sign(JwtClaims claims) {
        return sign(claims, devPrivateKey(), "RS256", DEV_KID, Map.of());
    }

    /**
     * Signs a payload given as raw JSON text with the development key (RS256, kid {@link #DEV_KID}), so tests can
     * send claim values {@link JwtClaims} would not write (huge or fractional numbers, wrong types).
     */
    public static String signPayload(String json) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(json);
        jws.setKey(devPrivateKey());
        jws.setAlgorithmHeaderValue("RS256");
        jws.setKeyIdHeaderValue(DEV_KID);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs with any key and algorithm; {@code kid} may be null; extra header parameters are added verbatim. */
    public static String sign(JwtClaims claims, java.security.Key key, String alg, String kid,
                              Map<String, Object> extraHeaders) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(alg);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        extraHeaders.forEach(jws::setHeader);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PublicJsonWebKey rsaKey(String kid) {
        try {
            PublicJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
            k.setKeyId(kid);
            k.setUse("sig");
            return k;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PublicJsonWebKey ecKey(String kid) {
        try {
            PublicJsonWebKey k = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            k.setKeyId(kid);
            k.setUse("sig");
            return k;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWKS document holding the public halves of the keys. */
    public static String jwks(List<? extends JsonWebKey> keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }
}
