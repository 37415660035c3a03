package dev.edgeiam.aws;

import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.principal.NamedPolicy;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.Principal;
import dev.edgeiam.principal.PrincipalArn;
import dev.edgeiam.principal.PrincipalPolicies;
import dev.edgeiam.principal.UnknownPrincipalException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPermissionsBoundary;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Reads one principal's policies live from IAM.
 *
 * <p>IAM user: {@code GetUser} (tags, boundary), {@code ListAttachedUserPolicies}, {@code ListUserPolicies} →
 * {@code GetUserPolicy} each, {@code ListGroupsForUser} → per group {@code ListAttachedGroupPolicies} and
 * {@code ListGroupPolicies} → {@code GetGroupPolicy} each. IAM role (or a session of one): {@code GetRole} (tags,
 * boundary, trust policy), {@code ListAttachedRolePolicies}, {@code ListRolePolicies} → {@code GetRolePolicy}
 * each. Every managed policy (identity or boundary, counted once per load however often it is attached):
 * {@code GetPolicy} for its default version, then {@code GetPolicyVersion} unless that (ARN, version) is
 * already held — documents are shared between principals and replaced when the default version changes.
 * A federated-user ARN makes no call: its permissions come from the session policy its token carries, which
 * IAM does not store, so it resolves to a principal with no identity policies.
 *
 * <p>Calls that do not depend on each other run concurrently on a small fixed pool (sync client, no async
 * runtime). Every listing follows its pagination. A load succeeds completely or throws: any failed call
 * fails the load ({@code NoSuchEntity} on the principal itself means {@link UnknownPrincipalException}).
 */
public final class IamPolicySource implements PolicySource, AutoCloseable {

    /**
     * @param concurrency how many IAM calls one source runs at once (default 8)
     * @param pageSize    {@code MaxItems} for listings, or 0 for IAM's default (100)
     * @param loadTimeout the most one principal load may take (default 10 seconds)
     */
    public record Settings(int concurrency, int pageSize, Duration loadTimeout) {

        public static final Settings DEFAULTS = new Settings(8, 0, Duration.ofSeconds(10));

        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
            if (pageSize < 0 || pageSize > 1000) {
                throw new IllegalArgumentException("pageSize must be 0 (IAM default) or 1..1000");
            }
            Objects.requireNonNull(loadTimeout, "loadTimeout");
        }

        public Settings withPageSize(int value) {
            return new Settings(concurrency, value, loadTimeout);
        }

        public Settings withConcurrency(int value) {
            return new Settings(value, pageSize, loadTimeout);
        }
    }

    private final IamClient iam;
    private final Settings settings;
    private final ExecutorService pool;
    /** Managed policy ARN → its last fetched (version, document); shared by every principal. */
    private final ConcurrentHashMap<String, VersionedDocument> documents = new ConcurrentHashMap<>();

    private record VersionedDocument(String versionId, CompletableFuture<String> document) {
    }

    /** A managed policy as one load saw it. */
    private record ManagedPolicy(String arn, String name, String versionId, String document) {
        NamedPolicy as(PolicyType type) {
            return new NamedPolicy(arn, name, type, versionId, document);
        }
    }

    private IamPolicySource(IamClient iam, Settings settings) {
        this.iam = Objects.requireNonNull(iam, "iam");
        this.settings = Objects.requireNonNull(settings, "settings");
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "iam-policy-source-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A source over the given client with {@link Settings#DEFAULTS}. The client stays the caller's to close. */
    public static IamPolicySource create(IamClient iam) {
        return new IamPolicySource(iam, Settings.DEFAULTS);
    }

    public static IamPolicySource create(IamClient iam, Settings settings) {
        return new IamPolicySource(iam, settings);
    }

    @Override
    public PrincipalPolicies load(String principalArn) throws PolicySourceException {
        PrincipalArn arn = PrincipalArn.parseKnown(principalArn);
        return switch (arn.kind()) {
            case FEDERATED_USER -> new PrincipalPolicies(
                    Principal.federatedUser(arn.arn(), arn.accountId(), arn.name()), List.of(), null, null);
            case USER -> loadUser(arn);
            case ROLE -> loadRole(arn, false);
            case ASSUMED_ROLE -> loadRole(arn, true).forSession(arn.arn(), arn.sessionName());
        };
    }

    /** {@code GetRole} by name: the role at whatever path it has, if it is in {@code accountId}. */
    @Override
    public PrincipalPolicies loadRoleByName(String partition, String accountId, String roleName)
            throws PolicySourceException {
        return loadRole(PrincipalArn.parseKnown("arn:" + partition + ":iam::" + accountId + ":role/" + roleName),
                true);
    }

    /** Stops the pool. The IAM client is not closed: it was given, not made, here. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    // ---- users ----

    private PrincipalPolicies loadUser(PrincipalArn arn) throws PolicySourceException {
        Load load = new Load();
        String name = arn.name();
        CompletableFuture<User> user = call(() -> iam.getUser(r -> r.userName(name)).user());
        CompletableFuture<List<NamedPolicy>> attached = call(() -> {
            List<String> arns = new ArrayList<>();
            iam.listAttachedUserPoliciesPaginator(r -> r.userName(name).maxItems(maxItems()))
                    .attachedPolicies().forEach(p -> arns.add(p.policyArn()));
            return arns;
        }).thenCompose(arns -> managedPolicies(load, arns));
        CompletableFuture<List<NamedPolicy>> inline = call(() -> {
            List<String> names = new ArrayList<>();
            iam.listUserPoliciesPaginator(r -> r.userName(name).maxItems(maxItems())).policyNames()
                    .forEach(names::add);
            return names;
        }).thenCompose(names -> all(names.stream().map(policy -> call(() -> new NamedPolicy(arn.arn(), policy,
                PolicyType.INLINE_USER, null, PolicyDocuments.decode(
                        iam.getUserPolicy(r -> r.userName(name).policyName(policy)).policyDocument()))))
                .toList()));
        CompletableFuture<List<Group>> memberOf = call(() -> {
            List<Group> found = new ArrayList<>();
            iam.listGroupsForUserPaginator(r -> r.userName(name).maxItems(maxItems())).groups()
                    .forEach(found::add);
            return found;
        });
        CompletableFuture<List<NamedPolicy>> groups = memberOf
                .thenCompose(found -> all(found.stream().map(g -> groupPolicies(load, g)).toList()))
                .thenApply(IamPolicySource::flatten);
        CompletableFuture<NamedPolicy> boundary = user.thenCompose(u -> boundary(load, u.permissionsBoundary()));

        await(arn, user, List.of(attached, inline, groups, boundary));
        User u = user.join();
        if (!u.arn().equals(arn.arn())) {
            // Same name, other path or account: not the principal asked about.
            throw new UnknownPrincipalException(arn.arn(), "IAM user " + name + " is " + u.arn() + ", not "
                    + arn.arn());
        }
        Principal principal = Principal.user(u.arn(), arn.accountId(), u.userName(), u.path(), u.userId(),
                tags(u.tags()));
        List<NamedPolicy> identity = new ArrayList<>(inline.join());
        identity.addAll(attached.join());
        identity.addAll(groups.join());
        return new PrincipalPolicies(principal, dedupe(identity), boundary.join(), null,
                memberOf.join().stream().map(Group::arn).collect(java.util.stream.Collectors.toSet()));
    }

    private CompletableFuture<List<NamedPolicy>> groupPolicies(Load load, Group group) {
        String name = group.groupName();
        CompletableFuture<List<NamedPolicy>> attached = call(() -> {
            List<String> arns = new ArrayList<>();
            iam.listAttachedGroupPoliciesPaginator(r -> r.groupName(name).maxItems(maxItems()))
                    .attachedPolicies().forEach(p -> arns.add(p.policyArn()));
            return arns;
        }).thenCompose(arns -> managedPolicies(load, arns));
        CompletableFuture<List<NamedPolicy>> inline = call(() -> {
            List<String> names = new ArrayList<>();
            iam.listGroupPoliciesPaginator(r -> r.groupName(name).maxItems(maxItems())).policyNames()
                    .forEach(names::add);
            return names;
        }).thenCompose(names -> all(names.stream().map(policy -> call(() -> new NamedPolicy(group.arn(), policy,
                PolicyType.INLINE_GROUP, null, PolicyDocuments.decode(
                        iam.getGroupPolicy(r -> r.groupName(name).policyName(policy)).policyDocument()))))
                .toList()));
        return inline.thenCombine(attached, (i, a) -> {
            List<NamedPolicy> out = new ArrayList<>(i);
            out.addAll(a);
            return out;
        });
    }

    // ---- roles ----

    /** @param anyPath whether {@code arn} gives only the name (a session ARN, a look-up by name): any path will do */
    private PrincipalPolicies loadRole(PrincipalArn arn, boolean anyPath) throws PolicySourceException {
        Load load = new Load();
        String name = arn.name();
        CompletableFuture<Role> role = call(() -> iam.getRole(r -> r.roleName(name)).role());
        CompletableFuture<List<NamedPolicy>> attached = call(() -> {
            List<String> arns = new ArrayList<>();
            iam.listAttachedRolePoliciesPaginator(r -> r.roleName(name).maxItems(maxItems()))
                    .attachedPolicies().forEach(p -> arns.add(p.policyArn()));
            return arns;
        }).thenCompose(arns -> managedPolicies(load, arns));
        CompletableFuture<List<String>> inlineNames = call(() -> {
            List<String> names = new ArrayList<>();
            iam.listRolePoliciesPaginator(r -> r.roleName(name).maxItems(maxItems())).policyNames()
                    .forEach(names::add);
            return names;
        });
        // The inline policies' holder is the role's full ARN (with path), known only from GetRole.
        CompletableFuture<List<NamedPolicy>> inline = inlineNames.thenCombine(role, (names, r) -> Map.entry(names,
                r.arn())).thenCompose(e -> all(e.getKey().stream().map(policy -> call(() -> new NamedPolicy(
                e.getValue(), policy, PolicyType.INLINE_ROLE, null, PolicyDocuments.decode(
                        iam.getRolePolicy(r -> r.roleName(name).policyName(policy)).policyDocument()))))
                .toList()));
        CompletableFuture<NamedPolicy> boundary = role.thenCompose(r -> boundary(load, r.permissionsBoundary()));

        await(arn, role, List.of(attached, inline, boundary));
        Role r = role.join();
        boolean same = anyPath
                ? PrincipalArn.parse(r.arn()).accountId().equals(arn.accountId())
                : r.arn().equals(arn.arn());
        if (!same) {
            throw new UnknownPrincipalException(arn.arn(), "IAM role " + name + " is " + r.arn() + ", not "
                    + arn.arn());
        }
        Principal principal = Principal.role(r.arn(), arn.accountId(), r.roleName(), r.path(), r.roleId(),
                tags(r.tags()));
        List<NamedPolicy> identity = new ArrayList<>(inline.join());
        identity.addAll(attached.join());
        NamedPolicy trust = r.assumeRolePolicyDocument() == null ? null : new NamedPolicy(r.arn(), r.roleName(),
                PolicyType.TRUST, null, PolicyDocuments.decode(r.assumeRolePolicyDocument()));
        return new PrincipalPolicies(principal, dedupe(identity), boundary.join(), trust);
    }

    // ---- managed policies ----

    /** Per-load state: each managed policy is read once per load however often it is attached. */
    private static final class Load {
        final ConcurrentHashMap<String, CompletableFuture<ManagedPolicy>> managed = new ConcurrentHashMap<>();
    }

    private CompletableFuture<List<NamedPolicy>> managedPolicies(Load load, List<String> arns) {
        return all(arns.stream().map(a -> managed(load, a).thenApply(m -> m.as(managedType(a)))).toList());
    }

    private CompletableFuture<NamedPolicy> boundary(Load load, AttachedPermissionsBoundary b) {
        if (b == null || b.permissionsBoundaryArn() == null) {
            return CompletableFuture.completedFuture(null);
        }
        return managed(load, b.permissionsBoundaryArn()).thenApply(m -> m.as(PolicyType.PERMISSIONS_BOUNDARY));
    }

    private CompletableFuture<ManagedPolicy> managed(Load load, String policyArn) {
        return load.managed.computeIfAbsent(policyArn, a -> call(() -> iam.getPolicy(r -> r.policyArn(a)).policy())
                .thenCompose(p -> document(a, p.defaultVersionId())
                        .thenApply(doc -> new ManagedPolicy(a, p.policyName(), p.defaultVersionId(), doc))));
    }

    /** The document of (policy, version): shared across loads, fetched once, replaced by a newer version. */
    private CompletableFuture<String> document(String policyArn, String versionId) {
        VersionedDocument mine = new VersionedDocument(versionId, new CompletableFuture<>());
        VersionedDocument held = documents.compute(policyArn, (k, cur) ->
                cur != null && cur.versionId().equals(versionId) && !cur.document().isCompletedExceptionally()
                        ? cur : mine);
        if (held == mine) {
            call(() -> PolicyDocuments.decode(iam.getPolicyVersion(r -> r.policyArn(policyArn).versionId(versionId))
                    .policyVersion().document()))
                    .whenComplete((doc, failure) -> {
                        if (failure != null) {
                            documents.remove(policyArn, mine);
                            mine.document().completeExceptionally(failure);
                        } else {
                            mine.document().complete(doc);
                        }
                    });
        }
        return held.document();
    }

    @Override
    public java.util.Optional<String> managedPolicyText(String policyArn) {
        try {
            String version = iam.getPolicy(r -> r.policyArn(policyArn)).policy().defaultVersionId();
            return java.util.Optional.of(document(policyArn, version).get(settings.loadTimeout().toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return java.util.Optional.empty();
        }
    }

    /** IAM itself knows the account's OIDC identity providers. */
    @Override
    public boolean modelsOpenIdConnectProviders() {
        return true;
    }

    /**
     * {@code GetOpenIDConnectProvider}: the provider's client IDs, empty on {@code NoSuchEntity}; any other failure
     * (or the load timeout) is an outage.
     */
    @Override
    public java.util.Optional<java.util.Set<String>> openIdConnectProvider(String providerArn)
            throws PolicySourceException {
        try {
            return java.util.Optional.of(java.util.Set.copyOf(call(() -> iam.getOpenIDConnectProvider(
                    r -> r.openIDConnectProviderArn(providerArn)).clientIDList())
                    .get(settings.loadTimeout().toMillis(), TimeUnit.MILLISECONDS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicySourceException("interrupted while reading the identity provider " + providerArn, e);
        } catch (TimeoutException e) {
            throw new PolicySourceException("reading the identity provider " + providerArn + " took longer than "
                    + settings.loadTimeout(), e);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e.getCause());
            if (cause instanceof NoSuchEntityException) {
                return java.util.Optional.empty();
            }
            throw new PolicySourceException("could not read the identity provider " + providerArn + ": "
                    + describe(cause), cause);
        }
    }

    /** How many managed policy documents are held (for tests and metrics). */
    public int cachedDocumentCount() {
        return documents.size();
    }

    // ---- plumbing ----

    private Integer maxItems() {
        return settings.pageSize() == 0 ? null : settings.pageSize();
    }

    private <T> CompletableFuture<T> call(Supplier<T> supplier) {
        return CompletableFuture.supplyAsync(supplier, pool);
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }

    private static List<NamedPolicy> flatten(List<List<NamedPolicy>> lists) {
        List<NamedPolicy> out = new ArrayList<>();
        lists.forEach(out::addAll);
        return out;
    }

    /** A policy attached both to the user and to one of its groups is evaluated once. */
    private static List<NamedPolicy> dedupe(List<NamedPolicy> policies) {
        Map<String, NamedPolicy> byId = new LinkedHashMap<>();
        for (NamedPolicy p : policies) {
            byId.putIfAbsent(p.policyId(), p);
        }
        return List.copyOf(byId.values());
    }

    static PolicyType managedType(String policyArn) {
        return policyArn.contains(":iam::aws:policy/") ? PolicyType.AWS_MANAGED : PolicyType.MANAGED;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            out.put(t.key(), t.value());
        }
        return out;
    }

    /**
     * Waits for every part of a load. {@code NoSuchEntity} on the principal's own read means "unknown"; any
     * other failure (or the timeout) fails the whole load.
     */
    private void await(PrincipalArn arn, CompletableFuture<?> principal, List<CompletableFuture<?>> parts)
            throws PolicySourceException {
        List<CompletableFuture<?>> everything = new ArrayList<>(parts);
        everything.add(principal);
        try {
            CompletableFuture.allOf(everything.toArray(CompletableFuture[]::new))
                    .get(settings.loadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicySourceException("interrupted while loading " + arn.arn(), e);
        } catch (TimeoutException e) {
            throw new PolicySourceException("loading " + arn.arn() + " took longer than "
                    + settings.loadTimeout(), e);
        } catch (ExecutionException e) {
            Throwable own = failure(principal);
            if (own instanceof NoSuchEntityException) {
                throw new UnknownPrincipalException(arn.arn(), "no such IAM " + kindWord(arn) + ": " + arn.name());
            }
            Throwable cause = own != null ? own : unwrap(e.getCause());
            throw new PolicySourceException("could not read the policies of " + arn.arn() + ": "
                    + describe(cause), cause);
        }
    }

    private static String kindWord(PrincipalArn arn) {
        return arn.kind() == Principal.Kind.USER ? "user" : "role";
    }

    private static Throwable failure(CompletableFuture<?> f) {
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return unwrap(e);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable t) {
        if (t instanceof SdkException sdk) {
            return sdk.getClass().getSimpleName() + ": " + sdk.getMessage();
        }
        return String.valueOf(t);
    }
}
