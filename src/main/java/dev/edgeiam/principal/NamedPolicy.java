package dev.edgeiam.principal;

import dev.edgeiam.policy.PolicyType;

import java.util.Objects;

/**
 * One policy document as stored in IAM, with where it came from.
 *
 * @param sourceArn the managed policy's ARN; for an inline policy the ARN of the user, group or role that
 *                  holds it; for a trust policy the role's ARN
 * @param name      the policy name
 * @param type      the kind of document (decides its quota and whether {@code Principal} is expected)
 * @param versionId the managed policy version evaluated ({@code v3}), null for inline and trust policies
 * @param document  the JSON text (already URL-decoded)
 */
public record NamedPolicy(String sourceArn, String name, PolicyType type, String versionId, String document) {

    public NamedPolicy {
        Objects.requireNonNull(sourceArn, "sourceArn");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(document, "document");
    }

    /** Whether this is a managed policy (customer or AWS managed, including a permissions boundary). */
    public boolean managed() {
        return type == PolicyType.MANAGED || type == PolicyType.AWS_MANAGED
                || type == PolicyType.PERMISSIONS_BOUNDARY;
    }

    /**
     * The id that names this document in decisions ({@code SourcePolicyId}): the policy ARN for a managed
     * policy, {@code OWNER_ARN#inline/NAME} for an inline one, {@code ROLE_ARN#trust} for a trust policy.
     */
    public String policyId() {
        if (managed()) {
            return sourceArn;
        }
        if (type == PolicyType.TRUST) {
            return sourceArn + "#trust";
        }
        return sourceArn + "#inline/" + name;
    }
}
