package dev.edgeiam.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.policy.PolicyDocument;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * All 1,594 AWS managed policies (the real-world corpus: {@code /managed/aws-managed-policies.json}, packaged from
 * {@code src/test/resources/managed}). {@code compileAll} compiles every pre-parsed document (score: time for all
 * 1,594); {@code compileAllPerPolicy} is the same loop normalised per policy with
 * {@code @OperationsPerInvocation(1594)} — the number the "compile ≤ 50 µs per policy" budget is checked against;
 * {@code parseAndCompileAllPerPolicy} adds parsing from text, per policy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ManagedPolicyCompileBenchmark {

    /** The number of policies in the corpus; checked at setup so the per-policy normalisation stays true. */
    public static final int MANAGED_POLICIES = 1594;

    private String[] texts;
    private String[] ids;
    private PolicyDocument[] documents;

    @Setup
    public void setup() {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/managed/aws-managed-policies.json")) {
            if (in == null) {
                throw new IllegalStateException("/managed/aws-managed-policies.json is not on the class path");
            }
            root = Scenario.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> t = new ArrayList<>();
        List<String> n = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.get("policies").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            n.add("arn:aws:iam::aws:policy/" + e.getKey());
            t.add(e.getValue().toPrettyString());
        }
        if (t.size() != MANAGED_POLICIES) {
            throw new IllegalStateException("expected " + MANAGED_POLICIES + " managed policies, found " + t.size());
        }
        texts = t.toArray(String[]::new);
        ids = n.toArray(String[]::new);
        documents = new PolicyDocument[texts.length];
        for (int i = 0; i < texts.length; i++) {
            documents[i] = PolicyParser.parse(texts[i], PolicyType.AWS_MANAGED, ids[i]);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void compileAll(Blackhole bh) {
        for (PolicyDocument d : documents) {
            bh.consume(CompiledPolicy.compile(d));
        }
    }

    @Benchmark
    @OperationsPerInvocation(MANAGED_POLICIES)
    public void compileAllPerPolicy(Blackhole bh) {
        for (PolicyDocument d : documents) {
            bh.consume(CompiledPolicy.compile(d));
        }
    }

    @Benchmark
    @OperationsPerInvocation(MANAGED_POLICIES)
    public void parseAndCompileAllPerPolicy(Blackhole bh) {
        for (int i = 0; i < texts.length; i++) {
            bh.consume(CompiledPolicy.compile(PolicyParser.parse(texts[i], PolicyType.AWS_MANAGED, ids[i])));
        }
    }
}
