package dev.edgeiam.cache;

import java.time.Clock;
import java.time.Duration;

/**
 * The two kinds of cache the function uses, both {@link BoundedCache}:
 * <ul>
 * <li>{@link #bounded(long)}: at most {@code maxSize} entries, no expiry — for values derived from their key alone
 * (compiled policy sets, route grants), where an old entry is never wrong, only unused;</li>
 * <li>{@link #expiring(Clock, Duration, long)}: the same bound, and each entry expires {@code ttl} after it was
 * written, measured on the injected clock — for answers from outside (tags, roles, verified credentials).</li>
 * </ul>
 * Nothing runs in the background: a Lambda instance is frozen between invocations, and tests see eviction and expiry
 * as soon as the call returns. (These were Caffeine caches until its set-up — some seventy classes and their
 * method handles — was found to cost ~20 ms of every cold start, for caches of at most a few thousand entries that
 * one invocation at a time reads.)
 */
public final class Caches {

    private Caches() {
    }

    /** A cache of at most {@code maxSize} entries, the least recently used evicted first. */
    public static <K, V> BoundedCache<K, V> bounded(long maxSize) {
        return BoundedCache.bounded(maxSize);
    }

    /** A cache of at most {@code maxSize} entries, each expiring {@code ttl} after it was written on {@code clock}. */
    public static <K, V> BoundedCache<K, V> expiring(Clock clock, Duration ttl, long maxSize) {
        return BoundedCache.expiring(clock, ttl, maxSize);
    }
}
