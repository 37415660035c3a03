package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Findings of the third red-team pass (issue 11), one test per finding through the whole authorizer path (real
 * events, development-issuer tokens, the role's real policies; {@link EdgeHarness}), each asserting the safe
 * behaviour; each failed before its fix: R1 optional resource types the body may name, R2 route grants of a refused
 * request for an expiring credential, R3 a repeated Referer, R4 a policy date inside the request's second.
 */
class RedteamFindingsTest {

    static final CacheModel CACHED = CacheModel.API_GATEWAY_DEFAULT;
    static final CacheModel NOT_CACHED = CacheModel.NOT_CACHED;
    static final String IP = "198.51.100.23";

    static boolean allowed(JsonNode answer) {
        return answer.path("context").path("decision").asText().equals("Allow");
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String statement(String effect, String action, String... resources) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":\"" + action + "\",\"Resource\":[\""
                + String.join("\",\"", resources) + "\"]}";
    }

    // -- R1 (high): optional resource types named only in the body are skipped --------------------------------

    /**
     * UpdateUserHierarchy's hierarchy group ({@code HierarchyGroupId}) travels in the body; the SAR lists
     * {@code hierarchy-group} as an optional resource type of the action, which applies whenever the request names
     * one ("An action with several resource types needs every resource the request touches to be allowed",
     * reference/iam-evaluation-facts.md [Res]; connect-api-routes.json notes: "optional (required=false) types apply
     * only when the request references such a resource (often via body fields)"). The caller writes the body, so
     * the function cannot know whether the group is named — yet it skips the type and allows. A caller allowed to
     * move users into {@code team-a} only moves anyone into {@code executives}.
     */
    @Test
    void anOptionalResourceTypeTheBodyMayNameIsNotSkipped() {
        String teamAOnly = policy(statement("Allow", "connect:UpdateUserHierarchy", CONNECT + "/agent/*",
                CONNECT + "/agent-group/team-a"));
        String path = "/users/" + INSTANCE + "/u-1/hierarchy";
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : List.of(NOT_CACHED, CACHED)) {
            EdgeHarness h = new EdgeHarness(cache, teamAOnly);
            JsonNode a = h.answer(h.restRequest(h.token(), "POST", path, Map.of(), IP));
            if (allowed(a) || ApiGatewayPolicyMatch.allows(a, STAGE + "/POST" + path)) {
                wrong.add("UpdateUserHierarchy (team-a only, TTL " + cache.resultTtl().toSeconds() + " s): " + a);
            }
        }
        // the same class with an explicit Deny, on three actions whose optional types come from the body
        Map<String, String[]> cases = Map.of(
                "connect:UpdateUserHierarchy", new String[] {"POST", path, CONNECT + "/agent-group/executives"},
                "connect:CreateUser", new String[] {"PUT", "/users/" + INSTANCE, CONNECT + "/agent-group/executives"},
                "connect:UpdateQuickConnectConfig", new String[] {"POST", "/quick-connects/" + INSTANCE + "/qc-1/config",
                        CONNECT + "/queue/vip"});
        cases.forEach((action, c) -> {
            EdgeHarness h = new EdgeHarness(NOT_CACHED, policy(statement("Allow", "connect:*", "*"),
                    statement("Deny", action, c[2])));
            JsonNode a = h.answer(h.restRequest(h.token(), c[0], c[1], Map.of(), IP));
            if (allowed(a)) {
                wrong.add(action + " with a Deny on " + c[2] + ": " + a);
            }
        });
        assertTrue(wrong.isEmpty(), "the body may name a resource IAM denies, yet allowed:\n" + String.join("\n", wrong));
    }

    // -- R2 (high): a refused request with an expiring credential still carries cached route grants ------------

    /**
     * The fix for "a cached Allow outlives the token's exp" (credential-expires-within-ttl) refuses only the
     * request's own ARN when that request is allowed. A request that is refused for another reason (an unmapped
     * path, a route the caller may not call) still returns the route-level grants for every other route, and API
     * Gateway applies that cached policy for the whole TTL without looking at the credential again ("on a cache hit
     * API Gateway evaluates that cached policy against the new request's methodArn ... and does not call the
     * Lambda", reference/apigateway-authorizer-events.md, Result caching). A token 60 s from expiry calls any
     * refused path once and keeps {@code GET/users/*}{@code /*} for 300 s — 240 s after IAM (STS) would have
     * stopped honouring it. Confirmed against the packaged function (target/function.zip under the RIC).
     */
    @Test
    void aRefusedRequestWithAnExpiringCredentialGrantsNoOtherRoute() {
        EdgeHarness h = new EdgeHarness(CACHED, policy(statement("Allow", "connect:DescribeUser", "*")));
        String other = STAGE + "/GET/users/" + INSTANCE + "/u-1";
        String token = h.tokenExpiringIn(60);
        List<ObjectNode> events = List.of(
                h.restRequest(token, "GET", "/no-such-route", Map.of(), IP),
                h.restRequest(token, "GET", "/queues-summary/" + INSTANCE, Map.of(), IP),
                h.tokenEvent(token, "GET", "/queues-summary/" + INSTANCE));
        List<String> wrong = new ArrayList<>();
        for (ObjectNode e : events) {
            JsonNode a = h.answer(e);
            if (ApiGatewayPolicyMatch.allows(a, other)) {
                wrong.add(e.path("type").asText() + " " + e.path("methodArn").asText() + ": " + a);
            }
        }
        String httpToken = h.tokenExpiringIn(60);
        JsonNode http = h.answer(h.httpRequest(httpToken, "GET", "/no-such-route", "", "ANY /{proxy+}",
                List.of(httpToken)));
        if (ApiGatewayPolicyMatch.allows(http, other)) {
            wrong.add("HTTP API policy response: " + http);
        }
        assertTrue(wrong.isEmpty(), "the token expires in 60 s, API Gateway applies the cached policy for 300 s, and "
                + "it grants " + other + ":\n" + String.join("\n", wrong));
    }

    // -- R3 (low): a repeated Referer header is decided on its first value ------------------------------------

    /**
     * The back end receives every value of a repeated header (REST {@code multiValueHeaders}); which one AWS would
     * read as {@code aws:referer} is not known, and the function refuses a repeated single-valued query member for
     * exactly this reason (ambiguous-request). Here it takes the first Referer value, so a Deny on a referer the
     * request also carries is skipped. (Also with two spellings, {@code Referer} and {@code referer}, merged.)
     */
    @Test
    void aRepeatedRefererIsNotDecidedOnItsFirstValue() {
        String denyEvil = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
                        + "{\"aws:referer\":\"https://evil.example/*\"}}}");
        EdgeHarness h = new EdgeHarness(NOT_CACHED, denyEvil);
        ObjectNode e = h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP);
        ((ObjectNode) e.get("headers")).put("Referer", "https://evil.example/x");
        ((ObjectNode) e.get("multiValueHeaders")).putArray("Referer").add("https://good.example/")
                .add("https://evil.example/x");
        JsonNode a = h.answer(e);
        assertFalse(allowed(a), "the request carries the denied referer (and API Gateway's own single view says so): "
                + a);
    }

    // -- R4 (low): the request time is truncated to the second --------------------------------------------------

    /**
     * {@code aws:CurrentTime} is "the date and time of the request"; the event gives it in milliseconds
     * ({@code requestTimeEpoch}), and Date operators accept policy values with fractions of a second
     * ({@code policy/value/IamDate}). The function truncates the request time to the second, so a Deny from
     * 12:00:00.500 is skipped for a request at 12:00:00.700. A policy date inside the request's second is a value
     * the function cannot decide at second precision: it should refuse (or keep the milliseconds).
     */
    @Test
    void aPolicyDateInsideTheRequestSecondIsNotDecidedByTruncation() {
        String denyAfter = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":"
                        + "{\"aws:CurrentTime\":\"2026-12-01T12:00:00.500Z\"}}}");
        EdgeHarness h = new EdgeHarness(NOT_CACHED, denyAfter);
        h.clock.set(Instant.parse("2026-12-01T12:00:00.700Z"));
        JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertFalse(allowed(a), "requestTimeEpoch is 12:00:00.700, after the Deny's 12:00:00.500: " + a);
    }

    // -- noticed in the same pass and fixed with it --------------------------------------------------------------

    /** R5: a custom route's resource of a type outside Amazon Connect has no tags read: a tag Deny must not be skipped. */
    @Test
    void tagsOfACustomRoutesForeignResourceAreNotTakenAsAbsent() {
        List<dev.edgeiam.connect.CustomRouteMapping> custom = List.of(dev.edgeiam.connect.CustomRouteMapping.of("GET",
                "/v1/reports/{id}", "s3:GetObject", "arn:aws:s3:::reports-bucket/{id}"));
        String policy = policy(statement("Allow", "s3:GetObject", "*"), "{\"Effect\":\"Deny\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/class\":\"secret\"}}}");
        EdgeHarness h = new EdgeHarness(NOT_CACHED, false, custom, policy);
        JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/v1/reports/r-1", Map.of(), IP));
        assertFalse(allowed(a), a.toString());
        assertEquals("resource-tags-unavailable", a.path("context").path("reason").asText());
        EdgeHarness plain = new EdgeHarness(NOT_CACHED, false, custom, policy(statement("Allow", "s3:GetObject", "*")));
        assertTrue(allowed(plain.answer(plain.restRequest(plain.token(), "GET", "/v1/reports/r-1", Map.of(), IP))),
                "no policy reads tags: nothing to look up");
    }

    /** R6: a private API's request came through a VPC endpoint: the source keys are not known-absent. */
    @Test
    void aRequestThroughAVpcEndpointDoesNotSkipAnEndpointDeny() {
        String policy = policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-0bad\"}}}");
        EdgeHarness h = new EdgeHarness(NOT_CACHED, policy);
        ObjectNode e = h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP);
        ((ObjectNode) e.get("requestContext").get("identity")).put("vpceId", "vpce-0bad").put("vpcId", "vpc-1");
        assertFalse(allowed(h.answer(e)), "through vpce-0bad");
        assertTrue(allowed(h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP))),
                "a public API's request from the internet");
    }

    /** R7: an HTTP API header identity source keys a comma-joined value: a comma means the header is not pinned. */
    @Test
    void aCommaInAPinnedHeaderMeansTheHeaderIsNotPinned() {
        CacheModel byAgent = new CacheModel(java.time.Duration.ofSeconds(300),
                List.of("$request.header.Authorization", "$request.header.User-Agent"));
        String policy = policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"aws:UserAgent\":\"evil*\"}}}");
        EdgeHarness h = new EdgeHarness(byAgent, policy);
        String token = h.token();
        ObjectNode ok = h.httpRequest(token, "GET", "/users/" + INSTANCE + "/u-1", "", "GET /users/{InstanceId}/{UserId}",
                List.of(token, "edge-test/1.0"));
        assertTrue(allowed(h.answer(ok)), "one user agent, pinned by the key");
        ObjectNode joined = h.httpRequest(token, "GET", "/users/" + INSTANCE + "/u-1", "",
                "GET /users/{InstanceId}/{UserId}", List.of(token, "good,evil"));
        ((ObjectNode) joined.get("headers")).put("user-agent", "good,evil");
        ((ObjectNode) joined.get("requestContext").get("http")).put("userAgent", "good,evil");
        JsonNode a = h.answer(joined);
        assertFalse(allowed(a), "'good,evil' keys [good, evil] too, which the Deny would match: " + a);
    }
}
