package dev.edgeiam.policy;

import java.util.List;

/**
 * A parsed, validated IAM policy document.
 *
 * @param policyId  the caller's name for this document (e.g. {@code PolicyInputList.1} or a policy ARN)
 * @param type      what kind of policy it is (decides the quota and the Principal rule)
 * @param version   the {@code Version} element; absent means {@code 2008-10-17} ([Ver])
 * @param versionGiven whether {@code Version} was present
 * @param id        the optional {@code Id} element
 */
public record PolicyDocument(String policyId, PolicyType type, PolicyVersion version, boolean versionGiven, String id,
                             List<Statement> statements) {

    public PolicyDocument {
        statements = List.copyOf(statements);
    }
}
