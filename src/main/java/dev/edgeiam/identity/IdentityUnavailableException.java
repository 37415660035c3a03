package dev.edgeiam.identity;

/**
 * The credential could not be checked: the JWKS or STS could not be reached or answered something unexpected.
 * Turned into {@link IdentityOutcome.Unavailable}. The message must never contain the credential.
 */
public final class IdentityUnavailableException extends Exception {

    public IdentityUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public IdentityUnavailableException(String message) {
        super(message);
    }
}
