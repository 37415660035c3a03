package dev.edgeiam.lambda;

import dev.edgeiam.authorize.ResourceTagSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tag source is created on first use and, after {@link LazyResourceTags#forget()}, created anew. */
class LazyResourceTagsTest {

    @Test
    void forgettingDropsTheSourceAndItsCachedTags() {
        AtomicInteger created = new AtomicInteger();
        LazyResourceTags tags = new LazyResourceTags(() -> {
            int generation = created.incrementAndGet();
            return (ResourceTagSource) arn -> Map.of("generation", String.valueOf(generation));
        }, java.time.Duration.ofMinutes(5));
        assertEquals(java.time.Duration.ofMinutes(5), tags.maxAge(), "the TTL its source's cache has");
        assertFalse(tags.created(), "nothing is created before a policy reads a tag");
        assertEquals("1", tags.tags("arn:a").get("generation"));
        assertEquals("1", tags.tags("arn:a").get("generation"));
        assertEquals(1, created.get());

        tags.forget();
        assertFalse(tags.created());
        assertEquals("2", tags.tags("arn:a").get("generation"), "a new source answers after forget()");
        assertTrue(tags.created());
        assertEquals(2, created.get());
    }
}
