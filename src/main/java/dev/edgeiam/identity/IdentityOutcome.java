package dev.edgeiam.identity;

import java.util.Objects;

/**
 * The answer of the caller-identity stage, following API Gateway's conventions:
 * <ul>
 * <li>{@link Caller}: a valid credential; the request goes on to policy evaluation (a deny there is a 403);</li>
 * <li>{@link Rejected}: no credential or an invalid one; the handler answers {@code Unauthorized} (401);</li>
 * <li>{@link Unavailable}: the credential could not be checked (JWKS or STS unreachable, unexpected answer).
 * The handler fails closed; it may answer 401 or let the invocation fail (API Gateway then returns 500). When the
 * policy source could not answer ({@link Unavailable#policySource()}: a role or issuing user could not be looked
 * up), the answer is a Deny with reason {@code policy-source-unavailable}, as for the caller's own policies.</li>
 * </ul>
 * Messages are written for logs and never contain the token, the presigned URL or a signature.
 */
public sealed interface IdentityOutcome {

    record Caller(Session session) implements IdentityOutcome {
        public Caller {
            Objects.requireNonNull(session, "session");
        }
    }

    record Rejected(RejectReason reason, String message) implements IdentityOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * @param policySource true when the policy source (not the JWKS or STS) could not answer
     */
    record Unavailable(String message, boolean policySource) implements IdentityOutcome {
        public Unavailable {
            Objects.requireNonNull(message, "message");
        }

        public Unavailable(String message) {
            this(message, false);
        }
    }

    static IdentityOutcome rejected(RejectReason reason, String message) {
        return new Rejected(reason, message);
    }

    /** True for a valid caller. */
    default boolean authenticated() {
        return this instanceof Caller;
    }
}
