package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.CONNECT;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.INSTANCE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.STAGE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.allowed;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.grants;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.policy;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.restRequest;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.runtime;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.snapshot;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.statement;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.token;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Eighteenth red-team pass against the packaged function (commit ce0aaf4: the route-match memo of EdgeAuthorizer,
 * RecentTexts for the bytes reader's values and MethodArn's fields, the per-thread stage-prefix memo). One runtime
 * serves every invocation on one thread, so the memo and the text tables persist between them. Texts with equal
 * hash codes ({@code Aa}/{@code BB}, {@code AaAa}/{@code BBBB}/...) share every slot; the Deny is always on the
 * {@code BB} side. Run: {@code ./mvnw -B -o verify -Dit.test=RedteamPass18PackagedIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RedteamPass18PackagedIT {

    @AfterAll
    static void stop() {
        RedteamPass17PackagedIT.stop(); // stops pass 11's runtimes and prints the invocations counted by its ask
    }

    static final String DENIES = policy(statement("Allow", "connect:*", "*"),
            statement("Deny", "connect:*", CONNECT + "/agent/BB"),
            statement("Deny", "connect:*", CONNECT + "/agent/BBBB"),
            statement("Deny", "connect:*", CONNECT + "/agent/AaBB"),
            statement("Deny", "connect:*", CONNECT + "/queue/BB"),
            "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"aws:UserAgent\":[\"BB\",\"BBBB\"]}}}",
            "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"aws:Referer\":\"BB\"}}}");

    static final String CUSTOM = "-Dauthorizer.custom-routes[0].method=GET"
            + " -Dauthorizer.custom-routes[0].path=/v1/agents/{id}"
            + " -Dauthorizer.custom-routes[0].action=connect:DescribeUser"
            + " -Dauthorizer.custom-routes[0].arns=arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE
            + "/agent/{id}"
            + " -Dauthorizer.custom-routes[1].method=WEBSOCKET"
            + " -Dauthorizer.custom-routes[1].path=/$connect"
            + " -Dauthorizer.custom-routes[1].action=connect:DescribeUser"
            + " -Dauthorizer.custom-routes[1].arns=arn:{Partition}:connect:{Region}:{Account}:instance/{instanceId}"
            + "/agent/{agentId}"
            + " -Dauthorizer.custom-routes[2].method=GET"
            + " -Dauthorizer.custom-routes[2].path=/v1/queue-report"
            + " -Dauthorizer.custom-routes[2].action=connect:DescribeQueue"
            + " -Dauthorizer.custom-routes[2].arns=arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE
            + "/queue/{queueId}";

    static boolean denied(String who) {
        return who.equals("BB") || who.equals("BBBB") || who.equals("AaBB");
    }

    static ObjectNode webSocket(String tok, Map<String, List<String>> query) {
        ObjectNode ws = restRequest(tok, "GET", "/ignored", query);
        ws.put("methodArn", STAGE + "/$connect");
        ws.remove("httpMethod");
        ws.remove("path");
        ((ObjectNode) ws.get("requestContext")).put("eventType", "CONNECT").put("routeKey", "$connect");
        return ws;
    }

    static ObjectNode withUserAgent(ObjectNode e, String ua) {
        ((ObjectNode) e.path("requestContext").path("identity")).put("userAgent", ua);
        ((ObjectNode) e.path("headers")).put("User-Agent", ua);
        ((ArrayNode) e.path("multiValueHeaders").path("User-Agent")).removeAll().add(ua);
        return e;
    }

    static ObjectNode withReferer(ObjectNode e, String referer) {
        ((ObjectNode) e.path("headers")).put("Referer", referer);
        ((ObjectNode) e.path("multiValueHeaders")).putArray("Referer").add(referer);
        return e;
    }

    /** Every request of one round: (event, whether IAM would deny it, a description). */
    record Ask(ObjectNode event, boolean deny, String what, String grantMethod, String grantPath) {
    }

    static List<Ask> round(String tok, int round) {
        List<String> whos = List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa");
        List<Ask> out = new ArrayList<>();
        for (String who : round % 2 == 0 ? whos : whos.reversed()) {
            String user = "/users/" + INSTANCE + "/" + who;
            out.add(new Ask(restRequest(tok, "GET", user, Map.of()), denied(who), "GET " + user, "GET", user));
            out.add(new Ask(restRequest(tok, "GET", user, Map.of("x", List.of(who))), denied(who),
                    "GET " + user + "?x=" + who, "GET", user));
            String custom = "/v1/agents/" + who;
            out.add(new Ask(restRequest(tok, "GET", custom, Map.of()), denied(who), "GET " + custom, "GET", custom));
            out.add(new Ask(webSocket(tok, Map.of("instanceId", List.of(INSTANCE), "agentId", List.of(who))),
                    denied(who), "$connect agentId=" + who, null, null));
            Map<String, List<String>> both = new LinkedHashMap<>();
            both.put("instanceId", List.of(INSTANCE));
            both.put("agentId", List.of(who));
            both.put("AgentId", List.of("BB"));
            out.add(new Ask(webSocket(tok, both), true, "$connect agentId=" + who + "&AgentId=BB", null, null));
            out.add(new Ask(restRequest(tok, "GET", "/v1/queue-report", Map.of("queueId", List.of(who))),
                    who.equals("BB"), "queue-report queueId=" + who, null, null));
            out.add(new Ask(restRequest(tok, "GET", "/v1/queue-report", Map.of("queueId", List.of("Aa", who))),
                    true, "queue-report queueId=Aa&queueId=" + who, null, null));
            out.add(new Ask(withUserAgent(restRequest(tok, "GET", "/users/" + INSTANCE + "/u-1", Map.of()), who),
                    who.equals("BB") || who.equals("BBBB"), "user agent " + who, null, null));
            out.add(new Ask(withReferer(restRequest(tok, "GET", "/users/" + INSTANCE + "/u-1", Map.of()), who),
                    who.equals("BB"), "referer " + who, null, null));
            // lower-case verb in the ARN (never sent by API Gateway): the route table refuses it, memo or not
            ObjectNode lower = restRequest(tok, "get", user, Map.of());
            out.add(new Ask(lower, true, "get " + user, null, null));
        }
        return out;
    }

    /**
     * TTL 0: each answer is this request's alone, decided exactly; a round in one order then the other, five rounds,
     * so every request meets the memo entry and text of its equal-hash twin.
     */
    @Test
    void equalHashTwinsAreNeverAnsweredForEachOther() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt18-", ".json"), DENIES, Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0", "JAVA_TOOL_OPTIONS", CUSTOM));
        String tok = token("agent-rt18", Map.of());
        List<String> wrong = new ArrayList<>();
        int allows = 0;
        for (int round = 0; round < 5; round++) {
            for (Ask a : round(tok, round)) {
                JsonNode answer = RedteamPass17PackagedIT.ask(r, a.event());
                if (allowed(answer)) {
                    allows++;
                }
                if (a.deny() && allowed(answer)) {
                    wrong.add("round " + round + " " + a.what() + ": " + answer.path("context"));
                }
                if (!a.deny() && !allowed(answer) && !a.what().startsWith("get ")) {
                    wrong.add("(wrong Deny) round " + round + " " + a.what() + ": " + answer.path("context"));
                }
            }
        }
        System.out.println("RedteamPass18PackagedIT TTL 0: allows=" + allows);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * TTL 300 (the credential the only identity source): no answer allows a request IAM denies, and no policy
     * grants an equal-hash twin that IAM denies; under two stages whose names share a hash (the stage-prefix memo).
     */
    @Test
    void cachedAnswersNeverGrantTheDeniedTwin() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt18-", ".json"), DENIES, Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "300", "JAVA_TOOL_OPTIONS", CUSTOM));
        List<String> wrong = new ArrayList<>();
        List<String> deniedPaths = new ArrayList<>();
        for (String who : List.of("BB", "BBBB", "AaBB")) {
            deniedPaths.add("/users/" + INSTANCE + "/" + who);
            deniedPaths.add("/v1/agents/" + who);
        }
        for (int round = 0; round < 4; round++) {
            String tok = token("agent-rt18-" + round, Map.of());
            for (String stage : List.of("prod", "Aa", "BB")) {
                for (Ask a : round(tok, round)) {
                    ObjectNode e = a.event();
                    String arn = e.path("methodArn").asText();
                    String own = STAGE.substring(0, STAGE.lastIndexOf('/') + 1) + stage;
                    e.put("methodArn", own + arn.substring(STAGE.length()));
                    ((ObjectNode) e.path("requestContext")).put("stage", stage);
                    JsonNode answer = RedteamPass17PackagedIT.ask(r, e);
                    if (a.deny() && allowed(answer)) {
                        wrong.add(stage + " round " + round + " " + a.what() + ": " + answer.path("context"));
                    }
                    for (JsonNode s : answer.path("policyDocument").path("Statement")) {
                        for (JsonNode res : s.path("Resource").isArray() ? s.path("Resource")
                                : List.of(s.path("Resource"))) {
                            boolean denyAll = s.path("Effect").asText().equals("Deny") && res.asText().equals("*");
                            if (!denyAll && !res.asText().startsWith(own + "/")) {
                                wrong.add(stage + " " + a.what() + ": resource of another stage " + res + " in " + s);
                            }
                        }
                    }
                    if (stage.equals("prod")) {
                        for (String p : deniedPaths) {
                            if (grants(answer, "GET", p)) {
                                wrong.add("round " + round + " " + a.what() + " grants GET " + p + ": " + answer);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
