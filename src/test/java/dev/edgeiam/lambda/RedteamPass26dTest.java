package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.cache.BoundedCache;
import dev.edgeiam.cache.Caches;
import dev.edgeiam.principal.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.TagDependentGrantsTest.QUEUE;
import static dev.edgeiam.lambda.TagDependentGrantsTest.REPORT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red-team pass 26d (commit ca4b637, tag-reading route grants kept one tag TTL).
 *
 * <p>F26d.1: {@code DecisionResponder} times kept tag-reading grants as {@code now >= keptUntil} on the function's
 * wall clock ({@code Clock.systemUTC()} in production), while every other cache of the function, the tag cache
 * among them ({@code TagCache} over {@link Caches#expiring}), treats an entry as expired when the clock has moved
 * backwards by its TTL or more ("a clock moved backwards keeps the entry no longer than ttl after that"). After a
 * backward step of the wall clock (NTP step) the tag cache reads the resource again at once, and the function's
 * fresh answer for the tagged resource is a Deny, yet the kept grants keep granting its route in every cached
 * answer for the size of the step plus the TTL — here 5 minutes of real time with a 1-minute tag TTL, beyond the
 * documented bound (twice the tag TTL, SECURITY.md). IAM denies: the queue is tagged {@code locked=true} and the
 * caller's policy denies {@code connect:*} on resources so tagged.
 *
 * <p>Reach: the step must be at least the tag TTL (so the tag cache refreshes) and less than the verified-credential
 * and principal caches' 5 minutes (a larger step, or a new token, gives the caller a new routes key and fresh
 * grants, seen in a one-hour probe): so it needs a tag TTL configured below 5 minutes, and the excess is at most the
 * step plus the tag TTL. Failed at 22881a8 with 300 s granted against a bound of 120 s. Fixed: kept grants whose age
 * is negative (the clock went back since they were made) are classified again, as the tag cache reads tags again.
 *
 * <p>The tag source here is a cache like production's ({@code TagCache}: {@link Caches#expiring} on the function's
 * clock, TTL = {@code maxAge}) over a resource whose tags the test changes.
 */
class RedteamPass26dTest {

    static final Duration TTL = Duration.ofMinutes(1);

    /** Tags behind an expiring cache on the harness's clock, as ConnectResourceTags keeps them. */
    static final class CachedTags implements ResourceTagSource {
        final AtomicReference<Map<String, String>> queue = new AtomicReference<>(Map.of());
        final AtomicInteger loads = new AtomicInteger();
        volatile BoundedCache<String, Map<String, String>> cache;

        void on(MutableClock clock) {
            cache = Caches.expiring(clock, TTL, 1000);
        }

        @Override
        public Map<String, String> tags(String arn) {
            return cache.get(arn, a -> {
                loads.incrementAndGet();
                return a.equals(QUEUE) ? queue.get() : Map.of();
            });
        }

        @Override
        public Duration maxAge() {
            return TTL;
        }
    }

    /** The function's answer when the report route itself is requested (no answer of API Gateway's cache). */
    static JsonNode direct(EdgeHarness h, String token) {
        return h.answer(h.tokenEvent(token, "GET", "/reports/locked-queue"));
    }

    @Test
    void keptGrantsOutliveTheTagCacheAfterTheClockStepsBack() {
        CachedTags tags = new CachedTags();
        EdgeHarness h = TagDependentGrantsTest.harness(tags);
        tags.on(h.clock);
        String token = h.token();

        JsonNode first = TagDependentGrantsTest.userAnswer(h, token);
        assertTrue(EdgeSoundnessTest.allowed(first));
        assertTrue(ApiGatewayPolicyMatch.allows(first, REPORT), "unlocked: the report route is granted");

        // the queue is locked; then the wall clock steps back 4 minutes (more than the tag TTL)
        tags.queue.set(Map.of("locked", "true"));
        h.clock.advance(Duration.ofMinutes(-4));

        int loads = tags.loads.get();
        JsonNode fresh = direct(h, token);
        assertFalse(EdgeSoundnessTest.allowed(fresh), "asked directly, the function denies: " + fresh);
        assertTrue(tags.loads.get() > loads, "the tag cache read the queue again after the step back");

        // Every later cached answer of the caller must stop granting the route within twice the tag TTL of the
        // tag cache's refresh; count how long they keep granting it (one-second steps, up to 6 minutes).
        int grantedSeconds = 0;
        int seconds = 0;
        for (; seconds < 360; seconds++) {
            JsonNode a = TagDependentGrantsTest.userAnswer(h, token);
            assertTrue(EdgeSoundnessTest.allowed(a), "the caller's own request stays allowed at +" + seconds + " s");
            JsonNode d = direct(h, token);
            assertFalse(EdgeSoundnessTest.allowed(d), "direct answer at +" + seconds + " s");
            if (ApiGatewayPolicyMatch.allows(a, REPORT)) {
                grantedSeconds = seconds + 1;
            }
            h.clock.advance(Duration.ofSeconds(1));
        }
        System.out.println("F26d.1: kept grants granted the locked queue's route for " + grantedSeconds
                + " s of function time after the tag cache had read the lock (tag TTL " + TTL.toSeconds() + " s)");
        assertTrue(grantedSeconds <= 2 * TTL.toSeconds(), "F26d.1: the cached Allow granted the locked queue's route"
                + " for " + grantedSeconds + " s after the function's fresh answer denied it, more than twice the"
                + " tag TTL (" + 2 * TTL.toSeconds() + " s)");
    }
}
