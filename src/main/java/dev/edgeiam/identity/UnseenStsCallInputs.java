package dev.edgeiam.identity;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.Verdict;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.IamNames;
import dev.edgeiam.request.RequestContext;

import java.util.HashSet;
import java.util.Set;

/**
 * Decides an STS call the function performs on a caller's behalf — {@code AssumeRoleWithWebIdentity} (and
 * {@code TagSession}, {@code SetSourceIdentity}) against a role's trust policy, {@code GetFederationToken} against
 * the issuing user's policies — when part of that call's request context is not seen: the real call would carry
 * {@code aws:SourceIp}, {@code aws:UserAgent}, {@code aws:SecureTransport}, {@code aws:RequestedRegion},
 * {@code aws:ViaAWSService}, VPC and organization keys and the time, which the function does not know
 * ("AWS global condition context keys", availability of each key,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 *
 * <p>The call is accepted only when its outcome cannot depend on them: no explicit Deny, no Deny that may apply
 * through an unseen key, the decision with the seen keys is Allow, and every layer that must allow has an Allow
 * statement that reads no unseen key ({@link #refusal}).
 */
final class UnseenStsCallInputs {

    /** The keys of an STS call the function does not see (IAM-folded), time excepted. */
    static final Set<String> CALL_KEYS = Set.of("aws:sourceip", "aws:sourcevpc", "aws:sourcevpce",
            "aws:sourcevpcarn", "aws:vpcsourceip", "aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths",
            "aws:useragent", "aws:referer", "aws:securetransport", "aws:requestedregion", "aws:calledvia",
            "aws:calledviafirst", "aws:calledvialast", "aws:viaawsservice", "aws:principalorgid",
            "aws:principalorgpaths", "aws:resourceorgid", "aws:resourceorgpaths");
    /** The request-time keys. */
    static final Set<String> TIME_KEYS = Set.of("aws:currenttime", "aws:epochtime");
    /** Every unseen key of a call whose time is not known either. */
    static final Set<String> CALL_AND_TIME_KEYS = union(CALL_KEYS, TIME_KEYS);

    private UnseenStsCallInputs() {
    }

    /**
     * Why IAM's answer to {@code request} under {@code set} is not a certain Allow, or null when it is.
     *
     * @param unknown the IAM-folded keys the request does not carry although the real call would
     */
    static String refusal(CompiledPolicySet set, RequestContext request, Set<String> unknown) {
        Verdict v = Evaluator.decide(set, request);
        if (v.decision() == Reason.Category.EXPLICIT_DENY) {
            return "explicitly denied (" + v.deciding() + ")";
        }
        String deny = denyReadingUnknown(set, request, unknown);
        if (deny != null) {
            return "depends on what the function cannot see of the call: " + deny;
        }
        if (v.decision() != Reason.Category.ALLOWED) {
            return "not allowed (" + v.reason() + ")";
        }
        String layer = layerWithoutKnownAllow(set, request, unknown);
        if (layer != null) {
            return "depends on what the function cannot see of the call: no " + layer + " Allow holds without it";
        }
        return null;
    }

    /** A Deny statement that may apply depending on an unknown key, or null. */
    static String denyReadingUnknown(CompiledPolicySet set, RequestContext r, Set<String> unknown) {
        for (PolicyLayer layer : set.layers()) {
            for (CompiledPolicy p : layer.policies()) {
                for (CompiledStatement s : p.statements()) {
                    if (s.effect() != Effect.DENY || !s.matchesAction(r)) {
                        continue;
                    }
                    String key = firstUnknown(s, unknown);
                    if (key == null) {
                        continue;
                    }
                    boolean resourceReadsUnknown = resourceReadsUnknown(s, unknown);
                    if ((resourceReadsUnknown || s.matchesResource(r)) && knownConditionsHold(s, r, unknown)) {
                        return "Deny statement " + s + " reads " + key;
                    }
                }
            }
        }
        return null;
    }

    /** The name of the first layer that must allow and has no applying Allow free of unknown keys, or null. */
    static String layerWithoutKnownAllow(CompiledPolicySet set, RequestContext r, Set<String> unknown) {
        for (PolicyLayer layer : set.layersThatMustAllow()) {
            if (!allowsWithoutUnknown(layer, r, unknown)) {
                return layer.kind().reasonName();
            }
        }
        return null;
    }

    private static boolean allowsWithoutUnknown(PolicyLayer layer, RequestContext r, Set<String> unknown) {
        for (CompiledPolicy p : layer.policies()) {
            for (CompiledStatement s : p.statements()) {
                if (s.effect() == Effect.ALLOW && firstUnknown(s, unknown) == null && s.applies(r)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean knownConditionsHold(CompiledStatement s, RequestContext r, Set<String> unknown) {
        for (CompiledCondition c : s.conditions()) {
            if (!readsUnknown(c, unknown) && !c.holds(r)) {
                return false;
            }
        }
        return true;
    }

    private static String firstUnknown(CompiledStatement s, Set<String> unknown) {
        for (String key : s.referencedKeys()) {
            if (unknown.contains(IamNames.fold(key))) {
                return key;
            }
        }
        return null;
    }

    private static boolean readsUnknown(CompiledCondition c, Set<String> unknown) {
        if (unknown.contains(c.lowerKey())) {
            return true;
        }
        for (String v : c.variables()) {
            if (unknown.contains(IamNames.fold(v))) {
                return true;
            }
        }
        return false;
    }

    private static boolean resourceReadsUnknown(CompiledStatement s, Set<String> unknown) {
        for (var pattern : s.resourcePatterns()) {
            for (String v : pattern.variables()) {
                if (unknown.contains(IamNames.fold(v))) {
                    return true;
                }
            }
        }
        return false;
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
