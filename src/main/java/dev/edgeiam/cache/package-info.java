/**
 * How this function builds its in-memory caches: one recipe ({@link dev.edgeiam.cache.Caches}) over one bounded,
 * optionally expiring cache ({@link dev.edgeiam.cache.BoundedCache}) — time from the one injected
 * {@link java.time.Clock}, eviction and expiry on the calling thread so nothing runs between Lambda invocations —
 * and the guard that keeps a value computed across an invalidation from being remembered
 * ({@link dev.edgeiam.cache.GenerationGuard}).
 *
 * <p>Pure Java: no Quarkus or AWS SDK types.
 */
package dev.edgeiam.cache;
