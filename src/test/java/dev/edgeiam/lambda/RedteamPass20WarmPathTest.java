package dev.edgeiam.lambda;

import static dev.edgeiam.lambda.EdgeHarness.ACCOUNT;
import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.REGION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.CustomRouteMapping;

/**
 * Red-team pass 20 (commits 35bee62..1c48f90), the whole pipeline: the warm path — {@link EventDispatcher} over the
 * bytes reader (deferred long header values, per-thread scratch pairs and slot arrays, the ARN text table), the
 * MethodArn parse memo, Arns.account's identity memo, EdgeContextKeys' instance-key memo, the verified-credential
 * cache keyed by the SHA-256 of the token's event bytes and the answer lent from the thread's writer buffer — against
 * the tree path of a second long-lived authorizer, and every 40th event against a fresh authorizer. Byte for byte.
 *
 * <p>Events are written as raw JSON so header values can be spelled with escapes: the same token with one char
 * {@code \\u}-escaped (not deferred, same credential), the token forged in one signature char (deferred, same
 * length), with a trailing space, {@code bearer}/double space prefixes, headers and multiValueHeaders disagreeing,
 * 63..66-char user agents and referers made of equal-hash twins ({@code Aa}/{@code BB}), non-ASCII, paths on
 * another instance (the Allow holds only for {@code connect:InstanceId} = {@link EdgeHarness#INSTANCE}), stages,
 * accounts and regions of other ARNs, ARNs near 1,600 chars, and query/header members present in one event and
 * absent in the next. An oracle also holds: a request IAM denies is never allowed on the warm path.
 */
public class RedteamPass20WarmPathTest {

    static final String INSTANCE_B = "99999999-8888-7777-6666-555555555555";
    static final List<CustomRouteMapping> CUSTOM = dev.edgeiam.authorize.RedteamPass18MemoTest.customRoutes(INSTANCE);

    static String rep(String s, int n) {
        return s.repeat(n);
    }

    /** User agents and referers: equal-hash twins on both sides of the deferral bound (64 chars). */
    static final List<String> LONGS = List.of("Aa", "BB", rep("Aa", 32), rep("BB", 32), rep("Aa", 32) + "x",
            rep("BB", 32) + "x", rep("Aa", 33), rep("BB", 33), rep("Aa", 31) + "xy", rep("BB", 31) + "xy",
            rep("AaBB", 40), rep("BBAa", 40), rep("BB", 33) + "\u00e9", rep("Aa", 500), rep("BB", 500));
    /** The user agents and referers the policy denies. */
    static final List<String> DENIED = List.of("BB", rep("BB", 32), rep("BB", 32) + "x", rep("BB", 33),
            rep("BB", 31) + "xy", rep("BBAa", 40), rep("BB", 500));

    static String quoted(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            b.append(b.length() == 1 ? "" : ",").append('"').append(v).append('"');
        }
        return b.append(']').toString();
    }

    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
            + "{\"connect:InstanceId\":\"" + INSTANCE + "\"}}},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":[\"" + CONNECT + "/agent/BB\",\"" + CONNECT
            + "/agent/BBBB\",\"" + CONNECT + "/queue/BB\"]},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
            + "{\"aws:UserAgent\":" + quoted(DENIED) + "}}},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
            + "{\"aws:Referer\":" + quoted(DENIED) + "}}},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
            + "{\"aws:PrincipalTag/team\":\"red\"}}}]}";

    static final CacheModel UA_KEYED = new CacheModel(Duration.ofSeconds(300), List.of(
            "method.request.header.Authorization", "method.request.header.User-Agent", "$request.header.Authorization",
            "$request.header.user-agent", "route.request.header.Authorization"));

    static final CacheModel ROUTE_KEYED = new CacheModel(Duration.ofSeconds(300), List.of(
            "$request.header.Authorization", "$context.routeKey"));

    record Config(CacheModel model, boolean simple) {
    }

    static final List<Config> CONFIGS = List.of(new Config(CacheModel.NOT_CACHED, false),
            new Config(CacheModel.API_GATEWAY_DEFAULT, false), new Config(UA_KEYED, false),
            new Config(ROUTE_KEYED, true), new Config(CacheModel.NOT_CACHED, true));

    static final ObjectMapper PARSER = EventDispatcher.parser(new EventLimits(262_144, 64, 131_072));
    static final ObjectMapper JSON = new ObjectMapper();
    static final EventLimits LIMITS = new EventLimits(262_144, 64, 131_072);

    /** The warm path: the dispatcher reads the event's bytes and hands the request to the authorizer. */
    static EventDispatcher warm(EdgeHarness h) {
        return new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER, h.gateway.handler()), LIMITS);
    }

    /** The tree path: a plain handler, so the dispatcher never uses the bytes reader. */
    static EventDispatcher tree(EdgeHarness h) {
        EventDispatcher.Handler plain = event -> h.gateway.answer(event);
        return new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER, plain), LIMITS);
    }

    static EdgeHarness harness(Config c) {
        return new EdgeHarness(c.model(), c.simple(), CUSTOM, POLICY);
    }

    /** Tokens shared by every harness (same dev issuer, same clock). */
    record Tokens(String blue, String red, String forged) {
        static Tokens of(EdgeHarness h) {
            String blue = h.token("agent-blue", Map.of("team", "blue"));
            String red = h.token("agent-red", Map.of("team", "red"));
            // one char of the signature's middle changed: same length, always deferred, never valid
            int at = blue.length() - 40;
            char c = blue.charAt(at);
            String forged = blue.substring(0, at) + (c == 'A' ? 'B' : 'A') + blue.substring(at + 1);
            return new Tokens(blue, red, forged);
        }
    }

    /** One event, as raw JSON bytes, and whether IAM denies it (true: must never be allowed). */
    record Ev(byte[] bytes, String what, boolean mustDeny, boolean rejected, String arn) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code "value"} with its first ASCII letter {@code \\u}-escaped (the same text, spelled otherwise). */
    public static String escapedFirst(String value) {
        String json = JSON.valueToTree(value).toString();
        for (int i = 1; i < json.length() - 1; i++) {
            char c = json.charAt(i);
            if (Character.isLetterOrDigit(c) && c < 0x80) {
                return json.substring(0, i) + String.format("\\u%04x", (int) c) + json.substring(i + 1);
            }
        }
        return json;
    }

    /** A credential spelling: the JSON text of the header value, whether it is the blue or red caller, or rejected. */
    record Cred(String json, String who) {
    }

    static Cred credential(Tokens t, SplittableRandom r) {
        String jwtBlue = t.blue().substring("Bearer ".length());
        return switch (r.nextInt(14)) {
            case 0, 1, 2 -> new Cred(JSON.valueToTree(t.blue()).toString(), "blue");
            case 3, 4 -> new Cred(JSON.valueToTree(t.red()).toString(), "red");
            case 5 -> new Cred(escapedFirst(t.blue()), "blue");
            case 6 -> new Cred(escapedFirst(t.red()), "red");
            case 7 -> new Cred(JSON.valueToTree(t.forged()).toString(), null);
            case 8 -> new Cred(escapedFirst(t.forged()), null);
            case 9 -> new Cred(JSON.valueToTree(t.blue() + " ").toString(), "?");
            case 10 -> new Cred(JSON.valueToTree("bearer " + jwtBlue).toString(), "?");
            case 11 -> new Cred(JSON.valueToTree("Bearer  " + jwtBlue).toString(), "?");
            case 12 -> new Cred(JSON.valueToTree(t.blue().substring(0, 64 + r.nextInt(3))).toString(), null);
            default -> new Cred("\"" + t.blue().replace("/", "\\/") + "x\"", null);
        };
    }

    static String twin(SplittableRandom r) {
        return List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", "u-1").get(r.nextInt(7));
    }

    static boolean deniedWho(String who) {
        return who.equals("BB") || who.equals("BBBB");
    }

    /** A long user id making the ARN {@code target} chars long (1,598..1,602: on both sides of MethodArn's bound). */
    static String longId(int prefixLength, int target, SplittableRandom r) {
        int n = Math.max(1, target - prefixLength);
        StringBuilder b = new StringBuilder();
        while (b.length() < n) {
            b.append(r.nextBoolean() ? "Aa" : "BB");
        }
        return b.substring(0, n);
    }

    static Ev event(Tokens t, SplittableRandom r, long now) {
        Cred cred = credential(t, r);
        boolean mustDeny = "red".equals(cred.who());
        boolean rejected = cred.who() == null;
        String stageName = List.of("prod", "prod", "Aa", "BB").get(r.nextInt(4));
        String account = r.nextInt(6) == 0 ? "444455556666" : ACCOUNT;
        String region = r.nextInt(8) == 0 ? "eu-west-1" : REGION;
        String api = List.of("k7p2q9x4zd", "Aa", "BB").get(r.nextInt(3));
        String prefix = "arn:aws:execute-api:" + region + ":" + account + ":" + api + "/" + stageName;
        String who = twin(r);
        String path;
        Map<String, List<String>> query = new LinkedHashMap<>();
        boolean instanceB = false;
        switch (r.nextInt(7)) {
            case 0, 1 -> path = "/users/" + INSTANCE + "/" + who;
            case 2 -> {
                path = "/users/" + INSTANCE_B + "/" + who;
                instanceB = true;
            }
            case 3 -> path = "/v1/agents/" + who;
            case 4 -> {
                path = "/v1/queue-report";
                query.put("queueId", List.of(who));
            }
            case 5 -> {
                String head = prefix + "/GET/users/" + INSTANCE + "/";
                path = "/users/" + INSTANCE + "/" + longId(head.length(), 1_598 + r.nextInt(5), r);
            }
            default -> path = "/users/" + (r.nextBoolean() ? INSTANCE : INSTANCE_B) + "/" + who + "*" + who;
        }
        if (path.startsWith("/users/" + INSTANCE_B)) {
            instanceB = true;
        }
        boolean deniedPath = (path.equals("/users/" + INSTANCE + "/" + who) || path.equals("/v1/agents/" + who))
                && deniedWho(who) || path.equals("/v1/queue-report") && who.equals("BB");
        if (r.nextInt(3) == 0) {
            query.computeIfAbsent("x" + twin(r), k -> new ArrayList<>()).add(twin(r));
        }
        String ua = LONGS.get(r.nextInt(LONGS.size()));
        String referer = r.nextInt(3) == 0 ? LONGS.get(r.nextInt(LONGS.size())) : null;
        boolean headerUaOnly = r.nextBoolean(); // no context user agent: aws:UserAgent is read from the header
        String format = List.of("REST", "REST", "TOKEN", "HTTP", "HTTP", "WS").get(r.nextInt(6));
        ObjectNode e = JSON.createObjectNode();
        String arn;
        boolean uaEffective = true;
        String multiUa = ua;
        boolean refererEffective = referer != null;
        switch (format) {
            case "TOKEN" -> {
                e.put("type", "TOKEN");
                e.put("authorizationToken", "@@CRED@@");
                arn = prefix + "/GET" + path;
                e.put("methodArn", arn);
                uaEffective = false;
                refererEffective = false;
            }
            case "HTTP" -> {
                e.put("version", "2.0");
                e.put("type", "REQUEST");
                arn = prefix + "/GET" + path;
                e.put("routeArn", arn);
                e.put("routeKey", "ANY /{proxy+}");
                e.put("rawPath", path);
                StringBuilder raw = new StringBuilder();
                query.forEach((k, vs) -> vs.forEach(v -> raw.append(raw.isEmpty() ? "" : "&").append(k).append('=')
                        .append(v)));
                e.put("rawQueryString", raw.toString());
                e.putArray("identitySource").add("@@CRED@@");
                ObjectNode h = e.putObject("headers");
                h.put("authorization", "@@CRED@@");
                h.put("user-agent", ua);
                if (referer != null) {
                    h.put("referer", referer);
                }
                if (!query.isEmpty()) {
                    ObjectNode q = e.putObject("queryStringParameters");
                    query.forEach((k, v) -> q.put(k, String.join(",", v)));
                }
                ObjectNode ctx = e.putObject("requestContext");
                ctx.put("timeEpoch", now);
                ctx.put("stage", stageName);
                ObjectNode http = ctx.putObject("http");
                http.put("method", "GET");
                http.put("path", path);
                http.put("sourceIp", "198.51.100.23");
                if (!headerUaOnly) {
                    http.put("userAgent", ua);
                }
            }
            default -> {
                e.put("type", "REQUEST");
                boolean ws = format.equals("WS");
                if (ws) {
                    arn = prefix + "/$connect";
                    query.clear();
                    query.put("instanceId", List.of(instanceB ? INSTANCE_B : INSTANCE));
                    query.put("agentId", List.of(who));
                    deniedPath = deniedWho(who) && !instanceB;
                } else {
                    arn = prefix + "/GET" + path;
                    e.put("httpMethod", "GET");
                    e.put("path", path);
                    if (r.nextInt(4) == 0) {
                        e.put("version", "1.0"); // an HTTP API payload 1.0 event (REST-shaped)
                    }
                }
                e.put("methodArn", arn);
                ObjectNode h = e.putObject("headers");
                String authName = List.of("Authorization", "authorization", "AUTHORIZATION").get(r.nextInt(3));
                h.put(authName, "@@CRED@@");
                h.put("User-Agent", ua);
                if (referer != null) {
                    h.put("Referer", referer);
                }
                if (r.nextInt(4) != 0) {
                    ObjectNode mh = e.putObject("multiValueHeaders");
                    // sometimes the multi-valued view disagrees: another token, another user agent
                    mh.putArray(authName).add(r.nextInt(6) == 0 ? "@@OTHER@@" : "@@CRED@@");
                    multiUa = r.nextInt(6) == 0 ? LONGS.get(r.nextInt(LONGS.size())) : ua;
                    mh.putArray("User-Agent").add(multiUa);
                    if (referer != null) {
                        mh.putArray("Referer").add(referer);
                    }
                }
                EdgeHarness.putQuery(e, query);
                ObjectNode ctx = e.putObject("requestContext");
                ctx.put("requestTimeEpoch", now);
                ctx.put("stage", stageName);
                if (ws) {
                    ctx.put("eventType", "CONNECT").put("routeKey", "$connect");
                }
                ObjectNode id = ctx.putObject("identity").put("sourceIp", "198.51.100.23");
                if (!headerUaOnly) {
                    id.put("userAgent", ua);
                }
            }
        }
        boolean denyUa = uaEffective && DENIED.contains(ua) && DENIED.contains(multiUa);
        boolean denyReferer = refererEffective && DENIED.contains(referer);
        String text = e.toString();
        text = text.replace("\"@@CRED@@\"", cred.json());
        text = text.replace("\"@@OTHER@@\"", credential(t, r).json());
        // some values spelled with an escape (the same text, not deferred)
        if (r.nextInt(4) == 0) {
            text = text.replace(JSON.valueToTree(ua).toString() + ",", escapedFirst(ua) + ",");
        }
        boolean mustDeny2 = mustDeny || instanceB || deniedPath || denyUa || denyReferer;
        return new Ev(text.getBytes(StandardCharsets.UTF_8), format + " " + path + " ua=" + ua.length() + " cred="
                + cred.who(), mustDeny2, rejected, arn);
    }

    /** Whether the answer lets this request through (a policy allowing its ARN, or a simple isAuthorized). */
    static boolean lets(JsonNode answer, String arn) {
        if (answer.path("isAuthorized").asBoolean(false)) {
            return true;
        }
        return ApiGatewayPolicyMatch.allows(answer, arn);
    }

    record Answered(byte[] bytes, boolean unauthorized, String failure) {
        static Answered of(EventDispatcher.Dispatch d) {
            return new Answered(d.responseJson(), d.unauthorized(), d.failure());
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8) + (unauthorized ? " [401]" : "") + (failure == null ? ""
                    : " [failure " + failure + "]");
        }
    }

    static int events;
    static int allows;
    static int replays;

    static String header(JsonNode event, String name) {
        var it = event.path("headers").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().asText();
            }
        }
        return null;
    }

    /**
     * The key API Gateway caches this event's answer under, as the configuration tells it (coarser is safer: more
     * events share it), or null when nothing is reused or the test does not model it.
     */
    static String cacheKey(Config c, byte[] bytes, String arn) throws java.io.IOException {
        if (c.model().resultTtl().isZero()) {
            return null;
        }
        JsonNode e = PARSER.readTree(bytes);
        String stage = arn.substring(0, arn.indexOf('/', arn.indexOf('/') + 1));
        String format = e.path("type").asText().equals("TOKEN") ? "TOKEN" : e.has("routeArn") ? "HTTP"
                : arn.endsWith("/$connect") ? "WS" : e.path("version").asText().equals("1.0") ? "V1" : "REST";
        String credential = format.equals("TOKEN") ? e.path("authorizationToken").asText()
                : header(e, "authorization");
        if (format.equals("V1")) {
            return stage + "|" + format + "|" + credential; // coarser than any key API Gateway makes
        }
        if (c.model() == ROUTE_KEYED) {
            return format.equals("HTTP") ? stage + "|" + format + "|" + credential + "|" + e.path("routeKey")
                    .asText() : null;
        }
        if (c.model() == UA_KEYED && (format.equals("REST") || format.equals("HTTP"))) {
            return stage + "|" + format + "|" + credential + "|" + header(e, "user-agent");
        }
        return stage + "|" + format + "|" + credential;
    }

    @Test
    void theWarmPathAnswersAsTheTreePathAndAFreshAuthorizer() throws Exception {
        List<String> wrong = new ArrayList<>();
        int perConfig = 5_000;
        for (Config c : CONFIGS) {
            EdgeHarness shared = harness(c);
            EdgeHarness reference = harness(c);
            EventDispatcher warm = warm(shared);
            EventDispatcher tree = tree(reference);
            Tokens tokens = Tokens.of(shared);
            SplittableRandom r = new SplittableRandom(20L + c.hashCode());
            EventDispatcher.Dispatch previous = null;
            byte[] previousBytes = null;
            Map<String, List<JsonNode>> cached = new java.util.HashMap<>();
            for (int i = 0; i < perConfig && wrong.size() < 8; i++) {
                Ev ev = event(tokens, r, shared.clock.millis());
                EventDispatcher.Dispatch d = warm.dispatch(ev.bytes());
                // the previous invocation's lent answer is gone: reading it again must refuse, never give these bytes
                if (previous != null) {
                    try {
                        byte[] again = previous.responseJson();
                        if (!Arrays.equals(again, previousBytes)) {
                            wrong.add("a previous answer now reads as another: " + new String(again,
                                    StandardCharsets.UTF_8));
                        }
                    } catch (IllegalStateException refused) {
                        // expected for a lent answer
                    }
                }
                Answered got = Answered.of(d);
                previous = d;
                previousBytes = got.bytes();
                Answered expected = Answered.of(tree.dispatch(ev.bytes()));
                events++;
                JsonNode answer = JSON.readTree(got.bytes());
                if (!got.unauthorized() && lets(answer, ev.arn())) {
                    allows++;
                    if (ev.mustDeny() || ev.rejected()) {
                        wrong.add("WRONG ALLOW " + c + " " + ev.what() + "\n  " + ev.text() + "\n  " + got.text());
                    }
                }
                // API Gateway's cache: an earlier answer under this event's key is applied to it without a call
                String key = cacheKey(c, ev.bytes(), ev.arn());
                if (key != null && !got.unauthorized()) {
                    List<JsonNode> earlier = cached.computeIfAbsent(key, k -> new ArrayList<>());
                    for (JsonNode before : earlier) {
                        replays++;
                        if ((ev.mustDeny() || ev.rejected()) && lets(before, ev.arn())) {
                            wrong.add("WRONG CACHED ALLOW " + c + " " + ev.what() + "\n  " + ev.text()
                                    + "\n  cached: " + before);
                            break;
                        }
                    }
                    if (earlier.size() < 6) {
                        earlier.add(answer);
                    }
                }
                if (got.failure() != null) {
                    wrong.add("failure " + c + " " + ev.what() + ": " + got.text());
                }
                if (!Arrays.equals(got.bytes(), expected.bytes()) || got.unauthorized() != expected.unauthorized()) {
                    wrong.add(c + " " + ev.what() + "\n  event: " + ev.text() + "\n  warm: " + got.text()
                            + "\n  tree: " + expected.text());
                }
                if (i % 40 == 0) {
                    Answered fresh = Answered.of(warm(harness(c)).dispatch(ev.bytes()));
                    if (!Arrays.equals(got.bytes(), fresh.bytes()) || got.unauthorized() != fresh.unauthorized()) {
                        wrong.add("vs fresh " + c + " " + ev.what() + "\n  event: " + ev.text() + "\n  warm: "
                                + got.text() + "\n  fresh: " + fresh.text());
                    }
                }
            }
        }
        System.out.println("RedteamPass20WarmPathTest: events=" + events + " allows=" + allows + " replays="
                + replays);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(allows > 500, "allows: " + allows);
    }

    /**
     * Eight threads share one warm authorizer (its verified credentials, its instance-key memo, the route-match memo)
     * while each keeps its own per-thread tables; every answer must be the one a single-threaded tree-path authorizer
     * gave the same event beforehand.
     */
    @Test
    void threadsSharingOneWarmAuthorizerAnswerAsTheReference() throws Exception {
        Config c = new Config(CacheModel.API_GATEWAY_DEFAULT, false);
        EdgeHarness shared = harness(c);
        EdgeHarness reference = harness(c);
        Tokens tokens = Tokens.of(shared);
        SplittableRandom r = new SplittableRandom(2020);
        List<Ev> evs = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        EventDispatcher tree = tree(reference);
        for (int i = 0; i < 1_500; i++) {
            Ev ev = event(tokens, r, shared.clock.millis());
            evs.add(ev);
            expected.add(Answered.of(tree.dispatch(ev.bytes())).bytes());
        }
        EventDispatcher warm = warm(shared);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    SplittableRandom rr = new SplittableRandom(seed);
                    for (int i = 0; i < 2_500 && wrong.size() < 5; i++) {
                        int k = rr.nextInt(evs.size());
                        EventDispatcher.Dispatch d = warm.dispatch(evs.get(k).bytes());
                        byte[] got = d.responseJson();
                        answered.incrementAndGet();
                        if (!Arrays.equals(got, expected.get(k))) {
                            wrong.add(evs.get(k).what() + "\n  " + evs.get(k).text() + "\n  got: "
                                    + new String(got, StandardCharsets.UTF_8) + "\n  expected: "
                                    + new String(expected.get(k), StandardCharsets.UTF_8));
                        }
                    }
                } catch (Throwable e) {
                    wrong.add("thread failed: " + e);
                }
            });
            all.add(th);
            th.start();
        }
        start.countDown();
        for (Thread th : all) {
            th.join();
        }
        System.out.println("RedteamPass20WarmPathTest concurrent: answered=" + answered.get());
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(threads * 2_500, answered.get());
    }

    /**
     * A lent answer read on another thread, or after its thread answered again, is refused (never another answer's
     * bytes); through the function itself, each invocation's output is its own, whatever the previous one wrote,
     * including answers that grow the writer's buffer (a long ARN) and invocations that end in an error.
     */
    @Test
    void lentAnswersAreOnlyEverTheirOwnBytes() throws Exception {
        Config c = new Config(CacheModel.API_GATEWAY_DEFAULT, false);
        EdgeHarness shared = harness(c);
        EdgeHarness reference = harness(c);
        Tokens tokens = Tokens.of(shared);
        EventDispatcher warm = warm(shared);
        EventDispatcher tree = tree(reference);
        SplittableRandom r = new SplittableRandom(77);
        List<String> wrong = new ArrayList<>();
        int crossThreadRefusals = 0;
        for (int i = 0; i < 400; i++) {
            Ev ev = event(tokens, r, shared.clock.millis());
            byte[] expected = Answered.of(tree.dispatch(ev.bytes())).bytes();
            EventDispatcher.Dispatch d = warm.dispatch(ev.bytes());
            byte[][] other = new byte[1][];
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    other[0] = d.responseJson();
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            t.start();
            t.join();
            if (other[0] != null && !Arrays.equals(other[0], expected)) {
                wrong.add("read on another thread as another answer: " + new String(other[0], StandardCharsets.UTF_8));
            }
            if (thrown[0] != null) {
                crossThreadRefusals++;
                if (!(thrown[0] instanceof IllegalStateException)) {
                    wrong.add("cross-thread read threw " + thrown[0]);
                }
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            d.writeResponse(out);
            if (!Arrays.equals(out.toByteArray(), expected)) {
                wrong.add("written as another answer: " + out);
            }
            // an event that fails mid-way (not an authorizer event / invalid) between two answers
            if (i % 7 == 0) {
                warm.dispatch("{\"type\":\"REQUEST\",\"methodArn\":\"arn:aws:execute-api:x\"}".getBytes());
                try {
                    byte[] again = d.responseJson();
                    if (!Arrays.equals(again, expected)) {
                        wrong.add("after an error answer, the answer reads as another");
                    }
                } catch (IllegalStateException refused) {
                    // fine
                }
            }
        }
        System.out.println("RedteamPass20WarmPathTest lent: crossThreadRefusals=" + crossThreadRefusals);
        assertTrue(crossThreadRefusals > 100, "lent answers are read on their thread only");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * Byte-level mutations of the events (a byte changed to a quote, backslash, control, DEL or non-ASCII byte, a byte
     * dropped, a run repeated), many inside the deferred token and user agent: the warm path never fails with an
     * internal error and answers exactly as the tree path does (or as it declines).
     */
    @Test
    void mutatedEventsAreAnsweredAsTheTreePathAnswersThem() throws Exception {
        Config c = new Config(CacheModel.NOT_CACHED, false);
        EdgeHarness shared = harness(c);
        EdgeHarness reference = harness(c);
        Tokens tokens = Tokens.of(shared);
        EventDispatcher warm = warm(shared);
        EventDispatcher tree = tree(reference);
        SplittableRandom r = new SplittableRandom(4040);
        List<String> wrong = new ArrayList<>();
        byte[] specials = {'"', '\\', 0x01, 0x1f, 0x7f, (byte) 0xc3, (byte) 0xa9, (byte) 0xff, 'u', ',', '}', ']', ' '};
        int mutated = 0;
        for (int i = 0; i < 6_000 && wrong.size() < 5; i++) {
            byte[] b = event(tokens, r, shared.clock.millis()).bytes();
            String text = new String(b, StandardCharsets.UTF_8);
            int focus = text.indexOf("Bearer");
            for (int k = 1 + r.nextInt(2); k > 0; k--) {
                int at = focus >= 0 && r.nextBoolean() ? Math.min(b.length - 1, focus + r.nextInt(1_000))
                        : r.nextInt(b.length);
                switch (r.nextInt(3)) {
                    case 0 -> b[at] = specials[r.nextInt(specials.length)];
                    case 1 -> {
                        byte[] shorter = new byte[b.length - 1];
                        System.arraycopy(b, 0, shorter, 0, at);
                        System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                        b = shorter;
                    }
                    default -> {
                        int n = Math.min(1 + r.nextInt(80), b.length - at);
                        byte[] longer = new byte[b.length + n];
                        System.arraycopy(b, 0, longer, 0, at + n);
                        System.arraycopy(b, at, longer, at + n, b.length - at);
                        b = longer;
                    }
                }
            }
            mutated++;
            Answered expected = Answered.of(tree.dispatch(b));
            Answered got = Answered.of(warm.dispatch(b));
            if (got.failure() != null) {
                wrong.add("internal error " + got.text() + " on " + new String(b, StandardCharsets.UTF_8));
            } else if (!Arrays.equals(got.bytes(), expected.bytes()) || got.unauthorized() != expected.unauthorized()) {
                wrong.add("mutated event answered otherwise: " + new String(b, StandardCharsets.UTF_8) + "\n  warm: "
                        + got.text() + "\n  tree: " + expected.text());
            }
        }
        System.out.println("RedteamPass20WarmPathTest mutated: events=" + mutated);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
