package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.principal.IamChangeEvent;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalCache;

import java.util.Optional;

/**
 * Answers the EventBridge events the function is wired to ("triggered by events"):
 * <ul>
 * <li>the scheduled event ({@code "detail-type": "Scheduled Event"}): a snapshot source re-reads the account and
 * every cached principal is dropped; a live IAM source needs nothing (its cache entries expire by TTL);</li>
 * <li>an IAM API call recorded by CloudTrail ({@link IamChangeEvent}): exactly the affected principals are
 * dropped (and a live snapshot is re-read first), so their next request loads the new policies.</li>
 * </ul>
 * Other EventBridge events are answered with {@code UnrecognizedEvent}.
 */
final class RefreshHandler implements EventDispatcher.Handler {

    private final RefreshablePolicySource source;
    private final PrincipalCache cache;
    private final PolicySourceDirectory directory;
    private final boolean snapshot;
    private final Runnable forgetCredentials;

    RefreshHandler(RefreshablePolicySource source, PrincipalCache cache, PolicySourceDirectory directory,
                   boolean snapshot, Runnable forgetCredentials) {
        this.source = source;
        this.cache = cache;
        this.directory = directory;
        this.snapshot = snapshot;
        this.forgetCredentials = forgetCredentials;
    }

    @Override
    public EventDispatcher.Answer answer(JsonNode event) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if ("Scheduled Event".equals(event.path("detail-type").asText())) {
            out.put("event", "ScheduledRefresh");
            if (snapshot) {
                if (!refreshSnapshot()) {
                    return refreshFailed();
                }
                int dropped = cache.size();
                cache.invalidateAll();
                directory.invalidateAll();
                forgetCredentials.run();
                out.put("snapshotReloaded", true);
                out.put("principalsDropped", dropped);
            } else {
                out.put("snapshotReloaded", false);
                out.put("principalsDropped", 0);
            }
            return EventDispatcher.Answer.of(out);
        }
        if (IamChangeEvent.isIamChange(event)) {
            Optional<IamChangeEvent> change = IamChangeEvent.from(event);
            out.put("event", "IamChange");
            out.put("eventName", event.path("detail").path("eventName").asText(""));
            if (change.isEmpty()) {
                out.put("principalsDropped", 0);
                out.put("note", "the call cannot change an authorization decision (or it failed)");
                return EventDispatcher.Answer.of(out);
            }
            if (snapshot && !refreshSnapshot()) {
                return refreshFailed();
            }
            directory.invalidateAll();
            forgetCredentials.run(); // a trust policy or role may have changed under verified sessions
            out.put("principalsDropped", change.get().applyTo(cache));
            out.put("target", change.get().target().toString());
            return EventDispatcher.Answer.of(out);
        }
        return EventDispatcher.Answer.of(EventDispatcher.error("UnrecognizedEvent",
                "EventBridge event of an unsupported detail-type", null));
    }

    /**
     * Up to {@code max} principals of an account snapshot held in memory (none for other sources, which would
     * call AWS to list them).
     */
    java.util.List<String> snapshotPrincipals(int max) {
        if (!snapshot) {
            return java.util.List.of();
        }
        try {
            java.util.List<String> all = source.snapshotPrincipalArns();
            return all.size() <= max ? all : all.subList(0, max);
        } catch (PolicySourceException e) {
            return java.util.List.of();
        }
    }

    /** Drops every cached principal, role and verified credential (after a SnapStart restore, say). */
    void forgetCachedState() {
        cache.invalidateAll();
        directory.invalidateAll();
        forgetCredentials.run();
    }

    private boolean refreshSnapshot() {
        try {
            source.refresh();
            return true;
        } catch (PolicySourceException e) {
            return false;
        }
    }

    private static EventDispatcher.Answer refreshFailed() {
        return EventDispatcher.Answer.of(EventDispatcher.error("RefreshFailed",
                "the snapshot could not be re-read; the previous one stays in use", null));
    }
}
