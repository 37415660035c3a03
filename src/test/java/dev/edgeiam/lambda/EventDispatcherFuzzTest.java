package dev.edgeiam.lambda;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.edgeiam.fuzz.FuzzInputs;
import dev.edgeiam.lambda.EventDispatcher.Answer;
import dev.edgeiam.lambda.EventDispatcher.Dispatch;
import dev.edgeiam.lambda.EventDispatcher.EventKind;
import dev.edgeiam.simulate.CustomPolicySimulator;
import dev.edgeiam.validate.PolicyValidator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link EventDispatcher#dispatch(byte[])} with the real handlers that need no Quarkus and no AWS:
 * {@link CustomPolicySimulator} for {@code SimulateCustomPolicy}, {@link PolicyValidator} for
 * {@code ValidatePolicy} / {@code ExpandActions}, and the whole API Gateway authorizer path ({@link GatewayAuthorizer}
 * over an account snapshot, the development issuer's keys and the result cache on, as {@link EdgeHarness} wires it),
 * under the deployed default limits (256 KiB, depth 64, strings of 128 KiB). It must never throw and must always
 * return valid JSON holding either results ({@code EvaluationResults}, {@code findings}, {@code actions}, an
 * authorizer policy or {@code isAuthorized}) or an {@code errorCode} with a message; and an authorizer Allow is only
 * ever given to an event carrying the harness's valid token unchanged ({@link #authorizerEventsAndMutations}). An {@code InternalError} (a handler
 * threw) is allowed by this property but counted: {@link #dispatchSeedsAndMutations} requires that none of its
 * inputs produce one from the simulator, which promises never to throw.
 * Seeds: {@code EventDispatcherFuzzTestInputs/dispatch/}.
 */
class EventDispatcherFuzzTest {

    static final EventLimits DEFAULT_LIMITS = new EventLimits(262_144, 64, 131_072);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CustomPolicySimulator SIMULATOR = new CustomPolicySimulator();

    private static final EdgeHarness EDGE = new EdgeHarness(dev.edgeiam.authorize.CacheModel.API_GATEWAY_DEFAULT,
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}");
    private static final String VALID_TOKEN = EDGE.token();

    static EventDispatcher realDispatcher() {
        return new EventDispatcher(Map.of(
                EventKind.AUTHORIZER, EDGE.gateway.handler(),
                EventKind.SIMULATE_CUSTOM_POLICY, body -> Answer.of(SIMULATOR.simulate(body)),
                EventKind.VALIDATE_POLICY, body -> Answer.of(PolicyValidator.handle(
                        JsonNodeFactory.instance.objectNode().set("ValidatePolicy", body))),
                EventKind.EXPAND_ACTIONS, body -> Answer.of(PolicyValidator.handle(
                        JsonNodeFactory.instance.objectNode().set("ExpandActions", body)))), DEFAULT_LIMITS);
    }

    private final EventDispatcher dispatcher = realDispatcher();
    private int simulatorInternalErrors;

    @FuzzTest(maxDuration = "20s")
    void dispatch(byte[] data) throws IOException {
        Dispatch d = dispatcher.dispatch(data);
        assertNotNull(d);
        JsonNode response = JSON.readTree(d.responseJson());
        assertTrue(response.isObject(), "the response is a JSON object");
        assertEquals(d.response(), response, "responseJson is the response");
        boolean error = response.hasNonNull("errorCode");
        boolean results = response.has("EvaluationResults") || response.has("findings") || response.has("actions")
                || response.has("policyDocument") || response.path("isAuthorized").isBoolean();
        assertTrue(error != results, "either results or an errorCode: " + response);
        if (error) {
            assertTrue(response.path("errorCode").isTextual() && response.path("message").isTextual(),
                    "errorCode and message are strings: " + response);
        }
        if (d.kind() == EventKind.SIMULATE_CUSTOM_POLICY && "InternalError".equals(d.outcome())) {
            simulatorInternalErrors++;
        }
        if (d.kind() == EventKind.AUTHORIZER) {
            assertTrue(!"InternalError".equals(d.outcome()), "the authorizer path threw: " + response);
            if (grantsSomething(response)) {
                JsonNode event = JSON.readTree(data);
                String credential = event.hasNonNull("authorizationToken") ? event.get("authorizationToken").asText()
                        : event.path("headers").path("Authorization").isTextual()
                        ? event.path("headers").path("Authorization").asText()
                        : event.path("headers").path("authorization").asText(null);
                assertEquals(VALID_TOKEN, credential, "an Allow for a credential that is not the valid token: "
                        + response);
                authorizerAllows++;
            }
        }
    }

    private static boolean grantsSomething(JsonNode response) {
        if (response.path("isAuthorized").asBoolean(false)) {
            return true;
        }
        for (JsonNode statement : response.path("policyDocument").path("Statement")) {
            if (statement.path("Effect").asText().equals("Allow")) {
                return true;
            }
        }
        return false;
    }

    private int authorizerAllows;

    /** Authorizer events of every format, each with the valid token, then mutated (tokens, paths, queries, shapes). */
    @Test
    void authorizerEventsAndMutations() {
        String path = "/users/" + EdgeHarness.INSTANCE + "/u-1";
        List<byte[]> seeds = new ArrayList<>();
        for (JsonNode event : List.of(
                EDGE.tokenEvent(VALID_TOKEN, "GET", path),
                EDGE.restRequest(VALID_TOKEN, "GET", path, EdgeHarness.query("tagKeys", "a", "tagKeys", "b"), "198.51.100.7"),
                EDGE.httpRequest(VALID_TOKEN, "GET", path, "x=1&x=2", "GET /users/{InstanceId}/{UserId}",
                        List.of(VALID_TOKEN)),
                EDGE.httpRequest(VALID_TOKEN, "DELETE", "/contact/" + EdgeHarness.INSTANCE + "/c-1", "",
                        "$default", List.of(VALID_TOKEN)))) {
            seeds.add(event.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        FuzzInputs.runSeedsAndMutations(seeds, "authorizer", 3_000, data -> {
            try {
                dispatch(data);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(authorizerAllows >= seeds.size(), "the valid seeds are allowed (" + authorizerAllows + ")");
    }

    @Test
    void dispatchSeedsAndMutations() {
        FuzzInputs.runSeedsAndMutations(EventDispatcherFuzzTest.class, "dispatch", 3_000, data -> {
            try {
                dispatch(data);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(0, simulatorInternalErrors, "the simulator threw on some inputs (see InternalError)");
    }
}
