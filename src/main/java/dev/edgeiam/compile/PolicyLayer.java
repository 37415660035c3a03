package dev.edgeiam.compile;

import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import dev.edgeiam.request.PrincipalForm;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The policies of one kind that together make one decision input ([Eval]): the identity-based policies, the
 * permissions boundary, the session policies, the SCPs of one level of the organization, the resource-based
 * policy of the resource, or the RCPs of one level of the resource owner's organization. Within a layer
 * the allows are a union: the layer allows when any {@code Allow} statement applies. Statements are indexed by
 * action and split by effect once, at compile time, so a request visits only statements that can match.
 */
public final class PolicyLayer {

    /** What the layer is, for reporting. */
    public enum Kind {
        IDENTITY("IAM Policy"),
        PERMISSIONS_BOUNDARY("PermissionsBoundaryPolicy"),
        SESSION("SessionPolicy"),
        SERVICE_CONTROL("ServiceControlPolicy"),
        /** A resource-based policy; {@code resource} is the word IAM's simulator uses for it. */
        RESOURCE("resource"),
        RESOURCE_CONTROL("ResourceControlPolicy");

        private final String simulatorName;

        Kind(String simulatorName) {
            this.simulatorName = simulatorName;
        }

        /** How reasons and details name the layer: identity-policy, permissions-boundary, session-policy, SCP, ... */
        public String reasonName() {
            return switch (this) {
                case IDENTITY -> "identity-policy";
                case PERMISSIONS_BOUNDARY -> "permissions-boundary";
                case SESSION -> "session-policy";
                case SERVICE_CONTROL -> "SCP";
                case RESOURCE -> "resource-policy";
                case RESOURCE_CONTROL -> "RCP";
            };
        }

        /** The {@code SourcePolicyType} word used in simulator results. */
        public String simulatorName() {
            return simulatorName;
        }
    }

    /** Receives what a full scan finds: applying statements and keys conditions needed but did not get. */
    public interface ScanSink {
        void applies(CompiledStatement statement);

        void missingKey(CompiledCondition condition);
    }

    private final Kind kind;
    private final List<CompiledPolicy> policies;
    private final StatementIndex allows;
    private final StatementIndex denies;

    public PolicyLayer(Kind kind, List<CompiledPolicy> policies) {
        this.kind = kind;
        this.policies = List.copyOf(policies);
        List<CompiledStatement> allowList = new ArrayList<>();
        List<CompiledStatement> denyList = new ArrayList<>();
        for (CompiledPolicy p : policies) {
            for (CompiledStatement s : p.statements()) {
                (s.effect() == Effect.ALLOW ? allowList : denyList).add(s);
            }
        }
        this.allows = new StatementIndex(allowList);
        this.denies = new StatementIndex(denyList);
    }

    public Kind kind() {
        return kind;
    }

    public List<CompiledPolicy> policies() {
        return policies;
    }

    public int statementCount() {
        return allows.size() + denies.size();
    }

    /**
     * The first statement with the given effect that applies to the request, or null. Allocation-free once the
     * request's action has been seen by this layer (see {@link StatementIndex#serviceMatching}).
     */
    public CompiledStatement firstApplying(RequestContext request, Effect effect) {
        return firstApplying(request, effect, null);
    }

    /**
     * The first statement with the given effect that applies to the request and whose {@code Principal} names the
     * caller in one of {@code forms} (any statement when null), or null.
     */
    public CompiledStatement firstApplying(RequestContext request, Effect effect, Set<PrincipalForm> forms) {
        StatementIndex index = effect == Effect.ALLOW ? allows : denies;
        CompiledStatement[] candidates = index.candidates(request);
        if (candidates != null) {
            for (CompiledStatement s : candidates) {
                if (s.matchesResource(request) && s.conditionsHold(request) && named(s, request, forms)) {
                    return s;
                }
            }
            return null;
        }
        return firstApplyingByBuckets(index, request, forms);
    }

    /** {@link #firstApplying}'s answer found by visiting the index's buckets one by one (no per-action memo). */
    CompiledStatement firstApplyingByBuckets(Effect effect, RequestContext request, Set<PrincipalForm> forms) {
        return firstApplyingByBuckets(effect == Effect.ALLOW ? allows : denies, request, forms);
    }

    private static CompiledStatement firstApplyingByBuckets(StatementIndex index, RequestContext request,
                                                            Set<PrincipalForm> forms) {
        for (CompiledStatement s : index.exact(request.actionLowerCase())) {
            if (s.matchesResource(request) && s.conditionsHold(request) && named(s, request, forms)) {
                return s;
            }
        }
        CompiledStatement[] byService = index.serviceMatching(request);
        if (byService != null) {
            for (CompiledStatement s : byService) {
                if (s.matchesResource(request) && s.conditionsHold(request) && named(s, request, forms)) {
                    return s;
                }
            }
        } else {
            for (CompiledStatement s : index.service(request.servicePrefix())) {
                if (s.applies(request) && named(s, request, forms)) {
                    return s;
                }
            }
        }
        for (CompiledStatement s : index.universal()) {
            if (s.applies(request) && named(s, request, forms)) {
                return s;
            }
        }
        return null;
    }

    private static boolean named(CompiledStatement s, RequestContext request, Set<PrincipalForm> forms) {
        return forms == null || s.namesCaller(request, forms);
    }

    /**
     * Reports every statement (both effects) that applies, and, for statements whose action and resource
     * match, every condition key the request lacks. Statements are visited in {@link #firstApplying}'s order
     * (the index's per-action candidates, or the same buckets one by one when its memo is full), so the first
     * applying statement reported for an effect is the one {@code firstApplying} returns.
     */
    public void scan(RequestContext request, ScanSink sink) {
        for (StatementIndex index : new StatementIndex[] {denies, allows}) {
            CompiledStatement[] candidates = index.candidates(request);
            if (candidates != null) {
                for (CompiledStatement s : candidates) {
                    if (s.matchesResource(request)) {
                        report(s, request, sink);
                    }
                }
                continue;
            }
            for (CompiledStatement s : index.exact(request.actionLowerCase())) {
                if (s.matchesResource(request)) {
                    report(s, request, sink);
                }
            }
            CompiledStatement[] byService = index.serviceMatching(request.actionLowerCase(),
                    request.servicePrefix());
            if (byService != null) {
                for (CompiledStatement s : byService) {
                    if (s.matchesResource(request)) {
                        report(s, request, sink);
                    }
                }
            } else {
                for (CompiledStatement s : index.service(request.servicePrefix())) {
                    if (s.matchesAction(request) && s.matchesResource(request)) {
                        report(s, request, sink);
                    }
                }
            }
            for (CompiledStatement s : index.universal()) {
                if (s.matchesAction(request) && s.matchesResource(request)) {
                    report(s, request, sink);
                }
            }
        }
    }

    private static void report(CompiledStatement s, RequestContext request, ScanSink sink) {
        boolean holds = true;
        for (CompiledCondition c : s.conditions()) {
            ContextValue value = c.lookup(request);
            if (value == null) {
                sink.missingKey(c);
            }
            if (!c.holds(value, request)) {
                holds = false;
            }
        }
        if (holds) {
            sink.applies(s);
        }
    }
}
