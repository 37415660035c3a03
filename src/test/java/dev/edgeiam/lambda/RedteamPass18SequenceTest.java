package dev.edgeiam.lambda;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.CustomRouteMapping;

/**
 * Red-team pass 18 (ce0aaf4), whole pipeline on one thread: one long-lived harness (route-match memo, RecentTexts of
 * the bytes reader and of MethodArn, the stage-prefix memo, the answer writer's string memo all warm) answers a
 * random sequence exactly as a fresh harness answers each event alone. Events: REST REQUEST and TOKEN, HTTP API 2.0,
 * WebSocket {@code $connect}; paths, query values, user agents, stages and API ids drawn from equal-hash texts
 * ({@code Aa}/{@code BB}...), with custom routes (one reading the query). Every event also goes through the
 * harness's bytes-vs-tree reader check.
 */
class RedteamPass18SequenceTest {

    static final List<String> TWINS = List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", "u-1");
    static final List<CustomRouteMapping> CUSTOM = dev.edgeiam.authorize.RedteamPass18MemoTest.customRoutes(INSTANCE);
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":[\"" + CONNECT + "/agent/BB\",\"" + CONNECT
            + "/agent/BBBB\",\"" + CONNECT + "/queue/BB\"]},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
            + "{\"aws:UserAgent\":[\"BB\",\"BBAa\"]}}}]}";

    static final List<CacheModel> MODELS = List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT,
            new CacheModel(Duration.ofSeconds(300), List.of("method.request.header.Authorization",
                    "method.request.header.User-Agent", "$request.header.Authorization", "$request.header.user-agent",
                    "route.request.header.Authorization")));

    static String twin(SplittableRandom r) {
        return TWINS.get(r.nextInt(TWINS.size()));
    }

    static ObjectNode event(EdgeHarness h, String tok, SplittableRandom r) {
        String who = twin(r);
        String path = switch (r.nextInt(3)) {
            case 0 -> "/users/" + INSTANCE + "/" + who;
            case 1 -> "/v1/agents/" + who;
            default -> "/v1/queue-report";
        };
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (path.equals("/v1/queue-report") || r.nextBoolean()) {
            query.put("queueId", new ArrayList<>(List.of(twin(r))));
            if (r.nextInt(5) == 0) {
                query.get("queueId").add(twin(r));
            }
        }
        String ua = twin(r);
        ObjectNode e;
        switch (r.nextInt(5)) {
            case 0 -> e = h.tokenEvent(tok, "GET", path);
            case 1 -> {
                StringBuilder raw = new StringBuilder();
                query.forEach((k, vs) -> vs.forEach(v -> raw.append(raw.isEmpty() ? "" : "&").append(k).append('=')
                        .append(v)));
                e = h.httpRequest(tok, "GET", path, raw.toString(), "ANY /{proxy+}", List.of(tok));
                ((ObjectNode) e.path("headers")).put("user-agent", ua);
                ((ObjectNode) e.path("requestContext").path("http")).put("userAgent", ua);
            }
            case 2 -> {
                Map<String, List<String>> q = new LinkedHashMap<>();
                q.put("instanceId", List.of(INSTANCE));
                q.put("agentId", List.of(who));
                if (r.nextInt(4) == 0) {
                    q.put("AgentId", List.of(twin(r)));
                }
                e = h.restRequest(tok, "GET", "/ignored", q, "198.51.100.23");
                e.put("methodArn", STAGE + "/$connect");
                e.remove("httpMethod");
                e.remove("path");
                ((ObjectNode) e.get("requestContext")).put("eventType", "CONNECT").put("routeKey", "$connect");
                withUserAgent(e, ua);
            }
            default -> {
                e = h.restRequest(tok, "GET", path, query, "198.51.100.23");
                withUserAgent(e, ua);
            }
        }
        // stage and API id from equal-hash texts (the stage-prefix memo and MethodArn's field table)
        String field = e.has("routeArn") ? "routeArn" : "methodArn";
        String arn = e.path(field).asText();
        String stage = List.of("prod", "Aa", "BB").get(r.nextInt(3));
        String api = List.of("k7p2q9x4zd", "Aa", "BB").get(r.nextInt(3));
        String prefix = "arn:aws:execute-api:" + EdgeHarness.REGION + ":" + EdgeHarness.ACCOUNT + ":" + api + "/"
                + stage;
        e.put(field, prefix + arn.substring(STAGE.length()));
        if (e.path("requestContext").isObject()) {
            ((ObjectNode) e.path("requestContext")).put("stage", stage);
        }
        return e;
    }

    static void withUserAgent(ObjectNode e, String ua) {
        ((ObjectNode) e.path("requestContext").path("identity")).put("userAgent", ua);
        ((ObjectNode) e.path("headers")).put("User-Agent", ua);
        ((ArrayNode) e.path("multiValueHeaders").path("User-Agent")).removeAll().add(ua);
    }

    @Test
    void aLongLivedHarnessAnswersAsAFreshOne() {
        List<String> wrong = new ArrayList<>();
        int events = 0;
        int allows = 0;
        for (CacheModel model : MODELS) {
            SplittableRandom r = new SplittableRandom(18L + model.hashCode());
            EdgeHarness shared = new EdgeHarness(model, false, CUSTOM, POLICY);
            String tok = shared.token();
            for (int i = 0; i < 600; i++) {
                ObjectNode e = event(shared, tok, r);
                JsonNode got = shared.answer(e.deepCopy());
                EdgeHarness fresh = new EdgeHarness(model, false, CUSTOM, POLICY);
                JsonNode expected = fresh.answer(e.deepCopy());
                events++;
                if (got.path("context").path("decision").asText().equals("Allow")) {
                    allows++;
                }
                if (!got.equals(expected)) {
                    wrong.add(model + " " + e + "\n  long-lived: " + got + "\n  fresh:      " + expected);
                    if (wrong.size() > 5) {
                        break;
                    }
                }
            }
        }
        System.out.println("RedteamPass18SequenceTest: events=" + events + " allows=" + allows);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(allows > 50, "allows: " + allows);
    }
}
