package dev.edgeiam.lambda;

import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.identity.RoleInfo;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalPolicies;
import dev.edgeiam.principal.UnknownPrincipalException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenth red-team pass: the generation checks added after pass 9 (put-then-check in {@link PolicySourceDirectory}
 * and {@code SessionPolicySets}).
 */
class RedteamPass10Test {

    /**
     * A clock whose reads on one thread, once armed, block at the {@code n}-th read until released: Caffeine reads
     * its ticker (the injected clock) on the writing thread before it inserts an entry and again in the maintenance
     * it runs inline after the insert ({@code executor(Runnable::run)}), so the second read holds the writer just
     * after its entry became visible to other threads.
     */
    static final class HoldingClock extends Clock {
        private final Instant now;
        volatile Thread armedOn;
        final AtomicInteger armedReads = new AtomicInteger();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        HoldingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            if (Thread.currentThread() == armedOn && armedReads.incrementAndGet() == 2) {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return now;
        }
    }

    // -- R10.1 (low): a role look-up from before an IAM change was visible between its put and its check ---------

    /**
     * {@link PolicySourceDirectory#invalidateAll()} bumps a generation; a look-up in flight across it puts its answer
     * and then checks the generation, removing the answer if it changed ("put, then check"). Between the put and the
     * check the answer read before the change is in the cache: a request that starts after the whole invalidation
     * (directory, verified credentials, caller views) finds the old role — its trust policy from before
     * {@code UpdateAssumeRolePolicy}, or a role since deleted — and its own verified credential, remembered in the new
     * generation, keeps that answer for the credential TTL (5 min). Only with requests decided concurrently with an
     * invalidation in one process (the {@code s3} view's background revalidation thread, or the library embedded in a
     * multi-threaded server; a Lambda instance decides one event at a time). Fixed: the check and the put are one
     * step under the lock {@code invalidateAll} takes, so an answer from before a change is never put after it.
     */
    @Test
    void aLookUpFromBeforeAnInvalidationIsNeverVisibleAfterIt() throws Exception {
        SnapshotPolicySource snapshot = SnapshotPolicySource.fromJson(EdgeHarness.snapshot());
        AtomicBoolean deleted = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        HoldingClock clock = new HoldingClock(EdgeHarness.NOW);
        AtomicReference<Thread> first = new AtomicReference<>();
        PolicySource source = arn -> {
            if (deleted.get()) {
                throw new UnknownPrincipalException(arn, "no such role (deleted)");
            }
            PrincipalPolicies before = snapshot.load(arn);
            if (first.compareAndSet(null, Thread.currentThread())) {
                reading.countDown();
                try {
                    assertTrue(answer.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                clock.armedOn = Thread.currentThread(); // hold it after its answer is in the cache
            }
            return before;
        };
        PolicySourceDirectory directory = new PolicySourceDirectory(source, EdgeHarness.ACCOUNT, clock,
                Duration.ofMinutes(5));

        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        CompletableFuture<Optional<RoleInfo>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return directory.role(EdgeHarness.ROLE_ARN);
            } catch (PolicySourceException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
        assertTrue(reading.await(10, TimeUnit.SECONDS));
        deleted.set(true);          // DeleteRole in IAM ...
        directory.invalidateAll();  // ... and the whole invalidation has run
        answer.countDown();
        // the look-up in flight is now either held just after its put, or finished
        CompletableFuture.anyOf(inFlight, CompletableFuture.runAsync(() -> {
            try {
                clock.held.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threads)).get(10, TimeUnit.SECONDS);
        Optional<RoleInfo> later;
        try {
            later = directory.role(EdgeHarness.ROLE_ARN); // a request that began after the invalidation
        } finally {
            clock.release.countDown();
        }
        assertTrue(inFlight.get(10, TimeUnit.SECONDS).isPresent(), "the look-up that read IAM before the change");
        assertEquals(Optional.empty(), later,
                "a request that began after the invalidation was answered with the role from before it");
        assertEquals(Optional.empty(), directory.role(EdgeHarness.ROLE_ARN));
        threads.shutdownNow();
    }

    // -- R10.2 (low): a credential TTL past the Instant range made every token decision an error ------------------

    /**
     * {@code AUTHORIZER_CACHE_CREDENTIAL_TTL} is not bounded (Caffeine accepts any non-negative duration and
     * saturates it); {@link VerifiedCredentials} added it to the decision time ({@code now.plus(bound)}), so a TTL
     * past {@link Instant#MAX} threw {@code DateTimeException} out of {@link GatewayAuthorizer#answer} on every
     * request with a verified credential — fail closed (the runtime reports an error, API Gateway answers 500), but
     * an exception to the runtime rather than an answer. Fixed: the entry's end is the session's expiry whenever the
     * bound reaches past it, computed without the sum.
     */
    @Test
    void aHugeCredentialTtlStillAnswers() {
        String allowAll = RedteamFindingsTest.policy(RedteamFindingsTest.statement("Allow", "connect:*", "*"));
        EdgeHarness events = new EdgeHarness(dev.edgeiam.authorize.CacheModel.NOT_CACHED, allowAll);
        dev.edgeiam.principal.MutableClock clock = new dev.edgeiam.principal.MutableClock(EdgeHarness.NOW);
        SnapshotPolicySource source = SnapshotPolicySource.fromJson(EdgeHarness.snapshot(allowAll));
        dev.edgeiam.principal.PrincipalCache principals = new dev.edgeiam.principal.PrincipalCache(source,
                dev.edgeiam.principal.PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        PolicySourceDirectory directory = new PolicySourceDirectory(source, EdgeHarness.ACCOUNT, clock,
                Duration.ofMinutes(5));
        dev.edgeiam.identity.CallerIdentityResolver identities = dev.edgeiam.identity.CallerIdentityResolver.create(
                dev.edgeiam.identity.DevTokens.identitySettings(), clock, directory, principals, null);
        GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null,
                        false, new dev.edgeiam.connect.ArnContext("aws", EdgeHarness.REGION, EdgeHarness.ACCOUNT),
                        dev.edgeiam.authorize.CacheModel.NOT_CACHED), identities, principals,
                dev.edgeiam.connect.RouteTable.defaultTable(), arn -> java.util.Map.of(), source::managedPolicyText,
                clock, new GatewayAuthorizer.Limits(Duration.ofSeconds(Long.MAX_VALUE / 2), 10_000, 1_000, 1_000));
        String token = events.token();
        for (int i = 0; i < 2; i++) { // verified, then remembered
            com.fasterxml.jackson.databind.JsonNode a = gateway.answer(events.restRequest(token, "DELETE",
                    RedteamPass8Test.USER_PATH, java.util.Map.of(), RedteamFindingsTest.IP)).response();
            assertEquals("allowed", a.path("context").path("reason").asText(), a.toString());
        }
        clock.advance(Duration.ofDays(2)); // past the token's expiry: the remembered credential is not served
        com.fasterxml.jackson.databind.JsonNode late = gateway.answer(events.restRequest(token, "DELETE",
                RedteamPass8Test.USER_PATH, java.util.Map.of(), RedteamFindingsTest.IP)).response();
        assertTrue(late.toString().contains("Unauthorized") || !"allowed".equals(
                late.path("context").path("reason").asText()), late.toString());
    }
}
