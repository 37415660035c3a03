package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.CONNECT;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.INSTANCE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.JSON;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.REGION;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.STAGE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.allowed;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.grants;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.invoke;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.policy;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.restRequest;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.snapshot;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.statement;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Red-team pass 26 (b) against the packaged function ({@code target/function.zip} under the Lambda runtime interface
 * client): the resource-tag path through API Gateway's result cache. Amazon Connect is a local fake
 * ({@code AWS_ENDPOINT_URL_CONNECT}) whose {@code ListTagsForResource} answers are changed by the tests.
 *
 * <p><b>R26b.1</b>: the route-level grants a cached Allow carries are classified once per caller and kept (a bounded
 * cache without expiry, {@code gateway/DecisionResponder}); the classification of a custom route without labels reads
 * its fixed resource's tags ({@code RouteAuthorizer.putTags}) — so after the resource is re-tagged (or Connect stops
 * answering), every later Allow of the caller, on any route, still grants the custom route, long after the tag TTL.
 * API Gateway then applies that cached Allow to the custom route, which IAM denies (and the function itself denies
 * when asked). Fixed: the grants of a caller whose policies read resource tags are kept no longer than the tags may
 * lag, the tag cache's TTL ({@code gateway/DecisionResponder}, {@code CompiledPolicySet.readsResourceTagsOfAnyAction},
 * {@code ResourceTagSource.maxAge}); the three R26b.1 tests failed before the fix and pass since, the guards passed
 * throughout.
 *
 * <p>Run: {@code ./mvnw -B -o -q verify -Dit.test=RedteamPass26PackagedIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -DskipITs=false}.
 */
class RedteamPass26PackagedIT {

    static final String QUEUE = CONNECT + "/queue/q-locked";
    static final String CUSTOM_PATH = "/reports/locked-queue";

    private static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();
    private static final List<LocalLambdaRuntime> STARTED = new ArrayList<>();
    /** What the fake Connect answers per ARN: {status, body}; absent: 200 {"tags":{}}. */
    private static final Map<String, Object[]> ANSWERS = new ConcurrentHashMap<>();
    /** Every ARN Connect was asked about, in order. */
    private static final List<String> ASKED = Collections.synchronizedList(new ArrayList<>());
    private static HttpServer connect;

    @BeforeAll
    static void fakeConnect() throws Exception {
        connect = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        connect.createContext("/", x -> {
            String raw = x.getRequestURI().getRawPath();
            String arn = URLDecoder.decode(raw.substring(raw.indexOf("/tags/") + 6), StandardCharsets.UTF_8);
            ASKED.add(arn);
            Object[] a = ANSWERS.getOrDefault(arn, new Object[] {200, "{\"tags\":{}}"});
            byte[] body = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            if ((int) a[0] != 200) {
                x.getResponseHeaders().add("x-amzn-ErrorType", "InternalServiceException");
            }
            x.sendResponseHeaders((int) a[0], body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        connect.start();
    }

    @AfterAll
    static void stop() {
        STARTED.forEach(LocalLambdaRuntime::close);
        if (connect != null) {
            connect.stop(0);
        }
    }

    static void tags(String arn, String tagsJson) {
        ANSWERS.put(arn, new Object[] {200, "{\"tags\":" + tagsJson + "}"});
    }

    static LocalLambdaRuntime runtime(String rolePolicy, Map<String, String> extra) throws Exception {
        Path snap = snapshot(Files.createTempFile("rt26b-", ".json"), rolePolicy, Map.of());
        Map<String, String> env = new HashMap<>(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AWS_ENDPOINT_URL_CONNECT", "http://127.0.0.1:" + connect.getAddress().getPort(),
                "AWS_ACCESS_KEY_ID", "AKIAEDGETESTFAKE0001", "AWS_SECRET_ACCESS_KEY", "fake-secret",
                "AWS_REGION", REGION));
        env.putAll(extra);
        LocalLambdaRuntime r = LocalLambdaRuntime.startPackagedWithDevIssuer(env, OUTPUT);
        STARTED.add(r);
        return r;
    }

    /** The custom route GET /reports/locked-queue → connect:DescribeQueue on one fixed queue (no label, no query). */
    static String customRoute() {
        return "-Dauthorizer.custom-routes[0].method=GET -Dauthorizer.custom-routes[0].path=" + CUSTOM_PATH
                + " -Dauthorizer.custom-routes[0].action=connect:DescribeQueue"
                + " -Dauthorizer.custom-routes[0].arns=arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE
                + "/queue/q-locked";
    }

    static final String DENY_LOCKED = "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/locked\":\"true\"}}}";

    // -- R26b.1 ------------------------------------------------------------------------------------------------------

    /**
     * R26b.1 (re-tagged): Allow {@code connect:*}; Deny where {@code aws:ResourceTag/locked} is {@code true}; tag TTL
     * 1 s, result TTL 300 s (REST REQUEST, the default identity source). The queue is untagged: an Allow for
     * {@code GET /users/...} grants {@code GET /reports/locked-queue} (right at that time). The queue is then tagged
     * {@code locked=true}; past the tag TTL the function denies {@code GET /reports/locked-queue} when asked
     * (explicit-deny) — but the next Allow for {@code GET /users/...} still grants it, so API Gateway allows the locked
     * queue from its cache, which IAM denies.
     */
    @Test
    void R26b_1_aReTaggedResourceIsNotGrantedByLaterCachedAnswers() throws Exception {
        ANSWERS.remove(QUEUE);
        LocalLambdaRuntime r = runtime(policy(statement("Allow", "connect:*", "*"), DENY_LOCKED),
                Map.of("AUTHORIZER_CACHE_RESULT_TTL", "300", "AUTHORIZER_CACHE_TAG_TTL", "PT1S",
                        "JAVA_TOOL_OPTIONS", customRoute()));
        String token = token("agent-edge", Map.of());
        String users = "/users/" + INSTANCE + "/u-1";
        JsonNode before = invoke(r, restRequest(token, "GET", users, Map.of()));
        assertTrue(allowed(before), before.toString());
        assertTrue(grants(before, "GET", CUSTOM_PATH), "untagged: the custom route is granted (right): " + before);

        tags(QUEUE, "{\"locked\":\"true\"}");
        Thread.sleep(1_500); // past the tag TTL
        int asked = ASKED.size();
        JsonNode direct = invoke(r, restRequest(token, "GET", CUSTOM_PATH, Map.of()));
        assertEquals("explicit-deny", direct.path("context").path("reason").asText(),
                "asked directly, the locked queue is denied: " + direct);
        assertTrue(ASKED.size() > asked, "the tags were read again");

        JsonNode after = invoke(r, restRequest(token, "GET", users, Map.of()));
        assertTrue(allowed(after), after.toString());
        assertFalse(grants(after, "GET", CUSTOM_PATH), "the queue is tagged locked=true (the function denies it when"
                + " asked: " + direct.path("context") + "), yet this cached Allow for " + users + " still grants "
                + CUSTOM_PATH + ": " + after.path("policyDocument"));
    }

    /**
     * R26b.1 (Connect down): as above, but instead of a new tag Connect answers HTTP 500 past the tag TTL. Asked
     * directly, the custom route is {@code resource-tags-unavailable}; the next cached Allow for another route still
     * grants it — unreadable tags end in a grant, not a Deny.
     */
    @Test
    void R26b_1_unreadableTagsAreNotGrantedByLaterCachedAnswers() throws Exception {
        ANSWERS.remove(QUEUE);
        LocalLambdaRuntime r = runtime(policy(statement("Allow", "connect:*", "*"), DENY_LOCKED),
                Map.of("AUTHORIZER_CACHE_RESULT_TTL", "300", "AUTHORIZER_CACHE_TAG_TTL", "PT1S",
                        "JAVA_TOOL_OPTIONS", customRoute()));
        String token = token("agent-edge-2", Map.of());
        String users = "/users/" + INSTANCE + "/u-2";
        JsonNode before = invoke(r, restRequest(token, "GET", users, Map.of()));
        assertTrue(grants(before, "GET", CUSTOM_PATH), before.toString());

        ANSWERS.put(QUEUE, new Object[] {500, "{\"message\":\"down\"}"});
        Thread.sleep(1_500);
        try {
            JsonNode direct = invoke(r, restRequest(token, "GET", CUSTOM_PATH, Map.of()));
            assertEquals("resource-tags-unavailable", direct.path("context").path("reason").asText(),
                    direct.toString());
            JsonNode after = invoke(r, restRequest(token, "GET", users, Map.of()));
            assertTrue(allowed(after), after.toString());
            assertFalse(grants(after, "GET", CUSTOM_PATH), "Connect cannot be read (asked directly: "
                    + direct.path("context").path("reason").asText() + "), yet this cached Allow still grants "
                    + CUSTOM_PATH + ": " + after.path("policyDocument"));
        } finally {
            ANSWERS.remove(QUEUE);
        }
    }

    /**
     * R26b.1 (how long): with the default principal cache the same session's Allows still carry the stale grant 2.5 s
     * after the re-tag (tag TTL 1 s) — the route-level grants are keyed on the session's compiled policies and end only
     * when the principal is reloaded (default TTL 5 min + 1 min stale-while-revalidate) or evicted. Guards observed
     * to hold: another session of the same role is classified afresh (no stale grant); with the principal TTL at 1 s
     * the same session is classified afresh too.
     */
    @Test
    void R26b_1_theStaleGrantLastsUntilThePrincipalIsReloaded() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (boolean shortPrincipalTtl : List.of(false, true)) {
            ANSWERS.remove(QUEUE);
            Map<String, String> env = new HashMap<>(Map.of("AUTHORIZER_CACHE_RESULT_TTL", "300",
                    "AUTHORIZER_CACHE_TAG_TTL", "PT1S", "JAVA_TOOL_OPTIONS", customRoute()));
            if (shortPrincipalTtl) {
                env.put("AUTHORIZER_CACHE_TTL", "PT1S");
                env.put("AUTHORIZER_CACHE_STALE_WHILE_REVALIDATE", "PT0S");
            }
            LocalLambdaRuntime r = runtime(policy(statement("Allow", "connect:*", "*"), DENY_LOCKED), env);
            String users = "/users/" + INSTANCE + "/u-3";
            String first = token("agent-first-" + shortPrincipalTtl, Map.of());
            JsonNode before = invoke(r, restRequest(first, "GET", users, Map.of()));
            assertTrue(grants(before, "GET", CUSTOM_PATH), before.toString());
            tags(QUEUE, "{\"locked\":\"true\"}");
            Thread.sleep(2_500);
            for (String who : List.of("agent-first-" + shortPrincipalTtl, "agent-other-" + shortPrincipalTtl)) {
                String t = who.startsWith("agent-first") ? first : token(who, Map.of());
                JsonNode after = invoke(r, restRequest(t, "GET", users, Map.of()));
                tried++;
                if (grants(after, "GET", CUSTOM_PATH)) {
                    wrong.add((shortPrincipalTtl ? "principal TTL 1 s" : "default principal TTL") + ", " + who
                            + ": 2.5 s after the re-tag (tag TTL 1 s) the Allow for " + users + " grants "
                            + CUSTOM_PATH);
                }
            }
            ANSWERS.remove(QUEUE);
        }
        System.out.println("R26b.1 persistence: " + wrong);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    // -- Probes that held (kept as guards) ---------------------------------------------------------------------------

    static final String INST2 = "22222222-3333-4444-5555-666666666666";
    static final String CONNECT2 = "arn:aws:connect:us-east-1:111122223333:instance/" + INST2;

    /** A TOKEN event for {@code GET path}. */
    static ObjectNode tokenEvent(String token, String method, String path) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "TOKEN");
        e.put("authorizationToken", token);
        e.put("methodArn", STAGE + "/" + method + path);
        return e;
    }

    /** An HTTP API payload 2.0 event (policy responses unless the runtime says otherwise), the token its one source. */
    static ObjectNode httpEvent(String token, String method, String path, String routeKey) {
        return RedteamPass12PackagedIT.httpRequest(token, method, path, "", routeKey, List.of(token));
    }

    /** The three event kinds for one request. */
    static Map<String, ObjectNode> kinds(String token, String path, String routeKey) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        out.put("REST", restRequest(token, "GET", path, Map.of()));
        out.put("TOKEN", tokenEvent(token, "GET", path));
        out.put("HTTP", httpEvent(token, "GET", path, routeKey));
        return out;
    }

    static int tried;

    /**
     * Wrong-Allow probes (each through REST REQUEST, TOKEN and HTTP API events, result TTL 300): {@code allowedPath}
     * must not be granted beyond itself to any of {@code deniedPaths}, and each denied path asked directly is not
     * allowed. Returns what went wrong.
     */
    static List<String> probe(LocalLambdaRuntime r, String who, String allowedPath, String routeKey,
                              List<String> deniedPaths, boolean expectAllowed) throws Exception {
        List<String> wrong = new ArrayList<>();
        String token = token(who, Map.of());
        for (Map.Entry<String, ObjectNode> k : kinds(token, allowedPath, routeKey).entrySet()) {
            JsonNode a = invoke(r, k.getValue());
            tried++;
            if (expectAllowed && !allowed(a)) {
                wrong.add("(not a wrong Allow) " + k.getKey() + " " + allowedPath + " not allowed: " + a.path("context"));
            }
            for (String d : deniedPaths) {
                if (grants(a, "GET", d)) {
                    wrong.add(k.getKey() + " Allow for " + allowedPath + " grants " + d + ": " + a.path("policyDocument"));
                }
            }
        }
        for (String d : deniedPaths) {
            for (Map.Entry<String, ObjectNode> k : kinds(token, d, routeKey).entrySet()) {
                JsonNode a = invoke(r, k.getValue());
                tried++;
                if (allowed(a) || grants(a, "GET", d)) {
                    wrong.add(k.getKey() + " " + d + " allowed: " + a.path("context"));
                }
            }
        }
        return wrong;
    }

    /** ABAC Allow on {@code team=blue}: other users (red, none, case-variant keys, upper-case id) stay denied. */
    @Test
    void guard_aTagConditionedAllowIsNotReusedForOtherResources() throws Exception {
        String u = CONNECT + "/agent/";
        tags(u + "u-blue", "{\"team\":\"blue\"}");
        tags(u + "u-red", "{\"team\":\"red\"}");
        tags(u + "u-case", "{\"Team\":\"blue\",\"team\":\"red\"}");
        tags(u + "u-case2", "{\"team\":\"red\",\"TEAM\":\"blue\"}");
        tags(u + "U-BLUX", "{\"team\":\"blue\"}"); // the ARN as sent is blue, the lower-case resource is not
        LocalLambdaRuntime r = runtime(policy("{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/team\":\"blue\"}}}"),
                Map.of("AUTHORIZER_CACHE_RESULT_TTL", "300"));
        String p = "/users/" + INSTANCE + "/";
        List<String> wrong = probe(r, "abac-1", p + "u-blue", "GET /users/{InstanceId}/{UserId}",
                List.of(p + "u-red", p + "u-none", p + "u-case", p + "u-case2", p + "U-BLUX",
                        "/queues/" + INSTANCE + "/q-1", p + "u-blue/proficiencies"), true);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * Deny on {@code connect:ResourceTag/VIP} (key spelled in upper case): tags {@code vip}/{@code Vip}; the instance
     * of a two-resource route (ListUserProficiencies: instance and user) tagged; a custom route with a label.
     */
    @Test
    void guard_aTagConditionedDenyIsNotWalkedAroundThroughTheCache() throws Exception {
        tags(CONNECT + "/agent/u-vip", "{\"vip\":\"true\"}");
        tags(CONNECT + "/agent/u-vip2", "{\"Vip\":\"true\"}");
        tags(CONNECT2, "{\"VIP\":\"true\"}");
        tags(CONNECT + "/queue/q-vip", "{\"vip\":\"true\"}");
        LocalLambdaRuntime r = runtime(policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":"
                        + "{\"StringEquals\":{\"connect:ResourceTag/VIP\":\"true\"}}}"),
                Map.of("AUTHORIZER_CACHE_RESULT_TTL", "300", "JAVA_TOOL_OPTIONS",
                        "-Dauthorizer.custom-routes[0].method=GET -Dauthorizer.custom-routes[0].path=/q/{qid}"
                                + " -Dauthorizer.custom-routes[0].action=connect:DescribeQueue"
                                + " -Dauthorizer.custom-routes[0].arns=arn:{Partition}:connect:{Region}:{Account}:"
                                + "instance/" + INSTANCE + "/queue/{qid}"));
        String p = "/users/" + INSTANCE + "/";
        List<String> wrong = new ArrayList<>();
        wrong.addAll(probe(r, "vip-1", p + "u-1", "GET /users/{InstanceId}/{UserId}",
                List.of(p + "u-vip", p + "u-vip2", p + "U-VIP", "/users/" + INST2 + "/u-1/proficiencies",
                        "/q/q-vip"), true));
        wrong.addAll(probe(r, "vip-2", "/users/" + INST2 + "/u-1", "GET /users/{InstanceId}/{UserId}",
                List.of("/users/" + INST2 + "/u-1/proficiencies", "/q/q-vip"), true));
        wrong.addAll(probe(r, "vip-3", "/q/q-open", "GET /q/{qid}", List.of("/q/q-vip", p + "u-vip"), true));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** {@code ${aws:ResourceTag/self}} in an Allow's Resource: only the user whose tag names itself. */
    @Test
    void guard_aResourceTagPolicyVariableIsNotReusedForOtherResources() throws Exception {
        String u = CONNECT + "/agent/";
        tags(u + "u-self", "{\"self\":\"u-self\"}");
        tags(u + "u-other", "{\"self\":\"u-self\"}");
        tags(u + "u-star", "{\"self\":\"*\"}");
        tags(u + "u-case", "{\"self\":\"u-case\",\"SELF\":\"u-x\"}");
        LocalLambdaRuntime r = runtime(policy(statement("Allow", "connect:DescribeUser",
                        "arn:aws:connect:us-east-1:111122223333:instance/*/agent/${aws:ResourceTag/self}")),
                Map.of("AUTHORIZER_CACHE_RESULT_TTL", "300"));
        String p = "/users/" + INSTANCE + "/";
        List<String> wrong = probe(r, "var-1", p + "u-self", "GET /users/{InstanceId}/{UserId}",
                List.of(p + "u-other", p + "u-none", p + "u-case", p + "u-star"), true);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * A query-named resource (ListAssociatedContacts' {@code contactId}) under the cache: an Allow for
     * {@code c-open} would serve {@code c-vip} from the cache; with TTL 0 the tags decide per request.
     */
    @Test
    void guard_aQueryNamedResourcesTagsAreNotPinnedByTheCache() throws Exception {
        tags(CONNECT + "/contact/c-vip", "{\"vip\":\"true\"}");
        String policy = policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/vip\":\"true\"}}}");
        List<String> wrong = new ArrayList<>();
        for (String ttl : List.of("300", "0")) {
            LocalLambdaRuntime r = runtime(policy, Map.of("AUTHORIZER_CACHE_RESULT_TTL", ttl));
            String token = token("query-" + ttl, Map.of());
            String path = "/contact/associated/" + INSTANCE;
            JsonNode open = invoke(r, restRequest(token, "GET", path, Map.of("contactId", List.of("c-open"))));
            JsonNode vip = invoke(r, restRequest(token, "GET", path, Map.of("contactId", List.of("c-vip"))));
            JsonNode both = invoke(r, restRequest(token, "GET", path, Map.of("contactId", List.of("c-open", "c-vip"))));
            tried += 3;
            if (ttl.equals("300") && allowed(open)) {
                wrong.add("TTL 300: c-open allowed, the cached answer would serve c-vip: " + open.path("context"));
            }
            if (ttl.equals("0") && !allowed(open)) {
                wrong.add("(not a wrong Allow) TTL 0: c-open not allowed: " + open.path("context"));
            }
            if (allowed(vip) || allowed(both)) {
                wrong.add("TTL " + ttl + ": c-vip allowed: " + vip.path("context") + " " + both.path("context"));
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * HTTP API simple responses (routeKey in the key): the label-free custom route's {@code true} is decided afresh
     * each time (no route-grants cache), so after the re-tag and the tag TTL it is {@code false}.
     */
    @Test
    void guard_httpSimpleResponsesReadTheReTaggedResource() throws Exception {
        String arn = CONNECT + "/queue/q-simple";
        ANSWERS.remove(arn);
        LocalLambdaRuntime r = runtime(policy(statement("Allow", "connect:*", "*"), DENY_LOCKED),
                Map.of("AUTHORIZER_CACHE_RESULT_TTL", "300", "AUTHORIZER_CACHE_TAG_TTL", "PT1S",
                        "AUTHORIZER_HTTP_SIMPLE_RESPONSES", "true",
                        "AUTHORIZER_CACHE_IDENTITY_SOURCES", "$request.header.Authorization,$context.routeKey",
                        "JAVA_TOOL_OPTIONS", "-Dauthorizer.custom-routes[0].method=GET"
                                + " -Dauthorizer.custom-routes[0].path=/reports/simple"
                                + " -Dauthorizer.custom-routes[0].action=connect:DescribeQueue"
                                + " -Dauthorizer.custom-routes[0].arns=arn:{Partition}:connect:{Region}:{Account}:"
                                + "instance/" + INSTANCE + "/queue/q-simple"));
        String token = token("simple-1", Map.of());
        ObjectNode e = httpEvent(token, "GET", "/reports/simple", "GET /reports/simple");
        ((com.fasterxml.jackson.databind.node.ArrayNode) e.get("identitySource")).add("GET /reports/simple");
        JsonNode before = invoke(r, e);
        tags(arn, "{\"locked\":\"true\"}");
        try {
            Thread.sleep(1_500);
            ((ObjectNode) e.get("requestContext")).put("timeEpoch", System.currentTimeMillis());
            JsonNode after = invoke(r, e);
            tried += 2;
            assertTrue(before.path("isAuthorized").asBoolean(), before.toString());
            assertFalse(after.path("isAuthorized").asBoolean(), after.toString());
        } finally {
            ANSWERS.remove(arn);
        }
    }

    @AfterAll
    static void counts() {
        System.out.println("RedteamPass26PackagedIT: " + tried + " probe invocations; Connect asked " + ASKED.size()
                + " times: " + new java.util.TreeSet<>(ASKED));
    }
}
