package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.PrincipalForm;
import dev.edgeiam.request.RequestContext;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IAM's decision logic ([Eval] "Policy evaluation logic", [XAcct] "Cross-account policy evaluation logic") for
 * the principal's policies ({@link CompiledPolicySet}: identity, boundary, session, SCPs) and the resource's
 * ({@link ResourcePolicySet}: resource-based policy, RCPs). How the layers combine — explicit deny wins, same-account
 * union with a resource policy by principal form, cross-account needs both sides — is {@link CombinationRule}'s
 * alone; this class only asks it.
 * {@link #decide} is the allocation-light hot path; {@link #explain} also lists every applying statement, each
 * layer's outcome and the missing context keys. Both go through the same rule (a property test checks they agree).
 */
public final class Evaluator {

    /** decide's probe: the compiled index, first match (stateless, so no allocation per call). */
    private static final CombinationRule.Probe INDEX = new IndexProbe();

    private static final class IndexProbe implements CombinationRule.Probe {
        @Override
        public CompiledStatement first(PolicyLayer layer, RequestContext request, Effect effect,
                                       Set<PrincipalForm> forms) {
            return layer.firstApplying(request, effect, forms);
        }
    }

    private Evaluator() {
    }

    /** Decides a request on a resource without resource-based policy or RCPs. */
    public static Verdict decide(CompiledPolicySet set, RequestContext request) {
        return CombinationRule.combine(set, ResourcePolicySet.NONE, request, INDEX);
    }

    /** Decides the request. No parsing, no compiling; allocates only the returned verdict when one applies. */
    public static Verdict decide(CompiledPolicySet set, ResourcePolicySet resource, RequestContext request) {
        return CombinationRule.combine(set, resource, request, INDEX);
    }

    /** Decides a request on a resource without resource-based policy or RCPs, and explains the decision. */
    public static Decision explain(CompiledPolicySet set, RequestContext request) {
        return explain(set, ResourcePolicySet.NONE, request);
    }

    /** Decides the request and explains the decision in full. */
    public static Decision explain(CompiledPolicySet set, ResourcePolicySet resource, RequestContext request) {
        Set<String> missing = new LinkedHashSet<>();
        List<MatchedStatement> denies = new ArrayList<>();
        List<MatchedStatement> allows = new ArrayList<>();
        List<LayerResult> results = new ArrayList<>();
        Map<PolicyLayer, List<CompiledStatement>> applying = new IdentityHashMap<>();
        int[] levels = new int[PolicyLayer.Kind.values().length];
        List<PolicyLayer> all = new ArrayList<>(set.layers());
        all.addAll(resource.layers());
        for (PolicyLayer layer : all) {
            List<CompiledStatement> found = new ArrayList<>();
            layer.scan(request, new PolicyLayer.ScanSink() {
                @Override
                public void applies(CompiledStatement statement) {
                    found.add(statement);
                    MatchedStatement m = MatchedStatement.of(statement, layer.kind());
                    (statement.effect() == Effect.DENY ? denies : allows).add(m);
                }

                @Override
                public void missingKey(CompiledCondition condition) {
                    missing.add(condition.key());
                }
            });
            applying.put(layer, found);
            boolean denied = found.stream().anyMatch(s -> s.effect() == Effect.DENY);
            boolean allowed = found.stream().anyMatch(s -> s.effect() == Effect.ALLOW);
            Reason.Category outcome = denied ? Reason.Category.EXPLICIT_DENY
                    : allowed ? Reason.Category.ALLOWED : Reason.Category.IMPLICIT_DENY;
            boolean numbered = layer.kind() == PolicyLayer.Kind.SERVICE_CONTROL
                    || layer.kind() == PolicyLayer.Kind.RESOURCE_CONTROL;
            results.add(new LayerResult(layer.kind(), numbered ? levels[layer.kind().ordinal()]++ : 0, outcome));
        }
        CombinationRule.Probe scanned = (layer, r, effect, forms) -> {
            for (CompiledStatement s : applying.getOrDefault(layer, List.of())) {
                if (s.effect() == effect && (forms == null || s.namesCaller(r, forms))) {
                    return s;
                }
            }
            return null;
        };
        Verdict verdict = CombinationRule.combine(set, resource, request, scanned);
        List<String> missingKeys = List.copyOf(missing);
        List<MatchedStatement> matched = switch (verdict.decision()) {
            case EXPLICIT_DENY -> denies;
            case ALLOWED -> allows;
            case IMPLICIT_DENY, INDETERMINATE, UNAUTHENTICATED -> List.of();
        };
        return new Decision(verdict.reason(), matched, results, missingKeys);
    }
}
