package dev.edgeiam.identity;

import dev.edgeiam.cache.BoundedCache;
import dev.edgeiam.cache.Caches;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;
import dev.edgeiam.request.RequestPrincipal;
import org.jose4j.json.JsonUtil;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code AssumeRoleWithWebIdentity}, done locally for a verified OIDC token:
 * <ol>
 * <li><b>Role</b>: the role named by the role claim (ARN or name; a single value), else the one role the mapping
 * claim's values map to, else the default role. Several candidates at one step are ambiguous and refused.
 * As in AWS, the client may name any role; the role's trust policy is the gate.</li>
 * <li><b>Session name</b> from the session-name claim (default {@code sub}), sanitized to STS's characters;
 * <b>session tags</b> from {@code https://aws.amazon.com/tags}; <b>source identity</b> from its claim if
 * configured; <b>session policy</b> from the settings, its inline document replaced by the claim's if
 * configured and present (the configured managed policy ARNs stay).</li>
 * <li><b>Trust</b>: the role's trust policy must allow {@code sts:AssumeRoleWithWebIdentity} on the role for
 * {@code Principal: {"Federated": provider ARN}} (plus {@code cognito-identity.amazonaws.com} for Cognito) with
 * the keys {@code PROVIDER:aud} (the accepted audience), {@code PROVIDER:sub}, {@code PROVIDER:amr}
 * (multivalued), {@code aws:FederatedProvider}, {@code sts:RoleSessionName}, {@code sts:SourceIdentity} and,
 * when tags are passed, {@code aws:RequestTag/*}, {@code aws:TagKeys}, {@code sts:TransitiveTagKeys} — and then
 * also {@code sts:TagSession}; with a source identity also {@code sts:SetSourceIdentity}. The STS call's own
 * context (source address, user agent, TLS, Region, {@code aws:ViaAWSService}, VPC and organization keys, time) is
 * not seen: a trust policy whose answer could depend on it refuses the token ({@link UnseenStsCallInputs}).</li>
 * <li><b>Session</b>: {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION}, {@code aws:userid}
 * {@code ROLEID:SESSION}, principal tags = role tags overlaid by session tags, expiring with the token.
 * {@code aws:MultiFactorAuthPresent} is {@code false} whatever the token's {@code amr} says: the key is present for
 * temporary credentials, and STS's comparison of its APIs lists no MFA support for AssumeRoleWithWebIdentity
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison) — an
 * identity provider's MFA claim is visible to trust policies only, as {@code PROVIDER:amr}.</li>
 * </ol>
 * Trust policies are parsed and compiled once per distinct text (a small bounded cache). Thread-safe.
 */
public final class WebIdentityFederation {

    public static final String ASSUME_ROLE_WITH_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity";
    public static final String TAG_SESSION = "sts:TagSession";
    /**
     * Needed in the trust policy to pass a source identity: the IAM User Guide's page on monitoring and controlling
     * actions taken with assumed roles requires the role's trust policy to allow {@code sts:SetSourceIdentity} for
     * the principal that sets one (paraphrased;
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html).
     */
    public static final String SET_SOURCE_IDENTITY = "sts:SetSourceIdentity";

    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    /** How many compiled trust policies are kept by default (deployed: {@code authorizer.cache.trust-policies-max-size}). */
    public static final int DEFAULT_MAX_COMPILED_TRUST_POLICIES = 256;

    private final IdentitySettings settings;
    private final RoleDirectory roles;
    private final BoundedCache<String, CompiledPolicySet> trustPolicies;

    public WebIdentityFederation(IdentitySettings settings, RoleDirectory roles) {
        this(settings, roles, DEFAULT_MAX_COMPILED_TRUST_POLICIES);
    }

    /** @param maxCompiledTrustPolicies the most compiled trust policies kept (at least 1) */
    public WebIdentityFederation(IdentitySettings settings, RoleDirectory roles, int maxCompiledTrustPolicies) {
        if (maxCompiledTrustPolicies < 1) {
            throw new IllegalArgumentException("maxCompiledTrustPolicies must be at least 1");
        }
        this.settings = Objects.requireNonNull(settings);
        this.roles = Objects.requireNonNull(roles);
        this.trustPolicies = Caches.bounded(maxCompiledTrustPolicies);
    }

    public Session assume(VerifiedToken token) throws CredentialRejectedException, IdentityUnavailableException {
        RoleInfo role = role(token);
        OidcProvider provider = OidcProvider.forIssuer(token.issuer());
        String sessionName = SessionNames.sanitizeRoleSessionName(
                stringClaim(token, settings.sessionNameClaim()));
        if (sessionName == null) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_CLAIM, "the session name claim '"
                    + settings.sessionNameClaim() + "' is missing or shorter than 2 characters");
        }
        SessionTags tags = SessionTags.fromClaim(token.claim(SessionTags.CLAIM));
        String sourceIdentity = sourceIdentity(token);
        SessionPolicy sessionPolicy = sessionPolicy(token, settings);
        List<String> amr = stringList(token.claim("amr"));

        String partition = role.partition();
        String account = role.account();
        String providerArn = provider.arn(partition, account);
        String federatedProvider = provider.cognitoIdentity() ? provider.name() : providerArn;
        requireIdentityProvider(provider, providerArn, token.audience());

        RequestContext.Builder trust = RequestContext.builder(ASSUME_ROLE_WITH_WEB_IDENTITY, role.roleArn())
                .principal(RequestPrincipal.of("Federated", provider.federatedPrincipals(partition, account)));
        trust.put(provider.key("aud"), token.audience());
        if (token.subject() != null) {
            trust.put(provider.key("sub"), token.subject());
        }
        if (!amr.isEmpty()) {
            trust.put(ContextValue.multi(provider.key("amr"), amr));
        }
        trust.put("aws:FederatedProvider", federatedProvider);
        trust.put("sts:RoleSessionName", sessionName);
        if (sourceIdentity != null) {
            trust.put("sts:SourceIdentity", sourceIdentity);
        }
        if (!tags.isEmpty()) {
            for (Map.Entry<String, String> tag : tags.tags().entrySet()) {
                trust.put("aws:RequestTag/" + tag.getKey(), tag.getValue());
            }
            trust.put(ContextValue.multi("aws:TagKeys", tags.keys()));
            if (!tags.transitiveKeys().isEmpty()) {
                trust.put(ContextValue.multi("sts:TransitiveTagKeys", List.copyOf(tags.transitiveKeys())));
            }
        }
        CompiledPolicySet trustPolicy = trustPolicy(role);
        RequestContext assumeRequest = trust.build();
        List<String> actions = new ArrayList<>(List.of(ASSUME_ROLE_WITH_WEB_IDENTITY));
        if (!tags.isEmpty()) {
            actions.add(TAG_SESSION);
        }
        if (sourceIdentity != null) {
            actions.add(SET_SOURCE_IDENTITY);
        }
        for (String action : actions) {
            String refusal = UnseenStsCallInputs.refusal(trustPolicy, assumeRequest.withAction(action),
                    UnseenStsCallInputs.CALL_AND_TIME_KEYS);
            if (refusal != null) {
                throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_TRUST_POLICY_DENIED,
                        "the trust policy of role "
                        + role.roleArn() + " does not allow " + action + " for this token: " + refusal);
            }
        }
        return new Session(SessionKind.ROLE_SESSION, CredentialKind.WEB_IDENTITY,
                "arn:" + partition + ":sts::" + account + ":assumed-role/" + role.roleName() + "/" + sessionName,
                role.roleArn(), account, Session.ASSUMED_ROLE, role.roleId() + ":" + sessionName, sessionName, null,
                tags.overlay(role.tags()), tags.transitiveKeys(), sourceIdentity, federatedProvider,
                token.issuedAt(), Boolean.FALSE, sessionPolicy, token.expiresAt());
    }

    /**
     * STS answers {@code AssumeRoleWithWebIdentity} only through an IAM OIDC identity provider of the role's account
     * whose client IDs ("also known as audiences", IAM API {@code GetOpenIDConnectProvider},
     * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetOpenIDConnectProvider.html) include the token's
     * audience; otherwise it refuses the token ({@code InvalidIdentityToken}). Checked when the policy source knows the
     * account's providers; Cognito identity pools ({@code cognito-identity.amazonaws.com}) are not IAM providers.
     * Deleting the provider, or removing the client ID, therefore stops new sessions (R12.5).
     */
    private void requireIdentityProvider(OidcProvider provider, String providerArn, String audience)
            throws CredentialRejectedException, IdentityUnavailableException {
        if (provider.cognitoIdentity() || !roles.modelsOpenIdConnectProviders()) {
            return;
        }
        Optional<java.util.Set<String>> clientIds;
        try {
            clientIds = roles.openIdConnectProvider(providerArn);
        } catch (dev.edgeiam.principal.PolicySourceException e) {
            throw IdentityUnavailableException.policySource("the identity provider could not be looked up: "
                    + e.getMessage(), e);
        }
        if (clientIds.isEmpty()) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_NO_IDENTITY_PROVIDER,
                    "the role's account has no IAM OIDC identity provider " + providerArn);
        }
        if (audience == null || !clientIds.get().contains(audience)) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_NO_IDENTITY_PROVIDER,
                    "the token's audience is not a client ID of the IAM OIDC identity provider " + providerArn);
        }
    }

    private RoleInfo role(VerifiedToken token) throws CredentialRejectedException, IdentityUnavailableException {
        String chosen;
        List<String> named = stringList(token.claim(settings.roleClaim()));
        if (named.size() > 1) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_NO_ROLE,
                    "the role claim names several roles");
        } else if (named.size() == 1) {
            chosen = named.get(0);
        } else {
            Set<String> mapped = new LinkedHashSet<>();
            for (String value : stringList(token.claim(settings.roleMappingClaim()))) {
                String arn = settings.roleMapping().get(value);
                if (arn != null) {
                    mapped.add(arn);
                }
            }
            if (mapped.size() > 1) {
                throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_NO_ROLE,
                        "the role mapping selects several roles for this token");
            }
            chosen = mapped.isEmpty() ? settings.defaultRole().orElse(null) : mapped.iterator().next();
        }
        if (chosen == null) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_NO_ROLE,
                    "no role is named by the token, the role "
                    + "mapping or the default role");
        }
        if (!RoleInfo.isRoleArn(chosen) && !ROLE_NAME.matcher(chosen).matches()) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_ROLE_NOT_FOUND,
                    "the role named by the token is not "
                    + "a role ARN or role name");
        }
        Optional<RoleInfo> role;
        try {
            role = roles.role(chosen);
        } catch (dev.edgeiam.principal.PolicySourceException e) {
            // "Could not decide", not "no such role": a source outage must not read as a bad credential.
            throw IdentityUnavailableException.policySource("the role could not be looked up: " + e.getMessage(), e);
        }
        if (role.isEmpty() || (RoleInfo.isRoleArn(chosen) && !chosen.equals(role.get().roleArn()))) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_ROLE_NOT_FOUND, "role " + chosen
                    + " does not exist");
        }
        return role.get();
    }

    private CompiledPolicySet trustPolicy(RoleInfo role) throws CredentialRejectedException {
        String cacheKey = role.roleArn() + '\n' + role.trustPolicyText();
        CompiledPolicySet set = trustPolicies.getIfPresent(cacheKey);
        if (set != null) {
            return set;
        }
        try {
            CompiledPolicySet compiled = CompiledPolicySet.builder().identity(CompiledPolicy.compile(
                    PolicyParser.parse(role.trustPolicyText(), PolicyType.TRUST, role.roleArn() + "#trust"))).build();
            CompiledPolicySet raced = trustPolicies.putIfAbsent(cacheKey, compiled);
            return raced == null ? compiled : raced;
        } catch (PolicyException e) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_TRUST_POLICY_DENIED,
                    "the trust policy of role "
                    + role.roleArn() + " cannot be read: " + e.getMessage());
        }
    }

    private String sourceIdentity(VerifiedToken token) throws CredentialRejectedException {
        if (settings.sourceIdentityClaim().isEmpty()) {
            return null;
        }
        String value = stringClaim(token, settings.sourceIdentityClaim().get());
        if (value == null) {
            return null;
        }
        if (!SessionNames.SOURCE_IDENTITY.matcher(value).matches() || value.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_CLAIM,
                    "the source identity claim does not meet "
                    + "STS's rules (2-64 characters of [\\w+=,.@-], not starting with aws:)");
        }
        return value;
    }

    /**
     * The session policy: the configured one, whose inline document the claim's replaces (when the claim is
     * configured and present); the configured managed policy ARNs stay, as STS takes {@code Policy} and
     * {@code PolicyArns} side by side. A claim that is present but blank is refused, not read as "no inline
     * policy" (which would lift the configured cap): STS's {@code Policy} has "Minimum length of 1"
     * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
     */
    static SessionPolicy sessionPolicy(VerifiedToken token, IdentitySettings settings)
            throws CredentialRejectedException {
        if (settings.sessionPolicyClaim().isPresent()) {
            Object claim = token.claim(settings.sessionPolicyClaim().get());
            if (claim != null) {
                String text;
                if (claim instanceof String s) {
                    if (s.isBlank()) {
                        throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_SESSION_POLICY,
                                "the session policy claim is empty");
                    }
                    text = s;
                } else if (claim instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> object = (Map<String, Object>) m;
                    text = JsonUtil.toJson(object);
                } else {
                    throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_SESSION_POLICY,
                            "the session policy claim must be a JSON object or a string holding one");
                }
                try {
                    return new SessionPolicy(text, settings.sessionPolicy().managedArns());
                } catch (IllegalArgumentException e) {
                    throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_BAD_SESSION_POLICY,
                            e.getMessage());
                }
            }
        }
        return settings.sessionPolicy();
    }

    static String stringClaim(VerifiedToken token, String name) {
        Object v = token.claim(name);
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        return null;
    }

    /** A string claim as one value, an array of strings as its values; anything else as none. */
    static List<String> stringList(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof String s) {
            out.add(s);
        } else if (claim instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
