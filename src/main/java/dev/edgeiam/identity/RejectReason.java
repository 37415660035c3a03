package dev.edgeiam.identity;

/**
 * Why a credential was not accepted. Every reason means "no valid caller": API Gateway's {@code Unauthorized}
 * (401). The names are safe to log and to return; they never carry the credential itself.
 */
public enum RejectReason {
    /** No credential was presented. */
    MISSING,
    /** Larger than the configured bound (tokens, presigned URLs). */
    TOO_LARGE,
    /** Not a well-formed compact JWS / presigned URL (bad base64, bad JSON, truncated, wrong shape). */
    MALFORMED,
    /** The JWS header names an algorithm outside RS256, ES256, PS256 ({@code none}, HS*, ...). */
    ALGORITHM_NOT_ALLOWED,
    /** The {@code kid} is not in the JWKS (after the one permitted refetch) or is not a usable signing key. */
    UNKNOWN_KEY,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** {@code exp} has passed (or is missing), or the presigned URL has expired. */
    EXPIRED,
    /** {@code nbf}/{@code iat} lie in the future beyond the clock skew, or the presigned URL is future-dated. */
    NOT_YET_VALID,
    /** {@code iss} is not the configured issuer. */
    WRONG_ISSUER,
    /** {@code aud} holds none of the configured audiences. */
    WRONG_AUDIENCE,
    /** A claim needed to build the session is missing or unusable (session name, federated user name). */
    BAD_CLAIM,
    /** No role could be chosen from the token, the mapping or the default (or the choice is ambiguous). */
    NO_ROLE,
    /** The chosen role does not exist (or the role name/ARN is malformed). */
    ROLE_NOT_FOUND,
    /** The role's trust policy does not allow {@code sts:AssumeRoleWithWebIdentity} (or {@code sts:TagSession}). */
    TRUST_POLICY_DENIED,
    /** Session tags break STS's rules (count, length, characters, duplicate keys, transitive keys). */
    BAD_SESSION_TAGS,
    /** The session policy is not a valid session policy, exceeds the limits or names malformed policy ARNs. */
    BAD_SESSION_POLICY,
    /** The presigned URL is not a {@code GetCallerIdentity} request in the expected shape. */
    BAD_PRESIGNED_REQUEST,
    /** The presigned URL's host is not an allowed STS endpoint. */
    HOST_NOT_ALLOWED,
    /** STS answered the presigned request with an error (bad signature, expired or invalid credentials). */
    STS_REJECTED,
    /** An assumed-role or federated-user session arrived by presigned URL and the settings refuse those. */
    SESSION_TYPE_REFUSED,
    /** Federated-user tokens are not enabled, or the issuing IAM user is unknown. */
    FEDERATION_DISABLED,
    /**
     * The issuing IAM user's own policies (identity policies, permissions boundary) do not allow
     * {@code sts:GetFederationToken} for this federated user, or {@code sts:TagSession} for its session tags — or
     * the answer depends on something the function cannot know: IAM would not have created the session.
     */
    ISSUER_NOT_ALLOWED,
    /**
     * Processing the credential failed in a way no check anticipated (a defect, logged with its exception class).
     * Still {@code Unauthorized}: a credential the function cannot process never authenticates anyone.
     */
    UNPROCESSABLE
}
