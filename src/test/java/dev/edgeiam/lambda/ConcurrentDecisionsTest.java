package dev.edgeiam.lambda;

import dev.edgeiam.identity.DevTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.Verdict;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PrincipalCache;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads deciding against one shared {@link PrincipalCache} (and one shared {@link GatewayAuthorizer}) while
 * other threads invalidate by principal, by policy and everything, move the clock so entries go stale and refresh in
 * the background, and run the scheduled refresh. Every decision is compared, as it is made, with the decision made
 * single-threaded beforehand for the same input; all threads must finish within a bounded join (no deadlock); the
 * cache stays within its size bound.
 */
class ConcurrentDecisionsTest {

    static final String ACCOUNT = "111122223333";
    static final String IAM = "arn:aws:iam::" + ACCOUNT + ":";
    static final List<String> PRINCIPALS = List.of(IAM + "user/alice", IAM + "user/bob", IAM + "user/carol",
            IAM + "user/dave", IAM + "role/connect/ConnectAgentWebRole", IAM + "role/connect/ConnectSupervisorRole");
    static final List<String> POLICIES = List.of(IAM + "policy/connect/ConnectAgentSelfService",
            IAM + "policy/connect/ConnectSupervisorAccess", IAM + "policy/connect/ConnectReadOnlyAudit",
            IAM + "policy/boundaries/ConnectStaffBoundary", IAM + "group/ConnectAgents", IAM + "group/ConnectSupervisors");
    static final String INSTANCE = "arn:aws:connect:us-east-1:" + ACCOUNT + ":instance/a1b2c3d4-5678-90ab-cdef-example11111";
    static final List<String[]> REQUESTS = List.of(
            new String[]{"connect:DescribeUser", INSTANCE + "/agent/carol-agent-0001"},
            new String[]{"connect:UpdateUserRoutingProfile", INSTANCE + "/agent/carol-agent-0001"},
            new String[]{"connect:ListUsers", INSTANCE},
            new String[]{"connect:DescribeInstance", INSTANCE},
            new String[]{"connect:DeleteInstance", INSTANCE},
            new String[]{"connect:DescribeQueue", INSTANCE + "/queue/q-1"},
            new String[]{"connect:StartOutboundVoiceContact", INSTANCE + "/contact/*"},
            new String[]{"connect:GetCurrentMetricData", INSTANCE + "/queue/q-1"});
    static final int DECIDERS = 8;
    static final int MAX_SIZE = 4;
    static final Duration RUN = Duration.ofSeconds(3);

    record Outcome(String decision, String reason) {
        static Outcome of(Verdict v) {
            return new Outcome(v.decision().name(), v.reason().label());
        }
    }

    static Outcome decide(PrincipalCache cache, String principal, String[] request) throws Exception {
        CompiledPrincipal p = cache.resolve(principal);
        return Outcome.of(Evaluator.decide(p.policies(), p.request(request[0], request[1]).build()));
    }

    /** A source that yields inside loads, so loads, refreshes and invalidations interleave more. */
    static PolicySource yielding(PolicySource source) {
        return new PolicySource() {
            @Override
            public dev.edgeiam.principal.PrincipalPolicies load(String arn)
                    throws dev.edgeiam.principal.PolicySourceException {
                Thread.yield();
                dev.edgeiam.principal.PrincipalPolicies p = source.load(arn);
                Thread.yield();
                return p;
            }

            @Override
            public java.util.Optional<String> managedPolicyText(String policyArn) {
                return source.managedPolicyText(policyArn);
            }
        };
    }

    @Test
    void decisionsUnderInvalidationAndRefreshEqualTheSingleThreadedOnes() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            SnapshotPolicySource snapshot = SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json");
            // Expected: every (principal, request) decided single-threaded on a cache of its own.
            PrincipalCache reference = new PrincipalCache(snapshot, PrincipalCache.Settings.DEFAULTS,
                    Clock.systemUTC(), Runnable::run);
            Map<String, Outcome> expected = new LinkedHashMap<>();
            int allows = 0;
            for (String p : PRINCIPALS) {
                for (String[] r : REQUESTS) {
                    Outcome o = decide(reference, p, r);
                    expected.put(p + " " + r[0] + " " + r[1], o);
                    allows += o.decision().equals("ALLOWED") ? 1 : 0;
                }
            }
            assertTrue(allows > 0 && allows < expected.size(), "the inputs mix allows and denies: " + expected);

            MutableClock clock = new MutableClock();
            ExecutorService refresher = Executors.newFixedThreadPool(2);
            PrincipalCache cache = new PrincipalCache(yielding(snapshot), PrincipalCache.Settings.DEFAULTS
                    .withTtl(Duration.ofSeconds(10)).withStaleWhileRevalidate(Duration.ofSeconds(10))
                    .withMaxSize(MAX_SIZE), clock, refresher);

            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
            AtomicLong decisions = new AtomicLong();
            AtomicInteger maxSeen = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < DECIDERS; i++) {
                threads.add(new Thread(() -> {
                    await(start);
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        String p = PRINCIPALS.get(rnd.nextInt(PRINCIPALS.size()));
                        String[] r = REQUESTS.get(rnd.nextInt(REQUESTS.size()));
                        String key = p + " " + r[0] + " " + r[1];
                        try {
                            Outcome got = decide(cache, p, r);
                            if (!got.equals(expected.get(key))) {
                                mismatches.add(key + ": expected " + expected.get(key) + ", got " + got);
                            }
                        } catch (Exception e) {
                            mismatches.add(key + ": " + e);
                        }
                        decisions.incrementAndGet();
                        maxSeen.accumulateAndGet(cache.size(), Math::max);
                    }
                }, "decider-" + i));
            }
            threads.add(new Thread(() -> {
                await(start);
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!stop.get()) {
                    switch (rnd.nextInt(4)) {
                        case 0 -> cache.invalidate(PRINCIPALS.get(rnd.nextInt(PRINCIPALS.size())));
                        case 1 -> cache.invalidateByPolicy(POLICIES.get(rnd.nextInt(POLICIES.size())));
                        case 2 -> cache.invalidateAll();
                        default -> Thread.yield();
                    }
                    sleepMicros(200);
                }
            }, "invalidator"));
            threads.add(new Thread(() -> {
                await(start);
                while (!stop.get()) {
                    clock.advance(Duration.ofSeconds(3)); // fresh → stale (background refresh) → expired
                    sleepMicros(500);
                }
            }, "clock"));
            threads.forEach(Thread::start);
            start.countDown();
            Thread.sleep(RUN.toMillis());
            // on a fast, idle machine the invalidator can empty every entry before it turns stale: run on (bounded)
            // until a background refresh and an eviction have happened, which the assertions below require
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((cache.stats().refreshes() == 0 || cache.stats().evictions() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(5_000);
                assertTrue(!t.isAlive(), t.getName() + " did not finish: deadlock or hang");
            }
            refresher.shutdown();
            assertTrue(refresher.awaitTermination(5, TimeUnit.SECONDS), "background refreshes finished");

            System.out.printf("[concurrency] %d cache decisions, stats %s, largest size seen %d (bound %d)%n",
                    decisions.get(), cache.stats(), maxSeen.get(), MAX_SIZE);
            assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, e.g. " + mismatches.peek());
            assertTrue(decisions.get() > 1_000, "enough decisions ran: " + decisions.get());
            assertTrue(cache.stats().refreshes() > 0 && cache.stats().evictions() > 0, "refreshes and evictions ran");
            // Loads in flight are entries too and only completed ones can be evicted: while running, the size may
            // pass the bound by at most the number of threads that can be loading at once.
            assertTrue(maxSeen.get() <= MAX_SIZE + DECIDERS + 2, "size while running " + maxSeen.get());
            // At rest the bound holds once the next fill has run its eviction.
            cache.resolve(PRINCIPALS.get(0));
            cache.invalidate(PRINCIPALS.get(1));
            cache.resolve(PRINCIPALS.get(1));
            assertTrue(cache.size() <= MAX_SIZE, "size at rest " + cache.size());
        });
    }

    @Test
    void gatewayAnswersUnderInvalidationAndScheduledRefreshEqualTheSingleThreadedOnes() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            ObjectMapper json = new ObjectMapper();
            List<String> names = List.of("rest-request", "rest-request-other-agent", "rest-token",
                    "http-v2-request", "rest-request-custom-route", "websocket-connect", "rest-token-missing");
            List<JsonNode> events = new ArrayList<>();
            for (String n : names) {
                events.add(json.readTree(Files.readAllBytes(Path.of("events", n + ".json"))));
            }
            JsonNode scheduled = json.readTree(Files.readAllBytes(Path.of("events", "scheduled-refresh.json")));

            // Expected: each event answered by a gateway of its own, single-threaded.
            List<String> expected = new ArrayList<>();
            Wired reference = wire(MAX_SIZE);
            for (JsonNode e : events) {
                expected.add(reference.gateway.answer(e).response().toString());
            }
            assertTrue(expected.stream().anyMatch(s -> s.contains("\"Allow\""))
                    && expected.stream().anyMatch(s -> s.contains("\"Deny\"") || s.contains("Unauthorized")),
                    "the events mix allows and refusals: " + expected);

            Wired shared = wire(2);
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
            AtomicLong answers = new AtomicLong();
            AtomicInteger maxSeen = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < DECIDERS; i++) {
                threads.add(new Thread(() -> {
                    await(start);
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        int k = rnd.nextInt(events.size());
                        try {
                            String got = shared.gateway.answer(events.get(k)).response().toString();
                            if (!got.equals(expected.get(k))) {
                                mismatches.add(names.get(k) + ": expected " + expected.get(k) + ", got " + got);
                            }
                        } catch (RuntimeException e) {
                            mismatches.add(names.get(k) + ": " + e);
                        }
                        answers.incrementAndGet();
                        maxSeen.accumulateAndGet(shared.cache.size(), Math::max);
                    }
                }, "gateway-" + i));
            }
            threads.add(new Thread(() -> {
                await(start);
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!stop.get()) {
                    switch (rnd.nextInt(5)) {
                        case 0 -> shared.cache.invalidate(PRINCIPALS.get(rnd.nextInt(PRINCIPALS.size())));
                        case 1 -> shared.cache.invalidateByPolicy(POLICIES.get(rnd.nextInt(POLICIES.size())));
                        case 2 -> shared.cache.invalidateAll();
                        case 3 -> {
                            EventDispatcher.Answer a = shared.refresh.answer(scheduled);
                            if (!a.response().path("snapshotReloaded").asBoolean()) {
                                mismatches.add("scheduled refresh failed: " + a.response());
                            }
                        }
                        default -> shared.gateway.forgetVerifiedCredentials();
                    }
                    sleepMicros(20_000); // each invalidation makes the next answers cold (compile, classify)
                }
            }, "invalidator"));
            threads.forEach(Thread::start);
            start.countDown();
            Thread.sleep(RUN.toMillis());
            stop.set(true);
            for (Thread t : threads) {
                t.join(5_000);
                assertTrue(!t.isAlive(), t.getName() + " did not finish: deadlock or hang");
            }
            System.out.printf("[concurrency] %d gateway answers, stats %s, largest size seen %d (bound 2)%n",
                    answers.get(), shared.cache.stats(), maxSeen.get());
            assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, e.g. " + mismatches.peek());
            assertTrue(answers.get() > 100, "enough answers ran: " + answers.get());
            assertTrue(maxSeen.get() <= 2 + DECIDERS, "size while running " + maxSeen.get());
        });
    }

    record Wired(PrincipalCache cache, GatewayAuthorizer gateway, RefreshHandler refresh) {
    }

    /** As {@code LambdaBeans.AuthorizerServices.create} wires a snapshot deployment, without Quarkus. */
    static Wired wire(int maxSize) {
        Clock clock = Clock.systemUTC();
        ArnContext connect = new ArnContext("aws", "us-east-1", ACCOUNT);
        RefreshablePolicySource source = new RefreshablePolicySource(
                () -> SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json"));
        PrincipalCache cache = PrincipalCache.create(source, PrincipalCache.Settings.DEFAULTS.withMaxSize(maxSize), java.time.Clock.systemUTC());
        PolicySourceDirectory directory = new PolicySourceDirectory(source, ACCOUNT, clock, Duration.ofMinutes(5));
        IdentitySettings identity = DevTokens.identitySettings();
        CallerIdentityResolver identities = CallerIdentityResolver.create(identity, clock, directory, cache, null);
        RouteTable routes = RouteTable.defaultTable();
        GatewayAuthorizer gateway = GatewayAuthorizer.create(
                new GatewayAuthorizer.Settings("Authorization", null, false, connect),
                identities, cache, routes, arn -> Map.of(), source::managedPolicyText, java.time.Clock.systemUTC());
        return new Wired(cache, gateway, new RefreshHandler(source, cache, directory, true,
                gateway::forgetVerifiedCredentials));
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleepMicros(long micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
