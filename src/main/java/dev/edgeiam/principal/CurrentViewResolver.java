package dev.edgeiam.principal;

import java.util.Objects;

/**
 * A {@link PrincipalResolver} that answers only from the account view its source may use now: before each
 * resolution it asks the {@link AccountViewSource} for the current version (which fails closed when the view is
 * older than its staleness bound), and a cached principal compiled from another version is dropped and loaded
 * again. The cache is still cleared as a whole when the view changes; this check closes the window in which a
 * load that began on the old view lands after that clearing.
 */
public final class CurrentViewResolver implements PrincipalResolver {

    private final AccountViewSource source;
    private final PrincipalCache cache;

    public CurrentViewResolver(AccountViewSource source, PrincipalCache cache) {
        this.source = Objects.requireNonNull(source, "source");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** Asks for the current view (past max-stale: waits for S3, and a new view fires its change listener). */
    @Override
    public void confirmCurrentView() {
        try {
            source.currentVersion();
        } catch (PolicySourceException e) {
            // no usable view: resolve() throws the same and the decision is a Deny (policy-source-unavailable)
        }
    }

    @Override
    public CompiledPrincipal resolve(String principalArn) throws PolicySourceException {
        String version = source.currentVersion();
        CompiledPrincipal principal = cache.resolve(principalArn);
        if (Objects.equals(principal.viewVersion(), version)) {
            return principal;
        }
        cache.invalidate(principalArn);
        principal = cache.resolve(principalArn);
        String now = source.currentVersion();
        if (Objects.equals(principal.viewVersion(), now)) {
            return principal;
        }
        // The view changed again while this principal was loading: refuse rather than decide on either.
        throw new PolicySourceException("the account view changed while " + principalArn + " was loading ("
                + principal.viewVersion() + " → " + now + ")");
    }
}
