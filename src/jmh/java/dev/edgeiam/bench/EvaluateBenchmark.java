package dev.edgeiam.bench;

import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Decision;
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

import java.util.concurrent.TimeUnit;

/**
 * Evaluate: the hot path. Each operation decides one request of the scenario; the request index advances every
 * invocation and cycles through <b>all</b> the scenario's requests (allows, explicit denies, implicit denies,
 * different actions and resources), so branch prediction cannot learn a single answer.
 *
 * <ul>
 * <li>{@code evaluate} — {@link Evaluator#decide} on a compiled set and a pre-built request: the number the
 * "≤ 0.5 µs connect-admin / ≤ 5 µs hundred / ≤ 100 B per evaluation" budgets are checked against.</li>
 * <li>{@code evaluateExplain} — {@link Evaluator#explain}: every applying statement, layer results, missing keys.</li>
 * <li>{@code evaluateWithRequestBuild} — builds the {@link RequestContext} from its raw fields (lower-casing,
 * key map) and then decides; typed context views are parsed afresh, as for a new request. Closer to one
 * authorizer call minus event parsing; not a budget number.</li>
 * </ul>
 * Note: a pre-built request caches the typed views of its context values (numbers, dates, IPs) after the first
 * evaluation, as it would for a second condition on the same key within one request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EvaluateBenchmark {

    @Param({"small", "connect-admin", "hundred"})
    public String scenario;

    private CompiledPolicySet set;
    private RequestContext[] requests;
    private Scenario.RawRequest[] raw;
    private int cursor;

    @Setup
    public void setup() {
        Scenario s = Scenario.load(scenario);
        set = s.set;
        requests = s.requests;
        raw = s.rawRequests.toArray(Scenario.RawRequest[]::new);
        checkDecideAgreesWithExplain(set, requests);
    }

    /** Guards against benchmarking a broken path: the two evaluators must give the same decision. */
    static void checkDecideAgreesWithExplain(CompiledPolicySet set, RequestContext[] requests) {
        for (RequestContext r : requests) {
            Verdict v = Evaluator.decide(set, r);
            Decision d = Evaluator.explain(set, r);
            if (v.decision() != d.decision() || !v.reason().equals(d.reason())) {
                throw new IllegalStateException("decide and explain disagree on " + r.action() + " " + r.resource()
                        + ": " + v + " vs " + d.decision() + "/" + d.reason());
            }
        }
    }

    private int next() {
        int i = cursor;
        cursor = i + 1 == requests.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public Verdict evaluate() {
        return Evaluator.decide(set, requests[next()]);
    }

    @Benchmark
    public Decision evaluateExplain() {
        return Evaluator.explain(set, requests[next()]);
    }

    @Benchmark
    public Verdict evaluateWithRequestBuild() {
        return Evaluator.decide(set, raw[next()].build());
    }
}
