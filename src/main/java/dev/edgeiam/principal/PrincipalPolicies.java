package dev.edgeiam.principal;

import dev.edgeiam.policy.PolicyType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A principal and every policy document that applies to it, by layer, as a {@link PolicySource} found them:
 * the identity-based policies (user inline and attached, each group's inline and attached; or the role's inline
 * and attached), the permissions boundary if one is set, and for a role (or a session of one) its trust policy.
 * Tags travel in {@link Principal#tags()}. Nothing here is parsed yet: {@link CompiledPrincipal#compile} does
 * that once, when the cache fills.
 *
 * @param principal the principal
 * @param identity  the identity-based policies
 * @param boundary  the permissions boundary, or null
 * @param trust     the role's trust policy, or null for users and federated users
 * @param groupArns the ARNs of every group the user belongs to — also groups whose policies are all managed, or
 *                  that have none: a change to any of them (a policy attached, put, detached or deleted, the
 *                  group renamed or deleted) changes this user's permissions. Empty for roles and federated users.
 * @param serviceControls the SCP chain of the principal's account, or null when the source does not model SCPs
 * @param viewVersion the version of the account view the policies were read from (an S3 object version id), or
 *                    null when the source has no versions
 */
public record PrincipalPolicies(Principal principal, List<NamedPolicy> identity, NamedPolicy boundary,
                                NamedPolicy trust, Set<String> groupArns, ServiceControlChain serviceControls,
                                String viewVersion) {

    /** Policies without SCPs and without a view version (a live IAM source, a test). */
    public PrincipalPolicies(Principal principal, List<NamedPolicy> identity, NamedPolicy boundary,
                             NamedPolicy trust, Set<String> groupArns) {
        this(principal, identity, boundary, trust, groupArns, null, null);
    }

    public PrincipalPolicies {
        Objects.requireNonNull(principal, "principal");
        identity = List.copyOf(identity);
        groupArns = Set.copyOf(groupArns);
        if (boundary != null && boundary.type() != PolicyType.PERMISSIONS_BOUNDARY) {
            throw new IllegalArgumentException("a permissions boundary must have type PERMISSIONS_BOUNDARY");
        }
        if (trust != null && trust.type() != PolicyType.TRUST) {
            throw new IllegalArgumentException("a trust policy must have type TRUST");
        }
    }

    /** A principal in no group (a role, a federated user, or a user whose groups are listed elsewhere: none). */
    public PrincipalPolicies(Principal principal, List<NamedPolicy> identity, NamedPolicy boundary,
                             NamedPolicy trust) {
        this(principal, identity, boundary, trust, Set.of());
    }

    /** The same policies seen from a session of the role ({@link Principal#session}). */
    public PrincipalPolicies forSession(String sessionArn, String sessionName) {
        return new PrincipalPolicies(principal.session(sessionArn, sessionName), identity, boundary, trust,
                groupArns, serviceControls, viewVersion);
    }

    /** The same policies with the account's SCP chain and the view version they were read from. */
    public PrincipalPolicies withView(ServiceControlChain chain, String version) {
        return new PrincipalPolicies(principal, identity, boundary, trust, groupArns, chain, version);
    }

    /**
     * Every ARN whose change can change this principal's policies: the principal itself, each managed policy
     * (including the boundary), each holder of an inline policy, and each group the user is in — whether or not
     * the group holds an inline policy, since {@code AttachGroupPolicy}, {@code DetachGroupPolicy},
     * {@code PutGroupPolicy} and {@code DeleteGroup} name only the group.
     */
    public Set<String> sourceArns() {
        Set<String> out = new LinkedHashSet<>();
        out.add(principal.entityArn());
        out.addAll(groupArns);
        for (NamedPolicy p : identity) {
            out.add(p.sourceArn());
        }
        if (boundary != null) {
            out.add(boundary.sourceArn());
        }
        return out;
    }
}
