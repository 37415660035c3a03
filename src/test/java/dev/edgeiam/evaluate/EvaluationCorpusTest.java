package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.corpus.Corpus;
import dev.edgeiam.corpus.CorpusCase;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextKeyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluation corpus (every file {@link Corpus#discover} finds, written from the IAM documentation — see each
 * case's description) and the shared conformance set, run straight through {@link Evaluator#decide} and
 * {@link Evaluator#explain}: one dynamic test per decision case. Each case's policies are parsed and compiled, its
 * context entries become typed {@link ContextValue}s, and both paths must reach the expected decision with the
 * same reason. The error cases of the same files ({@code expectError}) are the parser's:
 * {@code policy.MalformedPolicyCorpusTest} runs them. {@code simulate.CorpusTest} runs the whole corpus again
 * through the {@code SimulateCustomPolicy} request shape.
 */
class EvaluationCorpusTest {

    @TestFactory
    List<DynamicContainer> corpus() {
        List<DynamicContainer> containers = new ArrayList<>();
        for (Corpus.CorpusFile file : Corpus.discover()) {
            containers.add(DynamicContainer.dynamicContainer(file.name(), tests(file.cases())));
        }
        return containers;
    }

    @TestFactory
    List<DynamicTest> conformance() {
        List<CorpusCase> cases = Corpus.load("/conformance/cases.jsonl");
        assertEquals(71, cases.size(), "the shared conformance set has 71 cases");
        return tests(cases);
    }

    private static List<DynamicTest> tests(List<CorpusCase> cases) {
        // Cases with a resource side (resource policy, owner, RCPs) need the simulator's resource-side wiring:
        // simulate.CorpusTest runs them.
        return cases.stream().filter(c -> c.expect() != null && !c.hasResourceSide())
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> run(c)))
                .toList();
    }

    private static void run(CorpusCase c) {
        CompiledPolicySet set = policySet(c);
        RequestContext request = request(c);
        Reason.Category expected = switch (c.expect()) {
            case Allowed -> Reason.Category.ALLOWED;
            case ExplicitlyDenied -> Reason.Category.EXPLICIT_DENY;
            case ImplicitlyDenied -> Reason.Category.IMPLICIT_DENY;
        };
        Verdict fast = Evaluator.decide(set, request);
        Decision full = Evaluator.explain(set, request);
        assertEquals(expected, fast.decision(), c + "\ndecide: " + fast);
        assertEquals(expected, full.decision(), c + "\nexplain: " + full);
        assertEquals(full.reason(), fast.reason(), c + ": decide and explain give different reasons");
        if (expected == Reason.Category.IMPLICIT_DENY) {
            assertEquals(List.of(), full.matchedStatements(), c + ": an implicit deny names no deciding statement");
        } else {
            assertNotNull(fast.deciding(), c + ": an " + expected + " names the statement that decided it");
            assertTrue(full.matchedStatements().contains(MatchedStatement.of(fast.deciding(),
                            layerOf(set, fast.deciding()))),
                    c + ": decide's statement " + fast.deciding() + " is not among explain's " + full.matchedStatements());
            assertTrue(full.matchedStatements().stream().allMatch(m -> m.effect().text().equals(
                            expected == Reason.Category.ALLOWED ? "Allow" : "Deny")),
                    c + ": explain lists statements of the other effect: " + full.matchedStatements());
        }
    }

    /** Every policy of the case, in the SimulateCustomPolicy layers; one SCP per organization level. */
    private static CompiledPolicySet policySet(CorpusCase c) {
        CompiledPolicySet.Builder b = CompiledPolicySet.builder()
                .identity(compile(c.identityPolicies(), "identity"))
                .sessionKind(c.federatedUser() ? SessionKind.FEDERATED_USER : SessionKind.NONE);
        compile(c.permissionBoundaries(), "boundary").forEach(b::boundary);
        if (c.sessionPolicy() != null) {
            b.session(compile(List.of(c.sessionPolicy()), "session").get(0));
        }
        for (CompiledPolicy scp : compile(c.serviceControlPolicies(), "scp")) {
            b.serviceControlLevel(List.of(scp));
        }
        return b.build();
    }

    private static List<CompiledPolicy> compile(List<String> documents, String layer) {
        List<CompiledPolicy> out = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            out.add(CompiledPolicy.compile(PolicyParser.parse(documents.get(i), PolicyType.SIMULATION,
                    layer + "." + (i + 1))));
        }
        return out;
    }

    private static RequestContext request(CorpusCase c) {
        RequestContext.Builder b = RequestContext.builder(c.action(), c.resource());
        String callerAccount = dev.edgeiam.request.Arns.account(c.principal());
        if (callerAccount != null) {
            b.principalAccount(callerAccount); // as the simulator's CallerArn gives it
        }
        for (CorpusCase.ContextEntry e : c.context()) {
            ContextKeyType type = ContextKeyType.fromApiName(e.type());
            assertNotNull(type, c + ": unknown context key type " + e.type());
            b.put(new ContextValue(e.name(), e.values(), type.multivalued(), type));
        }
        return b.build();
    }

    private static PolicyLayer.Kind layerOf(CompiledPolicySet set, CompiledStatement s) {
        for (PolicyLayer layer : set.layers()) {
            for (CompiledPolicy p : layer.policies()) {
                if (p.statements().contains(s)) {
                    return layer.kind();
                }
            }
        }
        throw new AssertionError("statement not in any layer: " + s);
    }
}
