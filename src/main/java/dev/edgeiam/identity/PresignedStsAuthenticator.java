package dev.edgeiam.identity;

import dev.edgeiam.cache.BoundedCache;
import dev.edgeiam.cache.Caches;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.SessionKind;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Callers with AWS credentials, proved by a presigned {@code sts:GetCallerIdentity} URL: the shape is checked
 * locally ({@link PresignedGetCallerIdentity}), then STS answers who signed it, and the returned ARN becomes the
 * principal. Answers are cached (keyed by the URL's SHA-256) until the URL expires.
 *
 * <h2>What this cannot see</h2>
 * GetCallerIdentity reports the ARN and nothing about how the session was made: a session policy passed to
 * {@code AssumeRole} (or {@code GetFederationToken}), session tags and the source identity are invisible. An
 * assumed-role session arriving this way would be evaluated with the role's full permissions. Hence:
 * <ul>
 * <li>{@code AUTHORIZER_STS_REFUSE_ASSUMED_ROLE=true} refuses assumed-role sessions
 * ({@link Reason#CREDENTIAL_REJECTED_SESSION_TYPE_REFUSED}); otherwise</li>
 * <li>{@code AUTHORIZER_STS_SESSION_POLICY} (if set) is attached to them as their session policy.</li>
 * </ul>
 * Federated-user sessions are always refused (the issuing IAM user, whose policies they would get, is not in
 * the answer); so is the account root user. The assumed-role ARN omits the role's path: the role is found by
 * name ({@link RoleDirectory#roleByName}) — when it does not exist, the path-less ARN goes on and the
 * principal stage refuses it with its own reason; when it cannot be looked up now, the credential is unavailable
 * (a Deny with reason {@code policy-source-unavailable}, and no session is remembered). What GetCallerIdentity cannot tell — a role session's tags, source
 * identity, provider, MFA and issue time; for {@code ASIA} credentials of an IAM user its MFA and issue time — is
 * named by {@link Session#unknownContextKeys()} (the access key id's prefix tells long-term from temporary
 * credentials: {@link PresignedGetCallerIdentity#longTermAccessKey()}). An IAM user's own tags are known and left
 * to the principal stage ({@link Session#withBaseTags}). Thread-safe.
 */
public final class PresignedStsAuthenticator {

    private static final Pattern USER = Pattern.compile(
            "arn:(aws[a-z-]*):iam::(\\d{12}):user/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");
    private static final Pattern ASSUMED_ROLE = Pattern.compile(
            "arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([\\w+=,.@-]{1,64})/([\\w+=,.@-]{2,64})");
    /** How many STS answers are remembered by default (deployed: {@code authorizer.cache.sts-answers-max-size}). */
    public static final int DEFAULT_MAX_CACHED = 10_000;
    /** The verified-credential TTL's default ({@code AUTHORIZER_CACHE_CREDENTIAL_TTL}, 5 minutes). */
    public static final Duration DEFAULT_ANSWER_TTL = Duration.ofMinutes(5);

    private record Cached(CallerIdentity identity, Instant expiresAt) {
    }

    private final IdentitySettings settings;
    private final CallerIdentityClient client;
    private final RoleDirectory roles;
    private final Clock clock;
    private final BoundedCache<String, Cached> cache;
    private final Duration answerTtl;
    /** Moved on by {@link #forgetAnswers()}: an STS call in flight across it is answered with, not remembered. */
    private final dev.edgeiam.cache.GenerationGuard generation = new dev.edgeiam.cache.GenerationGuard();

    public PresignedStsAuthenticator(IdentitySettings settings, CallerIdentityClient client, RoleDirectory roles,
                                     Clock clock) {
        this(settings, client, roles, clock, DEFAULT_MAX_CACHED);
    }

    /** As below, remembering an answer at most {@link #DEFAULT_ANSWER_TTL}. */
    public PresignedStsAuthenticator(IdentitySettings settings, CallerIdentityClient client, RoleDirectory roles,
                                     Clock clock, int maxCached) {
        this(settings, client, roles, clock, maxCached, DEFAULT_ANSWER_TTL);
    }

    /**
     * @param maxCached  the most STS answers (for long-term access keys) remembered (at least 1)
     * @param answerTtl  the longest an answer is remembered, when the URL expires later: a key deactivated without
     *                   an event reaching this instance (the {@code s3} source publishes no new view for it) is asked
     *                   about again within it (R11.3)
     */
    public PresignedStsAuthenticator(IdentitySettings settings, CallerIdentityClient client, RoleDirectory roles,
                                     Clock clock, int maxCached, Duration answerTtl) {
        this.answerTtl = Objects.requireNonNull(answerTtl, "answerTtl");
        if (maxCached < 1) {
            throw new IllegalArgumentException("maxCached must be at least 1");
        }
        this.cache = Caches.bounded(maxCached);
        this.settings = Objects.requireNonNull(settings);
        this.client = Objects.requireNonNull(client);
        this.roles = roles == null ? name -> Optional.empty() : roles;
        this.clock = Objects.requireNonNull(clock);
    }

    public Session authenticate(String credential) throws CredentialRejectedException, IdentityUnavailableException {
        Instant now = clock.instant();
        PresignedGetCallerIdentity request = PresignedGetCallerIdentity.parse(credential, settings.stsAllowedHosts(),
                now, settings.clockSkew());
        CallerIdentity identity = identity(request, now);
        return session(identity, request.expiresAt(), request.longTermAccessKey()
                ? CredentialKind.PRESIGNED_STS_ACCESS_KEY : CredentialKind.PRESIGNED_STS_TEMPORARY);
    }

    private CallerIdentity identity(PresignedGetCallerIdentity request, Instant now)
            throws CredentialRejectedException, IdentityUnavailableException {
        if (!request.longTermAccessKey()) {
            // temporary credentials may expire before the URL does, and STS does not say when: ask every time
            return client.getCallerIdentity(request);
        }
        Cached hit = cache.getIfPresent(request.cacheKey());
        if (hit != null && now.isBefore(hit.expiresAt)) {
            return hit.identity;
        }
        long started = generation.current();
        CallerIdentity fresh = client.getCallerIdentity(request);
        Instant until = Duration.between(now, request.expiresAt()).compareTo(answerTtl) <= 0 ? request.expiresAt()
                : now.plus(answerTtl);
        Cached answer = new Cached(fresh, until);
        // an answer STS gave before the key was deactivated is not remembered past the forgetting (R11.3)
        generation.putIfUnchanged(started, cache, request.cacheKey(), answer);
        return fresh;
    }

    /** Cached answers (for tests). */
    int cachedCount() {
        return cache.size();
    }

    /**
     * Forgets every remembered STS answer (after a SnapStart restore, and with the verified credentials on every IAM
     * change and scheduled refresh: an access key may have been deactivated since, and STS must be asked again).
     */
    public void forgetAnswers() {
        generation.invalidate(cache::invalidateAll);
    }

    private Session session(CallerIdentity id, Instant expiresAt, CredentialKind credential)
            throws CredentialRejectedException, IdentityUnavailableException {
        Matcher user = USER.matcher(id.arn());
        if (user.matches()) {
            requireAccount(id, user.group(2));
            return new Session(SessionKind.NONE, credential, id.arn(), id.arn(), id.account(),
                    Session.USER, id.userId(), null, user.group(4), Map.of(), java.util.Set.of(), null, null, null,
                    null, SessionPolicy.NONE, expiresAt);
        }
        Matcher role = ASSUMED_ROLE.matcher(id.arn());
        if (role.matches()) {
            requireAccount(id, role.group(2));
            if (settings.stsRefuseSessions()) {
                throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_SESSION_TYPE_REFUSED,
                        "assumed-role sessions are "
                        + "not accepted by presigned URL (their session policies would be invisible)");
            }
            String partition = role.group(1);
            String account = role.group(2);
            String roleName = role.group(3);
            String sessionName = role.group(4);
            // The session ARN has no path; the role is found by name, as IAM's GetRole finds it.
            // Not found: the path-less ARN, which the principal stage then refuses (unknown principal). Unreadable
            // now: unavailable, so that no session with a guessed ARN is remembered.
            String identityArn;
            try {
                identityArn = roles.roleByName(partition, account, roleName).map(RoleInfo::roleArn)
                        .orElse("arn:" + partition + ":iam::" + account + ":role/" + roleName);
            } catch (dev.edgeiam.principal.PolicySourceException e) {
                throw IdentityUnavailableException.policySource("the role could not be looked up: "
                        + e.getMessage(), e);
            }
            // Role sessions always use temporary credentials; their tags are unknown (Session#unknownContextKeys).
            return new Session(SessionKind.ROLE_SESSION, CredentialKind.PRESIGNED_STS_TEMPORARY, id.arn(),
                    identityArn, account, Session.ASSUMED_ROLE, id.userId(), sessionName, null, Map.of(),
                    java.util.Set.of(), null, null, null, null, settings.stsSessionPolicy(), expiresAt);
        }
        if (id.arn().contains(":federated-user/")) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_SESSION_TYPE_REFUSED,
                    "federated-user sessions are "
                    + "not accepted by presigned URL (their issuing user and session policy are invisible)");
        }
        throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_SESSION_TYPE_REFUSED,
                "the caller is neither an IAM user nor an assumed-role session (root and others are refused)");
    }

    private static void requireAccount(CallerIdentity id, String arnAccount) throws CredentialRejectedException {
        if (!arnAccount.equals(id.account())) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_STS_REJECTED,
                    "STS's answer names different accounts in Arn and Account");
        }
    }
}
