package dev.edgeiam.identity;

/** How the caller proved who it is. */
public enum CredentialKind {
    /** An OIDC token from the configured issuer, exchanged locally with AssumeRoleWithWebIdentity semantics. */
    WEB_IDENTITY,
    /** A token from the configured issuer (the federation broker) carrying a federated-user claim. */
    FEDERATION_TOKEN,
    /** A presigned {@code sts:GetCallerIdentity} URL, answered by STS. */
    PRESIGNED_STS
}
