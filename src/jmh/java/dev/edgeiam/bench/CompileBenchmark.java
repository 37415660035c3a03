package dev.edgeiam.bench;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.PolicyDocument;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Compile: {@link PolicyDocument} → {@link CompiledPolicy} (matchers, typed conditions). {@code compile} does one
 * policy per operation, cycling through the scenario's policies (average per policy); {@code compilePolicySet}
 * compiles every policy of the scenario and builds the {@link CompiledPolicySet} with its action indexes — the
 * whole cache-fill cost for one principal once its documents are parsed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CompileBenchmark {

    @Param({"small", "connect-admin", "hundred"})
    public String scenario;

    private PolicyDocument[] documents;
    private List<PolicyDocument> documentList;
    private int cursor;

    @Setup
    public void setup() {
        Scenario s = Scenario.load(scenario);
        documentList = s.documents;
        documents = s.documents.toArray(PolicyDocument[]::new);
    }

    @Benchmark
    public CompiledPolicy compile() {
        int i = cursor;
        cursor = i + 1 == documents.length ? 0 : i + 1;
        return CompiledPolicy.compile(documents[i]);
    }

    @Benchmark
    public CompiledPolicySet compilePolicySet() {
        CompiledPolicySet.Builder b = CompiledPolicySet.builder();
        for (int i = 0; i < documentList.size(); i++) {
            b.identity(CompiledPolicy.compile(documentList.get(i)));
        }
        return b.build();
    }
}
