package dev.edgeiam.lambda;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edgeiam.simulate.CustomPolicySimulator;

/** Wires the Quarkus-free core into CDI; the only place that knows which implementation answers which event. */
@Singleton
public class LambdaBeans {

    @Produces
    @Singleton
    EventDispatcher eventDispatcher(AuthorizerConfig config) {
        CustomPolicySimulator simulator = new CustomPolicySimulator();
        return new EventDispatcher(simulator::simulate, config.event().limits());
    }
}
