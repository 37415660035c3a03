package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.connect.CustomRouteMapping;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Route-level grants that read a resource's tags are kept no longer than the tags may lag (red-team pass 26, R26b.1):
 * a custom route onto one fixed queue, a Deny on {@code aws:ResourceTag/locked}; after the queue is locked, a cached
 * Allow of the caller on another route stops granting the custom route once the tag source's {@code maxAge} has passed
 * since the grants were made — at once when the source gives no {@code maxAge} — and keeps granting it within it (the
 * documented bound: twice the tag TTL). Times on the harness's clock; one token throughout, so one verified session.
 */
class TagDependentGrantsTest {

    static final String QUEUE = CONNECT + "/queue/q-locked";
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/locked\":\"true\"}}}]}";
    static final String REPORT = STAGE + "/GET/reports/locked-queue";

    /** Tags of the one queue, changed by the tests, with the TTL a cache would have. */
    static final class Tags implements ResourceTagSource {
        final AtomicReference<Map<String, String>> queue = new AtomicReference<>(Map.of());
        final AtomicInteger reads = new AtomicInteger();
        final Duration maxAge;

        Tags(Duration maxAge) {
            this.maxAge = maxAge;
        }

        @Override
        public Map<String, String> tags(String arn) {
            reads.incrementAndGet();
            return arn.equals(QUEUE) ? queue.get() : Map.of();
        }

        @Override
        public Duration maxAge() {
            return maxAge;
        }
    }

    static EdgeHarness harness(ResourceTagSource tags) {
        return new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, false,
                List.of(CustomRouteMapping.of("GET", "/reports/locked-queue", "connect:DescribeQueue", QUEUE)), tags,
                POLICY);
    }

    /** One token for every answer: the same verified session (and policy set) each time, as a client would have. */
    static JsonNode userAnswer(EdgeHarness h, String token) {
        return h.answer(h.tokenEvent(token, "GET", "/users/" + INSTANCE + "/u-1"));
    }

    @Test
    void grantsThatReadTagsLastOneTagTtl() {
        Tags tags = new Tags(Duration.ofMinutes(2)); // shorter than the verified-credential and principal caches' 5 min
        EdgeHarness h = harness(tags);
        String token = h.token();
        assertTrue(ApiGatewayPolicyMatch.allows(userAnswer(h, token), REPORT), "unlocked: the route is granted");
        int reads = tags.reads.get();
        assertTrue(ApiGatewayPolicyMatch.allows(userAnswer(h, token), REPORT));
        assertEquals(reads + 1, tags.reads.get(), "kept: only the request's own user is read, not every route's");

        tags.queue.set(Map.of("locked", "true"));
        h.clock.advance(Duration.ofSeconds(119));
        assertTrue(ApiGatewayPolicyMatch.allows(userAnswer(h, token), REPORT), "within the tag TTL: still kept");
        reads = tags.reads.get();
        h.clock.advance(Duration.ofSeconds(1));
        JsonNode after = userAnswer(h, token);
        assertTrue(EdgeSoundnessTest.allowed(after), "the caller's own request is still allowed");
        assertFalse(ApiGatewayPolicyMatch.allows(after, REPORT), "one tag TTL after they were made: classified again");
        assertTrue(tags.reads.get() > reads + 1, "the routes' resources were read again");
    }

    @Test
    void grantsOfASourceWithoutMaxAgeAreNotKept() {
        Tags tags = new Tags(Duration.ZERO);
        EdgeHarness h = harness(tags);
        String token = h.token();
        assertTrue(ApiGatewayPolicyMatch.allows(userAnswer(h, token), REPORT));
        tags.queue.set(Map.of("locked", "true"));
        assertFalse(ApiGatewayPolicyMatch.allows(userAnswer(h, token), REPORT), "the next answer reads the tags again");
    }
}
