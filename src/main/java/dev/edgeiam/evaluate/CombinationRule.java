package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.PrincipalForm;
import dev.edgeiam.request.RequestContext;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How IAM combines the layers into one decision — the only place this rule is written. {@link Evaluator#decide}
 * and {@link Evaluator#explain} both ask it, through a {@link Probe} that answers "which statement of this layer
 * applies" (decide: straight from the compiled index; explain: from its full scan). In order:
 * <ol>
 * <li><b>Explicit deny</b>: an applying {@code Deny} in any layer — SCPs, identity, boundary, session, RCPs,
 * resource-based policy — decides ([Eval] "An explicit deny in any of these policies overrides the allow").</li>
 * <li><b>Cross-account</b> ({@link RequestContext#crossAccount()}; [XAcct] "Cross-account policy evaluation
 * logic", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html:
 * "the requesting principal must be allowed by the identity-based policy ... and the resource-based policy must
 * allow the principal in the other account"): a resource without a resource-based policy →
 * {@link Reason#CROSS_ACCOUNT_NO_RESOURCE_POLICY}, whatever the identity policies say; otherwise the requester's
 * side (identity ∧ boundary ∧ session ∧ SCPs) <b>and</b> the resource's side (RCPs ∧ a resource-policy
 * {@code Allow} naming the caller in any form, the account included) must allow.</li>
 * <li><b>Same account</b>: identity ∪ resource-based policy, where what a resource-policy grant is worth depends on
 * the form in which its {@code Principal} names the caller ([Eval] "Policy evaluation logic",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * <ul>
 * <li>the IAM user, the role session, the federated-user session, or everyone ({@code "*"}) — {@link #STANDS_ALONE}:
 * "If a resource-based policy grants permission directly to the IAM user or the session principal that is making
 * the request, then an implicit deny in an identity-based policy, a permissions boundary, or a session policy does
 * not impact the final decision"; for {@code "*"}: "Permissions boundaries and session policies do not limit
 * permissions granted using the aws:PrincipalArn condition key with a wildcard(*) in the Principal element";</li>
 * <li>the role ARN (and other named forms) — {@link #CAPPED}: "Resource-based policies that grant permissions to an
 * IAM role ARN are limited by an implicit deny in a permissions boundary or session policy" (also
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html); the grant stands in for an
 * identity allow, the boundary and the session policy still cap it, and a federated-user session without a
 * session policy still has nothing;</li>
 * <li>the account alone ({@code 123456789012}, {@code :root}): no grant by itself — "When you use an AWS account
 * identifier as the principal in a policy, you delegate authority to the account" ("AWS JSON policy elements:
 * Principal"), so the identity policies must allow as without a resource policy.</li>
 * </ul>
 * Then every SCP level and every RCP level must allow.</li>
 * </ol>
 * Implicit-deny reasons, first failing wins: {@link Reason#CROSS_ACCOUNT_NO_RESOURCE_POLICY},
 * {@link Reason#NO_IDENTITY_ALLOW}, {@link Reason#BOUNDARY_IMPLICIT_DENY},
 * {@link Reason#FEDERATED_USER_WITHOUT_SESSION_POLICY}, {@link Reason#SESSION_IMPLICIT_DENY},
 * {@link Reason#SCP_IMPLICIT_DENY}, {@link Reason#RCP_IMPLICIT_DENY},
 * {@link Reason#NO_RESOURCE_POLICY_ALLOW}. Allocates only the verdict of an explicit deny or an allow.
 */
final class CombinationRule {

    /** Where the rule reads which statement applies; must not allocate on decide's path. */
    interface Probe {
        /**
         * The first statement of {@code layer} with {@code effect} that applies to {@code request} and, when
         * {@code forms} is not null, whose {@code Principal} names the caller in one of those forms; or null.
         */
        CompiledStatement first(PolicyLayer layer, RequestContext request, Effect effect, Set<PrincipalForm> forms);
    }

    /** Forms whose same-account grant is not limited by implicit denies in identity, boundary or session policy. */
    static final Set<PrincipalForm> STANDS_ALONE = EnumSet.of(PrincipalForm.USER, PrincipalForm.ROLE_SESSION,
            PrincipalForm.FEDERATED_USER, PrincipalForm.ANYONE);
    /** Forms whose same-account grant stands in for an identity allow but stays capped by boundary and session. */
    static final Set<PrincipalForm> CAPPED = EnumSet.of(PrincipalForm.ROLE, PrincipalForm.OTHER);

    private static final Verdict NO_RESOURCE_POLICY = new Verdict(Reason.CROSS_ACCOUNT_NO_RESOURCE_POLICY, null);
    private static final Verdict NO_IDENTITY = new Verdict(Reason.NO_IDENTITY_ALLOW, null);
    private static final Verdict NO_BOUNDARY = new Verdict(Reason.BOUNDARY_IMPLICIT_DENY, null);
    private static final Verdict NO_SESSION = new Verdict(Reason.SESSION_IMPLICIT_DENY, null);
    private static final Verdict NO_FEDERATED = new Verdict(Reason.FEDERATED_USER_WITHOUT_SESSION_POLICY, null);
    private static final Verdict NO_SCP = new Verdict(Reason.SCP_IMPLICIT_DENY, null);
    private static final Verdict NO_RCP = new Verdict(Reason.RCP_IMPLICIT_DENY, null);
    private static final Verdict NO_RESOURCE_ALLOW = new Verdict(Reason.NO_RESOURCE_POLICY_ALLOW, null);

    private CombinationRule() {
    }

    static Verdict combine(CompiledPolicySet principal, ResourcePolicySet resource, RequestContext request,
                           Probe probe) {
        CompiledStatement deny = firstDeny(principal.layers(), request, probe);
        if (deny == null) {
            deny = firstDeny(resource.layers(), request, probe);
        }
        if (deny != null) {
            return new Verdict(Reason.EXPLICIT_DENY, deny);
        }
        PolicyLayer resourcePolicy = resource.resourcePolicy();
        if (request.crossAccount()) {
            if (resourcePolicy == null) {
                return NO_RESOURCE_POLICY;
            }
            CompiledStatement allow = probe.first(principal.identity(), request, Effect.ALLOW, null);
            if (allow == null) {
                return NO_IDENTITY;
            }
            Verdict capped = capsAndOrganization(principal, resource, request, probe);
            if (capped != null) {
                return capped;
            }
            if (probe.first(resourcePolicy, request, Effect.ALLOW, null) == null) {
                return NO_RESOURCE_ALLOW;
            }
            return new Verdict(Reason.ALLOWED, allow);
        }
        CompiledStatement grant = null;
        boolean standsAlone = false;
        if (resourcePolicy != null) {
            grant = probe.first(resourcePolicy, request, Effect.ALLOW, STANDS_ALONE);
            standsAlone = grant != null;
            if (!standsAlone) {
                grant = probe.first(resourcePolicy, request, Effect.ALLOW, CAPPED);
            }
        }
        CompiledStatement allow = probe.first(principal.identity(), request, Effect.ALLOW, null);
        if (!standsAlone) {
            if (allow == null && grant == null) {
                return NO_IDENTITY;
            }
            Verdict capped = caps(principal, request, probe);
            if (capped != null) {
                return capped;
            }
        }
        Verdict organization = organization(principal, resource, request, probe);
        if (organization != null) {
            return organization;
        }
        return new Verdict(Reason.ALLOWED, allow != null ? allow : grant);
    }

    private static CompiledStatement firstDeny(List<PolicyLayer> layers, RequestContext request, Probe probe) {
        for (int i = 0; i < layers.size(); i++) {
            CompiledStatement deny = probe.first(layers.get(i), request, Effect.DENY, null);
            if (deny != null) {
                return deny;
            }
        }
        return null;
    }

    private static Verdict capsAndOrganization(CompiledPolicySet principal, ResourcePolicySet resource,
                                               RequestContext request, Probe probe) {
        Verdict capped = caps(principal, request, probe);
        return capped != null ? capped : organization(principal, resource, request, probe);
    }

    /** The permissions boundary and the session policy (or its absence for a federated-user session). */
    private static Verdict caps(CompiledPolicySet principal, RequestContext request, Probe probe) {
        if (principal.boundary() != null && probe.first(principal.boundary(), request, Effect.ALLOW, null) == null) {
            return NO_BOUNDARY;
        }
        if (principal.session() == null) {
            if (principal.sessionKind() == SessionKind.FEDERATED_USER) {
                return NO_FEDERATED;
            }
        } else if (probe.first(principal.session(), request, Effect.ALLOW, null) == null) {
            return NO_SESSION;
        }
        return null;
    }

    /** Every SCP level (the principal's organization) and every RCP level (the resource owner's) must allow. */
    private static Verdict organization(CompiledPolicySet principal, ResourcePolicySet resource,
                                        RequestContext request, Probe probe) {
        List<PolicyLayer> scps = principal.serviceControlLevels();
        for (int i = 0; i < scps.size(); i++) {
            if (probe.first(scps.get(i), request, Effect.ALLOW, null) == null) {
                return NO_SCP;
            }
        }
        List<PolicyLayer> rcps = resource.resourceControlLevels();
        for (int i = 0; i < rcps.size(); i++) {
            if (probe.first(rcps.get(i), request, Effect.ALLOW, null) == null) {
                return NO_RCP;
            }
        }
        return null;
    }
}
