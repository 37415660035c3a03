package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.request.IamNames;
import dev.edgeiam.request.RequestContext;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The request context keys a decision must not rest on, because the function does not know the value the real
 * request carries — or because the answer will also be applied to other requests whose value may differ. The one
 * owner of "which inputs are unknown" for the authorizer; {@link UnseenConditionKeys} and {@link UnseenResource}
 * then refuse any decision that an unknown input could change (an Allow the decision needs, or a Deny that might
 * apply).
 *
 * <p>Always unknown at an API Gateway edge (the body is never sent to an authorizer): body-carried keys —
 * {@code connect:*} keys other than resource tags, {@code aws:RequestTag/*}, {@code aws:TagKeys} — and the
 * resource's account and organization ({@code aws:ResourceAccount}, {@code aws:ResourceOrgID},
 * {@code aws:ResourceOrgPaths}) whenever the request does not carry them; resource tags unless they were looked
 * up. In addition, per request:
 * <ul>
 * <li>{@code keys}: keys by name (lower case), e.g. {@code aws:sourceip} for a REST {@code TOKEN} event, which
 * carries no source address, or for an answer API Gateway will cache for requests from any address;</li>
 * <li>{@code families}: key families by prefix (lower case, ending in {@code /}), e.g. {@code aws:principaltag/}
 * for a caller whose session tags the function cannot see;</li>
 * <li>{@code window}: when not null, the request time is any second of the window, so a condition on
 * {@code aws:CurrentTime}/{@code aws:EpochTime} is known only where it is constant over it ({@link TimeWindow}).</li>
 * </ul>
 */
public record UnknownInputs(Set<String> keys, Set<String> families, TimeWindow window) {

    /** Only the body-carried keys are unknown. */
    public static final UnknownInputs BODY_ONLY = new UnknownInputs(Set.of(), Set.of(), null);

    public UnknownInputs {
        keys = folded(keys);
        families = folded(families);
    }

    /** The names IAM-folded, as an immutable set (the same set when it already is one and every name is folded). */
    private static Set<String> folded(Set<String> names) {
        for (String x : names) {
            if (!IamNames.fold(x).equals(x)) {
                Set<String> out = new LinkedHashSet<>();
                names.forEach(n -> out.add(IamNames.fold(n)));
                return Set.copyOf(out);
            }
        }
        return Set.copyOf(names);
    }

    /**
     * Builds the inputs from key names, where a name ending in {@code /*} stands for the whole family (the form
     * the identity stage uses, e.g. {@code aws:principaltag/*}).
     */
    public static UnknownInputs of(Set<String> namesAndFamilies, TimeWindow window) {
        if (namesAndFamilies.isEmpty()) {
            return window == null ? BODY_ONLY : new UnknownInputs(Set.of(), Set.of(), window);
        }
        Set<String> k = new LinkedHashSet<>();
        Set<String> f = new LinkedHashSet<>();
        for (String n : namesAndFamilies) {
            if (n.endsWith("/*")) {
                f.add(n.substring(0, n.length() - 1));
            } else {
                k.add(n);
            }
        }
        return new UnknownInputs(k, f, window);
    }

    /** These inputs and the other's together (the wider window when both have one). */
    public UnknownInputs plus(UnknownInputs other) {
        if (other.keys.isEmpty() && other.families.isEmpty() && other.window == null) {
            return this;
        }
        if (keys.isEmpty() && families.isEmpty() && window == null) {
            return other;
        }
        Set<String> k = new LinkedHashSet<>(keys);
        k.addAll(other.keys);
        Set<String> f = new LinkedHashSet<>(families);
        f.addAll(other.families);
        TimeWindow w = window == null ? other.window : other.window == null ? window
                : new TimeWindow(Math.min(window.fromEpochSecond(), other.window.fromEpochSecond()),
                Math.max(window.toEpochSecond(), other.window.toEpochSecond()));
        return new UnknownInputs(k, f, w);
    }

    /** These inputs with the request time unknown altogether (a condition on it is never constant). */
    public UnknownInputs withTimeUnknown() {
        Set<String> k = new LinkedHashSet<>(keys);
        k.add(TimeWindow.CURRENT_TIME);
        k.add(TimeWindow.EPOCH_TIME);
        return new UnknownInputs(k, families, null);
    }

    /**
     * Whether the key may be unknown for this request (by name alone; a time key inside a window counts, since
     * some conditions on it may not be constant). A cheap pre-check before {@link #reads}.
     */
    public boolean mayBeUnknown(String key, RequestContext request, boolean resourceTagsKnown) {
        String k = IamNames.fold(key);
        if (bodyCarriedUnseen(k, request, resourceTagsKnown)) {
            return true;
        }
        if (keys.contains(k) || (window != null && TimeWindow.isTimeKey(k))) {
            return true;
        }
        for (String family : families) {
            if (k.startsWith(family)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the condition reads — as its key or through a policy variable — a value the decision must not rest
     * on for this request.
     */
    public boolean reads(CompiledCondition c, RequestContext request, boolean resourceTagsKnown) {
        String key = c.lowerKey();
        if (mayBeUnknown(key, request, resourceTagsKnown)) {
            boolean byTimeOnly = window != null && TimeWindow.isTimeKey(key) && !keys.contains(key);
            if (!byTimeOnly || !window.constantOver(c)) {
                return true;
            }
        }
        for (String v : c.variables()) {
            if (mayBeUnknown(v, request, resourceTagsKnown)) {
                return true; // time keys cannot be variables of Date/Numeric operators; any other use is unknown
            }
        }
        return false;
    }

    /** Whether any of the keys statements for the action can read may be unknown (a cached, cheap first check). */
    public boolean relevantTo(CompiledPolicySet set, RequestContext request) {
        for (String key : set.conditionKeysFor(request.action())) {
            if (mayBeUnknown(key, request, true)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Keys the real Amazon Connect request carries but the edge may not see: body-carried keys ({@code connect:*}
     * other than resource tags, {@code aws:RequestTag/*}, {@code aws:TagKeys}) and the resource's account and
     * organization when the request lacks them; resource tags unless they were looked up.
     */
    static boolean bodyCarriedUnseen(String k, RequestContext request, boolean resourceTagsKnown) {
        if (CompiledPolicySet.isResourceTagKey(k)) {
            return !resourceTagsKnown;
        }
        boolean carried = k.startsWith("connect:") || k.startsWith("aws:requesttag/") || k.equals("aws:tagkeys")
                || k.equals("aws:resourceaccount") || k.equals("aws:resourceorgid") || k.equals("aws:resourceorgpaths");
        return carried && request.get(k) == null;
    }

    // Written out rather than generated: a record's own equals/hashCode link through java.lang.runtime.ObjectMethods
    // on first use, several milliseconds of a cold start per record class (BENCHMARKS.md, "Start-up against a bare
    // Quarkus Lambda"). Same meaning as the generated ones: every component, in order.
    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownInputs u && keys.equals(u.keys) && families.equals(u.families)
                && java.util.Objects.equals(window, u.window);
    }

    @Override
    public int hashCode() {
        return (keys.hashCode() * 31 + families.hashCode()) * 31 + java.util.Objects.hashCode(window);
    }
}
