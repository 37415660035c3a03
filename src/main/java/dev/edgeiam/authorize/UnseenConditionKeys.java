package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.RequestContext;

/**
 * Keeps a decision from resting on request keys the function does not know ({@link UnknownInputs}). Keys such as
 * {@code connect:Channel}, {@code aws:RequestTag/<k>} and {@code aws:TagKeys} travel in the request body of the
 * real Amazon Connect call; a REST {@code TOKEN} event carries no source address; a cached answer is applied to
 * requests from other addresses and at later times; a presigned {@code GetCallerIdentity} does not reveal session
 * tags. "Absent here" does not mean "absent at AWS" ([Cond]: a missing key makes negated operators true and
 * positive ones false — either can be wrong for the real request).
 *
 * <p>Sound rule: the request is refused when a Deny statement that matches the action and resource may apply
 * depending on such a key, or when some layer that must allow (identity, boundary, session, each SCP level) has
 * no applying Allow that is independent of such keys. Only consulted when the policies read such a key for the
 * action, so the common path costs nothing.
 */
final class UnseenConditionKeys {

    private UnseenConditionKeys() {
    }

    /** Whether the action's statements read a key that may be unknown (a cheap, cached check). */
    static boolean relevant(CompiledPolicySet set, RequestContext request, UnknownInputs unknown) {
        return unknown.relevantTo(set, request);
    }

    /** A description of the problem, or null when the decision does not depend on unknown keys. */
    static String problem(CompiledPolicySet set, RequestContext request, UnknownInputs unknown) {
        for (PolicyLayer layer : set.layers()) {
            for (CompiledPolicy policy : layer.policies()) {
                for (CompiledStatement s : policy.statements()) {
                    if (s.effect() == Effect.DENY && readsUnknown(s, request, unknown) && s.matchesAction(request)
                            && (resourceReadsUnknown(s, request, unknown) || s.matchesResource(request))
                            && holdsApartFromUnknown(s, request, unknown)) {
                        return "Deny statement " + s + " may apply depending on " + unknownKeysOf(s, request, unknown);
                    }
                }
            }
        }
        for (PolicyLayer layer : set.layersThatMustAllow()) {
            if (!allowsIndependently(layer, request, unknown)) {
                return "no " + layer.kind().reasonName() + " Allow holds independently of unknown inputs";
            }
        }
        return null;
    }

    private static boolean allowsIndependently(PolicyLayer layer, RequestContext request, UnknownInputs unknown) {
        for (CompiledPolicy policy : layer.policies()) {
            for (CompiledStatement s : policy.statements()) {
                if (s.effect() == Effect.ALLOW && !readsUnknown(s, request, unknown) && s.applies(request)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean holdsApartFromUnknown(CompiledStatement s, RequestContext request, UnknownInputs unknown) {
        for (CompiledCondition c : s.conditions()) {
            if (!unknown.reads(c, request, true) && !c.holds(request)) {
                return false;
            }
        }
        return true;
    }

    static boolean readsUnknown(CompiledStatement s, RequestContext request, UnknownInputs unknown) {
        for (CompiledCondition c : s.conditions()) {
            if (unknown.reads(c, request, true)) {
                return true;
            }
        }
        return resourceReadsUnknown(s, request, unknown);
    }

    /**
     * Whether a {@code Resource}/{@code NotResource} entry uses a policy variable whose value is unknown: its match
     * cannot be decided ([Vars]: an unresolved variable matches nothing, which may not be what the real request
     * sees).
     */
    private static boolean resourceReadsUnknown(CompiledStatement s, RequestContext request, UnknownInputs unknown) {
        for (dev.edgeiam.compile.CompiledPattern p : s.resourcePatterns()) {
            for (String v : p.variables()) {
                if (unknown.mayBeUnknown(v, request, true)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The keys of the statement's conditions that are unknown, for the refusal's detail. */
    static String unknownKeysOf(CompiledStatement s, RequestContext request, UnknownInputs unknown) {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        for (CompiledCondition c : s.conditions()) {
            if (unknown.reads(c, request, true)) {
                keys.add(c.key());
            }
        }
        for (dev.edgeiam.compile.CompiledPattern p : s.resourcePatterns()) {
            for (String v : p.variables()) {
                if (unknown.mayBeUnknown(v, request, true)) {
                    keys.add("${" + v + "}");
                }
            }
        }
        return String.join(", ", keys);
    }
}
