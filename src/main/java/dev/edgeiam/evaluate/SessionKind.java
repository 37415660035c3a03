package dev.edgeiam.evaluate;

/**
 * What kind of principal the policies belong to, which changes how a missing session policy reads ([Eval]
 * step 7, [Types]): a role session without a session policy keeps the role's permissions, while a
 * federated-user session ({@code GetFederationToken}) without one has none.
 */
public enum SessionKind {
    /** An IAM user or role acting with long-term credentials or an unrestricted session. */
    NONE,
    /** An assumed-role session (AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML). */
    ROLE_SESSION,
    /** A federated-user session from GetFederationToken. */
    FEDERATED_USER
}
