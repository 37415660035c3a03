package dev.edgeiam.identity;

/**
 * How the caller proved who it is — and so which parts of IAM's request context the function can know
 * ({@link Session#unknownContextKeys()}).
 */
public enum CredentialKind {
    /** An OIDC token from the configured issuer, exchanged locally with AssumeRoleWithWebIdentity semantics. */
    WEB_IDENTITY,
    /** A token from the configured issuer (the federation broker) carrying a federated-user claim. */
    FEDERATION_TOKEN,
    /**
     * A presigned {@code sts:GetCallerIdentity} URL signed with an IAM user's long-term access key: access key id
     * {@code AKIA…} and no {@code X-Amz-Security-Token}. Requests signed this way carry no MFA or token-issue keys.
     */
    PRESIGNED_STS_ACCESS_KEY,
    /**
     * A presigned {@code sts:GetCallerIdentity} URL signed with temporary credentials (access key id {@code ASIA…}
     * with a session token, or any key id that is not plainly long-term): a role session, or an IAM user's
     * {@code GetSessionToken} / console credentials. STS does not reveal how they were issued.
     */
    PRESIGNED_STS_TEMPORARY
}
