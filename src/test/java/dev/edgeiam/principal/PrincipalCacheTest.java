package dev.edgeiam.principal;

import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.policy.PolicyType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrincipalCacheTest {

    static final String ACCOUNT = "111122223333";
    static final String SHARED = "arn:aws:iam::" + ACCOUNT + ":policy/Shared";
    static final String OTHER = "arn:aws:iam::" + ACCOUNT + ":policy/Other";
    static final String ALLOW_DESCRIBE = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:Describe*", "Resource": "*"}]}""";

    static String user(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":user/" + name;
    }

    /** A source the test scripts: what each ARN answers, how often it was asked, optional gate. */
    static final class ScriptedSource implements PolicySource {
        final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
        final Map<String, String> policyOf = new ConcurrentHashMap<>();
        final Map<String, String> documentOf = new ConcurrentHashMap<>();
        final AtomicReference<RuntimeException> failNext = new AtomicReference<>();
        volatile CountDownLatch gate;
        volatile CountDownLatch entered;

        ScriptedSource with(String arn, String policyArn) {
            policyOf.put(arn, policyArn);
            return this;
        }

        int loads(String arn) {
            AtomicInteger n = loads.get(arn);
            return n == null ? 0 : n.get();
        }

        @Override
        public PrincipalPolicies load(String principalArn) throws PolicySourceException {
            loads.computeIfAbsent(principalArn, k -> new AtomicInteger()).incrementAndGet();
            if (entered != null) {
                entered.countDown();
            }
            if (gate != null) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            RuntimeException fail = failNext.getAndSet(null);
            if (fail != null) {
                throw new PolicySourceException("scripted failure", fail);
            }
            String policy = policyOf.get(principalArn);
            if (policy == null) {
                throw new UnknownPrincipalException(principalArn, "no such user");
            }
            String name = principalArn.substring(principalArn.lastIndexOf('/') + 1);
            Principal p = Principal.user(principalArn, ACCOUNT, name, "/", "AIDA" + name.toUpperCase(),
                    Map.of("team", "agents"));
            NamedPolicy managed = new NamedPolicy(policy, policy.substring(policy.lastIndexOf('/') + 1),
                    PolicyType.MANAGED, "v1", documentOf.getOrDefault(policy, ALLOW_DESCRIBE));
            return new PrincipalPolicies(p, List.of(managed), null, null);
        }
    }

    /** Runs background refreshes only when the test says so. */
    static final class ManualExecutor implements java.util.concurrent.Executor {
        final Queue<Runnable> queued = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable command) {
            queued.add(command);
        }

        synchronized int runAll() {
            int n = 0;
            Runnable r;
            while ((r = queued.poll()) != null) {
                r.run();
                n++;
            }
            return n;
        }
    }

    final MutableClock clock = new MutableClock();
    final ManualExecutor refresher = new ManualExecutor();
    final PrincipalCache.Settings settings = new PrincipalCache.Settings(Duration.ofMinutes(5),
            Duration.ofMinutes(1), Duration.ofSeconds(30), 100);

    PrincipalCache cache(PolicySource source, PrincipalCache.Settings s) {
        return new PrincipalCache(source, s, clock, refresher);
    }

    @Test
    void freshEntryIsServedWithoutLoading() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("carol"), SHARED);
        PrincipalCache cache = cache(source, settings);
        CompiledPrincipal first = cache.resolve(user("carol"));
        clock.advance(Duration.ofMinutes(4));
        assertSame(first, cache.resolve(user("carol")));
        assertEquals(1, source.loads(user("carol")));
        assertTrue(Evaluator.decide(first.policies(),
                first.request("connect:DescribeUser", "arn:aws:connect:us-east-1:" + ACCOUNT + ":instance/x").build()).allowed());
    }

    @Test
    void expiresAfterTtlPlusStaleBoundAndLoadsSynchronously() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("carol"), SHARED);
        PrincipalCache cache = cache(source, settings.withStaleWhileRevalidate(Duration.ZERO));
        CompiledPrincipal first = cache.resolve(user("carol"));
        clock.advance(Duration.ofMinutes(5));
        CompiledPrincipal second = cache.resolve(user("carol"));
        assertNotSame(first, second);
        assertEquals(2, source.loads(user("carol")));
        assertEquals(0, refresher.queued.size());
    }

    @Test
    void staleEntryIsServedWhileOneRefreshRunsWithinTheBound() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("carol"), SHARED);
        PrincipalCache cache = cache(source, settings);
        CompiledPrincipal first = cache.resolve(user("carol"));
        clock.advance(Duration.ofMinutes(5).plusSeconds(10));
        // Stale: served as is, three requests queue a single refresh.
        assertSame(first, cache.resolve(user("carol")));
        assertSame(first, cache.resolve(user("carol")));
        assertSame(first, cache.resolve(user("carol")));
        assertEquals(1, source.loads(user("carol")));
        assertEquals(1, refresher.runAll());
        assertEquals(2, source.loads(user("carol")));
        CompiledPrincipal refreshed = cache.resolve(user("carol"));
        assertNotSame(first, refreshed);
        assertEquals(3, cache.stats().staleHits());

        // Past TTL + bound, with no refresh run, the request loads synchronously instead of serving stale data.
        clock.advance(Duration.ofMinutes(6).plusSeconds(1));
        CompiledPrincipal third = cache.resolve(user("carol"));
        assertNotSame(refreshed, third);
        assertEquals(3, source.loads(user("carol")));
    }

    @Test
    void failedRefreshKeepsTheStaleEntryUntilTheBound() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("carol"), SHARED);
        PrincipalCache cache = cache(source, settings);
        CompiledPrincipal first = cache.resolve(user("carol"));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        source.failNext.set(new IllegalStateException("throttled"));
        assertSame(first, cache.resolve(user("carol")));
        refresher.runAll();
        assertSame(first, cache.resolve(user("carol")), "stale entry still served after a failed refresh");
        assertEquals(1, refresher.queued.size(), "the next request retries the refresh");
        refresher.runAll();
        assertNotSame(first, cache.resolve(user("carol")));
    }

    @Test
    void unknownPrincipalIsCachedForTheNegativeTtl() {
        ScriptedSource source = new ScriptedSource();
        PrincipalCache cache = cache(source, settings);
        String ghost = user("ghost");
        assertThrows(UnknownPrincipalException.class, () -> cache.resolve(ghost));
        clock.advance(Duration.ofSeconds(29));
        assertThrows(UnknownPrincipalException.class, () -> cache.resolve(ghost));
        assertEquals(1, source.loads(ghost));
        clock.advance(Duration.ofSeconds(2));
        source.with(ghost, SHARED);
        assertDoesNotThrowResolve(cache, ghost);
        assertEquals(2, source.loads(ghost));
    }

    private static void assertDoesNotThrowResolve(PrincipalCache cache, String arn) {
        try {
            cache.resolve(arn);
        } catch (PolicySourceException e) {
            throw new AssertionError("expected " + arn + " to resolve", e);
        }
    }

    @Test
    void failedLoadIsNotCached() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("carol"), SHARED);
        PrincipalCache cache = cache(source, settings);
        source.failNext.set(new IllegalStateException("IAM unavailable"));
        PolicySourceException e = assertThrows(PolicySourceException.class, () -> cache.resolve(user("carol")));
        assertFalse(e instanceof UnknownPrincipalException);
        assertEquals(0, cache.size());
        assertEquals(1, cache.stats().failedLoads());
        cache.resolve(user("carol"));
        assertEquals(2, source.loads(user("carol")));
    }

    @Test
    void documentThatDoesNotCompileFailsTheLoadAndIsNotCached() {
        ScriptedSource source = new ScriptedSource().with(user("carol"), SHARED);
        source.documentOf.put(SHARED, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Maybe\"}]}");
        PrincipalCache cache = cache(source, settings);
        PolicySourceException e = assertThrows(PolicySourceException.class, () -> cache.resolve(user("carol")));
        assertTrue(e.getMessage().contains("does not parse"), e.getMessage());
        assertThrows(PolicySourceException.class, () -> cache.resolve(user("carol")));
        assertEquals(2, source.loads(user("carol")));
        assertEquals(0, cache.size());
    }

    @Test
    void concurrentMissesShareOneLoad() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("carol"), SHARED);
        source.gate = new CountDownLatch(1);
        source.entered = new CountDownLatch(1);
        PrincipalCache cache = cache(source, settings);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            List<Future<CompiledPrincipal>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return cache.resolve(user("carol"));
                }));
            }
            assertTrue(source.entered.await(10, TimeUnit.SECONDS));
            Thread.sleep(100); // let the other threads reach the in-flight entry
            source.gate.countDown();
            CompiledPrincipal first = results.get(0).get(10, TimeUnit.SECONDS);
            for (Future<CompiledPrincipal> f : results) {
                assertSame(first, f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, source.loads(user("carol")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentMissesShareOneFailure() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("carol"), SHARED);
        source.gate = new CountDownLatch(1);
        source.entered = new CountDownLatch(1);
        source.failNext.set(new IllegalStateException("throttled"));
        PrincipalCache cache = cache(source, settings);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> cache.resolve(user("carol"))));
            }
            assertTrue(source.entered.await(10, TimeUnit.SECONDS));
            Thread.sleep(100);
            source.gate.countDown();
            for (Future<?> f : results) {
                java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> f.get(10, TimeUnit.SECONDS));
                assertInstanceOf(PolicySourceException.class, e.getCause());
            }
            assertEquals(1, source.loads(user("carol")));
            source.gate = null;
            cache.resolve(user("carol"));
            assertEquals(2, source.loads(user("carol")), "the failure was not cached");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void maxSizeEvictsTheLeastRecentlyUsed() throws Exception {
        ScriptedSource source = new ScriptedSource();
        for (String n : List.of("a", "b", "c", "d")) {
            source.with(user(n), SHARED);
        }
        PrincipalCache cache = cache(source, settings.withMaxSize(3));
        cache.resolve(user("a"));
        cache.resolve(user("b"));
        cache.resolve(user("c"));
        cache.resolve(user("a")); // b is now the least recently used
        cache.resolve(user("d"));
        assertEquals(3, cache.size());
        assertNull(cache.getIfPresent(user("b")));
        assertTrue(cache.getIfPresent(user("a")) != null && cache.getIfPresent(user("c")) != null
                && cache.getIfPresent(user("d")) != null);
        assertEquals(1, cache.stats().evictions());
        cache.resolve(user("b"));
        assertEquals(2, source.loads(user("b")));
    }

    @Test
    void invalidationTouchesOnlyWhatItNames() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("a"), SHARED).with(user("b"), SHARED)
                .with(user("c"), OTHER);
        PrincipalCache cache = cache(source, settings);
        for (String n : List.of("a", "b", "c")) {
            cache.resolve(user(n));
        }
        assertEquals(2, cache.invalidateByPolicy(SHARED));
        assertNull(cache.getIfPresent(user("a")));
        assertNull(cache.getIfPresent(user("b")));
        assertTrue(cache.getIfPresent(user("c")) != null);

        cache.resolve(user("a"));
        cache.invalidate(user("a"));
        assertNull(cache.getIfPresent(user("a")));
        assertTrue(cache.getIfPresent(user("c")) != null);
        assertEquals(0, cache.invalidateByPolicy("arn:aws:iam::" + ACCOUNT + ":policy/Unused"));

        // The principal's own ARN is a source too (it holds inline policies).
        assertEquals(1, cache.invalidateByPolicy(user("c")));

        cache.resolve(user("a"));
        cache.resolve(user("b"));
        cache.invalidateAll();
        assertEquals(0, cache.size());
        assertEquals(3, source.loads(user("a")));
        assertEquals(1, source.loads(user("c")));
    }

    @Test
    void loadInFlightDuringAPolicyInvalidationIsNotKeptFresh() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("a"), SHARED);
        source.gate = new CountDownLatch(1);
        source.entered = new CountDownLatch(1);
        PrincipalCache cache = cache(source, settings);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<CompiledPrincipal> inFlight = pool.submit(() -> cache.resolve(user("a")));
            assertTrue(source.entered.await(10, TimeUnit.SECONDS));
            cache.invalidateByPolicy(SHARED); // the load has read the old policy; it must not be kept
            source.gate.countDown();
            inFlight.get(10, TimeUnit.SECONDS);
            source.gate = null;
            cache.resolve(user("a"));
            assertEquals(2, source.loads(user("a")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refreshDoesNotResurrectAnInvalidatedPrincipal() throws Exception {
        ScriptedSource source = new ScriptedSource().with(user("a"), SHARED);
        PrincipalCache cache = cache(source, settings);
        cache.resolve(user("a"));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        cache.resolve(user("a")); // queues a refresh
        cache.invalidate(user("a"));
        refresher.runAll();
        assertEquals(0, cache.size());
    }
}
