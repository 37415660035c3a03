package dev.edgeiam.lambda;

import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalPolicies;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The configured policy source, created on first use (so a cold start builds no AWS client it does not need)
 * and rebuilt by {@link #refresh()} — for a snapshot source that means reading the account again. A failed
 * creation is not remembered: the next request tries again, and until then loads fail (closed).
 */
final class RefreshablePolicySource implements PolicySource {

    private final Supplier<PolicySource> factory;
    private final AtomicReference<PolicySource> current = new AtomicReference<>();

    RefreshablePolicySource(Supplier<PolicySource> factory) {
        this.factory = factory;
    }

    private PolicySource source() throws PolicySourceException {
        PolicySource s = current.get();
        if (s != null) {
            return s;
        }
        synchronized (this) {
            s = current.get();
            if (s == null) {
                try {
                    s = factory.get();
                } catch (RuntimeException e) {
                    throw new PolicySourceException("the policy source could not be created: "
                            + e.getClass().getSimpleName(), e);
                }
                current.set(s);
            }
            return s;
        }
    }

    /**
     * The principals of the source when it is an account snapshot held in memory (a file or the bundled sample:
     * listing them calls nothing), else empty. Creates the source if needed.
     */
    java.util.List<String> snapshotPrincipalArns() throws PolicySourceException {
        return source() instanceof dev.edgeiam.aws.SnapshotPolicySource snapshot ? snapshot.principalArns()
                : java.util.List.of();
    }

    @Override
    public PrincipalPolicies load(String principalArn) throws PolicySourceException {
        return source().load(principalArn);
    }

    @Override
    public PrincipalPolicies loadRoleByName(String partition, String accountId, String roleName)
            throws PolicySourceException {
        return source().loadRoleByName(partition, accountId, roleName);
    }

    @Override
    public Optional<String> managedPolicyText(String policyArn) {
        try {
            return source().managedPolicyText(policyArn);
        } catch (PolicySourceException e) {
            return Optional.empty();
        }
    }

    /** A source that cannot be created now counts as one that knows providers: its look-up then fails (closed). */
    @Override
    public boolean modelsOpenIdConnectProviders() {
        try {
            return source().modelsOpenIdConnectProviders();
        } catch (PolicySourceException e) {
            return true;
        }
    }

    @Override
    public Optional<java.util.Set<String>> openIdConnectProvider(String providerArn) throws PolicySourceException {
        return source().openIdConnectProvider(providerArn);
    }

    /** Builds the source again (a snapshot is re-read); the previous one keeps serving if that fails. */
    void refresh() throws PolicySourceException {
        PolicySource fresh;
        try {
            fresh = factory.get();
        } catch (RuntimeException e) {
            throw new PolicySourceException("the policy source could not be refreshed: "
                    + e.getClass().getSimpleName(), e);
        }
        PolicySource old = current.getAndSet(fresh);
        if (old instanceof AutoCloseable closeable && old != fresh) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing an old client pool must not fail the refresh
            }
        }
    }
}
