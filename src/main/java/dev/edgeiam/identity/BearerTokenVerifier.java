package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import org.jose4j.base64url.Base64Url;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.JoseException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies an OIDC / web-identity bearer token (a compact JWS, RFC 7515/7519) against the configured JWKS,
 * issuer and audiences. The checks, in order (each failure is its own {@link Reason}):
 * <ol>
 * <li>present; at most {@code maxTokenBytes}; three base64url parts (nothing else is accepted: no JWE, no
 * unsecured JWT);</li>
 * <li>the header is a JSON object whose {@code alg} is RS256, ES256 or PS256 — {@code none} and HS* (which
 * would make a public key an HMAC secret) are refused before any key is looked at; {@code crit} is refused;
 * {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} are ignored (keys come only from the configured
 * JWKS); the {@code kid} is only a lookup key, never a path or URL;</li>
 * <li>the signature verifies with the JWKS key for {@code kid} (one rate-limited refetch on an unknown
 * {@code kid}), checked by {@link JwsSignature};</li>
 * <li>{@code iss} equals the configured issuer; {@code aud} holds a configured audience; {@code exp} is
 * present and not past; {@code nbf} and {@code iat}, when present, are not in the future — all with the
 * configured clock skew and the injected clock. Each of the three is a JSON number between 1970 and 9999
 * ({@link #numericDate}); anything else is {@link Reason#CREDENTIAL_REJECTED_MALFORMED}.</li>
 * </ol>
 * Thread-safe.
 */
public final class BearerTokenVerifier {

    private static final Set<String> ALLOWED_ALGORITHMS = Set.of(AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA256);
    private static final int MAX_KID = 256;
    /** 9999-12-31T23:59:59Z: the last NumericDate accepted (four-digit years, as ISO 8601 dates are written). */
    static final BigDecimal MAX_NUMERIC_DATE = BigDecimal.valueOf(253_402_300_799L);

    private final JwksCache keys;
    private final String issuer;
    private final Set<String> audiences;
    private final Duration skew;
    private final int maxTokenBytes;
    private final Clock clock;

    public BearerTokenVerifier(JwksCache keys, String issuer, Set<String> audiences, Duration skew, int maxTokenBytes,
                               Clock clock) {
        this.keys = Objects.requireNonNull(keys);
        this.issuer = Objects.requireNonNull(issuer);
        this.audiences = Set.copyOf(audiences);
        if (this.audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience is required");
        }
        this.skew = skew;
        this.maxTokenBytes = maxTokenBytes;
        this.clock = clock;
    }

    /** A verifier for the settings' JWKS URL, issuer and audiences. */
    public static BearerTokenVerifier fromSettings(IdentitySettings s, Clock clock) {
        if (!s.bearerTokensEnabled()) {
            throw new IllegalArgumentException("AUTHORIZER_JWKS_URL, AUTHORIZER_ISSUER and AUTHORIZER_AUDIENCE "
                    + "are required for bearer tokens");
        }
        JwksCache cache = new JwksCache(JwksFetcher.forUrl(s.jwksUrl().get(), s.httpTimeout(), s.jwksMaxBytes()),
                clock, s.jwksTtl(), s.jwksMinRefreshInterval(), s.jwksMaxKeys());
        return new BearerTokenVerifier(cache, s.issuer().get(), s.audiences(), s.clockSkew(), s.maxTokenBytes(),
                clock);
    }

    /** RFC 4648 §3.5: the unused bits of the final character must be zero, so a part has exactly one spelling. */
    static boolean canonicalBase64Url(String part) {
        try {
            byte[] bytes = java.util.Base64.getUrlDecoder().decode(part);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public VerifiedToken verify(String token) throws CredentialRejectedException, IdentityUnavailableException {
        if (token == null || token.isEmpty()) {
            throw reject(Reason.CREDENTIAL_REJECTED_MISSING, "no bearer token");
        }
        if (token.length() > maxTokenBytes) {
            throw reject(Reason.CREDENTIAL_REJECTED_TOO_LARGE, "the bearer token is longer than " + maxTokenBytes
                    + " bytes");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED,
                    "the bearer token is not a compact JWS (three dot-separated parts)");
        }
        for (String p : parts) {
            if (!isBase64Url(p)) {
                throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the bearer token has characters outside base64url");
            }
            if (!canonicalBase64Url(p)) {
                // The unused low bits of the last character would let 4 or 16 spellings carry one token.
                throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the bearer token is not canonical base64url");
            }
        }
        Map<String, Object> header = json(parts[0], "header");
        Object alg = header.get("alg");
        if (!(alg instanceof String algName) || !ALLOWED_ALGORITHMS.contains(algName)) {
            throw reject(Reason.CREDENTIAL_REJECTED_ALGORITHM_NOT_ALLOWED,
                    "the token's algorithm is not one of RS256, ES256, PS256");
        }
        if (header.containsKey("crit")) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED,
                    "the token header has critical extensions, which are not supported");
        }
        String kid = null;
        Object kidValue = header.get("kid");
        if (kidValue != null) {
            if (!(kidValue instanceof String k) || k.isEmpty() || k.length() > MAX_KID || !printableAscii(k)) {
                throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the token's kid is not a short printable string");
            }
            kid = k;
        }
        if (parts[1].isEmpty() || parts[2].isEmpty()) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the token has an empty payload or signature");
        }
        Key key = keys.key(kid, algName);
        verifySignature(algName, parts, key);
        JwtClaims claims;
        try {
            claims = JwtClaims.parse(new String(Base64Url.decode(parts[1]), StandardCharsets.UTF_8));
        } catch (InvalidJwtException | RuntimeException e) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the token payload is not a JSON object");
        }
        return checkClaims(claims);
    }

    private void verifySignature(String algName, String[] parts, Key key) throws CredentialRejectedException {
        boolean verified;
        try {
            verified = JwsSignature.verify(algName, key, parts[0] + "." + parts[1],
                    java.util.Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw reject(Reason.CREDENTIAL_REJECTED_BAD_SIGNATURE, "the token signature could not be verified");
        }
        if (!verified) {
            throw reject(Reason.CREDENTIAL_REJECTED_BAD_SIGNATURE, "the token signature does not verify");
        }
    }

    private VerifiedToken checkClaims(JwtClaims claims) throws CredentialRejectedException {
        try {
            Instant now = clock.instant();
            if (!issuer.equals(claims.getClaimValue("iss"))) {
                throw reject(Reason.CREDENTIAL_REJECTED_WRONG_ISSUER,
                        "the token's issuer is not the configured issuer");
            }
            String audience = null;
            if (claims.hasAudience()) {
                for (String a : claims.getAudience()) {
                    // An array may hold null; the immutable audience set throws on contains(null).
                    if (a != null && audiences.contains(a)) {
                        audience = a;
                        break;
                    }
                }
            }
            if (audience == null) {
                throw reject(Reason.CREDENTIAL_REJECTED_WRONG_AUDIENCE,
                        "the token's audience is not a configured audience");
            }
            Instant expiresAt = numericDate(claims, "exp", RoundingMode.FLOOR);
            if (expiresAt == null) {
                throw reject(Reason.CREDENTIAL_REJECTED_EXPIRED, "the token has no expiration time (exp)");
            }
            if (!now.isBefore(expiresAt.plus(skew))) {
                throw reject(Reason.CREDENTIAL_REJECTED_EXPIRED, "the token has expired");
            }
            Instant notBefore = numericDate(claims, "nbf", RoundingMode.CEILING);
            if (notBefore != null && now.plus(skew).isBefore(notBefore)) {
                throw reject(Reason.CREDENTIAL_REJECTED_NOT_YET_VALID, "the token is not valid yet (nbf)");
            }
            Instant issuedAt = numericDate(claims, "iat", RoundingMode.CEILING);
            if (issuedAt != null && now.plus(skew).isBefore(issuedAt)) {
                throw reject(Reason.CREDENTIAL_REJECTED_NOT_YET_VALID, "the token was issued in the future (iat)");
            }
            Object sub = claims.getClaimValue("sub");
            return new VerifiedToken(claims, issuer, audience, sub instanceof String s ? s : null, issuedAt,
                    expiresAt);
        } catch (MalformedClaimException e) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "a registered claim has the wrong JSON type");
        }
    }

    /**
     * A NumericDate claim (RFC 7519 §2: seconds since 1970-01-01T00:00:00Z, possibly fractional): null when
     * absent; {@link Reason#CREDENTIAL_REJECTED_MALFORMED} unless it is a JSON number from 0 to {@link
     * #MAX_NUMERIC_DATE}
     * (9999-12-31T23:59:59Z) — a larger, negative or infinite value has no instant this verifier can compare or
     * carry into a session. A fraction is rounded the safe way: {@code exp} down, {@code nbf} and {@code iat} up.
     */
    static Instant numericDate(JwtClaims claims, String name, RoundingMode rounding)
            throws CredentialRejectedException {
        Object value = claims.getClaimValue(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number)) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the " + name + " claim is not a number");
        }
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(value.toString());
        } catch (NumberFormatException e) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the " + name + " claim is not a finite number");
        }
        if (seconds.signum() < 0 || seconds.compareTo(MAX_NUMERIC_DATE) > 0) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the " + name
                    + " claim is not a time between 1970 and 9999");
        }
        return Instant.ofEpochSecond(seconds.setScale(0, rounding).longValueExact());
    }

    private static Map<String, Object> json(String part, String what) throws CredentialRejectedException {
        try {
            return JsonUtil.parseJson(new String(Base64Url.decode(part), StandardCharsets.UTF_8));
        } catch (JoseException | RuntimeException e) {
            throw reject(Reason.CREDENTIAL_REJECTED_MALFORMED, "the token " + what + " is not a JSON object");
        }
    }

    private static boolean isBase64Url(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static CredentialRejectedException reject(Reason reason, String message) {
        return new CredentialRejectedException(reason, message);
    }

    /** For tests and logs: the algorithms accepted. */
    public static List<String> allowedAlgorithms() {
        return List.of("RS256", "ES256", "PS256");
    }
}
