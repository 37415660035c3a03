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
     * The default version's document of a managed policy (for managed session policies, STS {@code PolicyArns}),
     * or empty when unknown or unreadable — callers then grant nothing for it.
     */
    default java.util.Optional<String> managedPolicyText(String policyArn) {
        return java.util.Optional.empty();
    }
}
