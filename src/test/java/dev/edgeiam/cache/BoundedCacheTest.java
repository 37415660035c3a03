package dev.edgeiam.cache;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BoundedCache} against a model written differently (entries with a write time and a use counter; the victim
 * is the entry with the smallest counter), over random operations, bounds, TTLs and a clock that moves both ways;
 * and the boundaries the function relies on stated outright: an entry is there until {@code ttl} after its write and
 * gone from then on, a TTL of zero keeps nothing, the bound is never exceeded, and a clock set back by the TTL or
 * more does not keep an entry alive.
 */
class BoundedCacheTest {

    /** A clock tests move by hand. */
    static final class HandClock extends Clock {
        long millis = 1_796_450_400_000L;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    /** The model: what the cache must answer. */
    private static final class Model {
        final int max;
        final long ttl; // Long.MAX_VALUE: no expiry
        final Map<String, long[]> meta = new HashMap<>(); // key -> {writtenAt, lastUse}
        final Map<String, String> values = new HashMap<>();
        long uses;

        Model(int max, long ttl) {
            this.max = max;
            this.ttl = ttl;
        }

        boolean expired(String k, long now) {
            long age = now - meta.get(k)[0];
            return ttl != Long.MAX_VALUE && (age >= ttl || -age >= ttl);
        }

        /** Looks {@code k} up as a read does: a use, and an expired entry dropped. */
        String live(String k, long now) {
            if (!values.containsKey(k)) {
                return null;
            }
            meta.get(k)[1] = ++uses;
            if (expired(k, now)) {
                drop(k);
                return null;
            }
            return values.get(k);
        }

        void write(String k, String v, long now) {
            values.put(k, v);
            meta.put(k, new long[]{now, ++uses});
            if (values.size() > max) {
                String victim = null;
                for (Map.Entry<String, long[]> e : meta.entrySet()) {
                    if (victim == null || e.getValue()[1] < meta.get(victim)[1]) {
                        victim = e.getKey();
                    }
                }
                drop(victim);
            }
        }

        void drop(String k) {
            values.remove(k);
            meta.remove(k);
        }
    }

    @Test
    void randomOperationsAnswerAsTheModel() {
        SplittableRandom r = new SplittableRandom(20_261_206L);
        for (int round = 0; round < 2_000; round++) {
            int max = r.nextInt(7);
            boolean expiring = r.nextBoolean();
            long ttl = expiring ? r.nextInt(5) * 10L : Long.MAX_VALUE;
            HandClock clock = new HandClock();
            BoundedCache<String, String> cache = expiring ? BoundedCache.expiring(clock, Duration.ofMillis(ttl), max)
                    : BoundedCache.bounded(max);
            Model model = new Model(max, ttl);
            List<String> log = new ArrayList<>();
            for (int step = 0; step < 200; step++) {
                String k = "k" + r.nextInt(9);
                String v = "v" + r.nextInt(3);
                String v2 = "v" + r.nextInt(3);
                long now = clock.millis;
                int op = r.nextInt(10);
                log.add(op + " " + k + " " + v + " " + v2 + " @" + now);
                String where = "round " + round + " (max " + max + ", ttl " + ttl + "): " + log;
                switch (op) {
                    case 0 -> assertEquals(model.live(k, now), cache.getIfPresent(k), where);
                    case 1 -> {
                        cache.put(k, v);
                        model.write(k, v, now);
                    }
                    case 2 -> {
                        String had = model.live(k, now);
                        if (had == null) {
                            model.write(k, v, now);
                        }
                        assertEquals(had == null ? v : had, cache.get(k, key -> v), where);
                    }
                    case 3 -> {
                        String had = model.live(k, now);
                        if (had == null) {
                            model.write(k, v, now);
                        }
                        assertEquals(had, cache.putIfAbsent(k, v), where);
                    }
                    case 4 -> {
                        String had = model.live(k, now);
                        boolean replaced = had != null && had.equals(v);
                        if (replaced) {
                            model.write(k, v2, now);
                        }
                        assertEquals(replaced, cache.replace(k, v, v2), where);
                    }
                    case 5 -> {
                        boolean removed = model.values.containsKey(k) && model.values.get(k).equals(v);
                        if (model.values.containsKey(k)) {
                            model.meta.get(k)[1] = ++model.uses;
                        }
                        if (removed) {
                            model.drop(k);
                        }
                        assertEquals(removed, cache.remove(k, v), where);
                    }
                    case 6 -> {
                        cache.invalidate(k);
                        model.drop(k);
                    }
                    case 7 -> {
                        for (String key : new ArrayList<>(model.values.keySet())) {
                            if (model.expired(key, now)) {
                                model.drop(key);
                            }
                        }
                        assertEquals(model.values.size(), cache.size(), where);
                    }
                    case 8 -> clock.millis += r.nextInt(15);
                    default -> clock.millis -= r.nextInt(r.nextInt(20) == 0 ? 60 : 3);
                }
            }
        }
    }

    @Test
    void anEntryLivesUntilItsTtlAndNotAMillisecondLonger() {
        HandClock clock = new HandClock();
        BoundedCache<String, String> cache = BoundedCache.expiring(clock, Duration.ofSeconds(300), 10);
        cache.put("token-digest", "session");
        clock.millis += 299_999;
        assertEquals("session", cache.getIfPresent("token-digest"));
        clock.millis += 1;
        assertNull(cache.getIfPresent("token-digest"), "gone at write + ttl");
        clock.millis -= 1;
        assertNull(cache.getIfPresent("token-digest"), "and dropped when found expired");
        cache.put("a", "1");
        clock.millis -= 300_000;
        assertNull(cache.getIfPresent("a"), "a clock set back by the TTL does not keep an entry alive");
        BoundedCache<String, String> none = BoundedCache.expiring(clock, Duration.ZERO, 10);
        none.put("a", "1");
        assertNull(none.getIfPresent("a"), "a TTL of zero keeps nothing");
        assertEquals(0, none.size());
        BoundedCache<String, String> forever = BoundedCache.expiring(clock, Duration.ofSeconds(Long.MAX_VALUE), 10);
        forever.put("a", "1");
        clock.millis += 1_000_000_000L;
        assertEquals("1", forever.getIfPresent("a"), "a TTL too long for milliseconds saturates");
    }

    @Test
    void theBoundHoldsAndTheLeastRecentlyUsedGoesFirst() {
        BoundedCache<Integer, Integer> cache = BoundedCache.bounded(3);
        cache.put(1, 1);
        cache.put(2, 2);
        cache.put(3, 3);
        cache.getIfPresent(1);
        cache.put(4, 4);
        assertNull(cache.getIfPresent(2), "2 was the least recently used");
        assertEquals(1, cache.getIfPresent(1));
        for (int i = 0; i < 1_000; i++) {
            cache.put(i, i);
            assertTrue(cache.size() <= 3);
        }
        assertThrows(IllegalArgumentException.class, () -> BoundedCache.bounded(-1));
        BoundedCache<String, String> nothing = BoundedCache.bounded(0);
        nothing.put("a", "1");
        assertNull(nothing.getIfPresent("a"), "a bound of zero remembers nothing (red-team pass 17, F17.1)");
        assertEquals("2", nothing.get("a", k -> "2"), "but still answers with what it made");
        assertNull(nothing.putIfAbsent("a", "3"));
        assertEquals(0, nothing.size());
        assertThrows(IllegalArgumentException.class,
                () -> BoundedCache.expiring(new HandClock(), Duration.ofMillis(-1), 1));
        assertThrows(NullPointerException.class, () -> cache.put(1, null));
        assertThrows(NullPointerException.class, () -> cache.getIfPresent(null));
    }

    @Test
    void concurrentMissesOfOneKeyGetOneValue() throws InterruptedException {
        BoundedCache<String, Object> cache = BoundedCache.bounded(100);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        List<Object> got = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.add(cache.get("arn", k -> {
                    made.incrementAndGet();
                    return new Object();
                }));
            });
            th.start();
            all.add(th);
        }
        start.countDown();
        for (Thread th : all) {
            th.join();
        }
        assertEquals(1, made.get(), "one value made");
        assertEquals(threads, got.size());
        assertFalse(got.stream().anyMatch(o -> o != got.get(0)), "every caller got it");
    }
}
