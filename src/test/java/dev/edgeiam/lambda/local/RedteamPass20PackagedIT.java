package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.CONNECT;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.INSTANCE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.JSON;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.STAGE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.policy;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.runtime;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.snapshot;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.statement;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.token;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Red-team pass 20 against the packaged function (commits 35bee62..1c48f90: deferred long header values and the
 * credential key taken from the event's bytes, the answer written from the thread's lent writer buffer, the ARN
 * text table and MethodArn's last-parse memo, the instance-key memo, the per-thread scratch pairs, Arns.account's
 * identity memo). One runtime serves every invocation on one thread. Each event is sent several times at random
 * places in a shuffled sequence: under TTL 0 every answer to it must be the same bytes (the state left by the
 * previous invocation never shows), and an oracle holds: a request IAM denies (another instance than the one the
 * Allow is conditioned on, the red team's tag, a denied user agent or referer of 64..66 equal-hash chars, a denied
 * agent) is never allowed, a forged or truncated token is never let through. Run: {@code ./mvnw -B -o verify
 * -Dit.test=RedteamPass20PackagedIT -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RedteamPass20PackagedIT {

    static final String INSTANCE_B = "99999999-8888-7777-6666-555555555555";
    static int invocations;

    @AfterAll
    static void stop() {
        RedteamPass11PackagedIT.stop();
        System.out.println("RedteamPass20PackagedIT: invocations=" + invocations);
    }

    static final List<String> UAS = List.of("Aa", "BB", "Aa".repeat(32), "BB".repeat(32), "Aa".repeat(32) + "x",
            "BB".repeat(32) + "x", "Aa".repeat(33), "BB".repeat(33), "AaBB".repeat(40), "BBAa".repeat(40));
    static final List<String> DENIED = List.of("BB", "BB".repeat(32), "BB".repeat(32) + "x", "BB".repeat(33),
            "BBAa".repeat(40));

    static String list(List<String> values) {
        return "[\"" + String.join("\",\"", values) + "\"]";
    }

    static final String POLICY = policy(
            "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"connect:InstanceId\":\"" + INSTANCE + "\"}}}",
            statement("Deny", "connect:*", CONNECT + "/agent/BB"),
            statement("Deny", "connect:*", CONNECT + "/agent/BBBB"),
            "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"aws:UserAgent\":" + list(DENIED) + "}}}",
            "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"aws:Referer\":" + list(DENIED) + "}}}",
            "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"aws:PrincipalTag/team\":\"red\"}}}");

    /** As {@link #POLICY} without the header conditions (an Allow may then be cached for other requests). */
    static final String CACHEABLE = policy(
            "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"connect:InstanceId\":\"" + INSTANCE + "\"}}}",
            statement("Deny", "connect:*", CONNECT + "/agent/BB"),
            statement("Deny", "connect:*", CONNECT + "/agent/BBBB"),
            "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"aws:PrincipalTag/team\":\"red\"}}}");

    static boolean headerDenies = true;

    /** The event bytes, whether IAM denies it, whether the credential is no caller's, and its ARN. */
    record Ev(byte[] bytes, boolean mustDeny, boolean rejected, String arn, String what) {
    }

    static Ev event(Random r, String blue, String red, String forged) {
        String cred;
        String who;
        switch (r.nextInt(9)) {
            case 0, 1, 2 -> {
                cred = JSON.valueToTree(blue).toString();
                who = "blue";
            }
            case 3 -> {
                cred = dev.edgeiam.lambda.RedteamPass20WarmPathTest.escapedFirst(blue);
                who = "blue";
            }
            case 4, 5 -> {
                cred = JSON.valueToTree(red).toString();
                who = "red";
            }
            case 6 -> {
                cred = JSON.valueToTree(forged).toString();
                who = null;
            }
            case 7 -> {
                cred = dev.edgeiam.lambda.RedteamPass20WarmPathTest.escapedFirst(forged);
                who = null;
            }
            default -> {
                cred = JSON.valueToTree(blue.substring(0, 64 + r.nextInt(3))).toString();
                who = null;
            }
        }
        String agent = List.of("Aa", "BB", "AaAa", "BBBB", "u-1").get(r.nextInt(5));
        boolean instanceB = r.nextInt(4) == 0;
        String path = "/users/" + (instanceB ? INSTANCE_B : INSTANCE) + "/" + agent;
        String stage = List.of("prod", "Aa", "BB").get(r.nextInt(3));
        String prefix = STAGE.substring(0, STAGE.lastIndexOf('/') + 1) + stage;
        String ua = UAS.get(r.nextInt(UAS.size()));
        String referer = r.nextInt(3) == 0 ? UAS.get(r.nextInt(UAS.size())) : null;
        boolean contextUa = r.nextBoolean();
        ObjectNode e = JSON.createObjectNode();
        String arn = prefix + "/GET" + path;
        boolean token = r.nextInt(5) == 0;
        boolean http = !token && r.nextInt(4) == 0;
        if (token) {
            e.put("type", "TOKEN");
            e.put("authorizationToken", "@@CRED@@");
            e.put("methodArn", arn);
        } else if (http) {
            e.put("version", "2.0");
            e.put("type", "REQUEST");
            e.put("routeArn", arn);
            e.put("routeKey", "ANY /{proxy+}");
            e.put("rawPath", path);
            e.put("rawQueryString", "");
            e.putArray("identitySource").add("@@CRED@@");
            ObjectNode h = e.putObject("headers").put("authorization", "@@CRED@@").put("user-agent", ua);
            if (referer != null) {
                h.put("referer", referer);
            }
            ObjectNode ctx = e.putObject("requestContext");
            ctx.put("timeEpoch", System.currentTimeMillis());
            ctx.put("stage", stage);
            ObjectNode hc = ctx.putObject("http").put("method", "GET").put("path", path).put("sourceIp",
                    "198.51.100.23");
            if (contextUa) {
                hc.put("userAgent", ua);
            }
        } else {
            e.put("type", "REQUEST");
            e.put("methodArn", arn);
            e.put("httpMethod", "GET");
            e.put("path", path);
            ObjectNode h = e.putObject("headers").put("Authorization", "@@CRED@@").put("User-Agent", ua);
            ObjectNode mh = e.putObject("multiValueHeaders");
            mh.putArray("Authorization").add("@@CRED@@");
            mh.putArray("User-Agent").add(ua);
            if (referer != null) {
                h.put("Referer", referer);
                mh.putArray("Referer").add(referer);
            }
            if (r.nextBoolean()) {
                e.putObject("queryStringParameters").put("x" + agent, agent);
                ArrayNode a = e.putObject("multiValueQueryStringParameters").putArray("x" + agent);
                a.add(agent);
            } else {
                e.putNull("queryStringParameters");
                e.putNull("multiValueQueryStringParameters");
            }
            ObjectNode ctx = e.putObject("requestContext");
            ctx.put("requestTimeEpoch", System.currentTimeMillis());
            ctx.put("stage", stage);
            ObjectNode id = ctx.putObject("identity").put("sourceIp", "198.51.100.23");
            if (contextUa) {
                id.put("userAgent", ua);
            }
        }
        String text = e.toString().replace("\"@@CRED@@\"", cred);
        boolean mustDeny = "red".equals(who) || instanceB || agent.equals("BB") || agent.equals("BBBB")
                || headerDenies && ((!token && DENIED.contains(ua))
                || (!token && referer != null && DENIED.contains(referer)));
        return new Ev(text.getBytes(StandardCharsets.UTF_8), mustDeny, who == null, arn,
                (token ? "TOKEN" : http ? "HTTP" : "REST") + " " + path + " ua=" + ua + " who=" + who);
    }

    static boolean lets(JsonNode answer, String arn) {
        if (answer.path("isAuthorized").asBoolean(false)) {
            return true;
        }
        boolean allowed = false;
        for (JsonNode s : answer.path("policyDocument").path("Statement")) {
            for (String res : RedteamPass11PackagedIT.resources(s)) {
                if (RedteamPass11PackagedIT.covers(res, arn)) {
                    if (s.path("Effect").asText().equals("Deny")) {
                        return false;
                    }
                    allowed |= s.path("Effect").asText().equals("Allow");
                }
            }
        }
        return allowed;
    }

    static String cacheKey(Ev ev) throws Exception {
        JsonNode e = JSON.readTree(ev.bytes());
        String arn = ev.arn();
        String stage = arn.substring(0, arn.indexOf('/', arn.indexOf('/') + 1));
        if (e.path("type").asText().equals("TOKEN")) {
            return stage + "|TOKEN|" + e.path("authorizationToken").asText();
        }
        String credential = null;
        var it = e.path("headers").fields();
        while (it.hasNext()) {
            var h = it.next();
            if (h.getKey().equalsIgnoreCase("authorization")) {
                credential = h.getValue().asText();
            }
        }
        return stage + "|" + (e.has("routeArn") ? "HTTP" : "REST") + "|" + credential;
    }

    /**
     * Each of {@code distinct} events sent {@code repeats} times in a shuffled order to one runtime; under a TTL, every
     * earlier answer API Gateway would reuse for an event (same stage, format and credential) is applied to it too.
     */
    static void run(String ttl, String policy, int distinctCount, int repeats, long seed) throws Exception {
        headerDenies = policy.equals(POLICY);
        Path snap = snapshot(Files.createTempFile("rt20-", ".json"), policy, Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", ttl));
        String blue = token("agent-blue", Map.of("https://aws.amazon.com/tags",
                Map.of("principal_tags", Map.of("team", List.of("blue")))));
        String red = token("agent-red", Map.of("https://aws.amazon.com/tags",
                Map.of("principal_tags", Map.of("team", List.of("red")))));
        int at = blue.length() - 40;
        String forged = blue.substring(0, at) + (blue.charAt(at) == 'A' ? 'B' : 'A') + blue.substring(at + 1);
        Random rnd = new Random(seed);
        List<Ev> distinct = new ArrayList<>();
        for (int i = 0; i < distinctCount; i++) {
            distinct.add(event(rnd, blue, red, forged));
        }
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < repeats; k++) {
            for (int i = 0; i < distinct.size(); i++) {
                order.add(i);
            }
        }
        Collections.shuffle(order, rnd);
        Map<Integer, String> first = new HashMap<>();
        Map<String, List<JsonNode>> cached = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        int allows = 0;
        int replays = 0;
        boolean caching = !ttl.equals("0");
        for (int i : order) {
            Ev ev = distinct.get(i);
            RuntimeApiServer.Invocation inv = r.invoke(ev.bytes(), Duration.ofSeconds(60));
            invocations++;
            String body = new String(inv.body(), StandardCharsets.UTF_8) + (inv.error() ? " [error " + inv.errorType()
                    + "]" : "");
            String before = first.putIfAbsent(i, body);
            if (before != null && !before.equals(body)) {
                wrong.add("answered otherwise the second time: " + ev.what() + "\n  first:  " + before
                        + "\n  now:    " + body);
            }
            if (inv.error()) {
                if (!body.contains("Unauthorized")) {
                    wrong.add("function error " + ev.what() + ": " + body);
                }
                continue;
            }
            JsonNode answer = JSON.readTree(inv.body());
            if (lets(answer, ev.arn())) {
                allows++;
                if (ev.mustDeny() || ev.rejected()) {
                    wrong.add("WRONG ALLOW " + ev.what() + "\n  " + new String(ev.bytes(), StandardCharsets.UTF_8)
                            + "\n  " + body);
                }
            }
            if (caching) {
                List<JsonNode> earlier = cached.computeIfAbsent(cacheKey(ev), k -> new ArrayList<>());
                for (JsonNode b : earlier) {
                    replays++;
                    if ((ev.mustDeny() || ev.rejected()) && lets(b, ev.arn())) {
                        wrong.add("WRONG CACHED ALLOW " + ev.what() + "\n  " + new String(ev.bytes(),
                                StandardCharsets.UTF_8) + "\n  cached: " + b);
                        break;
                    }
                }
                if (earlier.size() < 8) {
                    earlier.add(answer);
                }
            }
            if (wrong.size() > 8) {
                break;
            }
        }
        System.out.println("RedteamPass20PackagedIT TTL " + ttl + ": allows=" + allows + " of " + order.size()
                + " replays=" + replays);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(allows > 100, "allows " + allows);
    }

    /** TTL 0: every answer is its own request's; the same event answered anywhere in the sequence reads the same. */
    @Test
    void everyEventIsAnsweredAloneWhateverTheThreadAnsweredBefore() throws Exception {
        run("0", POLICY, 2_000, 4, 2020);
    }

    /** TTL 300: no answer API Gateway would reuse lets through a request IAM denies. */
    @Test
    void noCachedAnswerLetsADeniedRequestThrough() throws Exception {
        run("300", CACHEABLE, 1_500, 3, 2021);
    }
}
