package dev.edgeiam.cache;

/**
 * The one owner of the rule <b>"a value computed from inputs that were invalidated while it was being computed is
 * not remembered"</b>: it may answer the request that computed it, but a later request must not find it.
 *
 * <p>Why: the function remembers answers derived from IAM (role look-ups, verified credentials, compiled session
 * sets, caller views) and forgets them when IAM changes. A computation that read IAM <em>before</em> the change and
 * finishes <em>after</em> the forgetting would otherwise put its answer back, and every later request would be served
 * the account as it was before the change — a deleted role, a trust policy since narrowed, a session policy since
 * given a Deny — until the entry's TTL runs out. That is a possible wrong Allow, so the rule is kept in one place.
 *
 * <p>How, in three steps:
 * <ol>
 * <li>{@link #current()} before reading any input of the value (the generation it is computed in);</li>
 * <li>{@link #putIfUnchanged(long, Runnable)} (or, for a {@link BoundedCache}, {@link #putIfUnchanged(long,
 * BoundedCache, Object, Object)}) after computing it: the put runs only if no invalidation came since;</li>
 * <li>{@link #invalidate(Runnable)} on a change: the generation moves on and the remembered values are forgotten.</li>
 * </ol>
 * The check and the put are <em>one step</em> under the lock that {@link #invalidate} takes for its bump and its
 * forgetting. Neither weaker form is enough: "check, then put" lets a whole invalidation run between the check and
 * the put, which then lands after the forgetting; "put, then check and remove" leaves the old value visible between
 * the put and the removal, where a request that began after the invalidation finds it (and may remember what it
 * derived from it in the new generation — RedteamPass10Test). Under the lock every remembered value was put in the
 * current generation, so a reader needs no check of its own.
 *
 * <p>The lock is held only for the put and the forgetting, never while a value is computed; reads of the remembered
 * values take no lock. One guard per memory: the put and the forgetting are the caller's (a {@link BoundedCache} from
 * {@link Caches}, or a hand-made map with its own lock, taken inside these).
 */
public final class GenerationGuard {

    private final Object lock = new Object();
    /** Written only under {@link #lock}; volatile so {@link #current()} reads it without the lock. */
    private volatile long generation;

    /** The generation now: read it before reading the inputs of a value that may be remembered. */
    public long current() {
        return generation;
    }

    /**
     * Runs {@code put} if no {@link #invalidate} came since {@code started} was read, as one step with respect to
     * invalidation.
     *
     * @param started the generation read by {@link #current()} before the value's inputs were read
     * @param put     remembers the value (runs under the guard's lock; keep it short)
     * @return whether the value was remembered
     */
    public boolean putIfUnchanged(long started, Runnable put) {
        synchronized (lock) {
            if (generation != started) {
                return false;
            }
            put.run();
            return true;
        }
    }

    /**
     * Puts {@code key → value} in {@code cache} if no {@link #invalidate} came since {@code started} was read: the
     * common case of {@link #putIfUnchanged(long, Runnable)}, with nothing to allocate for the put.
     *
     * @return whether the value was remembered
     */
    public <K, V> boolean putIfUnchanged(long started, BoundedCache<K, V> cache, K key, V value) {
        synchronized (lock) {
            if (generation != started) {
                return false;
            }
            cache.put(key, value);
            return true;
        }
    }

    /**
     * Moves to a new generation and runs {@code forget} (dropping every remembered value), as one step: no value
     * computed in an earlier generation is put after this begins.
     */
    public void invalidate(Runnable forget) {
        synchronized (lock) {
            generation++;
            forget.run();
        }
    }
}
