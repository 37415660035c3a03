package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers an IAM {@code SimulateCustomPolicy}-shaped request.
 * (Interface placeholder: the implementation is being written in the engine work.)
 */
public final class CustomPolicySimulator {

    /**
     * @param body the object under the event's {@code "SimulateCustomPolicy"} key
     * @return {@code {"EvaluationResults": [...]}} or {@code {"errorCode", "message", "location"}}; never throws
     */
    public ObjectNode simulate(JsonNode body) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
