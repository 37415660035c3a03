package dev.edgeiam.identity;

import org.jose4j.jwt.JwtClaims;

import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token whose signature, issuer, audience and times have been checked.
 *
 * @param claims    the verified claims
 * @param issuer    the {@code iss} (equal to the configured issuer)
 * @param audience  the configured audience the token was accepted for
 * @param subject   the {@code sub}, or null
 * @param issuedAt  the {@code iat}, or null when absent
 * @param expiresAt the {@code exp}
 */
public record VerifiedToken(JwtClaims claims, String issuer, String audience, String subject, Instant issuedAt,
                            Instant expiresAt) {

    public VerifiedToken {
        Objects.requireNonNull(claims);
        Objects.requireNonNull(issuer);
        Objects.requireNonNull(audience);
        Objects.requireNonNull(expiresAt);
    }

    /** A claim's raw value (String, Number, Boolean, List or Map, as parsed from JSON), or null. */
    public Object claim(String name) {
        return claims.getClaimValue(name);
    }
}
