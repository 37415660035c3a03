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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link EventDispatcher#dispatch(byte[])} with the real handlers that need no Quarkus and no AWS:
 * {@link CustomPolicySimulator} for {@code SimulateCustomPolicy} and {@link PolicyValidator} for
 * {@code ValidatePolicy} / {@code ExpandActions}, under the deployed default limits (256 KiB, depth 64, strings of
 * 128 KiB). It must never throw and must always return valid JSON holding either results ({@code EvaluationResults},
 * {@code findings} or {@code actions}) or an {@code errorCode} with a message. An {@code InternalError} (a handler
 * threw) is allowed by this property but counted: {@link #dispatchSeedsAndMutations} requires that none of its
 * inputs produce one from the simulator, which promises never to throw.
 * Seeds: {@code EventDispatcherFuzzTestInputs/dispatch/}.
 */
class EventDispatcherFuzzTest {

    static final EventLimits DEFAULT_LIMITS = new EventLimits(262_144, 64, 131_072);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CustomPolicySimulator SIMULATOR = new CustomPolicySimulator();

    static EventDispatcher realDispatcher() {
        return new EventDispatcher(Map.of(
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
        boolean results = response.has("EvaluationResults") || response.has("findings") || response.has("actions");
        assertTrue(error != results, "either results or an errorCode: " + response);
        if (error) {
            assertTrue(response.path("errorCode").isTextual() && response.path("message").isTextual(),
                    "errorCode and message are strings: " + response);
        }
        if (d.kind() == EventKind.SIMULATE_CUSTOM_POLICY && "InternalError".equals(d.outcome())) {
            simulatorInternalErrors++;
        }
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
