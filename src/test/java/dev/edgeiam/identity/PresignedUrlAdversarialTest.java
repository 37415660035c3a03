package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.principal.MutableClock;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Forged and replayed presigned {@code GetCallerIdentity} URLs not already in {@link PresignedUrlValidationTest}:
 * replay after expiry of a cached URL, parameter smuggling through percent-encoding, and host spellings that are
 * not the allowed endpoint. All are refused without calling STS (except where the replayed URL was valid once).
 */
class PresignedUrlAdversarialTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger calls = new AtomicInteger();
    private final PresignedStsAuthenticator sts = new PresignedStsAuthenticator(
            IdentitySettings.fromEnvironment(Map.of()),
            request -> {
                calls.incrementAndGet();
                return new CallerIdentity("arn:aws:iam::123456789012:user/alice", "AIDAALICE", "123456789012");
            }, null, clock);
    private final CallerIdentityResolver resolver = new CallerIdentityResolver(null, null, null, sts);

    private static String valid() {
        return Presign.fake("https://sts.amazonaws.com", NOW, Duration.ofSeconds(60));
    }

    private Reason rejected(String url) {
        IdentityOutcome.Rejected r = assertInstanceOf(IdentityOutcome.Rejected.class, resolver.resolve(url));
        return r.reason();
    }

    @Test
    void cachedUrlReplayedAfterItsExpiryIsRefused() {
        String url = valid();
        IdentityFixtures.session(resolver.resolve(url));
        assertEquals(1, calls.get());
        clock.set(NOW.plusSeconds(59));
        IdentityFixtures.session(resolver.resolve(url));
        clock.set(NOW.plusSeconds(60));
        assertEquals(Reason.CREDENTIAL_REJECTED_EXPIRED, rejected(url));
        clock.set(NOW.plus(Duration.ofDays(1)));
        assertEquals(Reason.CREDENTIAL_REJECTED_EXPIRED, rejected(url));
        assertEquals(1, calls.get(), "expiry is checked before the cache; STS is not asked again");
    }

    @Test
    void k8sWrappedReplayAfterExpiryIsRefused() {
        String url = valid();
        String k8s = PresignedGetCallerIdentity.K8S_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(url.getBytes(StandardCharsets.UTF_8));
        IdentityFixtures.session(resolver.resolve(k8s));
        clock.set(NOW.plusSeconds(61));
        assertEquals(Reason.CREDENTIAL_REJECTED_EXPIRED, rejected(k8s));
    }

    @Test
    void percentEncodedParameterNamesCannotSmuggleASecondAction() {
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(valid() + "&Act%69on=AssumeRole"));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(valid() + "&X-Amz-Signatur%65="
                + "0".repeat(64)));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                rejected(valid().replace("Action=GetCallerIdentity",
                "Action=GetCallerIdentity%26Action%3DAssumeRole")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(valid() + "&=x"));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(valid() + "&"));
        assertEquals(0, calls.get());
    }

    @Test
    void hostSpellingsOtherThanTheEndpointAreRefused() {
        String url = valid();
        for (String host : new String[] {"sts.amazonaws.com.", "sts.amazonaws.com%2eevil.example", "127.0.0.1",
                "[::1]", "localhost", "sts.amazonaws.com:80", "sts-amazonaws.com", "xsts.amazonaws.com"}) {
            Reason reason = rejected(url.replace("https://sts.amazonaws.com", "https://" + host));
            assertEquals(true,
                    reason == Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED
                    || reason == Reason.CREDENTIAL_REJECTED_MALFORMED
                    || reason == Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, host + ": " + reason);
        }
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejected(url.replace("https://sts.amazonaws.com",
                "https://evil.example\\@sts.amazonaws.com")));
        assertEquals(0, calls.get());
    }

    @Test
    void foreignHostInsideAK8sTokenIsRefused() {
        String evil = Presign.fake("https://evil.example", NOW, Duration.ofSeconds(60));
        assertEquals(Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED, rejected(PresignedGetCallerIdentity.K8S_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(evil.getBytes(StandardCharsets.UTF_8))));
        assertEquals(0, calls.get());
    }
}
