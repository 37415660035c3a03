package dev.edgeiam.lambda;

import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.identity.RoleInfo;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PrincipalPolicies;
import dev.edgeiam.principal.UnknownPrincipalException;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A role look-up of the identity stage that is in flight while an IAM change event invalidates the
 * {@link PolicySourceDirectory} must not be remembered after the invalidation: it read IAM before the change.
 */
class RoleLookUpInvalidationRaceTest {

    @Test
    void aLookUpThatBeganBeforeAnInvalidationIsNotServedAfterIt() throws Exception {
        SnapshotPolicySource snapshot = SnapshotPolicySource.fromJson(EdgeHarness.snapshot());
        AtomicBoolean deleted = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        PolicySource source = arn -> {
            if (deleted.get()) {
                throw new UnknownPrincipalException(arn, "no such role (deleted)");
            }
            PrincipalPolicies before = snapshot.load(arn);
            reading.countDown();
            try {
                assertTrue(answer.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return before;
        };
        PolicySourceDirectory directory = new PolicySourceDirectory(source, EdgeHarness.ACCOUNT,
                new dev.edgeiam.principal.MutableClock(EdgeHarness.NOW), Duration.ofMinutes(5));

        CompletableFuture<Optional<RoleInfo>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return directory.role(EdgeHarness.ROLE_ARN);
            } catch (dev.edgeiam.principal.PolicySourceException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(reading.await(10, TimeUnit.SECONDS));
        deleted.set(true);          // DeleteRole in IAM ...
        directory.invalidateAll();  // ... and its change event reaches RefreshHandler
        answer.countDown();
        assertTrue(inFlight.get(10, TimeUnit.SECONDS).isPresent(), "the look-up that read IAM before the change");

        assertEquals(Optional.empty(), directory.role(EdgeHarness.ROLE_ARN),
                "after the invalidation the deleted role must be looked up again, not served from before it");
    }
}
