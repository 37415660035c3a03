package dev.edgeiam.principal;

import dev.edgeiam.compile.CompiledPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The service control policies (SCPs) that AWS Organizations applies to one account: one {@link Level} per entity
 * from the organization root down through each organizational unit to the account itself, each level's SCPs
 * compiled once (when the account view is loaded), plus the organization facts the decision reads
 * ({@code aws:PrincipalOrgID}, {@code aws:PrincipalOrgPaths}).
 *
 * <p>An action is allowed only if an SCP at every level, from the root to the account, allows it
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html);
 * that rule itself lives in {@code evaluate.Evaluator}, which receives these levels as
 * {@code CompiledPolicySet} SCP layers. Exemptions are applied here, in {@link #levelsFor}.
 *
 * @param accountId           the account the chain is for (every principal it is applied to must be in it)
 * @param organizationId      the organization ({@code o-...}), or null when the account is in none: no SCP applies
 * @param managementAccountId the organization's management account, or null when not in an organization
 * @param scpEnabled          whether the SERVICE_CONTROL_POLICY type is enabled on the root (no SCP applies if not)
 * @param levels              root first, account last; empty when not in an organization or SCPs are not enabled
 */
public record ServiceControlChain(String accountId, String organizationId, String managementAccountId,
                                  boolean scpEnabled, List<Level> levels) {

    /** The entity types of a chain, in the order they must appear. */
    public enum TargetType { ROOT, ORGANIZATIONAL_UNIT, ACCOUNT }

    /**
     * One entity of the chain and the SCPs attached to it directly.
     *
     * @param targetId   {@code r-...}, {@code ou-...} or the 12-digit account id
     * @param targetType what the entity is
     * @param policyIds  the SCPs' ids ({@code p-...}), in the order of {@code policies}
     * @param policies   the SCPs, compiled
     */
    public record Level(String targetId, TargetType targetType, List<String> policyIds,
                        List<CompiledPolicy> policies) {
        public Level {
            Objects.requireNonNull(targetId, "targetId");
            Objects.requireNonNull(targetType, "targetType");
            policyIds = List.copyOf(policyIds);
            policies = List.copyOf(policies);
            if (policyIds.size() != policies.size()) {
                throw new IllegalArgumentException("one policy id per SCP");
            }
        }
    }

    public ServiceControlChain {
        Objects.requireNonNull(accountId, "accountId");
        levels = List.copyOf(levels);
        if (organizationId == null) {
            if (!levels.isEmpty() || managementAccountId != null) {
                throw new IllegalArgumentException("an account outside any organization has no SCP levels and no"
                        + " management account");
            }
        } else {
            if (managementAccountId == null) {
                throw new IllegalArgumentException("an organization has a management account");
            }
            if (scpEnabled) {
                checkShape(accountId, levels);
            } else if (!levels.isEmpty()) {
                throw new IllegalArgumentException("SCP levels given although SCPs are not enabled on the root");
            }
        }
    }

    /** The chain of an account that belongs to no organization: no SCP ever applies. */
    public static ServiceControlChain noOrganization(String accountId) {
        return new ServiceControlChain(accountId, null, null, false, List.of());
    }

    private static void checkShape(String accountId, List<Level> levels) {
        if (levels.size() < 2) {
            throw new IllegalArgumentException("an SCP chain runs from the root to the account: at least 2 levels");
        }
        for (int i = 0; i < levels.size(); i++) {
            TargetType expected = i == 0 ? TargetType.ROOT
                    : i == levels.size() - 1 ? TargetType.ACCOUNT : TargetType.ORGANIZATIONAL_UNIT;
            if (levels.get(i).targetType() != expected) {
                throw new IllegalArgumentException("SCP level " + i + " must be " + expected + ", not "
                        + levels.get(i).targetType());
            }
        }
        if (!levels.get(levels.size() - 1).targetId().equals(accountId)) {
            throw new IllegalArgumentException("the last SCP level must be the account " + accountId);
        }
    }

    /** Whether the account is the organization's management account. */
    public boolean managementAccount() {
        return organizationId != null && accountId.equals(managementAccountId);
    }

    /**
     * The SCP levels that limit this principal, root first; empty when none does:
     * <ul>
     * <li>no organization, or SCPs not enabled on the root;</li>
     * <li>the management account: "SCPs don't affect users or roles in the management account"
     * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html);</li>
     * <li>a service-linked role (IAM path {@code /aws-service-role/...}) or a session of one: "SCPs do not affect
     * any service-linked role" (same page, "Tasks and entities not restricted by SCPs").</li>
     * </ul>
     *
     * @throws IllegalArgumentException when the principal is not in this chain's account (its SCPs are unknown)
     */
    public List<Level> levelsFor(Principal principal) {
        if (!principal.accountId().equals(accountId)) {
            throw new IllegalArgumentException("the SCP chain is for account " + accountId + ", not "
                    + principal.accountId());
        }
        if (organizationId == null || !scpEnabled || managementAccount() || serviceLinkedRole(principal)) {
            return List.of();
        }
        return levels;
    }

    /** A service-linked role or a session of one: IAM creates them under the reserved path {@code /aws-service-role/}. */
    public static boolean serviceLinkedRole(Principal principal) {
        return (principal.kind() == Principal.Kind.ROLE || principal.kind() == Principal.Kind.ASSUMED_ROLE)
                && principal.path().startsWith("/aws-service-role/");
    }

    /**
     * The value of {@code aws:PrincipalOrgPaths} for principals of this account: {@code o-id/r-id/ou-id/.../}, the
     * path of the account's parent entities; null when the account is in no organization or the levels are not
     * known (SCPs not enabled).
     */
    public String organizationPath() {
        if (organizationId == null || levels.isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder(organizationId).append('/');
        List<Level> parents = new ArrayList<>(levels.subList(0, levels.size() - 1));
        for (Level l : parents) {
            path.append(l.targetId()).append('/');
        }
        return path.toString();
    }
}
