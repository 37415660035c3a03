/**
 * How this function builds its in-memory caches: one recipe over Caffeine ({@link dev.edgeiam.cache.Caches}) —
 * time from the one injected {@link java.time.Clock}, bounds and expiry by Caffeine, maintenance (eviction,
 * expiry) on the calling thread so nothing runs between Lambda invocations.
 *
 * <p>Pure Java plus Caffeine: no Quarkus or AWS SDK types.
 */
package dev.edgeiam.cache;
