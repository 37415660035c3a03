package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledPattern;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.instance.InstanceRandom;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.RequestContext;

import java.util.HexFormat;

/**
 * Decides, without guessing, whether a request is allowed whatever the identifier of a resource the authorizer
 * cannot see ({@code .../routing-profile/*}: the ID is in the body). The space of possible ARNs is
 * {@code S = prefix + id + rest}, where {@code prefix} is the ARN pattern up to its first {@code *}.
 *
 * <p><b>Allow</b> needs, in every layer that must allow (identity; boundary and session policies when present;
 * each SCP level), an {@code Allow} statement that (1) matches the action, (2) has a {@code Resource} (not
 * {@code NotResource}) entry without policy variables that <i>covers</i> S — it ends in a {@code *} (which crosses
 * {@code /} and {@code :}) and the text before that {@code *} matches some prefix of {@code prefix}, so the final
 * {@code *} absorbs every identifier — and (3) has conditions that hold for the request (evaluated with the unseen
 * identifier replaced by a fresh random one) and read no key that depends on the unseen resource.
 *
 * <p><b>Deny</b> (resource-not-visible) when any {@code Deny} statement for the action <i>may</i> match some ARN of
 * S and its conditions are not definitely false. A {@code Resource} entry may match S unless its literal text
 * before the first wildcard or variable diverges from {@code prefix} (then no string can match both); a
 * {@code NotResource} statement may match unless one of its entries covers S. A condition is definitely false
 * only when it reads no resource-dependent key and is false for the request.
 *
 * <p>Resource-dependent keys: {@code aws:ResourceTag/*}, {@code connect:ResourceTag/*},
 * {@code aws:ResourceAccount}, {@code aws:ResourceOrgID}, {@code aws:ResourceOrgPaths}, and every {@code connect:}
 * key, {@code aws:RequestTag/*} and {@code aws:TagKeys} the request context does not carry (those describe the
 * body or the resource; {@code connect:InstanceId} is known whenever the edge derived it), and every input the
 * request's {@link UnknownInputs} names. Keys used as policy variables count too.
 */
final class UnseenResource {

    /**
     * Whether every identifier is allowed ({@link Reason#ALLOWED}) or not ({@link Reason#RESOURCE_NOT_VISIBLE}),
     * which statement decided (null when none) and why.
     */
    record Coverage(Reason reason, CompiledStatement statement, String detail) {
        boolean allowed() {
            return reason.allowed();
        }
    }

    private UnseenResource() {
    }

    /** A fresh identifier no policy can have been written for. */
    static String freshIdentifier() {
        byte[] bytes = new byte[12];
        InstanceRandom.get().nextBytes(bytes);
        return "edgeiam-unseen-" + HexFormat.of().formatHex(bytes);
    }

    /** The pattern with each {@code *} replaced by a fresh identifier. */
    static String probeArn(String arnPattern) {
        return arnPattern.replace("*", freshIdentifier());
    }

    static Coverage check(CompiledPolicySet set, RequestContext probe, String arnPattern, UnknownInputs unknown) {
        int star = arnPattern.indexOf('*');
        String prefix = star < 0 ? arnPattern : arnPattern.substring(0, star);
        for (PolicyLayer layer : set.layers()) {
            for (CompiledPolicy policy : layer.policies()) {
                for (CompiledStatement s : policy.statements()) {
                    if (s.effect() == Effect.DENY && s.matchesAction(probe) && mayMatchResource(s, prefix, probe)
                            && conditionsMayHold(s, probe, unknown)) {
                        return new Coverage(Reason.RESOURCE_NOT_VISIBLE, s, "Deny statement " + s
                                + " may apply to some " + arnPattern);
                    }
                }
            }
        }
        CompiledStatement identityAllow = null;
        for (PolicyLayer layer : set.layersThatMustAllow()) {
            CompiledStatement allow = coveringAllow(layer, probe, prefix, unknown);
            if (allow == null) {
                return new Coverage(Reason.RESOURCE_NOT_VISIBLE, null, "no " + layer.kind().reasonName()
                        + " Allow covers every " + arnPattern);
            }
            if (identityAllow == null) {
                identityAllow = allow; // the identity layer comes first
            }
        }
        if (set.session() == null && set.sessionKind() == SessionKind.FEDERATED_USER) {
            return new Coverage(Reason.RESOURCE_NOT_VISIBLE, null,
                    "a federated-user session without a session policy has no permissions");
        }
        return new Coverage(Reason.ALLOWED, identityAllow, "every " + arnPattern + " is allowed by " + identityAllow);
    }

    private static CompiledStatement coveringAllow(PolicyLayer layer, RequestContext probe, String prefix,
                                                   UnknownInputs unknown) {
        for (CompiledPolicy policy : layer.policies()) {
            for (CompiledStatement s : policy.statements()) {
                if (s.effect() != Effect.ALLOW || s.notResource() || !s.matchesAction(probe)) {
                    continue;
                }
                boolean covered = false;
                for (CompiledPattern p : s.resourcePatterns()) {
                    if (covers(p, prefix) && p.matches(probe.resource(), probe)) {
                        covered = true;
                        break;
                    }
                }
                if (!covered) {
                    continue;
                }
                boolean ok = true;
                for (CompiledCondition c : s.conditions()) {
                    if (dependsOnUnseen(c, probe, unknown) || !c.holds(probe)) {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    return s;
                }
            }
        }
        return null;
    }

    /**
     * Whether the pattern matches every string that starts with {@code prefix}: it has no variables, ends in
     * {@code *} (always a crossing wildcard at the end), and its text before that {@code *} matches some prefix of
     * {@code prefix}. Sound: the final {@code *} then absorbs the rest of any such string.
     */
    static boolean covers(CompiledPattern p, String prefix) {
        String source = p.source();
        if (p.hasVariables() || source.contains("${") || !source.endsWith("*")) {
            return false;
        }
        CompiledPattern head = CompiledPattern.resource(source.substring(0, source.length() - 1), false);
        for (int k = 0; k <= prefix.length(); k++) {
            if (head.matches(prefix.substring(0, k))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the pattern might match some string starting with {@code prefix}. Only a literal divergence before the
     * first wildcard or variable proves it cannot.
     */
    static boolean mayMatch(CompiledPattern p, String prefix, RequestContext probe) {
        if (p.matches(probe.resource(), probe)) {
            return true;
        }
        String literal = literalPrefix(p.source());
        return literal.startsWith(prefix) || prefix.startsWith(literal);
    }

    private static String literalPrefix(String source) {
        int end = source.length();
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '*' || c == '?' || (c == '$' && i + 1 < source.length() && source.charAt(i + 1) == '{')) {
                end = i;
                break;
            }
        }
        return source.substring(0, end);
    }

    private static boolean mayMatchResource(CompiledStatement s, String prefix, RequestContext probe) {
        if (s.notResource()) {
            for (CompiledPattern p : s.resourcePatterns()) {
                if (covers(p, prefix)) {
                    return false;
                }
            }
            return true;
        }
        for (CompiledPattern p : s.resourcePatterns()) {
            if (mayMatch(p, prefix, probe)) {
                return true;
            }
        }
        return false;
    }

    private static boolean conditionsMayHold(CompiledStatement s, RequestContext probe, UnknownInputs unknown) {
        for (CompiledCondition c : s.conditions()) {
            if (!dependsOnUnseen(c, probe, unknown) && !c.holds(probe)) {
                return false;
            }
        }
        return true;
    }

    /** A hidden resource's tags, account and organization are never known: see {@link UnknownInputs#reads}. */
    static boolean dependsOnUnseen(CompiledCondition c, RequestContext probe, UnknownInputs unknown) {
        return unknown.reads(c, probe, false);
    }
}
