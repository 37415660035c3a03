package dev.edgeiam.instance;

import java.security.SecureRandom;

/**
 * The one random source of this instance: the unseen-resource probe identifiers, X-Ray subsegment ids and the retry
 * jitter of signed AWS calls draw from it. It is made at its first use and dropped by {@link #forget()}, which the
 * SnapStart restore hook calls, so no two instances restored from one snapshot draw the same numbers; a native image
 * (whose static initialisers may run at build time) holds none either.
 * <p>[Lambda] "To maintain uniqueness when using SnapStart, you must generate unique content after initialization.
 * This includes unique IDs, unique secrets, and entropy that's used to generate pseudorandomness."
 * — https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html
 * <p>{@code ThreadLocalRandom} is not used for this reason: the seed of a thread that drew from it before the snapshot
 * (the runtime's main thread, which runs the hooks and the handler) is in the snapshot.
 */
public final class InstanceRandom {

    private static volatile SecureRandom random;

    private InstanceRandom() {
    }

    /** The source, made now if there is none (thread-safe; {@link SecureRandom} itself is). */
    public static SecureRandom get() {
        SecureRandom r = random;
        if (r == null) {
            synchronized (InstanceRandom.class) {
                r = random;
                if (r == null) {
                    r = new SecureRandom();
                    random = r;
                }
            }
        }
        return r;
    }

    /** Drops the source; the next draw comes from a new one (after a SnapStart restore). */
    public static void forget() {
        synchronized (InstanceRandom.class) {
            random = null;
        }
    }
}
