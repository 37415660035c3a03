package dev.edgeiam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.simulate.CustomPolicySimulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The whole {@code SimulateCustomPolicy} path, JSON bytes in to JSON bytes out: Jackson reads the event,
 * the simulator parses and compiles every policy in {@code PolicyInputList} (as SimulateCustomPolicy does on
 * every call — nothing is cached), evaluates with {@link dev.edgeiam.evaluate.Evaluator#explain} and builds the
 * result, which Jackson writes to bytes. One event per scenario request (all the scenario's policies, that
 * request's action, resource and context); the event index cycles through all of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SimulateBenchmark {

    @Param({"small", "connect-admin", "hundred"})
    public String scenario;

    private final ObjectMapper mapper = new ObjectMapper();
    private final CustomPolicySimulator simulator = new CustomPolicySimulator();
    private byte[][] events;
    private int cursor;

    @Setup
    public void setup() throws IOException {
        Scenario s = Scenario.load(scenario);
        events = new byte[s.rawRequests.size()][];
        for (int i = 0; i < events.length; i++) {
            events[i] = s.simulateEvent(i);
            String out = new String(simulateCustomPolicy(events[i]), StandardCharsets.UTF_8);
            if (!out.contains("\"EvaluationResults\"")) {
                throw new IllegalStateException("simulator refused scenario " + scenario + " event " + i + ": " + out);
            }
        }
    }

    private byte[] simulateCustomPolicy(byte[] event) throws IOException {
        JsonNode body = mapper.readTree(event).get("SimulateCustomPolicy");
        ObjectNode result = simulator.simulate(body);
        return mapper.writeValueAsBytes(result);
    }

    @Benchmark
    public byte[] simulate() throws IOException {
        int i = cursor;
        cursor = i + 1 == events.length ? 0 : i + 1;
        return simulateCustomPolicy(events[i]);
    }
}
