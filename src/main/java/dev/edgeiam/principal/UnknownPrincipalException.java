package dev.edgeiam.principal;

/**
 * The principal does not exist (IAM answered {@code NoSuchEntity}, the snapshot has no such user or role, the
 * ARN names another account or a different path). A definite answer, unlike its parent: the cache remembers it
 * for the (shorter) negative TTL.
 */
public final class UnknownPrincipalException extends PolicySourceException {

    private final String principalArn;

    public UnknownPrincipalException(String principalArn, String message) {
        super(message);
        this.principalArn = principalArn;
    }

    public String principalArn() {
        return principalArn;
    }
}
