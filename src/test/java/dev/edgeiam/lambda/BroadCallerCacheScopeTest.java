package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A caller allowed {@code connect:*} on {@code *} (AmazonConnect_FullAccess's grant) behind a REST REQUEST authorizer
 * cached on the credential alone: API Gateway applies the first answer to every later route for the TTL, so an answer
 * that covered its own request only refused every other route the caller may call. Its route-by-route grants
 * (~20,000 characters) do not fit in the result; everything but the refused routes does.
 */
class BroadCallerCacheScopeTest {

    static final CacheModel ON_THE_CREDENTIAL = new CacheModel(Duration.ofSeconds(300),
            List.of("method.request.header.Authorization"));

    static final String FULL_ACCESS = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";

    static String concrete(RouteDefinition r) {
        return r.path().template().replace("{InstanceId}", EdgeHarness.INSTANCE).replaceAll("\\{[^}]+}", "id-1");
    }

    /** AmazonConnectReadOnlyAccess's kind of grant: read actions on every resource. */
    static final String READ_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"connect:Describe*\",\"connect:List*\",\"connect:Get*\",\"connect:Search*\"],\"Resource\":\"*\"}]}";

    /** Full access but deleting. */
    static final String NO_DELETE = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:Delete*\",\"Resource\":\"*\"}]}";

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"full", "read-only", "no-delete"})
    void theFirstAnswerCoversTheOtherRoutesTheCallerMayCallAndNoOther(String which) {
        String policy = switch (which) {
            case "full" -> FULL_ACCESS;
            case "read-only" -> READ_ONLY;
            default -> NO_DELETE;
        };
        EdgeHarness h = new EdgeHarness(ON_THE_CREDENTIAL, policy);
        EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, policy);
        String token = h.token();
        JsonNode answer = h.answer(h.restRequest(token, "GET", "/instance", Map.of(), "198.51.100.7"));
        assertEquals("Allow", answer.path("context").path("decision").asText());
        assertEquals("ROUTES_WITH_EXCEPTIONS", answer.path("context").path("cacheScope").asText(), answer.toString());
        assertTrue(answer.toString().length() < 8_000, answer.toString().length() + " characters");
        int granted = 0;
        for (RouteDefinition r : RouteTable.defaultTable().routes()) {
            String path = concrete(r);
            boolean cached = ApiGatewayPolicyMatch.allows(answer, EdgeHarness.STAGE + "/" + r.method() + path);
            JsonNode freshAnswer = fresh.answer(fresh.restRequest(fresh.token(), r.method(), path, Map.of(),
                    "198.51.100.7"));
            boolean allowed = freshAnswer.path("context").path("decision").asText().equals("Allow");
            if (cached) {
                granted++;
                assertTrue(allowed, r.route() + " granted by the cached answer, refused fresh: "
                        + freshAnswer.path("context"));
            }
        }
        assertTrue(granted > (which.equals("read-only") ? 120 : 300), granted + " routes granted");
        for (RouteDefinition r : RouteTable.defaultTable().routesWithoutIamAction()) {
            assertFalse(ApiGatewayPolicyMatch.allows(answer, EdgeHarness.STAGE + "/" + r.method() + concrete(r)),
                    r.route());
        }
        for (String odd : List.of("/users/" + EdgeHarness.INSTANCE + "/u-1/", "/users/%41/u-1",
                "/users/arn:aws:connect:us-east-1:999999999999:instance%2Fx/u-1")) {
            assertFalse(ApiGatewayPolicyMatch.allows(answer, EdgeHarness.STAGE + "/GET" + odd), odd);
        }
        for (String method : List.of("HEAD", "OPTIONS", "PATCH")) {
            assertFalse(ApiGatewayPolicyMatch.allows(answer, EdgeHarness.STAGE + "/" + method + "/users/"
                    + EdgeHarness.INSTANCE + "/u-1"), method + " is no route of the API");
        }
    }
}
