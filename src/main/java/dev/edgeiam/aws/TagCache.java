package dev.edgeiam.aws;

import dev.edgeiam.cache.BoundedCache;
import dev.edgeiam.cache.Caches;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A bounded, TTL-expiring, single-flight cache of resource tags by ARN ({@link Caches#expiring}).
 *
 * <ul>
 * <li><b>Single flight</b>: concurrent misses for one ARN share one load: the first caller installs its pending
 * answer atomically ({@link BoundedCache#get}) and loads outside the cache's lock; the others wait on that answer.</li>
 * <li><b>TTL</b> from the injected {@link Clock}, counted from when the load finished (the entry is written again
 * when its load completes).</li>
 * <li><b>Failures are not cached</b>: the failed entry is removed before its waiters are told, so the next request
 * retries; callers waiting on it get the failure (and deny).</li>
 * <li><b>Bounded</b>: at most {@code maxEntries} ARNs (the least recently used evicted first).</li>
 * </ul>
 */
final class TagCache {

    private final BoundedCache<String, CompletableFuture<Map<String, String>>> entries;
    private final Function<String, Map<String, String>> loader;

    TagCache(Function<String, Map<String, String>> loader, Clock clock, Duration ttl, int maxEntries) {
        this.loader = Objects.requireNonNull(loader, "loader");
        if (maxEntries < 1 || ttl.isNegative()) {
            throw new IllegalArgumentException("maxEntries must be >= 1 and ttl >= 0");
        }
        this.entries = Caches.expiring(Objects.requireNonNull(clock, "clock"), ttl, maxEntries);
    }

    /** The tags of {@code arn}; the loader's exception propagates unchanged (unwrapped). */
    Map<String, String> get(String arn) {
        CompletableFuture<Map<String, String>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, String>> entry = entries.get(arn, k -> mine);
        if (entry == mine) {
            load(arn, mine);
        }
        try {
            return entry.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void load(String arn, CompletableFuture<Map<String, String>> entry) {
        try {
            entry.complete(Map.copyOf(loader.apply(arn)));
            entries.replace(arn, entry, entry); // the TTL counts from here
        } catch (RuntimeException | Error e) {
            entries.remove(arn, entry);
            entry.completeExceptionally(e);
        }
    }

    int size() {
        return entries.size();
    }
}
