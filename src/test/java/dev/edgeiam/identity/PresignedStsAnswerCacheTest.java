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
 * STS's answer for a long-term access key's presigned URL is remembered until the URL expires, and
 * {@link PresignedStsAuthenticator#forgetAnswers()} (run after a SnapStart restore) makes the next request ask STS
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
}
