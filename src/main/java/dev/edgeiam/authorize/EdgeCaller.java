package dev.edgeiam.authorize;

import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.request.ContextValue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The verified caller as the authorization stage needs it: the compiled policies that decide for it (identity,
 * boundary, session, SCP layers), the context keys it contributes to every request (principal and session keys),
 * and the keys its real requests carry that the function cannot know (e.g. the session tags of a presigned
 * {@code GetCallerIdentity} caller).
 *
 * @param policies the caller's compiled policy set
 * @param keys     the caller's own context keys (same for every request it makes)
 * @param unknown  the caller's keys the function does not know
 * @param validUntil when the caller's credential stops being valid (token {@code exp}, presigned URL or session
 *                 expiry; the request time when that is not known): an answer API Gateway may reuse past it is
 *                 refused ({@link EdgeAuthorizer})
 */
public record EdgeCaller(CompiledPolicySet policies, List<ContextValue> keys, UnknownInputs unknown,
                         Instant validUntil) {

    public EdgeCaller {
        Objects.requireNonNull(policies, "policies");
        keys = List.copyOf(keys);
        Objects.requireNonNull(unknown, "unknown");
        Objects.requireNonNull(validUntil, "validUntil");
    }
}
