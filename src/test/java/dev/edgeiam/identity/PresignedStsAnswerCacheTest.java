package dev.edgeiam.identity;

import dev.edgeiam.principal.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.edgeiam.identity.IdentityFixtures.ACCOUNT;
import static dev.edgeiam.identity.IdentityFixtures.NOW;
import static dev.edgeiam.identity.IdentityFixtures.roles;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * STS's answer for a long-term access key's presigned URL is remembered until the URL expires or the
 * verified-credential TTL passes, whichever is first, and {@link PresignedStsAuthenticator#forgetAnswers()} (run after a SnapStart restore) makes the next request ask STS
 * again: a key deactivated since the snapshot must not keep verifying from memory.
 */
class PresignedStsAnswerCacheTest {

    private static final String USER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/ops/frank";

    @Test
    void answersAreRememberedUntilTheUrlExpiresAndForgottenOnRequest() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        AtomicInteger calls = new AtomicInteger();
        PresignedStsAuthenticator sts = new PresignedStsAuthenticator(IdentitySettings.fromEnvironment(Map.of()),
                request -> {
                    calls.incrementAndGet();
                    return new CallerIdentity(USER_ARN, "AIDAFRANKEXAMPLE", ACCOUNT);
                }, roles(), clock);
        String url = Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1", "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null, NOW, Duration.ofSeconds(300));

        sts.authenticate(url);
        sts.authenticate(url);
        assertEquals(1, calls.get(), "the second request is answered from memory");
        assertEquals(1, sts.cachedCount());

        sts.forgetAnswers();
        assertEquals(0, sts.cachedCount());
        sts.authenticate(url);
        assertEquals(2, calls.get(), "after forgetting, STS is asked again");
    }

    /**
     * An answer is remembered no longer than the verified-credential TTL, even for a URL valid for 15 minutes: a key
     * deactivated without an event reaching the instance (the {@code s3} source) is asked about again within it
     * (R11.3's residual).
     */
    @Test
    void anAnswerIsRememberedNoLongerThanTheTtlWhenTheUrlOutlivesIt() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        AtomicInteger calls = new AtomicInteger();
        PresignedStsAuthenticator sts = new PresignedStsAuthenticator(IdentitySettings.fromEnvironment(Map.of()),
                request -> {
                    calls.incrementAndGet();
                    return new CallerIdentity(USER_ARN, "AIDAFRANKEXAMPLE", ACCOUNT);
                }, roles(), clock, 100, Duration.ofSeconds(60));
        String url = Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1", "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null, NOW, Duration.ofSeconds(900));

        sts.authenticate(url);
        clock.advance(Duration.ofSeconds(59));
        sts.authenticate(url);
        assertEquals(1, calls.get(), "within the TTL: from memory");
        clock.advance(Duration.ofSeconds(2));
        sts.authenticate(url);
        assertEquals(2, calls.get(), "past the TTL, though the URL is valid for 14 more minutes: STS is asked again");
    }
}
