package dev.edgeiam.connect;

/**
 * Thrown when a string is not a well-formed Amazon Connect resource ARN. The message names the
 * offending {@link ArnComponent} and says why it is wrong.
 */
public final class MalformedArnException extends IllegalArgumentException {

    private final String arn;
    private final ArnComponent component;
    private final String reason;

    public MalformedArnException(String arn, ArnComponent component, String reason) {
        super("malformed ARN '" + arn + "': " + component.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason);
        this.arn = arn;
        this.component = component;
        this.reason = reason;
    }

    /** @return the rejected input */
    public String arn() {
        return arn;
    }

    /** @return the first component found to be wrong */
    public ArnComponent component() {
        return component;
    }

    /** @return the reason without the ARN and component prefix */
    public String reason() {
        return reason;
    }
}
