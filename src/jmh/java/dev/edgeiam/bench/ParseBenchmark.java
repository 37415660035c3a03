package dev.edgeiam.bench;

import dev.edgeiam.policy.PolicyDocument;
import dev.edgeiam.policy.PolicyParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Parse: policy text → {@link PolicyDocument} (grammar checks, source positions). One operation parses one
 * identity policy of the scenario, cycling through all of them, so the score is the average per policy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParseBenchmark {

    @Param({"small", "connect-admin", "hundred"})
    public String scenario;

    private String[] texts;
    private String[] ids;
    private int cursor;

    @Setup
    public void setup() {
        Scenario s = Scenario.load(scenario);
        texts = s.policyTexts.toArray(String[]::new);
        ids = s.policyNames.toArray(String[]::new);
    }

    @Benchmark
    public PolicyDocument parse() {
        int i = cursor;
        cursor = i + 1 == texts.length ? 0 : i + 1;
        return PolicyParser.parse(texts[i], Scenario.TYPE, ids[i]);
    }
}
