package dev.edgeiam.identity;

import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.request.Arns;
import dev.edgeiam.request.ContextKeyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.IamNames;
import dev.edgeiam.request.RequestContext;
import dev.edgeiam.request.RequestPrincipal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Objects;
import java.util.Set;

/**
 * A verified caller: who it is, in the terms IAM's global condition keys use ([Keys], facts §6 table), and what
 * caps it (the session policy). The principal stage loads the identity policies and boundary of
 * {@link #identityArn()}, adds {@link #sessionPolicy()} as the session layer and sets {@link #kind()} on the
 * compiled policy set.
 *
 * @param kind                  {@code ROLE_SESSION}, {@code FEDERATED_USER}, or {@code NONE} for an IAM user
 * @param credential            how the caller proved its identity
 * @param principalArn          the caller's own ARN: {@code arn:aws:sts::ACCT:assumed-role/ROLE/SESSION},
 *                              {@code arn:aws:sts::ACCT:federated-user/NAME} or {@code arn:aws:iam::ACCT:user/...}
 * @param identityArn           whose identity policies apply: the role ARN, the issuing IAM user ARN, or the user ARN
 * @param account               the account id
 * @param principalType         {@code AssumedRole}, {@code FederatedUser} or {@code User} ({@code aws:PrincipalType})
 * @param userId                {@code aws:userid}: {@code ROLEID:SESSION}, {@code ACCOUNT:NAME}, or the user id
 * @param sessionName           the role session name or federated user name; null for IAM users
 * @param username              {@code aws:username}: IAM users only, else null
 * @param principalTags         {@code aws:PrincipalTag/*}: session tags over the role's/user's tags; empty when
 *                              they are unknown (a role session proved by presigned URL:
 *                              {@link #unknownContextKeys()})
 * @param transitiveTagKeys     transitive session tag keys (web identity only)
 * @param sourceIdentity        {@code aws:SourceIdentity}, or null
 * @param federatedProvider     {@code aws:FederatedProvider} (the OIDC provider ARN), or null
 * @param tokenIssueTime        {@code aws:TokenIssueTime}, or null
 * @param multiFactorAuthPresent {@code aws:MultiFactorAuthPresent}, or null when unknown
 * @param sessionPolicy         the session policies passed, {@link SessionPolicy#NONE} when none
 * @param expiresAt             when the credential stops being valid (cache entries must not outlive it)
 *
 * <h2>Unknown inputs</h2>
 * Some global condition keys that IAM would put in the caller's real request context cannot be known here
 * (e.g. how a presigned URL's temporary credentials were issued: GetCallerIdentity reveals only the account, the
 * user id and the ARN). {@link #unknownContextKeys()} names them; {@link #contextValues()} never carries a value
 * for them. <b>What a consumer must do</b>: a decision for this caller may not rest on such a key. When a statement
 * that could change the outcome — an Allow the decision needs, or a Deny that might apply — reads one
 * ({@link #isUnknownContextKey}: as its condition key, under any operator including {@code ...IfExists} and
 * {@code Null}, or through a policy variable such as {@code ${aws:PrincipalTag/team}}), the answer is a refusal
 * with reason {@code condition-key-not-visible} (see {@code authorize.UnknownInputs}), never an evaluation with the key absent or with a substitute value. Nor may
 * a value for such a key be taken from elsewhere: for a presigned role session, the role's own tags (which the
 * principal stage adds as {@code aws:PrincipalTag/*}) are not the session's principal tags.
 */
public record Session(SessionKind kind, CredentialKind credential, String principalArn, String identityArn,
                      String account, String principalType, String userId, String sessionName, String username,
                      Map<String, String> principalTags, Set<String> transitiveTagKeys, String sourceIdentity,
                      String federatedProvider, Instant tokenIssueTime, Boolean multiFactorAuthPresent,
                      SessionPolicy sessionPolicy, Instant expiresAt) {

    public static final String ASSUMED_ROLE = "AssumedRole";
    public static final String FEDERATED_USER = "FederatedUser";
    public static final String USER = "User";

    public Session {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(principalArn, "principalArn");
        Objects.requireNonNull(identityArn, "identityArn");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(principalType, "principalType");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        principalTags = Collections.unmodifiableMap(new LinkedHashMap<>(principalTags));
        transitiveTagKeys = Collections.unmodifiableSet(new LinkedHashSet<>(transitiveTagKeys));
        sessionPolicy = sessionPolicy == null ? SessionPolicy.NONE : sessionPolicy;
    }

    /**
     * {@code aws:PrincipalArn}: for a role session the role's ARN (not the session ARN), otherwise the caller's
     * own ARN ([Keys]).
     */
    public String awsPrincipalArn() {
        return kind == SessionKind.ROLE_SESSION ? identityArn : principalArn;
    }

    /** Whether the credential is still valid at {@code now}. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /**
     * Whether the function knows how long the credential stays valid. Not for temporary credentials behind a
     * presigned {@code GetCallerIdentity} URL: the URL's own expiry can outlast them, and STS reveals neither their
     * expiry nor their session's; they are known valid only at the moment STS accepted the URL. Such a session is
     * never remembered, and an answer that would be reused later is refused.
     */
    public boolean expiryKnown() {
        return credential != CredentialKind.PRESIGNED_STS_TEMPORARY;
    }

    /**
     * The caller as resource-based policies' {@code Principal} element names it: the caller's ARN, for a role
     * session also the role ARN (a grant to the role reaches its sessions; a federated user is not named by its
     * issuing user's ARN), and the account as its root ARN in the caller's partition (facts §1.4; an account names
     * every principal in it, and a policy's bare account id names that root in the partition it is evaluated in).
     */
    public RequestPrincipal requestPrincipal() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(principalArn);
        if (kind == SessionKind.ROLE_SESSION) {
            ids.add(identityArn);
        }
        String partition = Arns.partition(principalArn);
        ids.add(partition == null ? account : "arn:" + partition + ":iam::" + account + ":root");
        return new RequestPrincipal(Map.of("AWS", ids));
    }

    /** Keys the function cannot know for any caller: whether and where the account sits in an organization. */
    static final Set<String> ORGANIZATION_KEYS = Set.of("aws:principalorgid", "aws:principalorgpaths");
    /** Keys of temporary credentials whose issue IAM saw and GetCallerIdentity does not report. */
    static final Set<String> TEMPORARY_CREDENTIAL_KEYS = Set.of("aws:tokenissuetime", "aws:multifactorauthpresent",
            "aws:multifactorauthage");
    /**
     * Keys a role session may carry from how it was made ([Keys] session category; AssumeRole tags and source
     * identity, a SAML/OIDC provider, or the service that delivered the credentials: EC2, Lambda, Glue, Systems
     * Manager, IAM Identity Center, Chatbot) — none of which an assumed-role ARN reveals.
     */
    static final Set<String> ROLE_SESSION_ORIGIN_KEYS = Set.of("aws:principaltag/*", "aws:sourceidentity",
            "aws:federatedprovider", "aws:ec2instancesourcevpc", "aws:ec2instancesourceprivateipv4",
            "ec2:roledelivery", "ec2:sourceinstancearn", "glue:roleassumedby", "glue:credentialissuingservice",
            "lambda:sourcefunctionarn", "ssm:sourceinstancearn", "identitystore:userid", "aws:chatbotsourcearn");

    /**
     * The IAM-folded (lower-case) names of keys the caller's real request context would carry but this function
     * cannot know; an entry ending in {@code /*} stands for the whole family ({@code aws:principaltag/*}: every
     * {@code aws:PrincipalTag/KEY}). Presence rules from "AWS global condition context keys"
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html, availability of
     * each key; {@code /work/shared/reference/global-condition-keys.json} presence notes):
     * <ul>
     * <li>every kind: {@code aws:PrincipalOrgID}, {@code aws:PrincipalOrgPaths} — present whenever the account is
     * in an organization, which the function does not model;</li>
     * <li>{@link CredentialKind#PRESIGNED_STS_ACCESS_KEY} (an IAM user's {@code AKIA} key): nothing else — with
     * long-term keys {@code aws:MultiFactorAuthPresent}, {@code aws:MultiFactorAuthAge} and
     * {@code aws:TokenIssueTime} are absent, principal tags are the user's own tags (from IAM), and source
     * identity and federated provider exist only for role sessions;</li>
     * <li>{@link CredentialKind#PRESIGNED_STS_TEMPORARY}, IAM user (GetSessionToken or console credentials):
     * {@code aws:TokenIssueTime}, {@code aws:MultiFactorAuthPresent}, {@code aws:MultiFactorAuthAge} — present
     * for temporary credentials, with values STS does not return; GetSessionToken passes no tags;</li>
     * <li>{@link CredentialKind#PRESIGNED_STS_TEMPORARY}, assumed-role session: those three, plus everything the
     * session may have got when it was made — {@code aws:PrincipalTag/*} (session tags override and extend the
     * role's tags), {@code aws:SourceIdentity}, {@code aws:FederatedProvider} and the credential-delivery keys
     * ({@link #ROLE_SESSION_ORIGIN_KEYS});</li>
     * <li>{@link CredentialKind#WEB_IDENTITY} and {@link CredentialKind#FEDERATION_TOKEN}: the function made the
     * session from a token it verified, so tags, source identity, provider and MFA ({@code false}: STS carries
     * no identity-provider MFA) are known by construction; only {@code aws:TokenIssueTime} without an {@code iat}
     * claim, and {@code aws:MultiFactorAuthAge} if a session ever counted as MFA-authenticated, are unknown.</li>
     * </ul>
     */
    public Set<String> unknownContextKeys() {
        Set<String> out = new java.util.TreeSet<>(ORGANIZATION_KEYS);
        switch (credential) {
            case PRESIGNED_STS_ACCESS_KEY -> {
            }
            case PRESIGNED_STS_TEMPORARY -> {
                out.addAll(TEMPORARY_CREDENTIAL_KEYS);
                if (kind == SessionKind.ROLE_SESSION) {
                    out.addAll(ROLE_SESSION_ORIGIN_KEYS);
                }
            }
            case WEB_IDENTITY, FEDERATION_TOKEN -> {
                if (tokenIssueTime == null) {
                    out.add("aws:tokenissuetime");
                }
                if (Boolean.TRUE.equals(multiFactorAuthPresent)) {
                    out.add("aws:multifactorauthage");
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * Whether the key (any spelling: names are compared IAM-folded; {@code aws:PrincipalTag/Team} is in the family
     * {@code aws:principaltag/*}) is one of {@link #unknownContextKeys()}.
     */
    public boolean isUnknownContextKey(String key) {
        return coveredBy(unknownContextKeys(), IamNames.fold(key));
    }

    private static boolean coveredBy(Set<String> unknown, String folded) {
        if (unknown.contains(folded)) {
            return true;
        }
        for (String u : unknown) {
            if (u.endsWith("/*") && folded.startsWith(u.substring(0, u.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The global condition keys this caller contributes to every request it makes — never a key of
     * {@link #unknownContextKeys()}.
     */
    public List<ContextValue> contextValues() {
        List<ContextValue> known = new ArrayList<>();
        Set<String> unknown = unknownContextKeys();
        for (ContextValue v : allContextValues()) {
            if (!coveredBy(unknown, IamNames.fold(v.name()))) {
                known.add(v);
            }
        }
        return known;
    }

    private List<ContextValue> allContextValues() {
        List<ContextValue> out = new ArrayList<>();
        out.add(ContextValue.single("aws:PrincipalArn", awsPrincipalArn()));
        out.add(ContextValue.single("aws:PrincipalAccount", account));
        out.add(ContextValue.single("aws:PrincipalType", principalType));
        out.add(ContextValue.single("aws:userid", userId));
        if (username != null) {
            out.add(ContextValue.single("aws:username", username));
        }
        out.add(new ContextValue("aws:PrincipalIsAWSService", List.of("false"), false, ContextKeyType.BOOLEAN));
        for (Entry<String, String> tag : principalTags.entrySet()) {
            out.add(ContextValue.single("aws:PrincipalTag/" + tag.getKey(), tag.getValue()));
        }
        if (sourceIdentity != null) {
            out.add(ContextValue.single("aws:SourceIdentity", sourceIdentity));
        }
        if (federatedProvider != null) {
            out.add(ContextValue.single("aws:FederatedProvider", federatedProvider));
        }
        if (tokenIssueTime != null) {
            out.add(new ContextValue("aws:TokenIssueTime", List.of(iso(tokenIssueTime)), false, ContextKeyType.DATE));
        }
        if (multiFactorAuthPresent != null) {
            out.add(new ContextValue("aws:MultiFactorAuthPresent", List.of(multiFactorAuthPresent.toString()), false,
                    ContextKeyType.BOOLEAN));
        }
        return out;
    }

    /** Puts this caller's keys and {@code Principal} on a request; they replace any value given for the same keys. */
    public RequestContext.Builder applyTo(RequestContext.Builder request) {
        for (ContextValue v : contextValues()) {
            request.put(v);
        }
        return request.principal(requestPrincipal());
    }

    /**
     * This session with {@code baseTags} (the role's or IAM user's own tags, e.g. from the policy source) under
     * its current principal tags: a present tag wins over a base tag with the same key ignoring case. Unchanged
     * when the session's principal tags are unknown ({@link #unknownContextKeys()}).
     */
    public Session withBaseTags(Map<String, String> baseTags) {
        if (isUnknownContextKey("aws:PrincipalTag/*")) {
            return this; // the session's tags are unknown: the role's tags are not a stand-in for them
        }
        return new Session(kind, credential, principalArn, identityArn, account, principalType, userId, sessionName,
                username, SessionTags.overlay(baseTags, principalTags), transitiveTagKeys, sourceIdentity,
                federatedProvider, tokenIssueTime, multiFactorAuthPresent, sessionPolicy, expiresAt);
    }

    /** This session with a (different) session policy. */
    public Session withSessionPolicy(SessionPolicy policy) {
        return new Session(kind, credential, principalArn, identityArn, account, principalType, userId, sessionName,
                username, principalTags, transitiveTagKeys, sourceIdentity, federatedProvider, tokenIssueTime,
                multiFactorAuthPresent, policy, expiresAt);
    }

    /** ISO 8601 in UTC, seconds precision, as {@code aws:TokenIssueTime} is written: {@code 2026-01-01T00:00:00Z}. */
    static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
