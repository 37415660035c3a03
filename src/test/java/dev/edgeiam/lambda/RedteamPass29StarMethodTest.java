package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.ApiRoute;
import dev.edgeiam.authorize.RouteAccess;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.gateway.RoutePolicyBuilder;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red-team pass 29, R29.1 (wrong Allow, from {@code 6a09adc}): a custom route whose method was written {@code *} (the
 * execute-api ARN's notation for any method) was accepted, matched no request, yet counted as one more method in the
 * method-wide route grants: its whole-method pattern {@code * /*} granted every method of every path, while only the
 * refused routes of the methods granted whole were denied. A read-only caller's cached answer then let through
 * DeleteUser, CreateUser and 242 more routes a fresh evaluation refuses.
 */
class RedteamPass29StarMethodTest {

    @Test
    void aCustomRouteMethodThatIsNoApiGatewayMethodIsRefusedAtStartUp() {
        for (String method : List.of("*", "G*T", "GE?", "GET POST", "FETCH")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CustomRouteMapping.of(method, "/ping", "connect:ListInstances", "*"), method);
            assertTrue(e.getMessage().contains("method"), e.getMessage());
        }
        for (String method : List.of("get", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "ANY", "WEBSOCKET")) {
            CustomRouteMapping.of(method, "/ping", "connect:ListInstances", "*");
        }
    }

    @Test
    void aRouteWithAGlobMethodNeverMakesTheGrantsMethodWide() {
        // the builder on its own, as if such a route had got in: the read-only caller of BroadCallerCacheScopeTest
        Map<ApiRoute, RouteAccess> access = new LinkedHashMap<>();
        access.put(new ApiRoute("*", "/ping"), RouteAccess.ALLOWED_FOR_ALL);
        for (RouteDefinition r : RouteTable.defaultTable().routes()) {
            boolean read = r.iamAction().isPresent() && r.iamAction().get().matches("connect:(Describe|List|Get|Search).*");
            access.putIfAbsent(new ApiRoute(r.method(), r.path().template()),
                    read ? RouteAccess.ALLOWED_FOR_ALL : RouteAccess.DENIED_FOR_ALL);
        }
        RoutePolicyBuilder.RouteGrants grants = RoutePolicyBuilder.grants(access);
        for (String p : grants.allow()) {
            assertFalse(p.startsWith("*"), "a pattern for every method: " + p);
        }
    }

    @Test
    void theCachedAnswerOfAReadOnlyCallerGrantsNoRouteAFreshEvaluationRefuses() {
        // with a valid any-method custom route (ANY), the method-wide form is not used at all
        List<CustomRouteMapping> anyRoute = List.of(CustomRouteMapping.of("ANY", "/ping", "connect:ListInstances", "*"));
        String policy = BroadCallerCacheScopeTest.READ_ONLY;
        EdgeHarness h = new EdgeHarness(BroadCallerCacheScopeTest.ON_THE_CREDENTIAL, false, anyRoute, policy);
        EdgeHarness fresh = new EdgeHarness(dev.edgeiam.authorize.CacheModel.NOT_CACHED, false, anyRoute, policy);
        JsonNode answer = h.answer(h.restRequest(h.token(), "GET", "/instance", Map.of(), "198.51.100.7"));
        for (RouteDefinition r : RouteTable.defaultTable().routes()) {
            String path = BroadCallerCacheScopeTest.concrete(r);
            if (ApiGatewayPolicyMatch.allows(answer, EdgeHarness.STAGE + "/" + r.method() + path)) {
                JsonNode f = fresh.answer(fresh.restRequest(fresh.token(), r.method(), path, Map.of(), "198.51.100.7"));
                assertTrue(f.path("context").path("decision").asText().equals("Allow"), r.route() + " " + answer);
            }
        }
        assertFalse(ApiGatewayPolicyMatch.allows(answer, EdgeHarness.STAGE + "/DELETE/users/" + EdgeHarness.INSTANCE
                + "/u-1"));
    }
}
