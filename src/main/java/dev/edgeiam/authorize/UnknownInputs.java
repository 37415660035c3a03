package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.request.IamNames;
import dev.edgeiam.request.RequestContext;

import java.util.Arrays;
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
        if (names.isEmpty()) {
            return Set.of();
        }
        for (String x : names) {
            if (!IamNames.fold(x).equals(x)) {
                String[] out = new String[names.size()];
                int n = 0;
                for (String name : names) {
                    out[n++] = IamNames.fold(name);
                }
                return distinct(out, n);
            }
        }
        if (names.getClass() == java.util.HashSet.class || names.getClass() == java.util.LinkedHashSet.class) {
            // the JDK's own sets, distinct by equals, whose toArray is their iteration: one array, where Set.copyOf
            // would build another HashSet first (a subclass could answer toArray otherwise: Set.copyOf for it)
            return Set.of(names.toArray(new String[0]));
        }
        return Set.copyOf(names); // no copy when it is an immutable set already
    }

    /** The first {@code n} names as an immutable set (duplicates dropped). */
    private static Set<String> distinct(String[] names, int n) {
        int kept = 0;
        outer:
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < kept; j++) {
                if (names[j].equals(names[i])) {
                    continue outer;
                }
            }
            names[kept++] = names[i];
        }
        return Set.of(kept == names.length ? names : Arrays.copyOf(names, kept));
    }

    /**
     * Builds the inputs from key names, where a name ending in {@code /*} stands for the whole family (the form
     * the identity stage uses, e.g. {@code aws:principaltag/*}).
     */
    public static UnknownInputs of(Set<String> namesAndFamilies, TimeWindow window) {
        if (namesAndFamilies.isEmpty()) {
            return window == null ? BODY_ONLY : new UnknownInputs(Set.of(), Set.of(), window);
        }
        int families = 0;
        for (String n : namesAndFamilies) {
            if (n.endsWith("/*")) {
                families++;
            }
        }
        if (families == 0) {
            return new UnknownInputs(namesAndFamilies, Set.of(), window);
        }
        String[] k = new String[namesAndFamilies.size() - families];
        String[] f = new String[families];
        int nk = 0;
        int nf = 0;
        for (String n : namesAndFamilies) {
            if (n.endsWith("/*")) {
                f[nf++] = n.substring(0, n.length() - 1);
            } else {
                k[nk++] = n;
            }
        }
        return new UnknownInputs(distinct(k, nk), distinct(f, nf), window);
    }

    /** These inputs and the other's together (the wider window when both have one). */
    public UnknownInputs plus(UnknownInputs other) {
        if (other.keys.isEmpty() && other.families.isEmpty() && other.window == null) {
            return this;
        }
        if (keys.isEmpty() && families.isEmpty() && window == null) {
            return other;
        }
        Set<String> k = union(keys, other.keys);
        Set<String> f = union(families, other.families);
        TimeWindow w = window == null ? other.window : other.window == null ? window
                : new TimeWindow(Math.min(window.fromEpochSecond(), other.window.fromEpochSecond()),
                Math.max(window.toEpochSecond(), other.window.toEpochSecond()));
        if (k == keys && f == families && java.util.Objects.equals(w, window)) {
            return this;
        }
        if (k == other.keys && f == other.families && java.util.Objects.equals(w, other.window)) {
            return other;
        }
        return new UnknownInputs(k, f, w);
    }

    /** Both sets of (folded) names as one immutable set: one of them when it holds the other. */
    private static Set<String> union(Set<String> a, Set<String> b) {
        if (b.isEmpty() || a.containsAll(b)) {
            return a;
        }
        if (a.isEmpty() || b.containsAll(a)) {
            return b;
        }
        String[] all = new String[a.size() + b.size()];
        int n = 0;
        for (String x : a) {
            all[n++] = x;
        }
        for (String x : b) {
            if (!a.contains(x)) {
                all[n++] = x;
            }
        }
        return Set.of(n == all.length ? all : Arrays.copyOf(all, n));
    }

    /** These inputs with the request time unknown altogether (a condition on it is never constant). */
    public UnknownInputs withTimeUnknown() {
        return new UnknownInputs(union(keys, TIME_KEYS), families, null);
    }

    private static final Set<String> TIME_KEYS = Set.of(TimeWindow.CURRENT_TIME, TimeWindow.EPOCH_TIME);

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
