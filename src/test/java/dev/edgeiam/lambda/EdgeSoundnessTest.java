package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.CustomRouteMapping;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static dev.edgeiam.lambda.EdgeHarness.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per class of wrong Allow found on the authorizer path (issue 11), through the whole path: a real event,
 * the development issuer's token, the role's real policies, the answer API Gateway receives. Each asserts the
 * request IAM would deny (or the function cannot decide) is not allowed — neither by the answer for this request
 * nor by the cached policy API Gateway would apply to the other request ({@link ApiGatewayPolicyMatch}, our own
 * reading of API Gateway's matching, independent of the production builder).
 */
class EdgeSoundnessTest {

    static final CacheModel CACHED = CacheModel.API_GATEWAY_DEFAULT;
    static final CacheModel NOT_CACHED = CacheModel.NOT_CACHED;
    static final String IP = "198.51.100.23";

    static String allow(String actions, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + actions
                + ",\"Resource\":\"" + resource + "\"}]}";
    }

    static boolean allowed(JsonNode answer) {
        return answer.path("context").path("decision").asText().equals("Allow");
    }

    static String reason(JsonNode answer) {
        return answer.path("context").path("reason").asText();
    }

    // -- 1. TOKEN events: time from the function's clock, source address unknown ---------------------------------

    @Test
    void tokenEventUsesTheFunctionsClockNotTheEpoch() {
        String expired = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\","
                + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}}]}";
        for (CacheModel cache : List.of(CACHED, NOT_CACHED)) {
            EdgeHarness h = new EdgeHarness(cache, expired);
            JsonNode a = h.answer(h.tokenEvent(h.token(), "GET", "/users/" + INSTANCE + "/u-1"));
            assertFalse(allowed(a), "a grant that expired in 2020 does not allow in 2026: " + a);
            assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/users/" + INSTANCE + "/u-1"));
        }
        String current = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\","
                + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}}]}";
        EdgeHarness h = new EdgeHarness(CACHED, current);
        assertTrue(allowed(h.answer(h.tokenEvent(h.token(), "GET", "/users/" + INSTANCE + "/u-1"))),
                "a grant valid for years past the cache TTL is constant over the window");
    }

    @Test
    void aGrantEndingInsideTheCacheWindowIsNotCached() {
        String endsSoon = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\","
                + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2026-12-01T12:01:00Z\"}}}]}";
        EdgeHarness cached = new EdgeHarness(CACHED, endsSoon);
        JsonNode a = cached.answer(cached.restRequest(cached.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertFalse(allowed(a), "allowed now but not 60 s later, within the 300 s TTL");
        assertEquals("input-not-in-cache-key", reason(a));
        EdgeHarness fresh = new EdgeHarness(NOT_CACHED, endsSoon);
        assertTrue(allowed(fresh.answer(fresh.restRequest(fresh.token(), "GET", "/users/" + INSTANCE + "/u-1",
                Map.of(), IP))), "without a cache the request's own time decides");
    }

    @Test
    void tokenEventCannotSkipASourceAddressDeny() {
        String ipDeny = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}]}";
        for (CacheModel cache : List.of(CACHED, NOT_CACHED)) {
            EdgeHarness h = new EdgeHarness(cache, ipDeny);
            JsonNode a = h.answer(h.tokenEvent(h.token(), "GET", "/users/" + INSTANCE + "/u-1"));
            assertFalse(allowed(a), a.toString());
            assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/queues-summary/" + INSTANCE), a.toString());
        }
        // a REQUEST event shows the address: allowed from inside the range when nothing is cached
        EdgeHarness h = new EdgeHarness(NOT_CACHED, ipDeny);
        assertTrue(allowed(h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), "10.1.2.3"))));
        assertFalse(allowed(h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP))));
        // ...but not when API Gateway would reuse the answer for requests from other addresses
        EdgeHarness c = new EdgeHarness(CACHED, ipDeny);
        JsonNode a = c.answer(c.restRequest(c.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), "10.1.2.3"));
        assertFalse(allowed(a));
        assertEquals("input-not-in-cache-key", reason(a));
        // with the source address in the cache key, it may
        EdgeHarness k = new EdgeHarness(new CacheModel(Duration.ofSeconds(300),
                List.of("method.request.header.Authorization", "context.identity.sourceIp")), ipDeny);
        assertTrue(allowed(k.answer(k.restRequest(k.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), "10.1.2.3"))));
    }

    // -- 2. Decisions that depend on the query string under the cache -------------------------------------------

    /**
     * An HTTP simple response that refuses an Allow API Gateway would reuse for requests it does not hold logs the
     * decision it answers (Deny, {@code input-not-in-cache-key}), as its context says — not the edge's Allow: a route
     * key with a path parameter is answered from the cache for every value. A route key without one, allowed, is
     * answered and logged Allow.
     */
    @Test
    void aSimpleResponseLogsTheDecisionItAnswers() {
        CacheModel keyedOnRoute = new CacheModel(Duration.ofSeconds(300),
                List.of("$request.header.Authorization", "$context.routeKey"));
        String[][] cases = {
            {"/users/" + INSTANCE + "/u-1", "GET /users/{InstanceId}/{UserId}", "connect:DescribeUser", "false"},
            {"/instance", "GET /instance", "connect:ListInstances", "true"}};
        for (String[] c : cases) {
            EdgeHarness h = new EdgeHarness(keyedOnRoute, true, List.of(), allow("\"connect:*\"", "*"));
            String token = h.token();
            com.fasterxml.jackson.databind.node.ObjectNode event = h.httpRequest(token, "GET", c[0], "", c[1],
                    List.of(token, c[1]));
            JsonNode a = h.answer(event);
            dev.edgeiam.observe.DecisionLogFields logged = h.gateway.answer(event).logFields();
            boolean authorized = Boolean.parseBoolean(c[3]);
            assertEquals(authorized, a.path("isAuthorized").asBoolean(), a.toString());
            assertEquals(authorized ? "allowed" : "input-not-in-cache-key", reason(a), a.toString());
            assertEquals(a.path("context").path("decision").asText(), logged.decision(), logged.toString());
            assertEquals(reason(a), logged.reason(), logged.toString());
            assertEquals(a.path("context").path("category").asText(), logged.category(), logged.toString());
            assertEquals(c[2], logged.action(), logged.toString());
        }
    }

    @Test
    void aQueryIdentifiedResourceIsNotGrantedForThePath() {
        String own = allow("\"connect:ListAssociatedContacts\"", CONNECT + "/contact/c-mine");
        String path = "/contact/associated/" + INSTANCE;
        EdgeHarness cached = new EdgeHarness(CACHED, own);
        JsonNode a = cached.answer(cached.restRequest(cached.token(), "GET", path, query("contactId", "c-mine"), IP));
        assertFalse(allowed(a), "the method ARN has no query: a cached Allow would serve contactId=c-other too");
        assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET" + path));
        EdgeHarness fresh = new EdgeHarness(NOT_CACHED, own);
        assertTrue(allowed(fresh.answer(fresh.restRequest(fresh.token(), "GET", path, query("contactId", "c-mine"), IP))));
        assertFalse(allowed(fresh.answer(fresh.restRequest(fresh.token(), "GET", path, query("contactId", "c-other"), IP))));
        // HTTP API with the member in the cache key: still not cacheable, since a request with the same key may add
        // ContactId=c-other, which the back end may read (R12.3)
        EdgeHarness http = new EdgeHarness(new CacheModel(Duration.ofSeconds(300),
                List.of("$request.header.Authorization", "$request.querystring.contactId")), own);
        String token = http.token();
        JsonNode h = http.answer(http.httpRequest(token, "GET", path, "contactId=c-mine",
                "GET /contact/associated/{InstanceId}", List.of(token, "c-mine")));
        assertFalse(allowed(h), h.toString());
        assertEquals("input-not-in-cache-key", reason(h));
        // REST with querystring in the cache key: one of several values is keyed, so still not cacheable
        EdgeHarness rest = new EdgeHarness(new CacheModel(Duration.ofSeconds(300),
                List.of("method.request.header.Authorization", "method.request.querystring.contactId")), own);
        assertFalse(allowed(rest.answer(rest.restRequest(rest.token(), "GET", path, query("contactId", "c-mine"), IP))));
    }

    @Test
    void queryDerivedConditionKeysAreNotCachedForThePath() {
        String storage = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeInstanceStorageConfig\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"connect:StorageResourceType\":\"CHAT_TRANSCRIPTS\"}}}]}";
        String path = "/instance/" + INSTANCE + "/storage-config/assoc-1";
        EdgeHarness cached = new EdgeHarness(CACHED, storage);
        assertFalse(allowed(cached.answer(cached.restRequest(cached.token(), "GET", path,
                query("resourceType", "CHAT_TRANSCRIPTS"), IP))));
        EdgeHarness fresh = new EdgeHarness(NOT_CACHED, storage);
        assertTrue(allowed(fresh.answer(fresh.restRequest(fresh.token(), "GET", path,
                query("resourceType", "CHAT_TRANSCRIPTS"), IP))));
        assertFalse(allowed(fresh.answer(fresh.restRequest(fresh.token(), "GET", path,
                query("resourceType", "CALL_RECORDINGS"), IP))));
        // a TOKEN event does not show the query at all
        assertFalse(allowed(fresh.answer(fresh.tokenEvent(fresh.token(), "GET", path))));
    }

    // -- 3. Repeated query members --------------------------------------------------------------------------------

    @Test
    void everyValueOfARepeatedListMemberIsEvaluated() {
        String untag = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:UntagResource\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"connect:UntagResource\",\"Resource\":\"*\","
                + "\"Condition\":{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":\"protected\"}}}]}";
        String arn = java.net.URLEncoder.encode(CONNECT + "/queue/q-1", java.nio.charset.StandardCharsets.UTF_8);
        String path = "/tags/" + arn;
        EdgeHarness h = new EdgeHarness(NOT_CACHED, untag);
        JsonNode rest = h.answer(h.restRequest(h.token(), "DELETE", path, query("tagKeys", "protected", "tagKeys", "safe"), IP));
        assertFalse(allowed(rest), "REST: queryStringParameters keeps only 'safe'; the back end receives both");
        assertEquals("explicit-deny", reason(rest));
        assertTrue(allowed(h.answer(h.restRequest(h.token(), "DELETE", path, query("tagKeys", "safe"), IP))));
        String token = h.token();
        JsonNode http = h.answer(h.httpRequest(token, "DELETE", path, "tagKeys=protected&tagKeys=safe",
                "DELETE /tags/{resourceArn}", List.of(token)));
        assertFalse(allowed(http), "HTTP API: queryStringParameters comma-joins; rawQueryString has both");
        assertEquals("explicit-deny", reason(http));
    }

    @Test
    void aRepeatedSingleValuedMemberIsAmbiguous() {
        String any = allow("\"connect:ListAssociatedContacts\"", CONNECT + "/contact/c-mine");
        EdgeHarness h = new EdgeHarness(NOT_CACHED, any);
        for (List<String> order : List.of(List.of("c-mine", "c-other"), List.of("c-other", "c-mine"))) {
            JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/contact/associated/" + INSTANCE,
                    query("contactId", order.get(0), "contactId", order.get(1)), IP));
            assertFalse(allowed(a));
            assertEquals("ambiguous-request", reason(a));
        }
    }

    @Test
    void queryViewsThatDisagreeMakeTheQueryUnknown() {
        String own = allow("\"connect:ListAssociatedContacts\"", CONNECT + "/contact/c-mine");
        EdgeHarness h = new EdgeHarness(NOT_CACHED, own);
        ObjectNode e = h.restRequest(h.token(), "GET", "/contact/associated/" + INSTANCE, query("contactId", "c-mine"), IP);
        ((ObjectNode) e.get("queryStringParameters")).put("contactId", "c-other");
        assertFalse(allowed(h.answer(e)), "the two query views disagree: neither is trusted");
    }

    // -- 4. Paths -------------------------------------------------------------------------------------------------

    static final String USERS_READ = allow("\"connect:DescribeUser\"", "*");

    @Test
    void carveOutsHoldUnderEveryPathReading() {
        EdgeHarness h = new EdgeHarness(CACHED, USERS_READ);
        JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertTrue(allowed(a));
        assertEquals("ROUTES", a.at("/context/cacheScope").asText(), "a route-level policy: " + a);
        String base = STAGE + "/GET/users/" + INSTANCE + "/u-1";
        assertTrue(ApiGatewayPolicyMatch.allows(a, base));
        assertTrue(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/users/" + INSTANCE + "/u-2"), "every user, cached");
        for (String variant : List.of("/proficiencies", "/proficiencies/", "/./proficiencies", "//proficiencies",
                "/x/../proficiencies", "/%70roficiencies", "/proficiencie%73", "/proficiencies/.", "%2Fproficiencies",
                "/proficiencies%2F")) {
            assertFalse(ApiGatewayPolicyMatch.allows(a, base + variant), variant + " reaches a refused route: " + a);
        }
        for (String foreign : List.of("arn:aws:connect:us-east-1:999999999999:instance%2F" + INSTANCE,
                "arn:aws:connect:eu-west-1:111122223333:instance%2F" + INSTANCE,
                "arn%3Aaws%3Aconnect%3Aus-east-1%3A999999999999%3Ainstance%2F" + INSTANCE)) {
            String arn = STAGE + "/GET/users/" + foreign + "/u-1";
            assertFalse(ApiGatewayPolicyMatch.allows(a, arn), "ARN-valued label " + foreign);
            JsonNode fresh = h.answer(h.restRequest(h.token(), "GET", "/users/" + foreign + "/u-1", Map.of(), IP));
            assertFalse(allowed(fresh), foreign + " " + fresh);
        }
    }

    @Test
    void nonCanonicalPathsAreRefusedWhenAsked() {
        EdgeHarness h = new EdgeHarness(NOT_CACHED, USERS_READ);
        for (String path : List.of("/users/" + INSTANCE + "/u-1/", "/users/" + INSTANCE + "//u-1",
                "/users/" + INSTANCE + "/./u-1", "/users/" + INSTANCE + "/%75-1")) {
            JsonNode a = h.answer(h.restRequest(h.token(), "GET", path, Map.of(), IP));
            assertFalse(allowed(a), path);
            assertEquals("non-canonical-path", reason(a), path);
        }
    }

    @Test
    void anArnNamingAnotherInstanceIsRefusedNotReHomed() {
        String own = allow("\"connect:DescribeUser\"", CONNECT + "/agent/*");
        EdgeHarness h = new EdgeHarness(NOT_CACHED, own);
        String other = java.net.URLEncoder.encode("arn:aws:connect:us-east-1:111122223333:instance/other-instance/agent/u-1",
                java.nio.charset.StandardCharsets.UTF_8);
        JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/" + other, Map.of(), IP));
        assertFalse(allowed(a));
        assertEquals("invalid-resource-identifier", reason(a));
    }

    // -- 6. Custom routes: the caller cannot choose ARN fields ---------------------------------------------------

    @Test
    void customRouteArnFieldsComeFromConfigurationOnly() {
        List<CustomRouteMapping> custom = List.of(CustomRouteMapping.of("GET", "/v1/agents/{id}", "connect:DescribeUser",
                "arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE + "/agent/{id}"));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"connect:DescribeUser\",\"Resource\":\"" + CONNECT + "/agent/boss\"}]}";
        EdgeHarness h = new EdgeHarness(NOT_CACHED, false, custom, policy);
        for (Map<String, List<String>> q : List.of(query("Account", "999999999999"), query("Account", "*"),
                query("Region", "eu-west-1"), query("Partition", "aws-cn"))) {
            JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/v1/agents/boss", q, IP));
            assertFalse(allowed(a), q + " moved the ARN past the Deny: " + a);
            assertEquals("explicit-deny", reason(a), q.toString());
        }
        for (String id : List.of("b*", "bos%3F", "%2A")) {
            JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/v1/agents/" + id, Map.of(), IP));
            assertFalse(allowed(a), id);
        }
        assertTrue(allowed(h.answer(h.restRequest(h.token(), "GET", "/v1/agents/agent-7", Map.of(), IP))));
    }

    @Test
    void customRoutesWithLabelsAreNeverWildcardGranted() {
        List<CustomRouteMapping> custom = List.of(CustomRouteMapping.of("GET", "/v1/agents/{id}", "connect:DescribeUser",
                "arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE + "/agent/{id}"));
        EdgeHarness h = new EdgeHarness(CACHED, false, custom, allow("\"connect:DescribeUser\"", "*"));
        JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/v1/agents/agent-7", Map.of(), IP));
        assertTrue(allowed(a));
        assertTrue(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/v1/agents/agent-7"));
        assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/v1/agents/*"), "a back end we do not know may read '*'");
    }

    // -- 7. HTTP API simple responses ------------------------------------------------------------------------------

    @Test
    void simpleResponsesUnderTheCacheNeedTheRouteKeyAndAnAnswerForEveryValue() {
        String own = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\","
                + "\"Resource\":\"" + CONNECT + "/agent/${aws:PrincipalTag/connect-user-id}\"},"
                + "{\"Effect\":\"Allow\",\"Action\":[\"connect:ListQueues\",\"connect:ListInstances\"],\"Resource\":\"*\"}]}";
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new EdgeHarness(CACHED, true,
                List.of(), own));
        assertTrue(refused.getMessage().contains("$context.routeKey"));
        CacheModel perRoute = new CacheModel(Duration.ofSeconds(300),
                List.of("$request.header.Authorization", "$context.routeKey"));
        EdgeHarness h = new EdgeHarness(perRoute, true, List.of(), own);
        String token = h.token("agent-edge", Map.of("connect-user-id", "u-1"));
        JsonNode a = h.answer(h.httpRequest(token, "GET", "/users/" + INSTANCE + "/u-1", "",
                "GET /users/{InstanceId}/{UserId}", List.of(token, "GET /users/{InstanceId}/{UserId}")));
        assertFalse(a.get("isAuthorized").asBoolean(), "true would be served for every UserId of the route: " + a);
        JsonNode list = h.answer(h.httpRequest(token, "GET", "/instance", "", "GET /instance",
                List.of(token, "GET /instance")));
        assertTrue(list.get("isAuthorized").asBoolean(), "allowed for every request of the route: " + list);
        // allowed for every identifier, yet the cached true would also serve label values refused when asked
        // (red-team F4: an ARN naming another account, a percent-encoded or colon-qualified value)
        JsonNode labeled = h.answer(h.httpRequest(token, "GET", "/queues-summary/" + INSTANCE, "",
                "GET /queues-summary/{InstanceId}", List.of(token, "GET /queues-summary/{InstanceId}")));
        assertFalse(labeled.get("isAuthorized").asBoolean(), labeled.toString());
        for (String value : List.of("arn:aws:connect:us-east-1:999999999999:instance/" + INSTANCE, "x%3Ay", INSTANCE + ":x")) {
            JsonNode asked = h.answer(h.httpRequest(token, "GET", "/queues-summary/" + value, "",
                    "GET /queues-summary/{InstanceId}", List.of(token, "GET /queues-summary/{InstanceId}")));
            assertFalse(asked.get("isAuthorized").asBoolean(), value + ": " + asked);
        }
        EdgeHarness noCache = new EdgeHarness(NOT_CACHED, true, List.of(), own);
        JsonNode fresh = noCache.answer(noCache.httpRequest(token, "GET", "/users/" + INSTANCE + "/u-1", "",
                "GET /users/{InstanceId}/{UserId}", List.of(token)));
        assertTrue(fresh.get("isAuthorized").asBoolean(), fresh.toString());
        // a catch-all route key covers every route: not every route is allowed
        JsonNode proxy = h.answer(h.httpRequest(token, "GET", "/queues-summary/" + INSTANCE, "", "ANY /{proxy+}",
                List.of(token, "ANY /{proxy+}")));
        assertFalse(proxy.get("isAuthorized").asBoolean());
    }

    @Test
    void anHttpCacheKeyOtherThanTheConfiguredOneIsRefused() {
        CacheModel declared = new CacheModel(Duration.ofSeconds(300),
                List.of("$request.header.Authorization", "$request.querystring.contactId"));
        EdgeHarness h = new EdgeHarness(declared, allow("\"connect:*\"", "*"));
        String token = h.token();
        JsonNode a = h.answer(h.httpRequest(token, "GET", "/contact/associated/" + INSTANCE, "contactId=c-1",
                "GET /contact/associated/{InstanceId}", List.of(token)));
        assertFalse(allowed(a));
        assertEquals("cache-key-mismatch", reason(a));
    }

    // -- tags of every taggable resource type are read (found by AuthorizerSimulatorAgreementTest) -----------

    @Test
    void aTagConditionedDenyOnAContactIsNotSkipped() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/team\":\"prod\"}}}]}";
        // contacts are tagged by TagContact, not TagResource: their tags decide too
        EdgeHarness h = new EdgeHarness(NOT_CACHED, false, List.of(),
                arn -> arn.endsWith("-prod") ? Map.of("team", "prod") : Map.of(), policy);
        JsonNode prod = h.answer(h.restRequest(h.token(), "GET", "/contact/attributes/" + INSTANCE + "/c-prod",
                Map.of(), IP));
        assertFalse(allowed(prod), prod.toString());
        assertEquals("explicit-deny", reason(prod));
        assertTrue(allowed(h.answer(h.restRequest(h.token(), "GET", "/contact/attributes/" + INSTANCE + "/c-1",
                Map.of(), IP))));
    }

    // -- red-team findings (second pass over the packaged path) ------------------------------------------------

    @Test
    void aDenyOnDirectUseOfCredentialsIsNotSkipped() {
        // F1: aws:ViaAWSService is always in IAM's request context (false for a direct call); left absent, this
        // common guard never applied.
        String guard = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:ViaAWSService\":\"false\"}}}]}";
        for (CacheModel cache : List.of(CACHED, NOT_CACHED)) {
            EdgeHarness h = new EdgeHarness(cache, guard);
            JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
            assertFalse(allowed(a), a.toString());
            assertEquals("explicit-deny", reason(a));
            assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/queues-summary/" + INSTANCE), a.toString());
        }
        String onlyViaService = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"Bool\":{\"aws:ViaAWSService\":\"true\"}}}]}";
        EdgeHarness h = new EdgeHarness(NOT_CACHED, onlyViaService);
        assertFalse(allowed(h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP))));
    }

    @Test
    void aCustomRouteReadingTheQueryIsNotCachedForThePath() {
        // F5: a custom route without path labels whose ARN names a query member was granted for its path
        List<CustomRouteMapping> custom = List.of(CustomRouteMapping.of("GET", "/v1/queue-report", "connect:DescribeQueue",
                "arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE + "/queue/{queueId}"));
        String policy = allow("\"connect:DescribeQueue\"", "*");
        EdgeHarness cached = new EdgeHarness(CACHED, false, custom, policy);
        JsonNode a = cached.answer(cached.restRequest(cached.token(), "GET", "/v1/queue-report",
                query("queueId", "q-1"), IP));
        assertFalse(allowed(a), a.toString());
        assertEquals("input-not-in-cache-key", reason(a));
        assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/v1/queue-report"), a.toString());
        JsonNode other = cached.answer(cached.restRequest(cached.token(), "GET", "/users/" + INSTANCE + "/u-1",
                Map.of(), IP));
        assertFalse(ApiGatewayPolicyMatch.allows(other, STAGE + "/GET/v1/queue-report"),
                "no route-level grant of a custom route whose resource comes from the query: " + other);
        EdgeHarness fresh = new EdgeHarness(NOT_CACHED, false, custom, policy);
        assertTrue(allowed(fresh.answer(fresh.restRequest(fresh.token(), "GET", "/v1/queue-report",
                query("queueId", "q-1"), IP))));
        CacheModel pinned = new CacheModel(Duration.ofSeconds(300),
                List.of("$request.header.Authorization", "$request.querystring.queueId"));
        EdgeHarness keyed = new EdgeHarness(pinned, false, custom, policy);
        String token = keyed.token();
        JsonNode k = keyed.answer(keyed.httpRequest(token, "GET", "/v1/queue-report", "queueId=q-1",
                "GET /v1/queue-report", List.of(token, "q-1")));
        assertFalse(allowed(k), "the query member is in the cache key, but a request with the same key may add QueueId"
                + " with another value (R12.3): " + k);
        assertEquals("input-not-in-cache-key", reason(k));
    }

    @Test
    void colonValuedLabelsAreCarvedOutOfCachedWildcards() {
        // F6: only a lower-case "arn:" was carved out; "ARN:..." and "x:y" (refused when asked) were served
        EdgeHarness h = new EdgeHarness(CACHED, USERS_READ);
        JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertTrue(allowed(a));
        assertTrue(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/users/" + INSTANCE + "/u-2"), a.toString());
        for (String label : List.of("x:y", "ARN:aws:connect:us-east-1:999999999999:instance/" + INSTANCE + "/agent/u-1",
                "Arn:aws:connect:eu-west-1:" + EdgeHarness.ACCOUNT + ":instance/" + INSTANCE + "/agent/u-1")) {
            assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/users/" + INSTANCE + "/" + label), label);
            JsonNode asked = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/" + label, Map.of(), IP));
            assertFalse(allowed(asked) && ApiGatewayPolicyMatch.allows(asked, STAGE + "/GET/users/" + INSTANCE + "/u-9"),
                    "an answer for a colon-valued label grants no other request: " + asked);
        }
    }

    @Test
    void aCachedAllowDoesNotOutliveTheToken() {
        // F7: API Gateway reuses the answer for the TTL without looking at the token's exp again
        EdgeHarness h = new EdgeHarness(CACHED, allow("\"connect:*\"", "*"));
        JsonNode a = h.answer(h.restRequest(h.tokenExpiringIn(120), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertFalse(allowed(a), a.toString());
        assertEquals("credential-expires-within-ttl", reason(a));
        assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/users/" + INSTANCE + "/u-1"));
        JsonNode t = h.answer(h.tokenEvent(h.tokenExpiringIn(120), "GET", "/users/" + INSTANCE + "/u-1"));
        assertFalse(allowed(t), t.toString());
        assertTrue(allowed(h.answer(h.restRequest(h.tokenExpiringIn(3600), "GET", "/users/" + INSTANCE + "/u-1",
                Map.of(), IP))), "a token valid past the TTL");
        EdgeHarness fresh = new EdgeHarness(NOT_CACHED, allow("\"connect:*\"", "*"));
        assertTrue(allowed(fresh.answer(fresh.restRequest(fresh.tokenExpiringIn(120), "GET",
                "/users/" + INSTANCE + "/u-1", Map.of(), IP))), "without reuse the token is valid now");
    }

    @Test
    void aCachedAllowDoesNotOutliveTemporaryCredentialsOfUnknownExpiry() {
        // a presigned URL signed with temporary credentials: STS does not say when they expire, so an answer API
        // Gateway would reuse is refused (and nothing is remembered), while a TTL of 0 decides the request
        dev.edgeiam.identity.CallerIdentityClient sts = request -> new dev.edgeiam.identity.CallerIdentity(
                "arn:aws:sts::" + EdgeHarness.ACCOUNT + ":assumed-role/" + EdgeHarness.ROLE + "/s-1",
                "AROAEDGETESTROLE0001:s-1", EdgeHarness.ACCOUNT);
        String url = dev.edgeiam.identity.Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1",
                "ASIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLETOKEN",
                EdgeHarness.NOW, Duration.ofSeconds(900));
        EdgeHarness cached = new EdgeHarness(CACHED, false, List.of(), arn -> Map.of(), sts, USERS_READ);
        JsonNode a = cached.answer(cached.restRequest(url, "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertFalse(allowed(a), a.toString());
        assertEquals("credential-expires-within-ttl", reason(a), a.toString());
        assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET/users/" + INSTANCE + "/u-1"));
        EdgeHarness fresh = new EdgeHarness(NOT_CACHED, false, List.of(), arn -> Map.of(), sts, USERS_READ);
        JsonNode f = fresh.answer(fresh.restRequest(url, "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertTrue(allowed(f), f.toString());
    }

    @Test
    void customRoutesWithMethodAnyMatchEveryMethod() {
        // a custom route with method ANY never matched (wrong Deny: unmapped-route); a method's own route wins
        List<CustomRouteMapping> custom = List.of(
                CustomRouteMapping.of("ANY", "/v1/agents/{id}", "connect:DescribeUser",
                        "arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE + "/agent/{id}"),
                CustomRouteMapping.of("DELETE", "/v1/agents/{agentId}", "connect:DeleteUser",
                        "arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE + "/agent/{agentId}"));
        EdgeHarness h = new EdgeHarness(NOT_CACHED, false, custom, allow("\"connect:DescribeUser\"", "*"));
        JsonNode get = h.answer(h.restRequest(h.token(), "GET", "/v1/agents/a-1", Map.of(), IP));
        assertTrue(allowed(get), get.toString());
        assertEquals("connect:DescribeUser", get.path("context").path("action").asText());
        JsonNode delete = h.answer(h.restRequest(h.token(), "DELETE", "/v1/agents/a-1", Map.of(), IP));
        assertFalse(allowed(delete), "DELETE has its own route, decided as DeleteUser: " + delete);
        assertEquals("connect:DeleteUser", delete.path("context").path("action").asText());
    }

    // -- an answer for this request only when API Gateway does not reuse it ------------------------------------

    @Test
    void withoutReuseTheAnswerCoversThisRequestOnly() {
        EdgeHarness h = new EdgeHarness(NOT_CACHED, allow("\"connect:*\"", "*"));
        JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertTrue(allowed(a));
        List<String> resources = new ArrayList<>();
        a.at("/policyDocument/Statement/0/Resource").forEach(n -> resources.add(n.asText()));
        if (resources.isEmpty()) {
            resources.add(a.at("/policyDocument/Statement/0/Resource").asText());
        }
        assertEquals(List.of(STAGE + "/GET/users/" + INSTANCE + "/u-1"), resources);
    }
}
