package dev.edgeiam.aws;

import dev.edgeiam.principal.MutableClock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagCacheTest {

    @Test
    void cachesUntilTtl() {
        MutableClock clock = new MutableClock();
        AtomicInteger loads = new AtomicInteger();
        TagCache cache = new TagCache(arn -> Map.of("n", "" + loads.incrementAndGet()), clock, Duration.ofSeconds(60), 10);
        assertEquals("1", cache.get("a").get("n"));
        clock.advance(Duration.ofSeconds(59));
        assertEquals("1", cache.get("a").get("n"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("2", cache.get("a").get("n"));
        assertEquals(2, loads.get());
    }

    @Test
    void failuresAreNotCached() {
        AtomicInteger loads = new AtomicInteger();
        TagCache cache = new TagCache(arn -> {
            if (loads.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return Map.of();
        }, new MutableClock(), Duration.ofMinutes(1), 10);
        assertThrows(IllegalStateException.class, () -> cache.get("a"));
        assertEquals(Map.of(), cache.get("a"));
        assertEquals(Map.of(), cache.get("a"));
        assertEquals(2, loads.get());
    }

    @Test
    void bounded() {
        MutableClock clock = new MutableClock();
        TagCache cache = new TagCache(arn -> Map.of(), clock, Duration.ofMinutes(1), 3);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMillis(1));
            cache.get("arn-" + i);
        }
        assertTrue(cache.size() <= 3, "size " + cache.size());
    }

    @Test
    void singleFlight() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        TagCache cache = new TagCache(arn -> {
            loads.incrementAndGet();
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("k", "v");
        }, new MutableClock(), Duration.ofMinutes(1), 10);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Map<String, String>>> results = new ArrayList<>();
            results.add(pool.submit(() -> cache.get("a")));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 7; i++) {
                results.add(pool.submit(() -> cache.get("a")));
            }
            Thread.sleep(100);
            release.countDown();
            for (Future<Map<String, String>> f : results) {
                assertEquals("v", f.get(5, TimeUnit.SECONDS).get("k"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, loads.get());
    }
}
