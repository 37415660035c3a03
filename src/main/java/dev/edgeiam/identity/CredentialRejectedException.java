package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;

/**
 * Internal signal that a credential is invalid; turned into {@link IdentityOutcome.Rejected} at the stage's
 * boundary. The message must never contain the credential. No stack trace: it is control flow, not a fault.
 */
public final class CredentialRejectedException extends Exception {

    private final Reason reason;

    public CredentialRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public IdentityOutcome.Rejected toOutcome() {
        return new IdentityOutcome.Rejected(reason, getMessage());
    }
}
