package dev.edgeiam.compile;

import dev.edgeiam.policy.Condition;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.policy.PolicyDocument;
import dev.edgeiam.policy.Statement;
import dev.edgeiam.request.RequestContext;

import java.util.List;

/**
 * A statement ready to match ([Stmt]): it applies when its {@code Action}/{@code NotAction} matches the
 * action, its {@code Resource}/{@code NotResource} matches the resource and every condition holds.
 * {@code NotAction}/{@code NotResource} match everything except what they list; a {@code NotResource} entry
 * whose variable has no value excludes nothing ([Vars]).
 */
public final class CompiledStatement {

    private final PolicyDocument policy;
    private final Statement source;
    private final boolean notAction;
    private final CompiledPattern[] actions;
    private final boolean notResource;
    private final CompiledPattern[] resources;
    private final CompiledCondition[] conditions;
    private final PrincipalMatcher principal;
    /**
     * The resource patterns with partition, service, region and account folded to lower case, for the
     * case-insensitive reading of those fields; used where that reading is the stricter one (see
     * {@link #matchesResource}). Null when it is not.
     */
    private final CompiledPattern[] foldedResources;
    /** Those of {@link #foldedResources} that differ from their source (null when none): enough for a request
     * whose own fixed fields are already lower case. */
    private final CompiledPattern[] foldedChanged;

    CompiledStatement(PolicyDocument policy, Statement source) {
        this.policy = policy;
        this.source = source;
        boolean variables = policy.version().supportsVariables();
        this.notAction = source.action().negated();
        List<String> actionValues = source.action().values();
        this.actions = new CompiledPattern[actionValues.size()];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = CompiledPattern.action(actionValues.get(i));
        }
        if (source.resource() == null) {
            // Resource is optional only in resource-based (trust) policies, where it means this resource.
            this.notResource = false;
            this.resources = new CompiledPattern[] {CompiledPattern.resource("*", false)};
        } else {
            this.notResource = source.resource().negated();
            List<String> resourceValues = source.resource().values();
            this.resources = new CompiledPattern[resourceValues.size()];
            for (int i = 0; i < resources.length; i++) {
                resources[i] = CompiledPattern.resource(resourceValues.get(i), variables);
            }
        }
        this.principal = source.principal() == null ? null : new PrincipalMatcher(source.principal());
        // Deny + Resource applies if it applies under either reading; Allow + NotResource grants only if it grants
        // under both: in both cases the case-insensitive match is the one that counts (as well).
        if ((source.effect() == Effect.DENY) != notResource) {
            CompiledPattern[] folded = new CompiledPattern[resources.length];
            List<CompiledPattern> changed = new java.util.ArrayList<>();
            for (int i = 0; i < resources.length; i++) {
                String text = dev.edgeiam.request.Arns.foldFixedFields(resources[i].source());
                folded[i] = text.equals(resources[i].source()) ? resources[i]
                        : CompiledPattern.resource(text, variables);
                if (folded[i] != resources[i]) {
                    changed.add(folded[i]);
                }
            }
            this.foldedResources = folded;
            this.foldedChanged = changed.isEmpty() ? null : changed.toArray(new CompiledPattern[0]);
        } else {
            this.foldedResources = null;
            this.foldedChanged = null;
        }
        List<Condition> conditionValues = source.conditions();
        this.conditions = new CompiledCondition[conditionValues.size()];
        for (int i = 0; i < conditions.length; i++) {
            conditions[i] = new CompiledCondition(conditionValues.get(i), variables);
        }
    }

    public PolicyDocument policy() {
        return policy;
    }

    public Statement source() {
        return source;
    }

    public Effect effect() {
        return source.effect();
    }

    /** Whether the statement uses {@code NotAction}. */
    public boolean notAction() {
        return notAction;
    }

    /** The {@code Action}/{@code NotAction} entries, compiled. */
    public List<CompiledPattern> actionPatterns() {
        return List.of(actions);
    }

    /** Whether the statement uses {@code NotResource}. */
    public boolean notResource() {
        return notResource;
    }

    /**
     * The {@code Resource}/{@code NotResource} entries, compiled ({@code *} when the element is absent), plus —
     * for a {@code Deny}+{@code Resource} or {@code Allow}+{@code NotResource} statement — each entry with its
     * partition, service, region and account folded to lower case where that changes it: the patterns the
     * statement matches under the never-over-grant reading of ARN case (see {@link #matchesResource}). Callers
     * that reason about a resource space (every identifier of a hidden resource) see the wider Deny and the wider
     * NotResource exclusion that way.
     */
    public List<CompiledPattern> resourcePatterns() {
        if (foldedChanged == null) {
            return List.of(resources);
        }
        List<CompiledPattern> all = new java.util.ArrayList<>(List.of(resources));
        all.addAll(List.of(foldedChanged));
        return List.copyOf(all);
    }

    /**
     * The request context keys this statement can read, lower-case: its condition keys plus every policy
     * variable in its {@code Resource}/{@code NotResource} entries and condition values ([Vars]). A key a
     * statement only names as a variable is still read, so callers that fetch keys lazily (resource tags)
     * must count it.
     */
    public java.util.Set<String> referencedKeys() {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        for (CompiledCondition c : conditions) {
            keys.add(c.lowerKey());
            keys.addAll(c.variables());
        }
        for (CompiledPattern p : resources) {
            keys.addAll(p.variables());
        }
        return keys;
    }

    public List<CompiledCondition> conditions() {
        return List.of(conditions);
    }

    public boolean matchesAction(RequestContext request) {
        return matchesAction(request.actionLowerCase());
    }

    /** Whether the {@code Action}/{@code NotAction} matches the lower-case action (no variables: action alone). */
    boolean matchesAction(String action) {
        for (CompiledPattern p : actions) {
            if (p.matches(action)) {
                return !notAction;
            }
        }
        return notAction;
    }

    /**
     * Resource and principal: statements of resource-based policies also name who they apply to; the
     * caller must be named by {@code Principal} (or not named by {@code NotPrincipal}).
     *
     * <p>Case of the ARN's fixed fields. [ARN] and [Res] say resource ARNs are matched case-sensitively (the
     * resource part is, and {@code ArnLike}/{@code ArnEquals} are documented as case-sensitive) but do not say
     * whether {@code arn:aws:CONNECT:US-EAST-1:...} names the same resource as {@code arn:aws:connect:us-east-1:...};
     * IAM's simulator treats partition, service, region and account case-insensitively. Where AWS's text does not
     * settle it we take the reading that can never over-grant: a {@code Deny} applies if it applies under either
     * reading, an {@code Allow} grants only if it grants under both. So {@code Deny}+{@code Resource} and
     * {@code Allow}+{@code NotResource} also match with those fields folded to lower case on both sides, while
     * {@code Allow}+{@code Resource} and {@code Deny}+{@code NotResource} match case-sensitively only. Policy
     * validation warns about such patterns ({@code dev.edgeiam.validate}).
     */
    public boolean matchesResource(RequestContext request) {
        if (principal != null && !principal.matches(request.principal())) {
            return false;
        }
        String resource = request.resource();
        for (CompiledPattern p : resources) {
            if (p.matches(resource, request)) {
                return !notResource;
            }
        }
        if (foldedResources != null) {
            String folded = request.resourceFixedFieldsFolded();
            // a request already in lower case needs only the patterns folding changed (the others just failed)
            CompiledPattern[] patterns = folded == resource ? foldedChanged : foldedResources;
            if (patterns != null) {
                for (CompiledPattern p : patterns) {
                    if (p.matches(folded, request)) {
                        return !notResource;
                    }
                }
            }
        }
        return notResource;
    }

    /** Whether the statement has a {@code Principal} or {@code NotPrincipal} element (a resource-based policy's). */
    public boolean hasPrincipal() {
        return principal != null;
    }

    /**
     * Whether the statement's {@code Principal}/{@code NotPrincipal} names the request's caller by one of
     * {@code forms}; false for a statement without a principal element.
     */
    public boolean namesCaller(RequestContext request, java.util.Set<dev.edgeiam.request.PrincipalForm> forms) {
        return principal != null && principal.names(request.principal(), forms);
    }

    /** Whether every condition holds (an empty Condition block holds). */
    public boolean conditionsHold(RequestContext request) {
        for (CompiledCondition c : conditions) {
            if (!c.holds(request)) {
                return false;
            }
        }
        return true;
    }

    /** Action, resource and conditions all match. */
    public boolean applies(RequestContext request) {
        return matchesAction(request) && matchesResource(request) && conditionsHold(request);
    }

    @Override
    public String toString() {
        return policy.policyId() + "#" + source.index() + (source.sid() == null ? "" : "(" + source.sid() + ")");
    }
}
