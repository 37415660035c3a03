package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code StartOutboundVoiceContact} through the whole REST REQUEST path, fresh and from another route's cached answer:
 * AWS's documented way to deny every action on an instance (a Deny on the instance ARN followed by {@code *}) must stop
 * outbound calls too, since the older SAR snapshot's {@code contact} resource lies under the instance.
 */
class OlderReferenceResourceEdgeTest {

    static final String CALL = "/contact/outbound-voice";

    static String doc(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static final String ALLOW_ALL = "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}";

    /** A REST REQUEST authorizer cached on the credential alone: its answers are applied to every route. */
    static final CacheModel ON_THE_CREDENTIAL = new CacheModel(Duration.ofSeconds(300),
            List.of("method.request.header.Authorization"));

    static String decision(JsonNode answer) {
        return answer.path("context").path("decision").asText() + " " + answer.path("context").path("reason").asText();
    }

    @Test
    void aDenyOnTheInstanceStopsOutboundCallsFreshAndFromACachedAnswer() {
        String denyInstance = doc(ALLOW_ALL,
                "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"" + EdgeHarness.CONNECT + "*\"}");
        EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, denyInstance);
        JsonNode call = fresh.answer(fresh.restRequest(fresh.token(), "PUT", CALL, Map.of(), "198.51.100.7"));
        assertEquals("Deny resource-not-visible", decision(call));

        EdgeHarness cached = new EdgeHarness(ON_THE_CREDENTIAL, denyInstance);
        for (String[] other : List.of(new String[]{"GET", "/instance"}, new String[]{"PUT", "/instance"},
                new String[]{"GET", "/users/" + EdgeHarness.INSTANCE + "/u-1"})) {
            JsonNode answer = cached.answer(cached.restRequest(cached.token(), other[0], other[1], Map.of(),
                    "198.51.100.7"));
            assertFalse(ApiGatewayPolicyMatch.allows(answer, EdgeHarness.STAGE + "/PUT" + CALL),
                    other[1] + " " + decision(answer) + " " + answer);
            if (other[1].equals("/instance")) {
                // the answer is reused on other routes (so the check above means something)
                assertTrue(answer.path("context").path("cacheScope").asText().startsWith("ROUTES"), answer.toString());
            }
        }
    }

    @Test
    void aCallerAllowedOnEveryResourceStillPlacesCalls() {
        EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, doc(ALLOW_ALL));
        JsonNode call = fresh.answer(fresh.restRequest(fresh.token(), "PUT", CALL, Map.of(), "198.51.100.7"));
        assertEquals("Allow allowed", decision(call));
    }
}
