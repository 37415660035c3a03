package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.CONNECT;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.JSON;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.USER_PATH;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.allowed;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.grants;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.invoke;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.policy;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.restRequest;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.runtime;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.snapshot;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.statement;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Seventeenth red-team pass against the packaged function (commits 2a98e9b..eef8481: per-thread header-name table
 * and duplicate-check array in the bytes reader, the open-addressed condition-key table, hand-written BoundedCache,
 * AnswerContext). Run: {@code ./mvnw -B -o verify -Dit.test=RedteamPass17PackagedIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. Each test is a guard; {@link #zeroCacheBoundsStillAnswer} failed on eef8481
 * (F17.1) and passes since.
 */
class RedteamPass17PackagedIT {

    static int invocations;

    @AfterAll
    static void stop() {
        RedteamPass11PackagedIT.stop();
        System.out.println("RedteamPass17PackagedIT: invocations=" + invocations);
    }

    /** Invokes the runtime and counts it (printed when the class's tests end). */
    static JsonNode ask(LocalLambdaRuntime r, JsonNode event) throws Exception {
        invocations++;
        return invoke(r, event);
    }

    private static ObjectNode withHeaders(ObjectNode e, Map<String, String> headers) {
        ObjectNode h = e.putObject("headers");
        ObjectNode m = e.putObject("multiValueHeaders");
        headers.forEach((k, v) -> {
            h.put(k, v);
            m.putArray(k).add(v);
        });
        return e;
    }

    /**
     * The identity header through the bytes reader's per-thread name table, on the one thread the runtime serves:
     * the valid token under names sharing the table slot / hash with "authorization", the bogus one under
     * "Authorization" in other cases, interleaved with events the bytes reader declines part-way.
     */
    @Test
    void theIdentityHeaderIsNeverTakenFromAnotherHeaderName() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt17-", ".json"),
                policy(statement("Allow", "connect:*", "*")), Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0"));
        String good = token("agent-edge", Map.of());
        String bad = good.substring(0, good.length() - 4) + "AAAA";
        // names whose lower-cased form shares the 128-slot table's slot with "authorization"
        List<String> sameSlot = new ArrayList<>();
        int target = slot("authorization");
        for (int i = 0; sameSlot.size() < 6; i++) {
            if (slot("x-h" + i) == target) {
                sameSlot.add("X-H" + i);
            }
        }
        List<String> wrong = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            JsonNode control = ask(r, withHeaders(restRequest(good, "GET", USER_PATH, Map.of()),
                    Map.of(round % 2 == 0 ? "Authorization" : "AUTHORIZATION", good)));
            assertTrue(allowed(control), "control: " + control);
            for (String other : sameSlot) {
                Map<String, String> h = new LinkedHashMap<>();
                h.put(other, good);
                h.put(round % 2 == 0 ? "authorization" : "AuThOrIzAtIoN", bad);
                JsonNode a = ask(r, withHeaders(restRequest(good, "GET", USER_PATH, Map.of()), h));
                if (allowed(a)) {
                    wrong.add("bad token under authorization, good under " + other + ": " + a);
                }
                Map<String, String> only = Map.of(other, good);
                JsonNode b = ask(r, withHeaders(restRequest(good, "GET", USER_PATH, Map.of()), only));
                if (allowed(b)) {
                    wrong.add("good token only under " + other + ": " + b);
                }
            }
            // declined part-way by the bytes reader (an escaped name), then read by the tree reader
            String declined = JSON.writeValueAsString(withHeaders(restRequest(good, "GET", USER_PATH, Map.of()),
                    Map.of("X-Other", good))).replace("\"headers\":{", "\"headers\":{\"Authori\\u007Aation\":\""
                    + bad + "\",");
            invocations++;
            JsonNode d = invoke(r, declined.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (allowed(d)) {
                wrong.add("declined event: " + d);
            }
            // two spellings of the identity header in one event (the bytes reader declines; the tree reader joins)
            Map<String, String> two = new LinkedHashMap<>();
            two.put("Authorization", good);
            two.put("authorization", bad);
            JsonNode t = ask(r, withHeaders(restRequest(good, "GET", USER_PATH, Map.of()), two));
            if (allowed(t)) {
                wrong.add("two spellings: " + t);
            }
            // the header-name table now holds "authorization" from the event before; the bad token again
            JsonNode after = ask(r, withHeaders(restRequest(good, "GET", USER_PATH, Map.of()),
                    Map.of("Authorization", bad)));
            if (allowed(after)) {
                wrong.add("bad token after a declined event: " + after);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    static int slot(String lowerCaseName) {
        int h = lowerCaseName.hashCode();
        return (h ^ (h >>> 16)) & 127;
    }

    /**
     * Condition keys in a grown table: 50 session tags (plus the standard keys: the table grows twice), Denies on
     * one tag, on the source address and on the user agent; each must apply, in every order of requests.
     */
    @Test
    void denyConditionsApplyWithAGrownKeyTable() throws Exception {
        String denies = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                        + "{\"aws:PrincipalTag/T37\":\"blocked\"}}}",
                "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":"
                        + "{\"aws:SourceIp\":\"203.0.113.0/24\"}}}",
                "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
                        + "{\"aws:UserAgent\":\"*evil*\"}}}");
        Path snap = snapshot(Files.createTempFile("rt17-", ".json"), denies, Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0"));
        List<String> wrong = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (boolean blocked : new boolean[] {false, true}) {
                Map<String, Object> tags = new LinkedHashMap<>();
                for (int i = 0; i < 50; i++) {
                    tags.put("t" + i, List.of(i == 37 && blocked ? "blocked" : "v" + i));
                }
                String tok = token("agent-tags-" + round, Map.of("https://aws.amazon.com/tags",
                        Map.of("principal_tags", tags)));
                ObjectNode plain = restRequest(tok, "GET", USER_PATH, Map.of());
                JsonNode a = ask(r, plain);
                if (allowed(a) == blocked) {
                    wrong.add("tag t37 blocked=" + blocked + ": " + a.path("context"));
                }
                ObjectNode fromIp = restRequest(tok, "GET", USER_PATH, Map.of());
                ((ObjectNode) fromIp.path("requestContext").path("identity")).put("sourceIp", "203.0.113.9");
                JsonNode b = ask(r, fromIp);
                if (allowed(b)) {
                    wrong.add("source 203.0.113.9: " + b.path("context"));
                }
                ObjectNode evil = restRequest(tok, "GET", USER_PATH, Map.of());
                ((ObjectNode) evil.path("requestContext").path("identity")).put("userAgent", "very-evil/1");
                ((ObjectNode) evil.path("headers")).put("User-Agent", "very-evil/1");
                ((ObjectNode) evil.path("multiValueHeaders")).putArray("User-Agent").add("very-evil/1");
                JsonNode c = ask(r, evil);
                if (allowed(c)) {
                    wrong.add("user agent very-evil/1: " + c.path("context"));
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** A remembered verification is not used past the token's exp (BoundedCache + VerifiedCredentials' until). */
    @Test
    void aRememberedTokenIsNotAllowedPastItsExpiry() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt17-", ".json"),
                policy(statement("Allow", "connect:*", "*")), Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0", "AUTHORIZER_CACHE_CREDENTIAL_TTL", "PT10M",
                "AUTHORIZER_CLOCK_SKEW_SECONDS", "0")); // with the default 60 s skew exp + 60 s is documented valid
        long exp = java.time.Instant.now().getEpochSecond() + 4;
        String tok = token("agent-short", Map.of("exp", exp));
        for (int i = 0; i < 3; i++) {
            assertTrue(allowed(ask(r, restRequest(tok, "GET", USER_PATH, Map.of()))), "control");
        }
        while (java.time.Instant.now().getEpochSecond() <= exp + 1) {
            Thread.sleep(200);
        }
        JsonNode a = ask(r, restRequest(tok, "GET", USER_PATH, Map.of()));
        assertFalse(allowed(a), "expired token still allowed: " + a);
    }

    /**
     * HTTP simple responses: a reused allowed decision that cannot be reused is isAuthorized false with the context
     * saying Deny / input-not-in-cache-key (AnswerContext.decided), and a fresh one is isAuthorized true with Allow.
     */
    @Test
    void simpleResponsesSayWhatTheyDo() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt17-", ".json"),
                policy(statement("Allow", "connect:*", "*"),
                        statement("Deny", "connect:*", CONNECT + "/agent/u-vip")), Map.of());
        String tok = token("agent-simple", Map.of());
        String path = "/users/" + RedteamPass11PackagedIT.INSTANCE + "/u-1";
        String route = "GET /users/{InstanceId}/{UserId}";
        for (String ttl : List.of("300", "0")) {
            LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                    "AUTHORIZER_CACHE_RESULT_TTL", ttl, "AUTHORIZER_HTTP_SIMPLE_RESPONSES", "true",
                    "AUTHORIZER_CACHE_IDENTITY_SOURCES", "$request.header.Authorization,$context.routeKey"));
            ObjectNode e = RedteamPass12PackagedIT.httpRequest(tok, "GET", path, "", route, List.of(tok, route));
            JsonNode a = ask(r, e);
            JsonNode ctx = a.path("context");
            assertTrue(a.has("isAuthorized"), a.toString());
            boolean yes = a.path("isAuthorized").asBoolean();
            assertEquals(yes ? "Allow" : "Deny", ctx.path("decision").asText(), a.toString());
            assertEquals(yes ? "allowed" : ctx.path("category").asText(), ctx.path("category").asText());
            if (ttl.equals("300")) {
                assertFalse(yes, "a route with a path variable is never cached true: " + a);
                assertEquals("input-not-in-cache-key", ctx.path("reason").asText(), a.toString());
            }
            String vip = "/users/" + RedteamPass11PackagedIT.INSTANCE + "/u-vip";
            JsonNode v = ask(r, RedteamPass12PackagedIT.httpRequest(tok, "GET", vip, "", route, List.of(tok, route)));
            assertFalse(v.path("isAuthorized").asBoolean(), v.toString());
            assertEquals("Deny", v.path("context").path("decision").asText(), v.toString());
            assertFalse(grants(v, "GET", vip));
        }
    }

    /**
     * Robustness (not a wrong Allow): a cache bound of 0 ("remember nothing"), which Caffeine's maximumSize(0)
     * accepted before eef8481, now makes BoundedCache's constructor throw; observed answer recorded in the report.
     */
    @Test
    void zeroCacheBoundsStillAnswer() throws Exception {
        // F17.1: a bound of 0 remembers nothing (as Caffeine's maximumSize(0) did); it made every event a
        // ConfigurationError at eef8481 (fails closed, but refuses every caller)
        Path snap = snapshot(Files.createTempFile("rt17-", ".json"),
                policy(statement("Allow", "connect:*", "*")), Map.of());
        String tok = token("agent-zero", Map.of());
        for (String knob : List.of("AUTHORIZER_CACHE_ROUTE_GRANTS_MAX_SIZE", "AUTHORIZER_CACHE_SESSION_SETS_MAX_SIZE",
                "AUTHORIZER_CACHE_CREDENTIAL_MAX_SIZE", "AUTHORIZER_CACHE_ROLE_MAX_SIZE")) {
            LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(), knob, "0"));
            for (int i = 0; i < 2; i++) {
                JsonNode a = ask(r, restRequest(tok, "GET", USER_PATH, Map.of()));
                assertTrue(allowed(a), knob + "=0, request " + i + ": " + a);
            }
        }
    }
}
