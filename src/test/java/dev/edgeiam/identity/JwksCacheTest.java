package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.principal.MutableClock;

import com.sun.net.httpserver.HttpServer;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JWKS served over HTTP by a JDK HttpServer on 127.0.0.1: refetch, rate limit, TTL, bounds, algorithms. */
class JwksCacheTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private final MutableClock clock = new MutableClock(NOW);
    private URI url;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private BearerTokenVerifier verifier(int maxKeys, int maxBytes) {
        JwksCache cache = new JwksCache(JwksFetcher.forUrl(url, Duration.ofSeconds(2), maxBytes), clock,
                Duration.ofMinutes(10), Duration.ofSeconds(30), maxKeys);
        return new BearerTokenVerifier(cache, DevTokens.ISSUER, Set.of(DevTokens.AUDIENCE), Duration.ofSeconds(60),
                8192, clock);
    }

    private static String token(PublicJsonWebKey key, String alg) {
        return DevTokens.sign(DevTokens.claims(NOW, "user-1"), key.getPrivateKey(), alg, key.getKeyId(), Map.of());
    }

    private static Reason reason(BearerTokenVerifier v, String token) {
        return assertThrows(CredentialRejectedException.class, () -> v.verify(token)).reason();
    }

    @Test
    void rs256Es256Ps256AreAccepted() throws Exception {
        PublicJsonWebKey rsa = DevTokens.rsaKey("rsa-1");
        PublicJsonWebKey ec = DevTokens.ecKey("ec-1");
        body.set(DevTokens.jwks(List.of(rsa, ec)));
        BearerTokenVerifier v = verifier(32, 65_536);
        v.verify(token(rsa, "RS256"));
        v.verify(token(rsa, "PS256"));
        v.verify(token(ec, "ES256"));
        // an RSA key is never used for ES256 (nor an EC key for RS256), whatever the kid says
        assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, reason(v, DevTokens.sign(DevTokens.claims(NOW, "u"),
                ec.getPrivateKey(), "ES256", "rsa-1", Map.of())));
        assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, reason(v, DevTokens.sign(DevTokens.claims(NOW, "u"),
                rsa.getPrivateKey(), "RS256", "ec-1", Map.of())));
        assertEquals(1, requests.get());
    }

    @Test
    void unknownKidRefetchesOnceThenRejects() throws Exception {
        PublicJsonWebKey first = DevTokens.rsaKey("k1");
        PublicJsonWebKey rotated = DevTokens.rsaKey("k2");
        body.set(DevTokens.jwks(List.of(first)));
        BearerTokenVerifier v = verifier(32, 65_536);
        v.verify(token(first, "RS256"));
        assertEquals(1, requests.get());

        clock.advance(Duration.ofSeconds(31));
        assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, reason(v, token(rotated, "RS256")));
        assertEquals(2, requests.get(), "one refetch for the unknown kid");
        // the IdP now publishes k2, but the previous refetch was less than 30 s ago: no new request
        body.set(DevTokens.jwks(List.of(first, rotated)));
        for (int i = 0; i < 20; i++) {
            assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, reason(v, DevTokens.sign(DevTokens.claims(NOW, "u"),
                    rotated.getPrivateKey(), "RS256", "random-" + i, Map.of())));
        }
        assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, reason(v, token(rotated, "RS256")));
        assertEquals(2, requests.get(), "unknown kids cannot force more fetches");

        clock.advance(Duration.ofSeconds(31));
        v.verify(token(rotated, "RS256"));
        assertEquals(3, requests.get());
        v.verify(token(first, "RS256"));
        assertEquals(3, requests.get());
    }

    @Test
    void ttlExpiryRefetchesAndAFailedRefetchKeepsTheOldKeys() throws Exception {
        PublicJsonWebKey key = DevTokens.rsaKey("k1");
        body.set(DevTokens.jwks(List.of(key)));
        BearerTokenVerifier v = verifier(32, 65_536);
        v.verify(token(key, "RS256"));
        clock.advance(Duration.ofMinutes(9));
        v.verify(token(key, "RS256"));
        assertEquals(1, requests.get());
        clock.advance(Duration.ofMinutes(2));
        status.set(503);
        v.verify(DevTokens.sign(DevTokens.claims(clock.instant(), "u"), key.getPrivateKey(), "RS256", "k1", Map.of()));
        assertEquals(2, requests.get());
    }

    @Test
    void unreachableJwksWithNoKeysIsUnavailable() {
        status.set(500);
        body.set("oops");
        BearerTokenVerifier v = verifier(32, 65_536);
        PublicJsonWebKey key = DevTokens.rsaKey("k1");
        assertThrows(IdentityUnavailableException.class, () -> v.verify(token(key, "RS256")));
        CallerIdentityResolver resolver = new CallerIdentityResolver(v, null, null, null);
        assertInstanceOf(IdentityOutcome.Unavailable.class, resolver.resolve("Bearer " + token(key, "RS256")));
    }

    @Test
    void tooManyKeysOrTooLargeADocumentIsRefused() {
        List<PublicJsonWebKey> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            keys.add(DevTokens.rsaKey("k" + i));
        }
        body.set(DevTokens.jwks(keys));
        assertThrows(IdentityUnavailableException.class, () -> verifier(4, 65_536).verify(token(keys.get(0), "RS256")));
        assertThrows(IdentityUnavailableException.class, () -> verifier(32, 1_000).verify(token(keys.get(0), "RS256")));
    }

    @Test
    void symmetricAndWeakKeysInTheJwksAreIgnored() throws Exception {
        PublicJsonWebKey weak = DevTokens.rsaKey("weak");
        org.jose4j.jwk.RsaJsonWebKey small = org.jose4j.jwk.RsaJwkGenerator.generateJwk(1024);
        small.setKeyId("small");
        String oct = "{\"kty\":\"oct\",\"kid\":\"hmac\",\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI\"}";
        String enc = "{\"kty\":\"RSA\",\"use\":\"enc\",\"kid\":\"weak\",\"n\":\""
                + weak.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY).get("n") + "\",\"e\":\"AQAB\"}";
        String smallJson = small.toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        body.set("{\"keys\":[" + oct + "," + enc + "," + smallJson + "]}");
        BearerTokenVerifier v = verifier(32, 65_536);
        assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, reason(v, token(weak, "RS256")));
        assertEquals(Reason.CREDENTIAL_REJECTED_UNKNOWN_KEY, reason(v, DevTokens.sign(DevTokens.claims(NOW, "u"),
                small.getPrivateKey(), "RS256", "small", Map.of())));
    }
}
