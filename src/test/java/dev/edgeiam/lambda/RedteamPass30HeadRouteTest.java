package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.CustomRouteMapping;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red-team pass 30, R30.1 (a wrong Allow where the back end serves HEAD as GET; pre-existing in the route-by-route
 * grants, and in the method-by-method ones): one allowed custom route of method HEAD or OPTIONS made the cached grants
 * give that method on every path ({@code HEAD/*}), no refused route of that method existing to hold it back. HEAD asks
 * for what GET would answer (RFC 9110 section 9.3.2, https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2), and a
 * proxying integration may serve it so: {@code HEAD /users/{I}/boss} then ran DescribeUser for a caller refused it.
 */
class RedteamPass30HeadRouteTest {

    static final String READ_BUT_BOSS = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":[\"connect:Describe*\",\"connect:List*\",\"connect:Get*\","
            + "\"connect:Search*\"],\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:DescribeUser\",\"Resource\":\"" + CONNECT + "/agent/boss\"}]}";

    /** A narrow caller (route-by-route grants): the same HEAD/* came from the coarse candidates. */
    static final String NARROW = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:ListInstances\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\",\"Resource\":\"" + CONNECT + "/agent/u-1\"}]}";

    @ParameterizedTest
    @ValueSource(strings = {"HEAD broad", "OPTIONS broad", "HEAD narrow", "OPTIONS narrow"})
    void aHeadOrOptionsCustomRouteDoesNotGrantItsMethodOnOtherRoutesPaths(String which) {
        String method = which.split(" ")[0];
        String policy = which.endsWith("broad") ? READ_BUT_BOSS : NARROW;
        List<CustomRouteMapping> custom = List.of(CustomRouteMapping.of(method, "/v1/health", "connect:ListInstances",
                "*"));
        EdgeHarness cached = new EdgeHarness(BroadCallerCacheScopeTest.ON_THE_CREDENTIAL, false, custom, policy);
        EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, false, custom, policy);
        String token = cached.token();
        JsonNode a = cached.answer(cached.restRequest(token, "GET", "/instance", Map.of(), "198.51.100.7"));
        assertEquals("Allow", a.path("context").path("decision").asText(), a.toString());
        assertEquals("Allow", fresh.answer(fresh.restRequest(token, method, "/v1/health", Map.of(), "198.51.100.7"))
                .path("context").path("decision").asText());
        // the custom route itself is still granted by the cached answer
        assertTrue(ApiGatewayPolicyMatch.allows(a, STAGE + "/" + method + "/v1/health"), a.toString());
        for (String user : List.of("boss", "u-2")) {
            String path = "/users/" + INSTANCE + "/" + user;
            if (user.equals("boss") || which.endsWith("narrow")) {
                // a GET the caller is refused: a back end serving HEAD as GET would have run it
                JsonNode g = fresh.answer(fresh.restRequest(token, "GET", path, Map.of(), "198.51.100.7"));
                assertEquals("Deny", g.path("context").path("decision").asText());
            }
            assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/" + method + path),
                    which + ": the cached answer lets " + method + " " + path + " through; policy "
                            + a.path("policyDocument"));
        }
    }
}
