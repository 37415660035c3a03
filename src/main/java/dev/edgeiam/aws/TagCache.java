package dev.edgeiam.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bounded, TTL-expiring, single-flight cache of resource tags by ARN.
 *
 * <ul>
 * <li><b>Single flight</b>: concurrent misses for one ARN share one load. The slot is claimed atomically with
 * {@link ConcurrentHashMap#compute}, never check-then-act.</li>
 * <li><b>TTL</b> from the injected {@link Clock}, counted from when the load finished.</li>
 * <li><b>Failures are not cached</b>: the failed slot is removed so the next request retries; callers waiting on
 * it get the failure (and deny).</li>
 * <li><b>Bounded</b>: when an insert takes the cache over {@code maxEntries}, expired entries go first, then the
 * oldest loads.</li>
 * </ul>
 */
final class TagCache {

    private static final long LOADING = Long.MAX_VALUE;

    private static final class Entry {
        final CompletableFuture<Map<String, String>> future = new CompletableFuture<>();
        volatile long loadedAt = LOADING;
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Function<String, Map<String, String>> loader;
    private final Clock clock;
    private final long ttlMillis;
    private final int maxEntries;

    TagCache(Function<String, Map<String, String>> loader, Clock clock, Duration ttl, int maxEntries) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttlMillis = ttl.toMillis();
        if (maxEntries < 1 || ttlMillis < 0) {
            throw new IllegalArgumentException("maxEntries must be >= 1 and ttl >= 0");
        }
        this.maxEntries = maxEntries;
    }

    /** The tags of {@code arn}; the loader's exception propagates unchanged (unwrapped). */
    Map<String, String> get(String arn) {
        Entry fresh = new Entry();
        long now = clock.millis();
        Entry entry = entries.compute(arn, (k, old) -> old != null && !expired(old, now) ? old : fresh);
        if (entry == fresh) {
            load(arn, fresh);
        }
        try {
            return entry.future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void load(String arn, Entry entry) {
        try {
            Map<String, String> tags = Map.copyOf(loader.apply(arn));
            entry.loadedAt = clock.millis();
            entry.future.complete(tags);
            if (entries.size() > maxEntries) {
                evict();
            }
        } catch (RuntimeException | Error e) {
            entries.remove(arn, entry);
            entry.future.completeExceptionally(e);
        }
    }

    private boolean expired(Entry e, long now) {
        long loaded = e.loadedAt;
        return loaded != LOADING && now - loaded >= ttlMillis;
    }

    private void evict() {
        long now = clock.millis();
        entries.forEach((k, e) -> {
            if (expired(e, now)) {
                entries.remove(k, e);
            }
        });
        while (entries.size() > maxEntries) {
            Map.Entry<String, Entry> oldest = entries.entrySet().stream()
                    .filter(e -> e.getValue().loadedAt != LOADING)
                    .min(Comparator.comparingLong(e -> e.getValue().loadedAt)).orElse(null);
            if (oldest == null) {
                return;
            }
            entries.remove(oldest.getKey(), oldest.getValue());
        }
    }

    int size() {
        return entries.size();
    }
}
