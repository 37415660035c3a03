package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;

import java.util.Objects;

/**
 * The answer of the caller-identity stage, following API Gateway's conventions:
 * <ul>
 * <li>{@link Caller}: a valid credential; the request goes on to policy evaluation (a deny there is a 403);</li>
 * <li>{@link Rejected}: no credential or an invalid one (a {@link Reason.Category#UNAUTHENTICATED} reason); the
 * handler answers {@code Unauthorized} (401);</li>
 * <li>{@link Unavailable}: the credential could not be checked ({@link Reason#CREDENTIAL_UNVERIFIABLE}: JWKS or
 * STS unreachable, unexpected answer) — the handler fails closed with 401 — or the policy source could not answer
 * ({@link Reason#POLICY_SOURCE_UNAVAILABLE}: a role or issuing user could not be looked up) — a Deny, as for the
 * caller's own policies. Both {@link Reason.Category#INDETERMINATE}.</li>
 * </ul>
 * Messages are written for logs and never contain the token, the presigned URL or a signature.
 */
public sealed interface IdentityOutcome {

    record Caller(Session session) implements IdentityOutcome {
        public Caller {
            Objects.requireNonNull(session, "session");
        }
    }

    record Rejected(Reason reason, String message) implements IdentityOutcome {
        public Rejected {
            if (reason.category() != Reason.Category.UNAUTHENTICATED) {
                throw new IllegalArgumentException("not a credential rejection: " + reason);
            }
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * @param reason {@link Reason#CREDENTIAL_UNVERIFIABLE}, or {@link Reason#POLICY_SOURCE_UNAVAILABLE} when the
     *               policy source (not the JWKS or STS) could not answer
     */
    record Unavailable(Reason reason, String message) implements IdentityOutcome {
        public Unavailable {
            if (reason != Reason.CREDENTIAL_UNVERIFIABLE && reason != Reason.POLICY_SOURCE_UNAVAILABLE) {
                throw new IllegalArgumentException("not an identity outage: " + reason);
            }
            Objects.requireNonNull(message, "message");
        }

        public Unavailable(String message) {
            this(Reason.CREDENTIAL_UNVERIFIABLE, message);
        }
    }

    static IdentityOutcome rejected(Reason reason, String message) {
        return new Rejected(reason, message);
    }

    /** True for a valid caller. */
    default boolean authenticated() {
        return this instanceof Caller;
    }
}
