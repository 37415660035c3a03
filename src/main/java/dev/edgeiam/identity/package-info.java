/**
 * Who is calling: turns a credential into a {@link dev.edgeiam.identity.Session} with IAM's session semantics.
 *
 * <p>Entry point: {@link dev.edgeiam.identity.CallerIdentityResolver#resolve(String)} →
 * {@link dev.edgeiam.identity.IdentityOutcome} ({@code Caller} → evaluate, 403 on deny; {@code Rejected} → 401
 * {@code Unauthorized}; {@code Unavailable} → fail closed). Three kinds of credential:
 * <ol>
 * <li>OIDC / web-identity bearer tokens ({@link dev.edgeiam.identity.BearerTokenVerifier},
 * {@link dev.edgeiam.identity.JwksCache}) exchanged locally with {@code AssumeRoleWithWebIdentity} semantics
 * ({@link dev.edgeiam.identity.WebIdentityFederation}): role trust policy evaluated by the engine, session tags,
 * session name, session policy;</li>
 * <li>federated-user tokens from a trusted broker with {@code GetFederationToken} semantics
 * ({@link dev.edgeiam.identity.FederatedUserSessions}): accepted only if the issuing IAM user's own policies allow
 * {@code sts:GetFederationToken} (and {@code sts:TagSession} for session tags);</li>
 * <li>presigned {@code sts:GetCallerIdentity} URLs ({@link dev.edgeiam.identity.PresignedGetCallerIdentity},
 * {@link dev.edgeiam.identity.PresignedStsAuthenticator}; the HTTP/XML part is
 * {@code dev.edgeiam.aws.StsCallerIdentityClient}).</li>
 * </ol>
 * Roles are looked up through {@link dev.edgeiam.identity.RoleDirectory} (by ARN, or by name at any path); the
 * issuing user of federated sessions through the principal package's resolver (its compiled policies). What a
 * caller's real request would carry but the function cannot know is named by
 * {@link dev.edgeiam.identity.Session#unknownContextKeys()}.
 * Settings: {@link dev.edgeiam.identity.IdentitySettings}. Nothing here logs or echoes a token, a presigned URL or
 * a signature.
 */
package dev.edgeiam.identity;
