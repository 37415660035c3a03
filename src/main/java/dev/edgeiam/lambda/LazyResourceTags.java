package dev.edgeiam.lambda;

import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.authorize.ResourceTagsUnavailableException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Creates the Amazon Connect tag source (and its SDK client) the first time a policy actually reads a resource
 * tag; a creation failure is reported as "tags unavailable" (Deny), and tried again next time.
 */
final class LazyResourceTags implements ResourceTagSource {

    private final Supplier<ResourceTagSource> factory;
    private volatile ResourceTagSource source;

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
                        throw new ResourceTagsUnavailableException(arn, "the Amazon Connect client could not be "
                                + "created: " + e.getClass().getSimpleName(), e);
                    }
                    source = s;
                }
            }
        }
        return s.tags(arn);
    }
}
