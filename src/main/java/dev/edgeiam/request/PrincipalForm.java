package dev.edgeiam.request;

/**
 * The form in which a resource-based policy's {@code Principal} names a caller ("AWS JSON policy elements:
 * Principal"). Within one account the form decides how a resource-policy grant combines with the caller's
 * identity policies, permissions boundary and session policy (see {@code dev.edgeiam.evaluate.CombinationRule}).
 */
public enum PrincipalForm {
    /** The account ({@code 123456789012} or {@code arn:aws:iam::123456789012:root}): delegates to the account. */
    ACCOUNT,
    /** An IAM user ARN. */
    USER,
    /** An IAM role ARN (also names every session of the role). */
    ROLE,
    /** An assumed-role session ARN ({@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}). */
    ROLE_SESSION,
    /** A federated-user session ARN ({@code arn:aws:sts::ACCOUNT:federated-user/NAME}, GetFederationToken). */
    FEDERATED_USER,
    /** {@code "*"} or {@code {"AWS": "*"}}. */
    ANYONE,
    /**
     * Anything else: service principals, web-identity and SAML providers, canonical users, other ARNs, and a
     * {@code NotPrincipal} that does not list the caller.
     */
    OTHER
}
