package dev.edgeiam.lambda;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * All settings of the function, under the prefix {@code authorizer}. Each can be set as an environment variable,
 * e.g. {@code AUTHORIZER_EVENT_MAX_BYTES=131072}.
 */
@ConfigMapping(prefix = "authorizer")
public interface AuthorizerConfig {

    /** Bounds on the raw Lambda event, checked before its content is looked at. */
    Event event();

    interface Event {

        /** Largest event accepted, in bytes (default 256 KiB). */
        @WithDefault("262144")
        int maxBytes();

        /** Deepest nesting of JSON arrays and objects accepted (default 64). */
        @WithDefault("64")
        int maxDepth();

        /** Longest single JSON string accepted, in characters (default 128 Ki). */
        @WithDefault("131072")
        int maxStringLength();

        default EventLimits limits() {
            return new EventLimits(maxBytes(), maxDepth(), maxStringLength());
        }
    }
}
