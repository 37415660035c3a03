package dev.edgeiam.principal;

import dev.edgeiam.policy.PolicyException;

/**
 * Answers "what is this principal, compiled": implemented by {@link PrincipalCache}, or uncached over a
 * {@link PolicySource} (tests, one-shot tools).
 */
@FunctionalInterface
public interface PrincipalResolver {

    /**
     * @throws UnknownPrincipalException when no such principal exists
     * @throws PolicySourceException     when its policies could not be loaded or do not compile
     */
    CompiledPrincipal resolve(String principalArn) throws PolicySourceException;

    /**
     * Makes sure the account view decisions use now is one that may decide, loading a newer one first when the view
     * in use is past its staleness bound (a view change forgets what was derived from the old view: remembered token
     * verifications among them, R14.1). Called before the caller's credential is taken from memory; a view that
     * cannot be used is not reported here — {@link #resolve} fails closed after. Nothing to do without a view.
     */
    default void confirmCurrentView() {
    }

    /** Loads and compiles on every call: no caching. */
    static PrincipalResolver uncached(PolicySource source) {
        return arn -> compile(source.load(arn));
    }

    /** Compiles, turning a policy the engine rejects into a load failure (fail closed). */
    static CompiledPrincipal compile(PrincipalPolicies policies) throws PolicySourceException {
        try {
            return CompiledPrincipal.compile(policies);
        } catch (PolicyException e) {
            throw new PolicySourceException("a policy of " + policies.principal().arn() + " does not parse: "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // e.g. an SCP chain for another account: the principal's SCPs are unknown, so it is not loaded
            throw new PolicySourceException("the policies of " + policies.principal().arn() + " cannot be used: "
                    + e.getMessage(), e);
        }
    }
}
