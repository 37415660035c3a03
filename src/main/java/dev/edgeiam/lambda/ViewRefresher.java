package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.aws.AccountViewPublisher;
import dev.edgeiam.aws.StageCacheFlusher;
import dev.edgeiam.principal.IamChangeEvent;

import java.time.Duration;
import java.util.Objects;

/**
 * The refresher's work for one EventBridge event: the schedule ({@code "detail-type": "Scheduled Event"}) or an IAM
 * call recorded by CloudTrail ({@link IamChangeEvent}) makes one {@link AccountViewPublisher#publish}; when a new view
 * was written, API Gateway's cached authorizer results are flushed for every configured REST API stage, and once
 * more after {@code reflushAfter} — the staleness bound of the authorizer instances ({@code max-stale}), after which
 * none of them can still decide with the old view, so a result cached from an instance that had not yet revalidated
 * is dropped too. IAM calls that cannot change a decision (reads, failed calls) are acknowledged without any work.
 */
final class ViewRefresher {

    /** Waits between the two flushes (a test passes one that does not sleep). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** The answer, and whether the refresh failed (the handler then fails the invocation, so Lambda retries it). */
    record Outcome(ObjectNode answer, boolean failed) {
    }

    private final AccountViewPublisher publisher;
    private final StageCacheFlusher flusher;
    private final Duration reflushAfter;
    private final Sleeper sleeper;

    ViewRefresher(AccountViewPublisher publisher, StageCacheFlusher flusher, Duration reflushAfter, Sleeper sleeper) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.flusher = flusher;
        this.reflushAfter = reflushAfter;
        this.sleeper = sleeper;
    }

    Outcome refresh(JsonNode event) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        AccountViewPublisher.Trigger trigger;
        if ("Scheduled Event".equals(event.path("detail-type").asText())) {
            out.put("event", "ScheduledRefresh");
            trigger = AccountViewPublisher.Trigger.SCHEDULE;
        } else if (IamChangeEvent.isIamChange(event)) {
            out.put("event", "IamChange");
            out.put("eventName", event.path("detail").path("eventName").asText(""));
            if (IamChangeEvent.from(event).isEmpty()) {
                out.put("status", "IGNORED");
                out.put("note", "the call cannot change an authorization decision (or it failed)");
                return new Outcome(out, false);
            }
            trigger = AccountViewPublisher.Trigger.IAM_CHANGE;
        } else {
            return new Outcome(EventDispatcher.error("UnrecognizedEvent",
                    "the refresher answers the schedule and IAM changes recorded by CloudTrail only", null), false);
        }
        AccountViewPublisher.Result result;
        try {
            result = publisher.publish(trigger);
        } catch (RuntimeException e) {
            ObjectNode error = EventDispatcher.error("RefreshFailed", "the account view was not written ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); instances keep the previous one", null);
            error.put("event", out.path("event").asText());
            return new Outcome(error, true);
        }
        out.put("status", result.status().name());
        out.put("version", result.version());
        out.put("previousVersion", result.previousVersion());
        out.put("attempts", result.attempts());
        out.put("bytes", result.bytes());
        if (result.status() == AccountViewPublisher.Status.WRITTEN && flusher != null && !flusher.stages().isEmpty()) {
            StageCacheFlusher.Flushed first = flusher.flushAll();
            first.flushed().forEach(out.putArray("flushed")::add);
            first.failed().forEach(out.putArray("flushFailures")::add);
            if (reflushAfter != null && !reflushAfter.isZero() && !reflushAfter.isNegative()) {
                try {
                    sleeper.sleep(reflushAfter);
                    StageCacheFlusher.Flushed second = flusher.flushAll();
                    second.flushed().forEach(out.putArray("reflushed")::add);
                    second.failed().forEach(out.putArray("reflushFailures")::add);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.put("reflushed", "interrupted");
                }
            }
        }
        return new Outcome(out, false);
    }
}
