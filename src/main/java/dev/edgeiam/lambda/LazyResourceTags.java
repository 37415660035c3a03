package dev.edgeiam.lambda;

import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.authorize.ResourceTagsUnavailableException;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Creates the Amazon Connect tag source (and its SDK client) the first time a policy actually reads a resource
 * tag; a creation failure is reported as "tags unavailable" (Deny), and tried again next time. Counts the look-ups
 * that failed, for the {@code TagLookupFailures} metric. {@link #forget()} drops the source with its cached tags and
 * its client (after a SnapStart restore: tags may have changed since the snapshot, and connections must not be
 * reused from it); the next look-up creates both anew.
 */
final class LazyResourceTags implements ResourceTagSource {

    private final Supplier<ResourceTagSource> factory;
    private final Duration maxAge;
    private volatile ResourceTagSource source;
    private final LongAdder failures = new LongAdder();

    /** @param maxAge the TTL of the tag cache the factory's source keeps ({@link ResourceTagSource#maxAge}) */
    LazyResourceTags(Supplier<ResourceTagSource> factory, Duration maxAge) {
        this.factory = factory;
        this.maxAge = maxAge;
    }

    @Override
    public Duration maxAge() {
        return maxAge;
    }

    @Override
    public Map<String, String> tags(String arn) {
        ResourceTagSource s = source;
        if (s == null) {
            try {
                s = source();
            } catch (RuntimeException e) {
                failures.increment();
                throw new ResourceTagsUnavailableException(arn, "the Amazon Connect client could not be "
                        + "created: " + e.getClass().getSimpleName(), e);
            }
        }
        try {
            return s.tags(arn);
        } catch (RuntimeException e) {
            failures.increment();
            throw e;
        }
    }

    /** Drops the tag source, its cached tags and its client; the next look-up creates them again. */
    void forget() {
        synchronized (this) {
            source = null;
        }
    }

    /** The tag source, created now if there is none. */
    synchronized ResourceTagSource source() {
        if (source == null) {
            source = factory.get();
        }
        return source;
    }

    /** Whether a tag source (with its cache and client) exists now. */
    boolean created() {
        return source != null;
    }

    /** Look-ups that failed so far. */
    long failures() {
        return failures.sum();
    }
}
