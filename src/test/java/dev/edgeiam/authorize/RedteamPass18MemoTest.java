package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static dev.edgeiam.authorize.EdgeAuthorizerTest.CATALOG;
import static dev.edgeiam.authorize.EdgeAuthorizerTest.CONNECT;
import static dev.edgeiam.authorize.EdgeAuthorizerTest.CTX;
import static dev.edgeiam.authorize.EdgeAuthorizerTest.INSTANCE;
import static dev.edgeiam.authorize.EdgeAuthorizerTest.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red-team pass 18 (commit ce0aaf4): the route-match memo of {@link EdgeAuthorizer} against a fresh authorizer per
 * request, over what the memo's key might miss: custom routes (one reading a query member, one {@code ANY}, the
 * WebSocket {@code $connect}), every event format (TOKEN with an unknown query, WebSocket whose path is fixed),
 * non-canonical and percent-encoded paths, lower-case methods, equal-hash path and query texts ({@code Aa}/{@code BB}),
 * case-variant, repeated, empty-valued and reordered query members, five cache models (header pins, query sources
 * that pin nothing, a route pin) and several policies; decision, routes key and the route classification compared.
 * With 1, 2 and 256 slots, and with threads sharing one 2-slot authorizer.
 */
public class RedteamPass18MemoTest {

    static final String AGENT = CONNECT + "/agent/";
    static final List<CustomRouteMapping> CUSTOM = customRoutes(INSTANCE);

    /**
     * The pass's custom routes on {@code instance}: a path label, a query member, {@code ANY} and the WebSocket
     * {@code $connect} route (also used by {@code lambda.RedteamPass18SequenceTest}).
     */
    public static List<CustomRouteMapping> customRoutes(String instance) {
        String arn = "arn:{Partition}:connect:{Region}:{Account}:instance/";
        return List.of(
                CustomRouteMapping.of("GET", "/v1/agents/{id}", "connect:DescribeUser", arn + instance + "/agent/{id}"),
                CustomRouteMapping.of("GET", "/v1/queue-report", "connect:DescribeQueue",
                        arn + instance + "/queue/{queueId}"),
                CustomRouteMapping.of("ANY", "/v1/any/{id}", "connect:DescribeUser", arn + instance + "/agent/{id}"),
                CustomRouteMapping.of("WEBSOCKET", "/$connect", "connect:DescribeUser",
                        arn + "{instanceId}/agent/{agentId}"));
    }
    static final RouteTable ROUTES = RouteTable.defaultTable().withCustomMappings(CUSTOM);

    static final List<CacheModel> MODELS = List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT,
            new CacheModel(Duration.ofSeconds(300), List.of("method.request.header.Authorization",
                    "method.request.header.User-Agent", "context.identity.sourceIp")),
            new CacheModel(Duration.ofSeconds(300), List.of("method.request.header.Authorization",
                    "method.request.multivaluequerystring.agentId", "route.request.querystring.agentId",
                    "$request.querystring.agentId", "$request.header.Authorization")),
            new CacheModel(Duration.ofSeconds(300), List.of("$request.header.Authorization", "$context.routeKey",
                    "context.resourcePath", "context.httpMethod")));

    static final List<String> POLICIES = List.of(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\""
                    + CONNECT + "/*\"},{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"" + AGENT
                    + "BB\"},{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"" + CONNECT
                    + "/queue/BB\"},{\"Effect\":\"Deny\",\"Action\":\"connect:Update*\",\"Resource\":\"*\"}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\""
                    + AGENT + "Aa\"},{\"Effect\":\"Allow\",\"Action\":\"connect:Describe*\",\"Resource\":\"*\"},"
                    + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
                    + "{\"aws:UserAgent\":\"*evil*\"}}}]}",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\","
                    + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/24\"}}},{\"Effect\":\"Deny\","
                    + "\"Action\":\"connect:*\",\"Resource\":\"" + AGENT + "u-2\"}]}");

    static final List<String> LABELS = List.of(INSTANCE, "I-1", "u-1", "u-2", "Aa", "BB", "C#", "a%2Fb", "%41a",
            "a%20b", "", ".", "..", "%2e", AGENT + "u-2", "x:y", "q-1", "%ZZ", "\u00e9", "%C3%A9");

    static EdgeAuthorizer authorizer(CacheModel model, int slots) {
        return new EdgeAuthorizer(ROUTES, new RouteAuthorizer(CATALOG), new EdgeContextKeys(CATALOG, ROUTES), CTX,
                model, Clock.fixed(NOW, ZoneOffset.UTC), slots, null);
    }

    static EdgeCaller caller(String policy) {
        CompiledPolicySet set = CompiledPolicySet.builder().identity(CompiledPolicy.compile(
                PolicyParser.parse(policy, PolicyType.INLINE_ROLE, "p"))).build();
        return new EdgeCaller(set, List.<ContextValue>of(), UnknownInputs.of(Set.of(), null),
                NOW.plus(Duration.ofDays(1)));
    }

    /** One random request over the table, the custom routes and the formats. */
    static EdgeRequest randomRequest(SplittableRandom r, List<RouteDefinition> all) {
        EventFormat[] formats = {EventFormat.REST_REQUEST, EventFormat.REST_REQUEST, EventFormat.HTTP_V2,
            EventFormat.WEBSOCKET_CONNECT, EventFormat.REST_TOKEN};
        EventFormat format = formats[r.nextInt(formats.length)];
        String method;
        String template;
        List<String> members = new ArrayList<>(List.of("agentId", "AgentId", "instanceId", "queueId", "other"));
        int pick = r.nextInt(all.size() + 8);
        if (pick < all.size()) {
            RouteDefinition route = all.get(pick);
            method = route.method();
            template = route.path().template();
            members.addAll(route.queryParameters().keySet());
        } else {
            CustomRouteMapping m = CUSTOM.get(r.nextInt(CUSTOM.size()));
            method = m.method().equals("ANY") ? List.of("GET", "PUT", "DELETE").get(r.nextInt(3)) : m.method();
            template = m.path().template();
        }
        String path = template;
        while (path.contains("{")) {
            int open = path.indexOf('{');
            path = path.substring(0, open) + LABELS.get(r.nextInt(LABELS.size()))
                    + path.substring(path.indexOf('}', open) + 1);
        }
        switch (r.nextInt(10)) {
            case 0 -> path = path + "/";
            case 1 -> method = method.toLowerCase(java.util.Locale.ROOT);
            case 2 -> path = path.replace("/", "//");
            default -> { }
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (r.nextInt(3) > 0) {
            java.util.Collections.shuffle(members, new java.util.Random(r.nextLong()));
            int size = r.nextInt(Math.min(members.size(), 5) + 1);
            for (String m : members.subList(0, size)) {
                List<String> values = new ArrayList<>();
                int n = r.nextInt(6) == 0 ? 2 : 1;
                for (int i = 0; i < n; i++) {
                    values.add(List.of("Aa", "BB", "u-1", "u-2", "", INSTANCE, "q-1", "x,y")
                            .get(r.nextInt(8)));
                }
                query.put(m, values);
            }
        }
        boolean token = format == EventFormat.REST_TOKEN;
        if (format == EventFormat.WEBSOCKET_CONNECT) {
            method = "$connect";
            path = "/";
        }
        List<String> ua = List.of("edge/1.0", "evil/2.0", "a,b");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (!token) {
            headers.put("user-agent", List.of(ua.get(r.nextInt(ua.size()))));
        }
        String ip = token ? null : List.of("10.0.0.1", "10.0.1.1").get(r.nextInt(2));
        String routeKey = format == EventFormat.HTTP_V2 ? method + " " + template : null;
        return new EdgeRequest(format, method, path, token ? QueryParameters.NONE : new QueryParameters(query), !token,
                headers, !token, ip, token ? null : headers.get("user-agent").get(0), NOW.toEpochMilli(), !token,
                "prod", routeKey, null);
    }

    static String describe(EdgeRequest q) {
        return q.format() + " " + q.method() + " " + q.path() + " " + q.query().values() + " " + q.sourceIp() + " "
                + q.headers();
    }

    static void same(EdgeAuthorizer.EdgeDecision fresh, EdgeAuthorizer.EdgeDecision remembered, String where) {
        assertEquals(fresh.decision(), remembered.decision(), where);
        assertEquals(fresh.routesKey(), remembered.routesKey(), where);
        assertEquals(fresh.routes() == null, remembered.routes() == null, where);
        if (fresh.routes() != null) {
            assertEquals(fresh.routes().get(), remembered.routes().get(), where);
        }
    }

    @Test
    void memoisedMatchesDecideAsAFreshAuthorizerOverCustomRoutesFormatsAndOddPaths() {
        List<RouteDefinition> all = ROUTES.routes();
        SplittableRandom r = new SplittableRandom(18_2026L);
        long decisions = 0;
        long allows = 0;
        for (int slots : new int[]{1, 2, 256}) {
            for (CacheModel model : MODELS) {
                for (String policy : POLICIES) {
                    EdgeCaller c = caller(policy);
                    EdgeAuthorizer shared = authorizer(model, slots);
                    EdgeRequest previous = null;
                    for (int i = 0; i < 150; i++) {
                        EdgeRequest q = r.nextInt(4) == 0 && previous != null ? previous : randomRequest(r, all);
                        previous = q;
                        EdgeAuthorizer.EdgeDecision remembered = shared.decide(q, c);
                        EdgeAuthorizer.EdgeDecision fresh = authorizer(model, 256).decide(q, c);
                        same(fresh, remembered, slots + " slots " + model + " " + describe(q));
                        decisions++;
                        if (remembered.decision().allowed()) {
                            allows++;
                        }
                    }
                }
            }
        }
        System.out.println("RedteamPass18MemoTest: decisions=" + decisions + " allows=" + allows);
        assertTrue(allows > 100, "the generator reaches Allows: " + allows);
    }

    /** Equal-hash paths and query texts land in one slot; the memo must tell them apart (every slot count). */
    @Test
    void equalHashPathsAndQueriesAreToldApart() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        EdgeCaller c = caller(POLICIES.get(0));
        for (int slots : new int[]{1, 256}) {
            for (CacheModel model : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
                EdgeAuthorizer shared = authorizer(model, slots);
                for (int round = 0; round < 50; round++) {
                    for (String who : List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa")) {
                        EdgeRequest user = rest("GET", "/users/" + INSTANCE + "/" + who, Map.of());
                        EdgeRequest custom = rest("GET", "/v1/agents/" + who, Map.of());
                        EdgeRequest report = rest("GET", "/v1/queue-report", Map.of("queueId", List.of(who)));
                        for (EdgeRequest q : List.of(user, custom, report)) {
                            same(authorizer(model, 256).decide(q, c), shared.decide(q, c), slots + " " + describe(q));
                        }
                    }
                }
            }
        }
    }

    /** Threads share one authorizer with two slots (every request meets others' entries), each checked fresh. */
    @Test
    void threadsSharingTheMemoDecideAsAFreshAuthorizer() throws Exception {
        List<RouteDefinition> all = ROUTES.routes();
        for (CacheModel model : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            EdgeCaller c = caller(POLICIES.get(0));
            EdgeAuthorizer shared = authorizer(model, 2);
            ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicLong count = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                long seed = 1000L + t;
                threads.add(new Thread(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    List<EdgeRequest> pool = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        pool.add(randomRequest(r, all));
                    }
                    Map<EdgeRequest, RouteAuthorization> expected = new java.util.HashMap<>();
                    EdgeAuthorizer own = authorizer(model, 256);
                    for (EdgeRequest q : pool) {
                        expected.put(q, own.decide(q, c).decision());
                    }
                    for (int i = 0; i < 5_000; i++) {
                        EdgeRequest q = pool.get(r.nextInt(pool.size()));
                        RouteAuthorization got = shared.decide(q, c).decision();
                        count.incrementAndGet();
                        if (!got.equals(expected.get(q))) {
                            wrong.add(describe(q) + ": " + got + " vs " + expected.get(q));
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            System.out.println("RedteamPass18MemoTest threads: " + model + " decisions=" + count.get());
            assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        }
    }

    static EdgeRequest rest(String method, String path, Map<String, List<String>> query) {
        return new EdgeRequest(EventFormat.REST_REQUEST, method, path, new QueryParameters(query), true,
                Map.of("user-agent", List.of("edge/1.0")), true, "10.0.0.1", "edge/1.0", NOW.toEpochMilli(), true,
                "prod", null, null);
    }
}
