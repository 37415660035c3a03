package dev.edgeiam.identity;

/**
 * The credential could not be checked: the JWKS or STS could not be reached or answered something unexpected, or
 * the policy source could not say what the credential's role or issuing user is ({@link #policySource()}).
 * Turned into {@link IdentityOutcome.Unavailable}. The message must never contain the credential.
 */
public final class IdentityUnavailableException extends Exception {

    private final boolean policySource;

    public IdentityUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public IdentityUnavailableException(String message) {
        this(message, null, false);
    }

    private IdentityUnavailableException(String message, Throwable cause, boolean policySource) {
        super(message, cause);
        this.policySource = policySource;
    }

    /** The policy source (IAM, the account view) could not answer a look-up the credential needs. */
    public static IdentityUnavailableException policySource(String message, Throwable cause) {
        return new IdentityUnavailableException(message, cause, true);
    }

    /** True when the policy source, not the credential's own checks, could not answer. */
    public boolean policySource() {
        return policySource;
    }
}
