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
 * @param serviceControls the SCP chain of the principal's account, or null when the source does not model SCPs
 * @param viewVersion the version of the account view the policies were read from (an S3 object version id), or
 *                    null when the source has no versions
 */
public record PrincipalPolicies(Principal principal, List<NamedPolicy> identity, NamedPolicy boundary,
                                NamedPolicy trust, ServiceControlChain serviceControls, String viewVersion) {

    /** Policies without SCPs and without a view version (a live IAM source, a test). */
    public PrincipalPolicies(Principal principal, List<NamedPolicy> identity, NamedPolicy boundary,
                             NamedPolicy trust) {
        this(principal, identity, boundary, trust, null, null);
    }

    public PrincipalPolicies {
        Objects.requireNonNull(principal, "principal");
        identity = List.copyOf(identity);
        if (boundary != null && boundary.type() != PolicyType.PERMISSIONS_BOUNDARY) {
            throw new IllegalArgumentException("a permissions boundary must have type PERMISSIONS_BOUNDARY");
        }
        if (trust != null && trust.type() != PolicyType.TRUST) {
            throw new IllegalArgumentException("a trust policy must have type TRUST");
        }
    }

    /** The same policies seen from a session of the role ({@link Principal#session}). */
    public PrincipalPolicies forSession(String sessionArn, String sessionName) {
        return new PrincipalPolicies(principal.session(sessionArn, sessionName), identity, boundary, trust,
                serviceControls, viewVersion);
    }

    /** The same policies with the account's SCP chain and the view version they were read from. */
    public PrincipalPolicies withView(ServiceControlChain chain, String version) {
        return new PrincipalPolicies(principal, identity, boundary, trust, chain, version);
    }

    /**
     * Every ARN whose change can change this principal's policies: each managed policy (including the
     * boundary) and each holder of an inline policy (the principal itself, each of its groups).
     */
    public Set<String> sourceArns() {
        Set<String> out = new LinkedHashSet<>();
        out.add(principal.entityArn());
        for (NamedPolicy p : identity) {
            out.add(p.sourceArn());
        }
        if (boundary != null) {
            out.add(boundary.sourceArn());
        }
        return out;
    }
}
