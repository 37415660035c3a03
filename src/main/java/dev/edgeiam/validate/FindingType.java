package dev.edgeiam.validate;

/** IAM Access Analyzer's {@code ValidatePolicyFinding.findingType} values. */
public enum FindingType {
    /** A part of the policy is not functional. */
    ERROR,
    /** The policy allows access we consider overly permissive. */
    SECURITY_WARNING,
    /** The policy does not follow policy-writing practice. */
    WARNING,
    /** A stylistic improvement that does not change access. */
    SUGGESTION
}
