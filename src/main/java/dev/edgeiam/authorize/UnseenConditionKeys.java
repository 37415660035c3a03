package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.RequestContext;

import java.util.Locale;

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
        if (unseen(c.lowerKey(), request)) {
            return true;
        }
        for (String v : c.variables()) {
            if (unseen(v, request)) {
                return true;
            }
        }
        return false;
    }

    /** Body-carried keys ({@code connect:*} other than resource tags, request tags, tag keys) the request lacks. */
    static boolean unseen(String key, RequestContext request) {
        String k = key.toLowerCase(Locale.ROOT);
        if (CompiledPolicySet.isResourceTagKey(k)) {
            return false; // filled in by the tag lookup when the policies read them
        }
        boolean bodyKey = k.startsWith("connect:") || k.startsWith("aws:requesttag/") || k.equals("aws:tagkeys");
        return bodyKey && request.get(k) == null;
    }
}
