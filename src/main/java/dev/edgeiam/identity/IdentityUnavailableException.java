package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;

/**
 * The credential could not be checked: the JWKS or STS could not be reached or answered something unexpected, or
 * the policy source could not say what the credential's role or issuing user is
 * ({@link Reason#POLICY_SOURCE_UNAVAILABLE}; otherwise {@link Reason#CREDENTIAL_UNVERIFIABLE}).
 * Turned into {@link IdentityOutcome.Unavailable}. The message must never contain the credential.
 */
public final class IdentityUnavailableException extends Exception {

    private final Reason reason;

    public IdentityUnavailableException(String message, Throwable cause) {
        this(message, cause, Reason.CREDENTIAL_UNVERIFIABLE);
    }

    public IdentityUnavailableException(String message) {
        this(message, null, Reason.CREDENTIAL_UNVERIFIABLE);
    }

    private IdentityUnavailableException(String message, Throwable cause, Reason reason) {
        super(message, cause);
        this.reason = reason;
    }

    /** The policy source (IAM, the account view) could not answer a look-up the credential needs. */
    public static IdentityUnavailableException policySource(String message, Throwable cause) {
        return new IdentityUnavailableException(message, cause, Reason.POLICY_SOURCE_UNAVAILABLE);
    }

    /** {@link Reason#POLICY_SOURCE_UNAVAILABLE} or {@link Reason#CREDENTIAL_UNVERIFIABLE}. */
    public Reason reason() {
        return reason;
    }
}
