package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.SessionKind;

import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.Principal;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.principal.UnknownPrincipalException;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Federated-user sessions with {@code GetFederationToken} semantics ([STS], [STSAPI], facts §1.7, §2, §3).
 *
 * <p>An IAM user (the <em>issuing user</em>, typically a broker's identity) asks for a session for a named
 * federated user, optionally with a session policy and session tags. The session's permissions are the issuing
 * user's identity policies (and boundary) ∩ the session policy; <b>without a session policy it has none</b>
 * (the engine's {@link SessionKind#FEDERATED_USER} rule). Principal tags are the issuing user's tags overlaid by
 * the session tags; transitive tags are not supported.
 *
 * <h2>How such a session reaches the authorizer</h2>
 * As a bearer token signed by the configured issuer (the trusted broker), verified exactly like a web-identity
 * token (JWKS, {@code iss}, {@code aud}, {@code exp}, ...), carrying the federated user's name in the claim
 * {@code AUTHORIZER_FEDERATED_USER_CLAIM} (default {@code federated_user}). The issuing IAM user is
 * <em>not</em> chosen by the token: it is fixed by {@code AUTHORIZER_FEDERATION_ISSUING_USER} (the broker's
 * own IAM user), because with GetFederationToken the caller's own credentials decide which user issues. When
 * that setting is absent, federated-user tokens are refused. Session tags come from the
 * {@code https://aws.amazon.com/tags} claim (no {@code transitive_tag_keys}); the session policy from the
 * session-policy claim or the configured one (see {@link WebIdentityFederation}). Only enable this when the
 * issuer is a broker you control: any token from the issuer with that claim becomes a federated user.
 *
 * <h2>Would IAM have created the session?</h2>
 * Before a session exists, IAM requires the issuing user to be allowed {@code sts:GetFederationToken} — and, when
 * session tags are passed, {@code sts:TagSession} — by its own policies ([Tags] "Permissions required to add
 * session tags": https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html). Both are evaluated by
 * the engine against the issuing user's compiled policies ({@link IssuingUserPermission}); otherwise the token is
 * refused ({@link Reason#CREDENTIAL_REJECTED_ISSUER_NOT_ALLOWED}, API Gateway 401), like a web-identity token whose
 * role trust
 * policy does not allow it.
 */
public final class FederatedUserSessions {

    private final IdentitySettings settings;
    private final PrincipalResolver issuers;

    /**
     * @param issuers the issuing IAM user's compiled policies — in production the principal cache, so that an IAM
     *                change to the user (its policies, boundary, groups) reaches the next check
     */
    public FederatedUserSessions(IdentitySettings settings, PrincipalResolver issuers) {
        this.settings = Objects.requireNonNull(settings);
        this.issuers = Objects.requireNonNull(issuers);
    }

    /** Whether the token asks for a federated-user session (it carries the federated-user claim). */
    public boolean requested(VerifiedToken token) {
        return token.claim(settings.federatedUserClaim()) != null;
    }

    /**
     * The federated-user session a broker's token stands for — only if IAM would have created it: the issuing
     * user's own policies must allow {@code sts:GetFederationToken} (and {@code sts:TagSession} for its tags),
     * decided as {@link IssuingUserPermission} describes. No tag of a session that could not have been created is
     * ever applied: the check comes before the session exists.
     *
     * @throws IdentityUnavailableException when the issuing user's policies cannot be read now (fail closed, not
     *                                      remembered)
     */
    public Session fromToken(VerifiedToken token) throws CredentialRejectedException, IdentityUnavailableException {
        if (settings.federationIssuingUser().isEmpty()) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_FEDERATION_DISABLED,
                    "federated-user tokens are not enabled (no issuing IAM user is configured)");
        }
        CompiledPrincipal issuer = issuer(settings.federationIssuingUser().get());
        String name = WebIdentityFederation.stringClaim(token, settings.federatedUserClaim());
        SessionTags tags = SessionTags.fromClaim(token.claim(SessionTags.CLAIM));
        if (!tags.transitiveKeys().isEmpty()) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS,
                    "GetFederationToken sessions do not support transitive tags");
        }
        SessionPolicy policy = WebIdentityFederation.sessionPolicy(token, settings);
        IamUserInfo user = new IamUserInfo(issuer.principal().arn(), issuer.principal().uniqueId(),
                issuer.principal().tags());
        checkName(name);
        IssuingUserPermission.check(issuer, user.partition(), user.account(), name, tags, token.issuedAt());
        return create(user, name, policy, tags, token.issuedAt(), token.expiresAt());
    }

    private CompiledPrincipal issuer(String userArn) throws CredentialRejectedException,
            IdentityUnavailableException {
        CompiledPrincipal issuer;
        try {
            issuer = issuers.resolve(userArn);
        } catch (UnknownPrincipalException e) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_FEDERATION_DISABLED,
                    "the configured issuing IAM user does not exist");
        } catch (PolicySourceException e) {
            throw IdentityUnavailableException.policySource("the issuing IAM user's policies could not be read: "
                    + e.getMessage(), e);
        }
        if (issuer.principal().kind() != Principal.Kind.USER || issuer.principal().uniqueId() == null) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_FEDERATION_DISABLED,
                    "the configured issuing principal is not an IAM user");
        }
        return issuer;
    }

    private static void checkName(String name) throws CredentialRejectedException {
        if (name == null || !SessionNames.FEDERATED_USER_NAME.matcher(name).matches()) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_CLAIM,
                    "a federated user name is 2-32 characters of [\\w+=,.@-]");
        }
    }

    /**
     * A federated-user session: principal {@code arn:aws:sts::ACCOUNT:federated-user/NAME}, {@code aws:userid}
     * {@code ACCOUNT:NAME}, {@code aws:PrincipalType} {@code FederatedUser}, identity policies of
     * {@code issuingUser}.
     *
     * @param name      the federated user's name: 2–32 characters of {@code [\w+=,.@-]} (not sanitized: a
     *                  broker must send a valid name)
     * @param policy    the session policy, or {@link SessionPolicy#NONE} (then the session has no permissions)
     * @param issuedAt  when the session was issued ({@code aws:TokenIssueTime}), or null
     *
     * <p>{@code aws:MultiFactorAuthPresent} is {@code false}: the key is present for temporary credentials, and
     * GetFederationToken takes no MFA device or code (its parameters are Name, Policy, PolicyArns,
     * DurationSeconds and Tags: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html),
     * so a federated-user session is never MFA-authenticated. This factory does not check the issuing user's
     * permission; {@link #fromToken} does, before calling it.
     */
    public static Session create(IamUserInfo issuingUser, String name, SessionPolicy policy, SessionTags tags,
                                 Instant issuedAt, Instant expiresAt) throws CredentialRejectedException {
        checkName(name);
        if (!tags.transitiveKeys().isEmpty()) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS,
                    "GetFederationToken sessions do not support transitive tags");
        }
        String account = issuingUser.account();
        String arn = "arn:" + issuingUser.partition() + ":sts::" + account + ":federated-user/" + name;
        return new Session(SessionKind.FEDERATED_USER, CredentialKind.FEDERATION_TOKEN, arn, issuingUser.userArn(),
                account, Session.FEDERATED_USER, account + ":" + name, name, null,
                tags.overlay(issuingUser.tags()), Set.of(), null, null, issuedAt, Boolean.FALSE,
                policy == null ? SessionPolicy.NONE : policy, expiresAt);
    }
}
