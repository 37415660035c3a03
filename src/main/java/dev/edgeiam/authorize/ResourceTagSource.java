package dev.edgeiam.authorize;

import java.time.Duration;
import java.util.Map;

/**
 * The tags of an Amazon Connect resource, for {@code aws:ResourceTag/<key>} conditions. Implementations may call
 * AWS and cache; they never guess: when the tags cannot be read they throw {@link ResourceTagsUnavailableException},
 * which the authorizer turns into a Deny ({@code resource-tags-unavailable}).
 */
@FunctionalInterface
public interface ResourceTagSource {

    /** A source that can read nothing: any policy that needs tags is denied. */
    ResourceTagSource UNAVAILABLE = new ResourceTagSource() {
        @Override
        public Map<String, String> tags(String arn) {
            throw new ResourceTagsUnavailableException(arn, "no resource tag source is configured", null);
        }
    };

    /**
     * @param arn the resource ARN
     * @return the resource's tags (key → value), empty when it has none
     * @throws ResourceTagsUnavailableException when the tags could not be read
     */
    Map<String, String> tags(String arn);

    /**
     * The most the tags {@link #tags} returns can lag behind the resource's (the TTL of the cache they come from):
     * what is derived from them may be kept this long again at most. Zero, the default, when not known: nothing
     * derived from them is kept.
     */
    default Duration maxAge() {
        return Duration.ZERO;
    }
}
