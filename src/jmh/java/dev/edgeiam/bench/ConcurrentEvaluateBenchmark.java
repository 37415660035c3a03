package dev.edgeiam.bench;

import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.Verdict;
import dev.edgeiam.request.RequestContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two threads deciding against <b>one shared</b> {@link CompiledPolicySet} and shared request objects (as two
 * concurrent invocations would share a cached principal): shows the compiled set is read-only on the hot path
 * (no locks, no contended writes). Each thread has its own cursor and starts at a different request. Compare the
 * per-operation time with {@code EvaluateBenchmark.evaluate}; it should match when 2 cores are free.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class ConcurrentEvaluateBenchmark {

    /** Shared by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({"small", "connect-admin", "hundred"})
        public String scenario;

        CompiledPolicySet set;
        RequestContext[] requests;

        @Setup
        public void setup() {
            Scenario s = Scenario.load(scenario);
            set = s.set;
            requests = s.requests;
            EvaluateBenchmark.checkDecideAgreesWithExplain(set, requests);
        }
    }

    /** One per thread. */
    @State(Scope.Thread)
    public static class Cursor {
        private static final AtomicInteger STARTS = new AtomicInteger();
        int cursor;

        @Setup
        public void setup(Shared shared) {
            cursor = (STARTS.getAndIncrement() * 7) % shared.requests.length;
        }
    }

    @Benchmark
    public Verdict evaluateConcurrent(Shared shared, Cursor c) {
        RequestContext[] requests = shared.requests;
        int i = c.cursor;
        c.cursor = i + 1 == requests.length ? 0 : i + 1;
        return Evaluator.decide(shared.set, requests[i]);
    }
}
