package dev.edgeiam.lambda;

import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * RED TEAM pass 31: AuthorizerPathPriming.run under odd deployment settings. SnapStartPriming.authorizerPath catches
 * IOException and RuntimeException only, and beforeCheckpoint catches RuntimeException
 * only: an Error (or a hang) would escape the hook. Also records which settings keep priming from reaching the
 * decisions it means to warm (not a security issue by itself).
 */
class RedteamPass31PrimingFailureModesTest {

    static final String[] HEADERS = {"Authorization", "authorization", "X-Edge-Token", "", " ", "Auth orization",
            "Authörization", "X\"Q", "a\\b", "x".repeat(5000), null};
    static final String[] QUERIES = {null, "access_token", "", "a b", "tök", "a&b=c", "%41", "x".repeat(5000)};
    static final String[] SOURCES = {null, "", "$request.header.Authorization", "$request.header.authorization,$context.routeKey",
            "$request.querystring.access_token", "$request.querystring.access_token,$context.routeKey",
            "$context.identity.sourceIp", "$stageVariables.v", "$context.stage", "$request.header.X-Other,$request.querystring.q",
            "method.request.header.Authorization", "$request.header.Authorization,$request.header.Authorization",
            "$request.querystring.", "$request.header."};
    static final String[][] CONTEXTS = {{"aws", "us-east-1", "111122223333"}, {"aws-us-gov", "us-gov-west-1", "210987654321"},
            {"aws-cn", "cn-north-1", "123456789012"}, {"aws-iso-b", "us-isob-east-1", "000000000000"},
            {"", "", ""}, {"aws", "us-east-1", "*"}, {"a:b", "r/x", "1\"2"}, {"aws", "US-EAST-1", "111122223333"}};
    static final EventLimits[] LIMITS = {new EventLimits(262_144, 64, 131_072), new EventLimits(2_000, 64, 131_072),
            new EventLimits(262_144, 3, 131_072), new EventLimits(262_144, 64, 100), new EventLimits(1, 1, 1)};

    @Test
    void primingNeverThrowsAnErrorNorHangs() throws Exception {
        Random r = new Random(31);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        long slowest = 0;
        int runs = 100;
        for (int i = 0; i < runs; i++) {
            String header = HEADERS[r.nextInt(HEADERS.length)];
            String query = QUERIES[r.nextInt(QUERIES.length)];
            String sources = SOURCES[r.nextInt(SOURCES.length)];
            String[] c = CONTEXTS[r.nextInt(CONTEXTS.length)];
            boolean simple = r.nextBoolean();
            Duration ttl = List.of(Duration.ZERO, Duration.ofSeconds(300), Duration.ofHours(1), Duration.ofHours(3))
                    .get(r.nextInt(4));
            EventLimits limits = LIMITS[r.nextInt(LIMITS.length)];
            String label = header + "|" + query + "|" + sources + "|" + String.join(",", c) + "|" + simple + "|" + ttl
                    + "|" + limits;
            GatewayAuthorizer.Settings settings;
            try {
                settings = new GatewayAuthorizer.Settings(header, query, simple, new ArnContext(c[0], c[1], c[2]),
                        CacheModel.of(ttl, sources));
            } catch (RuntimeException e) {
                outcomes.merge("settings-refused:" + e.getClass().getSimpleName(), 1, Integer::sum);
                continue;
            }
            long t0 = System.nanoTime();
            try {
                AuthorizerPathPriming.Run run = AuthorizerPathPriming.run(settings, RouteTable.defaultTable(), limits,
                        Clock.systemUTC(), 1);
                for (String a : run.answers()) {
                    outcomes.merge(a, 1, Integer::sum);
                }
            } catch (java.io.IOException | RuntimeException e) {
                outcomes.merge("caught:" + e.getClass().getSimpleName(), 1, Integer::sum);
            } catch (Throwable e) {
                errors.add(label + " -> " + e);
            }
            slowest = Math.max(slowest, System.nanoTime() - t0);
        }
        System.out.println("RP31 failure modes: " + runs + " runs, slowest " + slowest / 1_000_000 + " ms\n" + outcomes);
        if (!errors.isEmpty()) {
            fail("Errors escaping the catch of SnapStartPriming.authorizerPath: " + errors);
        }
        assertTrue(slowest < 20_000_000_000L, "a run took " + slowest / 1_000_000 + " ms");
    }
}
