package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The verification keys of the configured JWKS, cached for a TTL.
 *
 * <ul>
 * <li>Only public signing keys are kept: RSA (≥ 2,048 bits) and EC P-256, {@code use} absent or {@code sig},
 * {@code key_ops} absent or holding {@code verify} (RFC 7517 §4.3, https://www.rfc-editor.org/rfc/rfc7517#section-4.3:
 * "verify (verify digital signature or MAC)"; a key published for {@code encrypt} or {@code wrapKey} only is an
 * encryption key even without {@code use}, and a decryption oracle on it must not yield signatures).
 * Symmetric ({@code oct}) and private members are never used.</li>
 * <li>A document with more than {@code maxKeys} keys is refused (the previous keys stay in use).</li>
 * <li>An unknown {@code kid} triggers a refetch, but fetches (successful or not) are at least
 * {@code minRefreshInterval} apart: random {@code kid}s cannot make the authorizer hammer the IdP.</li>
 * <li>When a refetch fails the previous keys stay in use (an IdP outage does not lock everyone out) until a
 * fetch succeeds; with no keys at all the caller gets {@link IdentityUnavailableException}.</li>
 * </ul>
 * Thread-safe: readers see an immutable snapshot; one fetch at a time (no check-then-act between threads).
 */
public final class JwksCache {

    private static final Logger LOG = Logger.getLogger(JwksCache.class.getName());

    private record Snapshot(List<PublicJsonWebKey> keys, Instant fetchedAt) {
    }

    private final JwksFetcher fetcher;
    private final Clock clock;
    private final Duration ttl;
    private final Duration minRefreshInterval;
    private final int maxKeys;
    private final ReentrantLock fetchLock = new ReentrantLock();

    private volatile Snapshot snapshot;
    private volatile Instant lastAttempt;
    private volatile int fetchCount;

    public JwksCache(JwksFetcher fetcher, Clock clock, Duration ttl, Duration minRefreshInterval, int maxKeys) {
        this.fetcher = fetcher;
        this.clock = clock;
        this.ttl = ttl;
        this.minRefreshInterval = minRefreshInterval;
        this.maxKeys = maxKeys;
    }

    /** How many fetches were attempted (for tests and metrics). */
    public int fetchCount() {
        return fetchCount;
    }

    /**
     * The key to verify a token signed with {@code alg} under {@code kid} (null when the header has none: then
     * the only key fitting the algorithm, if exactly one).
     */
    public Key key(String kid, String alg) throws CredentialRejectedException, IdentityUnavailableException {
        Instant now = clock.instant();
        Snapshot s = snapshot;
        if (s == null || !now.isBefore(s.fetchedAt.plus(ttl))) {
            s = refresh(s, now);
        }
        Key k = find(s, kid, alg);
        if (k != null) {
            return k;
        }
        Snapshot again = refresh(s, now);
        if (again != s) {
            k = find(again, kid, alg);
            if (k != null) {
                return k;
            }
        }
        throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY,
                "no signing key in the JWKS matches the token's kid and algorithm");
    }

    /**
     * Fetches unless another thread did so since {@code seen} was read or the last attempt is younger than the
     * minimum interval. Returns the newest snapshot (possibly {@code seen} itself).
     */
    private Snapshot refresh(Snapshot seen, Instant now) throws IdentityUnavailableException {
        fetchLock.lock();
        try {
            Snapshot current = snapshot;
            if (current != seen) {
                return current;
            }
            Instant last = lastAttempt;
            if (last != null && now.isBefore(last.plus(minRefreshInterval))) {
                if (current == null) {
                    throw new IdentityUnavailableException("the JWKS could not be loaded (retry after the "
                            + "minimum refresh interval)");
                }
                return current;
            }
            lastAttempt = now;
            fetchCount++;
            try {
                List<PublicJsonWebKey> keys = parse(fetcher.fetch());
                Snapshot fresh = new Snapshot(keys, now);
                snapshot = fresh;
                return fresh;
            } catch (IOException | JoseException | RuntimeException e) {
                LOG.log(Level.WARNING, "JWKS refresh failed: {0}", e.getMessage());
                if (current == null) {
                    throw new IdentityUnavailableException("the JWKS could not be loaded", e);
                }
                return current;
            }
        } finally {
            fetchLock.unlock();
        }
    }

    private List<PublicJsonWebKey> parse(String json) throws JoseException {
        Map<String, Object> doc = JsonUtil.parseJson(json);
        Object keysMember = doc.get("keys");
        if (!(keysMember instanceof List<?> list)) {
            throw new JoseException("the JWKS document has no keys array");
        }
        if (list.size() > maxKeys) {
            throw new JoseException("the JWKS document has " + list.size() + " keys; at most " + maxKeys
                    + " are accepted");
        }
        List<PublicJsonWebKey> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) m;
            Object kty = params.get("kty");
            if (!"RSA".equals(kty) && !"EC".equals(kty)) {
                continue; // oct (symmetric) and unknown key types are never used
            }
            Object use = params.get("use");
            if (use != null && !"sig".equals(use)) {
                continue;
            }
            Object keyOps = params.get("key_ops");
            if (keyOps != null && !(keyOps instanceof List<?> ops && ops.contains("verify"))) {
                continue; // published for other operations (encrypt, wrapKey, ...), not to verify signatures
            }
            try {
                JsonWebKey jwk = JsonWebKey.Factory.newJwk(params);
                if (jwk instanceof RsaJsonWebKey rsa) {
                    if (rsa.getRsaPublicKey().getModulus().bitLength() < 2048) {
                        continue;
                    }
                    out.add(rsa);
                } else if (jwk instanceof EllipticCurveJsonWebKey ec
                        && EllipticCurves.P_256.equals(ec.getCurveName())) {
                    out.add(ec);
                }
            } catch (JoseException | RuntimeException e) {
                LOG.log(Level.FINE, "skipping an unreadable JWKS key: {0}", e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    private static Key find(Snapshot s, String kid, String alg) {
        Key only = null;
        int candidates = 0;
        for (PublicJsonWebKey jwk : s.keys) {
            if (!fits(jwk, alg)) {
                continue;
            }
            if (kid != null) {
                if (kid.equals(jwk.getKeyId())) {
                    return jwk.getPublicKey();
                }
            } else {
                only = jwk.getPublicKey();
                candidates++;
            }
        }
        return candidates == 1 ? only : null;
    }

    /** The key type must suit the algorithm, and a key that names an algorithm must name this one. */
    private static boolean fits(PublicJsonWebKey jwk, String alg) {
        String keyAlg = jwk.getAlgorithm();
        if (keyAlg != null && !keyAlg.equals(alg)) {
            return false;
        }
        return switch (alg) {
            case "RS256", "PS256" -> jwk.getPublicKey() instanceof RSAPublicKey;
            case "ES256" -> jwk instanceof EllipticCurveJsonWebKey;
            default -> false;
        };
    }
}
