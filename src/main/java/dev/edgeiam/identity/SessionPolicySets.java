package dev.edgeiam.identity;

import dev.edgeiam.cache.BoundedCache;
import dev.edgeiam.cache.Caches;
import dev.edgeiam.cache.GenerationGuard;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.IamNames;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The policy set and keys that decide for one verified caller: the principal's compiled layers (identity,
 * boundary, SCP levels) with the session's policies as the session layer and the session kind set ([Types]: a
 * session's permissions are identity ∩ session policies ∩ boundary; a federated-user session without a session
 * policy has none). Sets are compiled once per (principal set, session kind, session policy) and kept in a bounded
 * cache ({@link Caches#bounded}); a principal reloaded after an IAM change has a new set, so old entries simply age out —
 * except for a change to a managed session policy alone, which {@link #clear()} covers.
 */
public final class SessionPolicySets {

    private final Function<String, Optional<String>> managedPolicyText;
    private final BoundedCache<List<Object>, CompiledPolicySet> sets;
    /**
     * Moved on by {@link #clear()}: a set compiled from policy text read before a clear is not remembered after it
     * ({@link GenerationGuard}).
     */
    private final GenerationGuard generation = new GenerationGuard();

    /**
     * @param managedPolicyText the document of a managed policy ARN (for {@code PolicyArns} session policies)
     * @param maxSize           the most session sets kept
     */
    public SessionPolicySets(Function<String, Optional<String>> managedPolicyText, int maxSize) {
        this.managedPolicyText = managedPolicyText;
        this.sets = Caches.bounded(maxSize);
    }

    /**
     * The principal's set, with the session layer and kind when the caller is a session.
     *
     * @throws PolicySourceException when a managed session policy cannot be read (nothing is remembered then)
     */
    public CompiledPolicySet policies(CompiledPrincipal principal, Session session) throws PolicySourceException {
        if (session.kind() == SessionKind.NONE && !session.sessionPolicy().present()) {
            return principal.policies();
        }
        List<Object> key = List.of(principal.policies(), session.kind(), session.sessionPolicy());
        CompiledPolicySet cached = sets.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        long started = generation.current();
        CompiledPolicySet base = principal.policies();
        CompiledPolicySet.Builder b = CompiledPolicySet.builder().sessionKind(session.kind());
        b.identity(base.identity().policies());
        if (base.boundary() != null) {
            for (CompiledPolicy p : base.boundary().policies()) {
                b.boundary(p);
            }
        }
        for (PolicyLayer level : base.serviceControlLevels()) {
            b.serviceControlLevel(level.policies());
        }
        session.sessionPolicy().addTo(b, managedPolicyText);
        CompiledPolicySet built = b.build();
        generation.putIfUnchanged(started, sets, key, built);
        return built;
    }

    /**
     * Forgets every compiled set: a managed session policy's new version reaches the next decision (it is attached
     * to no principal, so no principal reload changes the key).
     */
    public void clear() {
        generation.invalidate(sets::invalidateAll);
    }

    /**
     * The keys the caller contributes to every request: the principal's own keys, overridden by the session's view
     * (tags, user id, type) where both give one — without any key the session says is unknown (a presigned role
     * session's principal tags are its session tags, not the role's).
     */
    public static List<ContextValue> callerKeys(CompiledPrincipal principal, Session session) {
        Map<String, ContextValue> keys = new LinkedHashMap<>();
        for (ContextValue v : principal.contextKeys()) {
            keys.put(IamNames.fold(v.name()), v);
        }
        for (ContextValue v : session.contextValues()) {
            keys.put(IamNames.fold(v.name()), v);
        }
        for (Iterator<String> names = keys.keySet().iterator(); names.hasNext(); ) {
            if (session.isUnknownContextKey(names.next())) {
                names.remove();
            }
        }
        return new ArrayList<>(keys.values());
    }
}
