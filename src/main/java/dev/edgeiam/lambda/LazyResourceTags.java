package dev.edgeiam.lambda;

import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.authorize.ResourceTagsUnavailableException;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Creates the Amazon Connect tag source (and its SDK client) the first time a policy actually reads a resource
 * tag; a creation failure is reported as "tags unavailable" (Deny), and tried again next time. Counts the look-ups
 * that failed, for the {@code TagLookupFailures} metric.
 */
final class LazyResourceTags implements ResourceTagSource {

    private final Supplier<ResourceTagSource> factory;
    private volatile ResourceTagSource source;
    private final LongAdder failures = new LongAdder();

    LazyResourceTags(Supplier<ResourceTagSource> factory) {
        this.factory = factory;
    }

    @Override
    public Map<String, String> tags(String arn) {
        ResourceTagSource s = source;
        if (s == null) {
            synchronized (this) {
                s = source;
                if (s == null) {
                    try {
                        s = factory.get();
                    } catch (RuntimeException e) {
                        failures.increment();
                        throw new ResourceTagsUnavailableException(arn, "the Amazon Connect client could not be "
                                + "created: " + e.getClass().getSimpleName(), e);
                    }
                    source = s;
                }
            }
        }
        try {
            return s.tags(arn);
        } catch (RuntimeException e) {
            failures.increment();
            throw e;
        }
    }

    /** Look-ups that failed so far. */
    long failures() {
        return failures.sum();
    }
}
