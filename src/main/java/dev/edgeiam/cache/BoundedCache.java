package dev.edgeiam.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * An in-memory cache of at most {@code maxSize} entries (zero: it remembers nothing, as Caffeine's
 * {@code maximumSize(0)} did), the least recently used evicted first, each entry optionally
 * expiring a fixed time after it was written, measured on an injected clock. Keys and values are never null; keys
 * are compared with {@code equals}, as a map compares them. Thread-safe: every operation holds the cache's lock, so
 * each is atomic (Lambda runs one invocation at a time per instance; the lock is uncontended there).
 *
 * <p>Expiry is checked when an entry is read: an entry written at {@code t} is absent from {@code t + ttl} on (a TTL of
 * zero keeps nothing), and it is dropped when found expired. Nothing runs in the background: a Lambda instance is
 * frozen between invocations, and tests see expiry as soon as the clock moves.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class BoundedCache<K, V> {

    private final int maxSize;
    /** The clock expiry is measured on, or null when entries do not expire. */
    private final Clock clock;
    private final long ttlMillis;
    /** Access-ordered: the eldest entry is the least recently used. */
    private final LinkedHashMap<K, Written<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

    private record Written<V>(V value, long atMillis) {
    }

    private BoundedCache(int maxSize, Clock clock, Duration ttl) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be >= 0: " + maxSize);
        }
        if (ttl != null && ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be >= 0: " + ttl);
        }
        this.maxSize = maxSize;
        this.clock = clock;
        this.ttlMillis = ttl == null ? Long.MAX_VALUE : saturatedMillis(ttl);
    }

    /** A cache of at most {@code maxSize} entries that do not expire. */
    public static <K, V> BoundedCache<K, V> bounded(long maxSize) {
        return new BoundedCache<>(size(maxSize), null, null);
    }

    /** A cache of at most {@code maxSize} entries, each absent from {@code ttl} after its write on {@code clock}. */
    public static <K, V> BoundedCache<K, V> expiring(Clock clock, Duration ttl, long maxSize) {
        return new BoundedCache<>(size(maxSize), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(ttl, "ttl"));
    }

    private static long saturatedMillis(Duration ttl) {
        try {
            return ttl.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    private static int size(long maxSize) {
        return (int) Math.min(Integer.MAX_VALUE, maxSize);
    }

    /** The value of {@code key}, or null when there is none or it has expired. */
    public synchronized V getIfPresent(K key) {
        Written<V> w = live(Objects.requireNonNull(key, "key"));
        return w == null ? null : w.value();
    }

    /** Puts {@code value} under {@code key}, written now (replacing any value), evicting past the bound. */
    public synchronized void put(K key, V value) {
        write(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    }

    /**
     * The value of {@code key}; when there is none, {@code make}'s value for it, put first (atomically: no other
     * caller sees the key absent in between). {@code make} runs under the lock and must be quick.
     */
    public synchronized V get(K key, Function<? super K, ? extends V> make) {
        Written<V> w = live(Objects.requireNonNull(key, "key"));
        if (w != null) {
            return w.value();
        }
        V made = Objects.requireNonNull(make.apply(key), "made value");
        write(key, made);
        return made;
    }

    /** Puts {@code value} unless {@code key} has a value; returns that value, or null when {@code value} was put. */
    public synchronized V putIfAbsent(K key, V value) {
        Written<V> w = live(Objects.requireNonNull(key, "key"));
        if (w != null) {
            return w.value();
        }
        write(key, Objects.requireNonNull(value, "value"));
        return null;
    }

    /**
     * Replaces {@code key}'s value with {@code value}, written now, only if its value is {@code expected} (by
     * {@code equals}) and has not expired; whether it did.
     */
    public synchronized boolean replace(K key, V expected, V value) {
        Written<V> w = live(Objects.requireNonNull(key, "key"));
        if (w == null || !w.value().equals(expected)) {
            return false;
        }
        write(key, Objects.requireNonNull(value, "value"));
        return true;
    }

    /** Removes {@code key} only if its value is {@code expected} (by {@code equals}); whether it did. */
    public synchronized boolean remove(K key, V expected) {
        Written<V> w = entries.get(Objects.requireNonNull(key, "key"));
        if (w == null || !w.value().equals(expected)) {
            return false;
        }
        entries.remove(key);
        return true;
    }

    /** Removes {@code key}'s value, if any. */
    public synchronized void invalidate(K key) {
        entries.remove(Objects.requireNonNull(key, "key"));
    }

    /** Removes every entry. */
    public synchronized void invalidateAll() {
        entries.clear();
    }

    /** The number of entries that have not expired (expired ones are dropped first). */
    public synchronized int size() {
        if (clock != null) {
            long now = clock.millis();
            for (Iterator<Written<V>> it = entries.values().iterator(); it.hasNext(); ) {
                if (expired(it.next(), now)) {
                    it.remove();
                }
            }
        }
        return entries.size();
    }

    private Written<V> live(K key) {
        Written<V> w = entries.get(key);
        if (w != null && clock != null && expired(w, clock.millis())) {
            entries.remove(key);
            return null;
        }
        return w;
    }

    private boolean expired(Written<V> w, long nowMillis) {
        // written at t, absent from t + ttl on; a clock moved backwards keeps the entry no longer than ttl after that
        long age = nowMillis - w.atMillis();
        return age >= ttlMillis || age < 0 && -age >= ttlMillis;
    }

    private void write(K key, V value) {
        entries.put(key, new Written<>(value, clock == null ? 0 : clock.millis()));
        if (entries.size() > maxSize) {
            Iterator<Map.Entry<K, Written<V>>> eldest = entries.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }
}
