package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.IamNames;
import dev.edgeiam.request.RequestContext;

/**
 * Keeps an allow from resting on request keys the edge cannot see. Keys such as {@code connect:Channel},
 * {@code aws:RequestTag/<k>} and {@code aws:TagKeys} travel in the request body of the real Amazon Connect call;
 * an authorizer never sees them, so "absent here" does not mean "absent at AWS" ([Cond]: a missing key makes
 * negated operators true and positive ones false — either can be wrong for the real request).
 *
 * <p>Sound rule: the request is refused when a Deny statement that matches the action and resource may apply
 * depending on such a key, or when some layer that must allow (identity, boundary, session, each SCP level) has
 * no applying Allow that is independent of such keys. Only consulted when the policies read such a key for the
 * action, so the common path costs nothing.
 */
final class UnseenConditionKeys {

    private UnseenConditionKeys() {
    }

    /** Whether the action's statements read a body-carried key the request lacks (a cheap, cached check). */
    static boolean relevant(CompiledPolicySet set, RequestContext request) {
        for (String key : set.conditionKeysFor(request.action())) {
            if (unseen(key, request)) {
                return true;
            }
        }
        return false;
    }

    /** A description of the problem, or null when the decision does not depend on unseen keys. */
    static String problem(CompiledPolicySet set, RequestContext request) {
        for (PolicyLayer layer : set.layers()) {
            for (CompiledPolicy policy : layer.policies()) {
                for (CompiledStatement s : policy.statements()) {
                    if (s.effect() == Effect.DENY && readsUnseen(s, request) && s.matchesAction(request)
                            && s.matchesResource(request) && holdsApartFromUnseen(s, request)) {
                        return "Deny statement " + s + " depends on a condition key carried only in the request body";
                    }
                }
            }
        }
        if (!allowsIndependently(set.identity(), request)) {
            return "no identity-policy Allow holds independently of keys carried only in the request body";
        }
        if (set.boundary() != null && !allowsIndependently(set.boundary(), request)) {
            return "no permissions-boundary Allow holds independently of keys carried only in the request body";
        }
        if (set.session() != null && !allowsIndependently(set.session(), request)) {
            return "no session-policy Allow holds independently of keys carried only in the request body";
        }
        for (PolicyLayer scp : set.serviceControlLevels()) {
            if (!allowsIndependently(scp, request)) {
                return "no SCP Allow holds independently of keys carried only in the request body";
            }
        }
        return null;
    }

    private static boolean allowsIndependently(PolicyLayer layer, RequestContext request) {
        for (CompiledPolicy policy : layer.policies()) {
            for (CompiledStatement s : policy.statements()) {
                if (s.effect() == Effect.ALLOW && !readsUnseen(s, request) && s.applies(request)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean holdsApartFromUnseen(CompiledStatement s, RequestContext request) {
        for (CompiledCondition c : s.conditions()) {
            if (!reads(c, request) && !c.holds(request)) {
                return false;
            }
        }
        return true;
    }

    private static boolean readsUnseen(CompiledStatement s, RequestContext request) {
        for (CompiledCondition c : s.conditions()) {
            if (reads(c, request)) {
                return true;
            }
        }
        return false;
    }

    private static boolean reads(CompiledCondition c, RequestContext request) {
        return reads(c, request, true);
    }

    /**
     * Whether the condition reads (as its key or through a policy variable) a key the edge cannot know for this
     * request — see {@link #unseen(String, RequestContext, boolean)}.
     */
    static boolean reads(CompiledCondition c, RequestContext request, boolean resourceTagsKnown) {
        if (unseen(c.lowerKey(), request, resourceTagsKnown)) {
            return true;
        }
        for (String v : c.variables()) {
            if (unseen(v, request, resourceTagsKnown)) {
                return true;
            }
        }
        return false;
    }

    static boolean unseen(String key, RequestContext request) {
        return unseen(key, request, true);
    }

    /**
     * Keys the real Amazon Connect request carries but the edge may not see: body-carried keys ({@code connect:*}
     * other than resource tags, {@code aws:RequestTag/*}, {@code aws:TagKeys}) and the resource's account and
     * organization ({@code aws:ResourceAccount}, {@code aws:ResourceOrgID}, {@code aws:ResourceOrgPaths}) when the
     * request lacks them; resource tags unless they were looked up ({@code resourceTagsKnown}: a visible resource's
     * tags are read from Amazon Connect when a policy needs them; a hidden resource's cannot be).
     */
    static boolean unseen(String key, RequestContext request, boolean resourceTagsKnown) {
        String k = IamNames.fold(key);
        if (CompiledPolicySet.isResourceTagKey(k)) {
            return !resourceTagsKnown;
        }
        boolean carried = k.startsWith("connect:") || k.startsWith("aws:requesttag/") || k.equals("aws:tagkeys")
                || k.equals("aws:resourceaccount") || k.equals("aws:resourceorgid") || k.equals("aws:resourceorgpaths");
        return carried && request.get(k) == null;
    }
}
