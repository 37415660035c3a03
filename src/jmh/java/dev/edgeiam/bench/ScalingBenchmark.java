package dev.edgeiam.bench;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.Verdict;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.RequestContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Scaling with the number of statements: a synthetic principal with {@code statements} statements in total —
 * {@value #WILDCARDS} fixed wildcard statements and the rest exact-action statements, each on its own distinct
 * action name ({@code connect:SynthAction<i>}), spread over identity policies of at most
 * {@value #PER_POLICY} statements. Requests ask for exact actions that exist (chosen at random, fixed seed),
 * about 3/4 on a matching resource; the cursor cycles through {@value #REQUESTS} of them.
 *
 * <p>Thanks to the action index a request visits its action's exact bucket (one statement), the
 * {@code connect} wildcard bucket (the same {@value #CONNECT_WILDCARDS} statements at every size) and no
 * others, so the time per decision should stay nearly flat from 10 to 10,000 statements (what grows is only
 * hash-table size and cache misses). A linear scan would grow 1,000-fold over the same range.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScalingBenchmark {

    static final int WILDCARDS = 5;
    static final int CONNECT_WILDCARDS = 4;
    static final int PER_POLICY = 100;
    static final int REQUESTS = 64;
    static final int INSTANCES = 20;

    @Param({"10", "100", "1000", "10000"})
    public int statements;

    private CompiledPolicySet set;
    private RequestContext[] requests;
    private int cursor;

    @Setup
    public void setup() {
        int exact = statements - WILDCARDS;
        List<String> bodies = new ArrayList<>();
        // the fixed wildcard statements: four in connect (always visited for connect:* requests), one in s3
        bodies.add(statement("W0", "Allow", "\"connect:Describe*\"",
                "arn:aws:connect:*:111122223333:instance/*/agent/*", null));
        bodies.add(statement("W1", "Allow", "\"connect:List*\"", "*", null));
        bodies.add(statement("W2", "Deny", "\"connect:Delete*\"", "*", null));
        bodies.add(statement("W3", "Allow", "\"connect:*RoutingProfile*\"",
                "arn:aws:connect:*:111122223333:instance/*/routing-profile/*",
                "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"blue\"}}"));
        bodies.add(statement("W4", "Allow", "\"s3:Get*\"", "*", null));
        for (int i = 0; i < exact; i++) {
            String effect = i % 10 == 9 ? "Deny" : "Allow";
            String condition = i % 4 == 3 ? "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"blue\"}}" : null;
            bodies.add(statement("S" + i, effect, "\"connect:SynthAction" + i + "\"",
                    "arn:aws:connect:*:111122223333:instance/inst-" + (i % INSTANCES) + "/queue/*", condition));
        }
        List<CompiledPolicy> policies = new ArrayList<>();
        for (int from = 0; from < bodies.size(); from += PER_POLICY) {
            List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + PER_POLICY));
            String text = "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", chunk) + "]}";
            // AWS_MANAGED: no customer size quota, so any chunk size parses
            policies.add(CompiledPolicy.compile(PolicyParser.parse(text, PolicyType.AWS_MANAGED, "Synth" + from)));
        }
        set = CompiledPolicySet.builder().identity(policies).build();
        if (set.statementCount() != statements) {
            throw new IllegalStateException("built " + set.statementCount() + " statements, wanted " + statements);
        }

        Random random = new Random(42);
        requests = new RequestContext[REQUESTS];
        int allowed = 0;
        for (int r = 0; r < REQUESTS; r++) {
            int k = random.nextInt(exact);
            int instance = random.nextInt(4) == 0 ? (k + 1) % INSTANCES : k % INSTANCES;
            requests[r] = RequestContext.builder("connect:SynthAction" + k,
                            "arn:aws:connect:us-east-1:111122223333:instance/inst-" + instance + "/queue/q-" + r)
                    .put("aws:PrincipalTag/team", random.nextBoolean() ? "blue" : "red")
                    .put("aws:username", "alice")
                    .build();
            if (Evaluator.decide(set, requests[r]).decision() == Reason.Category.ALLOWED) {
                allowed++;
            }
        }
        EvaluateBenchmark.checkDecideAgreesWithExplain(set, requests);
        if (allowed == 0 || allowed == REQUESTS) {
            throw new IllegalStateException("the scaling requests should mix allows and denies; allowed " + allowed);
        }
    }

    private static String statement(String sid, String effect, String action, String resource, String condition) {
        return "{\"Sid\": \"" + sid + "\", \"Effect\": \"" + effect + "\", \"Action\": " + action
                + ", \"Resource\": \"" + resource + "\"" + (condition == null ? "" : ", \"Condition\": " + condition)
                + "}";
    }

    @Benchmark
    public Verdict evaluateExactAction() {
        int i = cursor;
        cursor = i + 1 == requests.length ? 0 : i + 1;
        return Evaluator.decide(set, requests[i]);
    }
}
