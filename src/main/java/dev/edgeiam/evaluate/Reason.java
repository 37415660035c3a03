package dev.edgeiam.evaluate;

/**
 * Why a request got its answer: the one closed vocabulary of decisions, from the evaluator to the API Gateway
 * response. The {@link #label()} is the wire string — the {@code reason} of the authorizer {@code context}, of the
 * invocation log line and of the simulator's output — and never changes for a constant; the {@link #category()}
 * says what kind of answer it is.
 *
 * <p>Categories, as SAPL separates {@code DENY} from {@code INDETERMINATE}:
 * <ul>
 * <li>{@link Category#ALLOWED}: decided, allowed;</li>
 * <li>{@link Category#EXPLICIT_DENY}: decided, a {@code Deny} statement applies;</li>
 * <li>{@link Category#IMPLICIT_DENY}: decided, nothing (or not every layer) allows;</li>
 * <li>{@link Category#INDETERMINATE}: the function could not decide — a source is down (policies, tags, STS, the
 * JWKS), or the answer depends on an input the function cannot see (the body, a value the cached answer does not
 * pin, a route it cannot map). Still a {@code Deny} on the wire (a 401 for a credential it could not verify); the
 * category only tells the operator that retrying later, or seeing more, might answer otherwise;</li>
 * <li>{@link Category#UNAUTHENTICATED}: no valid caller — API Gateway's {@code Unauthorized} (401).</li>
 * </ul>
 * Never built at run time: the labels are constants, safe to log and to return.
 */
public enum Reason {

    /** Every layer that must allow does, and nothing denies. */
    ALLOWED("allowed", Category.ALLOWED),

    // --- the evaluator (CombinationRule) ---
    /** A {@code Deny} statement applies, in any layer. */
    EXPLICIT_DENY("explicit-deny", Category.EXPLICIT_DENY),
    /** No identity-policy statement (nor a resource-policy grant that stands in for one) allows. */
    NO_IDENTITY_ALLOW("no-identity-allow", Category.IMPLICIT_DENY),
    /** The permissions boundary does not allow. */
    BOUNDARY_IMPLICIT_DENY("boundary-implicit-deny", Category.IMPLICIT_DENY),
    /** The session policy does not allow. */
    SESSION_IMPLICIT_DENY("session-implicit-deny", Category.IMPLICIT_DENY),
    /** A federated-user session without a session policy has no permissions. */
    FEDERATED_USER_WITHOUT_SESSION_POLICY("federated-user-without-session-policy", Category.IMPLICIT_DENY),
    /** A level of the caller's service control policies does not allow. */
    SCP_IMPLICIT_DENY("scp-implicit-deny", Category.IMPLICIT_DENY),
    /** A level of the resource owner's resource control policies does not allow. */
    RCP_IMPLICIT_DENY("rcp-implicit-deny", Category.IMPLICIT_DENY),
    /** Cross-account request to a resource without a resource-based policy (every Amazon Connect resource). */
    CROSS_ACCOUNT_NO_RESOURCE_POLICY("cross-account-no-resource-policy", Category.IMPLICIT_DENY),
    /** Cross-account request: the resource-based policy does not allow this caller. */
    NO_RESOURCE_POLICY_ALLOW("no-resource-policy-allow", Category.IMPLICIT_DENY),

    // --- the route (authorize.RouteAuthorizer) ---
    /** No Amazon Connect route (or no IAM action) matches the request: the function cannot tell what it needs. */
    UNMAPPED_ROUTE("unmapped-route", Category.INDETERMINATE),
    /** A path value cannot be the identifier its ARN needs (another account or Region, a separator, ...). */
    INVALID_RESOURCE_IDENTIFIER("invalid-resource-identifier", Category.IMPLICIT_DENY),
    /** A resource the request names only in its body, or in another case, is not allowed for every value. */
    RESOURCE_NOT_VISIBLE("resource-not-visible", Category.INDETERMINATE),
    /** The policies read resource tags that could not be read. */
    RESOURCE_TAGS_UNAVAILABLE("resource-tags-unavailable", Category.INDETERMINATE),
    /** The decision rests on a condition key the function cannot see (the body, or an input it does not know). */
    CONDITION_KEY_NOT_VISIBLE("condition-key-not-visible", Category.INDETERMINATE),
    /** The request reads two ways (a repeated member, an identifier in another case) and not both are allowed. */
    AMBIGUOUS_REQUEST("ambiguous-request", Category.INDETERMINATE),

    // --- the edge (authorize.EdgeAuthorizer) ---
    /** The path is not in canonical form: what the back end would read cannot be told. */
    NON_CANONICAL_PATH("non-canonical-path", Category.INDETERMINATE),
    /** Allowed for this request, but not for every request API Gateway will answer from the cached copy. */
    INPUT_NOT_IN_CACHE_KEY("input-not-in-cache-key", Category.INDETERMINATE),
    /** The HTTP API event's identity sources are not the configured cache key. */
    CACHE_KEY_MISMATCH("cache-key-mismatch", Category.INDETERMINATE),
    /** The credential expires before API Gateway stops reusing the answer. */
    CREDENTIAL_EXPIRES_WITHIN_TTL("credential-expires-within-ttl", Category.INDETERMINATE),

    // --- the caller (identity, principal) ---
    /** The verified principal is not in the policy source (a stale view, a principal of another account). */
    UNKNOWN_PRINCIPAL("unknown-principal", Category.INDETERMINATE),
    /** The policy source could not answer for the caller's policies, role or issuing user. */
    POLICY_SOURCE_UNAVAILABLE("policy-source-unavailable", Category.INDETERMINATE),
    /** The credential could not be checked (the JWKS or STS unreachable, an unexpected answer): a 401. */
    CREDENTIAL_UNVERIFIABLE("credential-unverifiable", Category.INDETERMINATE),

    // --- the credential was checked and is not valid: a 401 ---
    /** No credential was presented. */
    CREDENTIAL_REJECTED_MISSING("credential-rejected:missing", Category.UNAUTHENTICATED),
    /** Larger than the configured bound (tokens, presigned URLs). */
    CREDENTIAL_REJECTED_TOO_LARGE("credential-rejected:too-large", Category.UNAUTHENTICATED),
    /** Not a well-formed compact JWS / presigned URL (bad base64, bad JSON, truncated, wrong shape). */
    CREDENTIAL_REJECTED_MALFORMED("credential-rejected:malformed", Category.UNAUTHENTICATED),
    /** The JWS header names an algorithm outside RS256, ES256, PS256 ({@code none}, HS*, ...). */
    CREDENTIAL_REJECTED_ALGORITHM_NOT_ALLOWED("credential-rejected:algorithm-not-allowed", Category.UNAUTHENTICATED),
    /** The {@code kid} is not in the JWKS (after the one permitted refetch) or is not a usable signing key. */
    CREDENTIAL_REJECTED_UNKNOWN_KEY("credential-rejected:unknown-key", Category.UNAUTHENTICATED),
    /** The signature does not verify. */
    CREDENTIAL_REJECTED_BAD_SIGNATURE("credential-rejected:bad-signature", Category.UNAUTHENTICATED),
    /** {@code exp} has passed (or is missing), or the presigned URL has expired. */
    CREDENTIAL_REJECTED_EXPIRED("credential-rejected:expired", Category.UNAUTHENTICATED),
    /** {@code nbf}/{@code iat} lie in the future beyond the clock skew, or the presigned URL is future-dated. */
    CREDENTIAL_REJECTED_NOT_YET_VALID("credential-rejected:not-yet-valid", Category.UNAUTHENTICATED),
    /** {@code iss} is not the configured issuer. */
    CREDENTIAL_REJECTED_WRONG_ISSUER("credential-rejected:wrong-issuer", Category.UNAUTHENTICATED),
    /** {@code aud} holds none of the configured audiences. */
    CREDENTIAL_REJECTED_WRONG_AUDIENCE("credential-rejected:wrong-audience", Category.UNAUTHENTICATED),
    /** A claim needed to build the session is missing or unusable (session name, federated user name). */
    CREDENTIAL_REJECTED_BAD_CLAIM("credential-rejected:bad-claim", Category.UNAUTHENTICATED),
    /** No role could be chosen from the token, the mapping or the default (or the choice is ambiguous). */
    CREDENTIAL_REJECTED_NO_ROLE("credential-rejected:no-role", Category.UNAUTHENTICATED),
    /** The chosen role does not exist (or the role name/ARN is malformed). */
    CREDENTIAL_REJECTED_ROLE_NOT_FOUND("credential-rejected:role-not-found", Category.UNAUTHENTICATED),
    /**
     * The role's account has no IAM OIDC identity provider for the token's issuer, or the provider does not list the
     * token's audience among its client IDs (STS would answer {@code InvalidIdentityToken}).
     */
    CREDENTIAL_REJECTED_NO_IDENTITY_PROVIDER("credential-rejected:no-identity-provider", Category.UNAUTHENTICATED),
    /** The role's trust policy does not allow {@code sts:AssumeRoleWithWebIdentity} (or {@code sts:TagSession}). */
    CREDENTIAL_REJECTED_TRUST_POLICY_DENIED("credential-rejected:trust-policy-denied", Category.UNAUTHENTICATED),
    /** Session tags break STS's rules (count, length, characters, duplicate keys, transitive keys). */
    CREDENTIAL_REJECTED_BAD_SESSION_TAGS("credential-rejected:bad-session-tags", Category.UNAUTHENTICATED),
    /** The session policy is not a valid session policy, exceeds the limits or names malformed policy ARNs. */
    CREDENTIAL_REJECTED_BAD_SESSION_POLICY("credential-rejected:bad-session-policy", Category.UNAUTHENTICATED),
    /** The presigned URL is not a {@code GetCallerIdentity} request in the expected shape. */
    CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST("credential-rejected:bad-presigned-request", Category.UNAUTHENTICATED),
    /** The presigned URL's host is not an allowed STS endpoint. */
    CREDENTIAL_REJECTED_HOST_NOT_ALLOWED("credential-rejected:host-not-allowed", Category.UNAUTHENTICATED),
    /** STS answered the presigned request with an error (bad signature, expired or invalid credentials). */
    CREDENTIAL_REJECTED_STS_REJECTED("credential-rejected:sts-rejected", Category.UNAUTHENTICATED),
    /** An assumed-role or federated-user session arrived by presigned URL and the settings refuse those. */
    CREDENTIAL_REJECTED_SESSION_TYPE_REFUSED("credential-rejected:session-type-refused", Category.UNAUTHENTICATED),
    /** Federated-user tokens are not enabled, or the issuing IAM user is unknown. */
    CREDENTIAL_REJECTED_FEDERATION_DISABLED("credential-rejected:federation-disabled", Category.UNAUTHENTICATED),
    /**
     * The issuing IAM user's own policies (identity policies, permissions boundary) do not allow
     * {@code sts:GetFederationToken} for this federated user, or {@code sts:TagSession} for its session tags — or
     * the answer depends on something the function cannot know: IAM would not have created the session.
     */
    CREDENTIAL_REJECTED_ISSUER_NOT_ALLOWED("credential-rejected:issuer-not-allowed", Category.UNAUTHENTICATED),
    /**
     * Processing the credential failed in a way no check anticipated (a defect, logged with its exception class).
     * Still {@code Unauthorized}: a credential the function cannot process never authenticates anyone.
     */
    CREDENTIAL_REJECTED_UNPROCESSABLE("credential-rejected:unprocessable", Category.UNAUTHENTICATED);

    /** What kind of answer a reason gives; {@link #label()} is the {@code category} field of context and log. */
    public enum Category {
        ALLOWED("allowed", "allowed"),
        EXPLICIT_DENY("explicit-deny", "explicitDeny"),
        IMPLICIT_DENY("implicit-deny", "implicitDeny"),
        INDETERMINATE("indeterminate", null),
        UNAUTHENTICATED("unauthenticated", null);

        private final String label;
        private final String simulatorName;

        Category(String label, String simulatorName) {
            this.label = label;
            this.simulatorName = simulatorName;
        }

        public String label() {
            return label;
        }

        /** The spelling of IAM's policy simulator ({@code allowed}, {@code explicitDeny}, {@code implicitDeny}). */
        public String simulatorName() {
            return simulatorName;
        }

        /** The decision on the wire: {@code Allow} for {@link #ALLOWED}, {@code Deny} for every other. */
        public String wire() {
            return this == ALLOWED ? "Allow" : "Deny";
        }
    }

    private final String label;
    private final Category category;

    Reason(String label, Category category) {
        this.label = label;
        this.category = category;
    }

    /** The wire string. */
    public String label() {
        return label;
    }

    public Category category() {
        return category;
    }

    public boolean allowed() {
        return category == Category.ALLOWED;
    }

    @Override
    public String toString() {
        return label;
    }
}
