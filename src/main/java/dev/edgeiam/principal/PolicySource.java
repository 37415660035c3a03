package dev.edgeiam.principal;

/**
 * Where a principal's policies come from: IAM itself ({@code dev.edgeiam.aws.IamPolicySource}), an account
 * snapshot ({@code dev.edgeiam.aws.SnapshotPolicySource}) or a test double. Implementations are thread-safe.
 */
@FunctionalInterface
public interface PolicySource {

    /**
     * Loads everything that applies to the principal, completely or not at all.
     *
     * @param principalArn an IAM user or role ARN, an assumed-role session ARN or a federated-user ARN
     * @throws UnknownPrincipalException when no such principal exists (or the ARN is not a principal ARN)
     * @throws PolicySourceException     when the policies could not be read completely
     */
    PrincipalPolicies load(String principalArn) throws PolicySourceException;

    /**
     * Loads an IAM role known only by name — as an assumed-role session ARN names it, without the role's path —
     * in the given account. The role's ARN in the answer carries its path. Role names are unique within an
     * account, and IAM's {@code GetRole} takes the name alone. The default loads the ARN without a path (right
     * only for roles at {@code /}); the IAM and snapshot sources find a role at any path.
     *
     * @throws UnknownPrincipalException when the account has no role of that name
     */
    default PrincipalPolicies loadRoleByName(String partition, String accountId, String roleName)
            throws PolicySourceException {
        return load("arn:" + partition + ":iam::" + accountId + ":role/" + roleName);
    }

    /**
     * The default version's document of a managed policy (for managed session policies, STS {@code PolicyArns}),
     * or empty when unknown or unreadable — callers then grant nothing for it.
     */
    default java.util.Optional<String> managedPolicyText(String policyArn) {
        return java.util.Optional.empty();
    }

    /**
     * Whether this source knows the account's IAM OIDC identity providers ({@link #openIdConnectProvider}). STS
     * answers {@code AssumeRoleWithWebIdentity} only for a provider that exists in the role's account and lists the
     * token's audience among its client IDs; a source that does not know them leaves the function trusting its
     * configured issuers alone (SECURITY.md). The default: not known.
     */
    default boolean modelsOpenIdConnectProviders() {
        return false;
    }

    /**
     * The client IDs of the account's IAM OIDC identity provider with this ARN
     * ({@code arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH}), or empty when the account has no such provider. Asked
     * only when {@link #modelsOpenIdConnectProviders()}.
     *
     * @throws PolicySourceException when the provider could not be read now (an outage: never "no such provider")
     */
    default java.util.Optional<java.util.Set<String>> openIdConnectProvider(String providerArn)
            throws PolicySourceException {
        return java.util.Optional.empty();
    }
}
