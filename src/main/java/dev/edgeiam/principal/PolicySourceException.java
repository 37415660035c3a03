package dev.edgeiam.principal;

/**
 * A {@link PolicySource} could not say what a principal's policies are: IAM was unreachable, throttled,
 * denied the read, or the data changed under the load. Callers fail closed; nothing from the load is cached.
 * The subclass {@link UnknownPrincipalException} is the distinct, cacheable "no such principal" outcome.
 */
public class PolicySourceException extends Exception {

    public PolicySourceException(String message) {
        super(message);
    }

    public PolicySourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
