package dev.edgeiam.identity;

import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.request.ContextKeyType;
import dev.edgeiam.request.ContextValue;
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
 * @param principalTags         {@code aws:PrincipalTag/*}: session tags over the role's/user's tags (may be
 *                              incomplete for {@link CredentialKind#PRESIGNED_STS}: see {@link #withBaseTags})
 * @param transitiveTagKeys     transitive session tag keys (web identity only)
 * @param sourceIdentity        {@code aws:SourceIdentity}, or null
 * @param federatedProvider     {@code aws:FederatedProvider} (the OIDC provider ARN), or null
 * @param tokenIssueTime        {@code aws:TokenIssueTime}, or null
 * @param multiFactorAuthPresent {@code aws:MultiFactorAuthPresent}, or null when unknown
 * @param sessionPolicy         the session policies passed, {@link SessionPolicy#NONE} when none
 * @param expiresAt             when the credential stops being valid (cache entries must not outlive it)
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

    /**
     * Keys (IAM-folded; a name ending in {@code /*} stands for the whole family) that this caller's real requests
     * carry but the function cannot know from the credential it verified. The authorization stage refuses any
     * decision that such a key could change. Empty for credentials the function verified in full.
     */
    public Set<String> unknownContextKeys() {
        return Set.of();
    }

    /** Whether the credential is still valid at {@code now}. */
    public boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /**
     * The caller as resource-based policies' {@code Principal} element names it: the caller's ARN, for a role
     * session also the role ARN (a grant to the role reaches its sessions; a federated user is not named by its
     * issuing user's ARN), and the account id (facts §1.4; an account id names every principal in it).
     */
    public RequestPrincipal requestPrincipal() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(principalArn);
        if (kind == SessionKind.ROLE_SESSION) {
            ids.add(identityArn);
        }
        ids.add(account);
        return new RequestPrincipal(Map.of("AWS", ids));
    }

    /** The global condition keys this caller contributes to every request it makes. */
    public List<ContextValue> contextValues() {
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
     * its current principal tags: a present tag wins over a base tag with the same key ignoring case.
     */
    public Session withBaseTags(Map<String, String> baseTags) {
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
