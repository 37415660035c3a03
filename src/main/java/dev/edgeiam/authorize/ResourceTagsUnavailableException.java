package dev.edgeiam.authorize;

/** The tags of a resource could not be read (service error, throttling, network, timeout). */
public final class ResourceTagsUnavailableException extends RuntimeException {

    private final String arn;

    public ResourceTagsUnavailableException(String arn, String message, Throwable cause) {
        super(message, cause);
        this.arn = arn;
    }

    /** The ARN whose tags were asked for. */
    public String arn() {
        return arn;
    }
}
