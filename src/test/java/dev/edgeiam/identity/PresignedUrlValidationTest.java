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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Forged or stale presigned URLs are refused by their shape alone: STS is never called. */
class PresignedUrlValidationTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger calls = new AtomicInteger();
    private final PresignedStsAuthenticator sts = new PresignedStsAuthenticator(
            IdentitySettings.fromEnvironment(Map.of("AUTHORIZER_STS_ALLOWED_HOSTS", "sts.test.internal:8443")),
            request -> {
                calls.incrementAndGet();
                return new CallerIdentity("arn:aws:iam::123456789012:user/alice", "AIDAALICE", "123456789012");
            }, null, clock);
    private final CallerIdentityResolver resolver = new CallerIdentityResolver(null, null, null, sts);

    private static String valid() {
        return Presign.fake("https://sts.amazonaws.com", NOW, Duration.ofSeconds(60));
    }

    private Reason rejected(String url) {
        IdentityOutcome outcome = resolver.resolve(url);
        IdentityOutcome.Rejected r = assertInstanceOf(IdentityOutcome.Rejected.class, outcome);
        assertFalse(r.message().contains("X-Amz-Signature="), "no URL in messages");
        assertFalse(r.message().contains(url.substring(Math.max(0, url.length() - 64))), "no signature in messages");
        assertEquals(0, calls.get(), "no network call for a forged URL");
        return r.reason();
    }

    @Test
    void validUrlReachesStsOnceThenComesFromTheCache() {
        String url = valid();
        Session s = IdentityFixtures.session(resolver.resolve(url));
        assertEquals("arn:aws:iam::123456789012:user/alice", s.principalArn());
        assertEquals("alice", s.username());
        assertEquals(NOW.plusSeconds(60), s.expiresAt());
        IdentityFixtures.session(resolver.resolve(url));
        assertEquals(1, calls.get());
        String k8s = PresignedGetCallerIdentity.K8S_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(url.getBytes(StandardCharsets.UTF_8));
        IdentityFixtures.session(resolver.resolve(k8s));
        assertEquals(1, calls.get(), "the k8s-aws-v1 wrapping of the same URL is the same cache entry");
        Session regional = IdentityFixtures.session(resolver.resolve(
                Presign.fake("https://sts.eu-west-1.amazonaws.com", NOW, Duration.ofSeconds(900))));
        assertEquals(NOW.plusSeconds(900), regional.expiresAt());
        IdentityFixtures.session(resolver.resolve(Presign.fake("https://sts.test.internal:8443", NOW,
                Duration.ofSeconds(60))));
    }

    /**
     * Temporary credentials (an {@code ASIA} key with a session token) can expire before the URL does, and STS does
     * not say when: such a URL is checked with STS on every use, never answered from memory.
     */
    @Test
    void temporaryCredentialsAreAskedAboutEveryTime() {
        String url = Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1", "ASIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLESESSIONTOKEN", NOW,
                Duration.ofSeconds(900));
        for (int i = 1; i <= 3; i++) {
            Session s = IdentityFixtures.session(resolver.resolve(url));
            assertEquals(CredentialKind.PRESIGNED_STS_TEMPORARY, s.credential());
            assertFalse(s.expiryKnown());
            assertEquals(i, calls.get(), "STS asked on use " + i);
        }
        String longTerm = valid();
        IdentityFixtures.session(resolver.resolve(longTerm));
        IdentityFixtures.session(resolver.resolve(longTerm));
        assertEquals(4, calls.get(), "a long-term key's answer is remembered until the URL expires");
    }

    /**
     * SECURITY.md: federated-user sessions and the root user are refused when they arrive by presigned URL (STS's
     * answer names them; the function has no policies for them to decide with). The STS answer is stubbed: only the
     * ARN it names matters here.
     */
    @Test
    void federatedUserAndRootCallersAreRefused() {
        for (String arn : new String[]{"arn:aws:sts::123456789012:federated-user/carol",
                "arn:aws:iam::123456789012:root"}) {
            PresignedStsAuthenticator answering = new PresignedStsAuthenticator(IdentitySettings.fromEnvironment(
                    Map.of()), request -> new CallerIdentity(arn, "123456789012:carol", "123456789012"), null, clock);
            IdentityOutcome outcome = new CallerIdentityResolver(null, null, null, answering).resolve(valid());
            IdentityOutcome.Rejected r = assertInstanceOf(IdentityOutcome.Rejected.class, outcome, arn);
            assertEquals(Reason.CREDENTIAL_REJECTED_SESSION_TYPE_REFUSED, r.reason(), arn);
        }
    }

    @Test
    void foreignHostsAreRefused() {
        assertEquals(Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED,
                rejected(Presign.fake("https://sts.amazonaws.com.evil.example",
                NOW, Duration.ofSeconds(60))));
        assertEquals(Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED, rejected(Presign.fake("https://evil.example", NOW,
                Duration.ofSeconds(60))));
        assertEquals(Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED,
                rejected(Presign.fake("https://sts.amazonaws.com:8443", NOW,
                Duration.ofSeconds(60))));
        assertEquals(Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED, rejected(Presign.fake("https://sts.test.internal",
                NOW,
                Duration.ofSeconds(60))));
        assertEquals(Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED, rejected(Presign.fake("https://iam.amazonaws.com",
                NOW,
                Duration.ofSeconds(60))));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                rejected(valid().replace("https://sts.amazonaws.com",
                "https://sts.amazonaws.com@evil.example")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(valid().replace("https://",
                "http://")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(valid() + "#frag"));
    }

    @Test
    void expiredOrFutureDatedUrlsAreRefused() {
        String url = valid();
        clock.set(NOW.plusSeconds(60));
        assertEquals(Reason.CREDENTIAL_REJECTED_EXPIRED, rejected(url));
        clock.set(NOW.minusSeconds(61));
        assertEquals(Reason.CREDENTIAL_REJECTED_NOT_YET_VALID, rejected(url));
        clock.set(NOW);
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                rejected(Presign.fake("https://sts.amazonaws.com", NOW,
                Duration.ofSeconds(901))));
    }

    @Test
    void wrongRequestsAreRefused() {
        String url = valid();
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url.replace("X-Amz-SignedHeaders=host",
                "X-Amz-SignedHeaders=x-amz-date")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url.replace("Action=GetCallerIdentity",
                "Action=AssumeRole")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url.replace("Version=2011-06-15",
                "Version=2011-06-16")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url.replace("AWS4-HMAC-SHA256",
                "AWS4-ECDSA-P256-SHA256")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url.replace("sts.amazonaws.com/?",
                "sts.amazonaws.com/other?")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url + "&Action=GetCallerIdentity"));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url + "&RoleArn=x"));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                rejected(url.replaceAll("&X-Amz-Signature=[0-9a-f]+", "")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                rejected(url.replaceAll("X-Amz-Signature=[0-9a-f]+",
                "X-Amz-Signature=zz")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url.replace("%2Fsts%2F", "%2Fs3%2F")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, rejected(url.replace("%2F20260301%2F",
                "%2F20260302%2F")));
        assertEquals(Reason.CREDENTIAL_REJECTED_MALFORMED, rejected(PresignedGetCallerIdentity.K8S_PREFIX + "***"));
        assertEquals(Reason.CREDENTIAL_REJECTED_TOO_LARGE, rejected(url + "&X-Amz-Security-Token="
                + "A".repeat(9_000)));
        assertEquals(Reason.CREDENTIAL_REJECTED_MISSING, rejected("Bearer "));
    }

    @Test
    void toStringNeverShowsTheUrl() throws Exception {
        PresignedGetCallerIdentity p = PresignedGetCallerIdentity.parse(valid(), java.util.Set.of(), NOW,
                Duration.ofSeconds(60));
        assertFalse(p.toString().contains("Signature"));
        assertEquals("AKIAIOSFODNN7EXAMPLE", p.accessKeyId());
    }
}
