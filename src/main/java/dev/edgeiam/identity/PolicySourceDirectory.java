package dev.edgeiam.identity;

import dev.edgeiam.cache.BoundedCache;
import dev.edgeiam.cache.Caches;
import dev.edgeiam.cache.GenerationGuard;
import dev.edgeiam.principal.NamedPolicy;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.Principal;
import dev.edgeiam.principal.PrincipalPolicies;
import dev.edgeiam.principal.UnknownPrincipalException;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Answers the identity stage's role look-ups from the configured {@link PolicySource} (IAM or the
 * account snapshot), remembering answers for a TTL so a stream of new tokens does not become a stream of IAM
 * calls. A role given by bare name (a web-identity role claim, an assumed-role ARN) is found by name at any path
 * ({@link PolicySource#loadRoleByName}); a bare name from a token is looked up in the configured account. A
 * source failure is not remembered and is passed on as a {@link PolicySourceException}: an outage is "could not
 * decide" (a Deny with reason {@code policy-source-unavailable}), never "no such role" (a 401).
 */
public final class PolicySourceDirectory implements RoleDirectory {


    private final PolicySource source;
    private final String account;
    /** The most answers remembered unless told otherwise. */
    public static final int DEFAULT_MAX_SIZE = 10_000;

    private final BoundedCache<String, Optional<RoleInfo>> roles;
    /** IAM OIDC identity provider ARN → its client IDs, or empty when the account has no such provider. */
    private final BoundedCache<String, Optional<java.util.Set<String>>> providers;
    /**
     * Moved on by {@link #invalidateAll()}: a look-up that began before it may have read the account as it was before
     * the change, so its answer is returned to its own caller but not remembered ({@link GenerationGuard}).
     */
    private final GenerationGuard generation = new GenerationGuard();

    /** As {@link #PolicySourceDirectory(PolicySource, String, Clock, Duration, int)}, with the default bound. */
    public PolicySourceDirectory(PolicySource source, String account, Clock clock, Duration ttl) {
        this(source, account, clock, ttl, DEFAULT_MAX_SIZE);
    }

    /**
     * @param ttl     how long an answer (a role, or "no such role") is remembered
     * @param maxSize the most answers remembered
     */
    public PolicySourceDirectory(PolicySource source, String account, Clock clock, Duration ttl, int maxSize) {
        this.source = source;
        this.account = account;
        this.roles = Caches.expiring(clock, ttl, maxSize);
        this.providers = Caches.expiring(clock, ttl, maxSize);
    }

    @Override
    public boolean modelsOpenIdConnectProviders() {
        return source.modelsOpenIdConnectProviders();
    }

    /** Remembered for the TTL like a role; forgotten on every IAM change ({@link #invalidateAll()}). */
    @Override
    public Optional<java.util.Set<String>> openIdConnectProvider(String providerArn) throws PolicySourceException {
        return cached(providers, providerArn, new ProviderLoad(source, providerArn));
    }

    /** A role ARN exactly (path included); a bare name in the configured account, at any path. */
    @Override
    public Optional<RoleInfo> role(String roleArnOrName) throws PolicySourceException {
        if (!roleArnOrName.startsWith("arn:")) {
            return roleByName("aws", account, roleArnOrName);
        }
        return cached(roles, roleArnOrName, new RoleLoad(source, roleArnOrName));
    }

    /** By name, as an assumed-role ARN gives it: the source finds the role at whatever path it has. */
    @Override
    public Optional<RoleInfo> roleByName(String partition, String accountId, String roleName)
            throws PolicySourceException {
        return cached(roles, "name:" + partition + ":" + accountId + ":" + roleName,
                new RoleByNameLoad(source, partition, accountId, roleName));
    }

    private static Optional<RoleInfo> roleInfo(PrincipalPolicies p) {
        Principal role = p.principal();
        NamedPolicy trust = p.trust();
        if (role.kind() != Principal.Kind.ROLE || trust == null) {
            return Optional.empty();
        }
        return Optional.of(new RoleInfo(role.arn(), role.uniqueId(), trust.document(), role.tags()));
    }

    /** Forgets every remembered answer (on IAM change events and scheduled refreshes). */
    public void invalidateAll() {
        generation.invalidate(() -> {
            roles.invalidateAll();
            providers.invalidateAll();
        });
    }

    /** Remembers an answer unless an invalidation came while it was being looked up ({@link GenerationGuard}). */
    private <T> void remember(BoundedCache<String, Optional<T>> map, String key, Optional<T> value, long started) {
        generation.putIfUnchanged(started, map, key, value);
    }

    private interface Load<T> {
        Optional<T> load() throws PolicySourceException;
    }

    /** An IAM OIDC identity provider's client IDs, from the source. */
    private static final class ProviderLoad implements Load<java.util.Set<String>> {
        private final PolicySource source;
        private final String providerArn;

        ProviderLoad(PolicySource source, String providerArn) {
            this.source = source;
            this.providerArn = providerArn;
        }

        @Override
        public Optional<java.util.Set<String>> load() throws PolicySourceException {
            return source.openIdConnectProvider(providerArn);
        }
    }

    /** A role by its ARN, from the source. */
    private static final class RoleLoad implements Load<RoleInfo> {
        private final PolicySource source;
        private final String roleArn;

        RoleLoad(PolicySource source, String roleArn) {
            this.source = source;
            this.roleArn = roleArn;
        }

        @Override
        public Optional<RoleInfo> load() throws PolicySourceException {
            return roleInfo(source.load(roleArn));
        }
    }

    /** A role by its name, at any path, from the source. */
    private static final class RoleByNameLoad implements Load<RoleInfo> {
        private final PolicySource source;
        private final String partition;
        private final String accountId;
        private final String roleName;

        RoleByNameLoad(PolicySource source, String partition, String accountId, String roleName) {
            this.source = source;
            this.partition = partition;
            this.accountId = accountId;
            this.roleName = roleName;
        }

        @Override
        public Optional<RoleInfo> load() throws PolicySourceException {
            return roleInfo(source.loadRoleByName(partition, accountId, roleName));
        }
    }

    private <T> Optional<T> cached(BoundedCache<String, Optional<T>> map, String key, Load<T> load)
            throws PolicySourceException {
        Optional<T> held = map.getIfPresent(key);
        if (held != null) {
            return held;
        }
        long started = generation.current();
        try {
            Optional<T> value = load.load();
            remember(map, key, value, started);
            return value;
        } catch (UnknownPrincipalException e) {
            remember(map, key, Optional.empty(), started);
            return Optional.empty();
        } catch (RuntimeException e) {
            // A defect in a source is an outage too: not remembered, and never "no such role".
            throw new PolicySourceException("the role or identity provider could not be looked up ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }
}
