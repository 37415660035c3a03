package dev.edgeiam.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The two kinds of cache the function uses, both Caffeine ("Caffeine", https://github.com/ben-manes/caffeine/wiki):
 * <ul>
 * <li>{@link #bounded(long)}: at most {@code maxSize} entries, no expiry — for values derived from their key alone
 * (compiled policy sets, route grants), where an old entry is never wrong, only unused;</li>
 * <li>{@link #expiring(Clock, Duration, long)}: the same bound, and each entry expires {@code ttl} after it was
 * written, measured on the injected clock — for answers from outside (tags, roles, verified credentials).</li>
 * </ul>
 * Both run Caffeine's maintenance on the thread that reads or writes ({@code executor(Runnable::run)}): a Lambda
 * instance is frozen between invocations, so no work is left to a pool that may not run, and tests see eviction
 * and expiry as soon as the call returns.
 */
public final class Caches {

    private Caches() {
    }

    /** A cache of at most {@code maxSize} entries (Caffeine's size-based eviction, least useful first). */
    public static <K, V> Cache<K, V> bounded(long maxSize) {
        return Caffeine.newBuilder().maximumSize(maxSize).executor(Runnable::run).build();
    }

    /** A cache of at most {@code maxSize} entries, each expiring {@code ttl} after it was written on {@code clock}. */
    public static <K, V> Cache<K, V> expiring(Clock clock, Duration ttl, long maxSize) {
        return Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).ticker(ticker(clock))
                .executor(Runnable::run).build();
    }

    /**
     * The clock as Caffeine's time source, in nanoseconds at the clock's millisecond resolution: a fixed or
     * hand-moved test clock moves every cache with it.
     */
    public static Ticker ticker(Clock clock) {
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }
}
