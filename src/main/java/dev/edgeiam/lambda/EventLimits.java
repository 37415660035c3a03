package dev.edgeiam.lambda;

/**
 * Bounds applied to every incoming Lambda event before anything looks at its content.
 *
 * <p>API Gateway authorizer events are a few KiB; simulator requests carry policy documents, which IAM caps at
 * 10,240 characters for managed policies (2,048 for a user's inline policies), a few per layer. 256 KiB leaves room
 * for that while keeping a hostile or broken caller from making the function buffer megabytes. The deployed values
 * come from {@link AuthorizerConfig.Event}.
 *
 * @param maxBytes   largest event accepted, in bytes of JSON text
 * @param maxDepth   deepest nesting of JSON arrays and objects accepted
 * @param maxStringLength longest single JSON string (or field name) accepted, in characters
 */
public record EventLimits(int maxBytes, int maxDepth, int maxStringLength) {

    public EventLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxStringLength < 1) {
            throw new IllegalArgumentException("event limits must be positive");
        }
    }
}
