package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.principal.PrincipalResolver;

import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The caller-identity stage: one credential in, one {@link IdentityOutcome} out.
 * <ul>
 * <li>An optional {@code Bearer } prefix is removed.</li>
 * <li>{@code k8s-aws-v1.…} or an {@code https://} URL → presigned {@code GetCallerIdentity}
 * ({@link PresignedStsAuthenticator}).</li>
 * <li>Anything else → a bearer token ({@link BearerTokenVerifier}); if it carries the federated-user claim and
 * federation is enabled → a federated-user session ({@link FederatedUserSessions}), otherwise
 * AssumeRoleWithWebIdentity ({@link WebIdentityFederation}).</li>
 * </ul>
 * A kind of credential whose component is not configured is rejected. Every answer is one of the three
 * {@link IdentityOutcome}s: an unexpected runtime exception becomes {@link Reason#CREDENTIAL_REJECTED_UNPROCESSABLE}
 * (logged
 * as a defect) rather than an error API Gateway would answer with 500. Logs carry the reason only, never the
 * credential. Thread-safe.
 */
public final class CallerIdentityResolver {

    private static final Logger LOG = Logger.getLogger(CallerIdentityResolver.class.getName());
    private static final String BEARER = "bearer ";

    private final BearerTokenVerifier verifier;
    private final WebIdentityFederation webIdentity;
    private final FederatedUserSessions federation;
    private final PresignedStsAuthenticator presigned;

    /** Any component may be null: that kind of credential is then rejected. */
    public CallerIdentityResolver(BearerTokenVerifier verifier, WebIdentityFederation webIdentity,
                                  FederatedUserSessions federation, PresignedStsAuthenticator presigned) {
        this.verifier = verifier;
        this.webIdentity = webIdentity;
        this.federation = federation;
        this.presigned = presigned;
    }

    /**
     * Wires every component the settings enable: bearer tokens when JWKS, issuer and audience are set
     * (federated users also need the issuing user and its compiled policies), presigned URLs when a client is
     * given.
     *
     * @param issuers the issuing IAM user's compiled policies for federated-user tokens (the principal cache)
     */
    public static CallerIdentityResolver create(IdentitySettings settings, Clock clock, RoleDirectory roles,
                                                PrincipalResolver issuers, CallerIdentityClient stsClient) {
        return create(settings, clock, roles, issuers, stsClient, Limits.DEFAULTS);
    }

    /**
     * How much the identity stage remembers.
     *
     * @param trustPolicies the most compiled role trust policies kept ({@link WebIdentityFederation})
     * @param stsAnswers    the most STS answers for presigned URLs of long-term access keys remembered
     *                      ({@link PresignedStsAuthenticator})
     * @param stsAnswerTtl  the longest one such answer is remembered (the URL's expiry when earlier): the verified
     *                      credential TTL, so a deactivated key that no event reports is asked about again within it
     */
    public record Limits(int trustPolicies, int stsAnswers, java.time.Duration stsAnswerTtl) {
        public static final Limits DEFAULTS = new Limits(WebIdentityFederation.DEFAULT_MAX_COMPILED_TRUST_POLICIES,
                PresignedStsAuthenticator.DEFAULT_MAX_CACHED, PresignedStsAuthenticator.DEFAULT_ANSWER_TTL);

        public Limits {
            if (trustPolicies < 1 || stsAnswers < 1) {
                throw new IllegalArgumentException("identity cache sizes must be at least 1 (got " + trustPolicies
                        + ", " + stsAnswers + ")");
            }
            if (stsAnswerTtl == null || stsAnswerTtl.isNegative()) {
                throw new IllegalArgumentException("the STS answer TTL must be zero or more (got " + stsAnswerTtl + ")");
            }
        }
    }

    /** As {@link #create(IdentitySettings, Clock, RoleDirectory, PrincipalResolver, CallerIdentityClient)}, bounded by {@code limits}. */
    public static CallerIdentityResolver create(IdentitySettings settings, Clock clock, RoleDirectory roles,
                                                PrincipalResolver issuers, CallerIdentityClient stsClient,
                                                Limits limits) {
        Objects.requireNonNull(settings);
        Objects.requireNonNull(limits);
        BearerTokenVerifier verifier = settings.bearerTokensEnabled()
                ? BearerTokenVerifier.fromSettings(settings, clock) : null;
        WebIdentityFederation web = verifier == null || roles == null ? null
                : new WebIdentityFederation(settings, roles, limits.trustPolicies());
        FederatedUserSessions fed = verifier == null || issuers == null || settings.federationIssuingUser().isEmpty()
                ? null : new FederatedUserSessions(settings, issuers);
        PresignedStsAuthenticator sts = stsClient == null ? null
                : new PresignedStsAuthenticator(settings, stsClient, roles, clock, limits.stsAnswers(),
                        limits.stsAnswerTtl());
        return new CallerIdentityResolver(verifier, web, fed, sts);
    }

    /** Forgets remembered STS answers for presigned URLs (after a SnapStart restore). */
    public void forgetRememberedAnswers() {
        if (presigned != null) {
            presigned.forgetAnswers();
        }
    }

    /** Resolves the credential (e.g. the {@code Authorization} header value or the authorizer's token). */
    public IdentityOutcome resolve(String credential) {
        try {
            return new IdentityOutcome.Caller(session(credential));
        } catch (CredentialRejectedException e) {
            LOG.log(Level.FINE, "credential rejected: {0}: {1}", new Object[]{e.reason(), e.getMessage()});
            return e.toOutcome();
        } catch (IdentityUnavailableException e) {
            LOG.log(Level.WARNING, "credential could not be checked: {0}", e.getMessage());
            return new IdentityOutcome.Unavailable(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            // A defect, not a verdict on the credential: fail closed with 401, never let it reach the runtime.
            // Only the class is logged: an exception message may quote claim values.
            LOG.log(Level.SEVERE, "credential processing failed unexpectedly: {0}", e.getClass().getName());
            return IdentityOutcome.rejected(Reason.CREDENTIAL_REJECTED_UNPROCESSABLE,
                    "the credential could not be processed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private Session session(String credential) throws CredentialRejectedException, IdentityUnavailableException {
        String c = credential == null ? "" : credential.strip();
        if (c.toLowerCase(Locale.ROOT).equals(BEARER.strip())) {
            c = "";
        } else if (c.length() > BEARER.length()
                && c.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            c = c.substring(BEARER.length()).strip();
        }
        if (c.isEmpty()) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_MISSING, "no credential");
        }
        if (PresignedGetCallerIdentity.looksPresigned(c)) {
            if (presigned == null) {
                throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_MALFORMED,
                        "presigned URLs are not accepted");
            }
            return presigned.authenticate(c);
        }
        if (verifier == null) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_MALFORMED,
                    "bearer tokens are not accepted "
                    + "(no JWKS, issuer and audience are configured)");
        }
        VerifiedToken token = verifier.verify(c);
        if (federation != null && federation.requested(token)) {
            return federation.fromToken(token);
        }
        if (webIdentity == null) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_NO_ROLE,
                    "web-identity tokens are not accepted");
        }
        return webIdentity.assume(token);
    }
}
