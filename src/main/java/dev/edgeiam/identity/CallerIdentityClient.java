package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;

/**
 * Sends a checked presigned {@code GetCallerIdentity} request to STS (see {@code dev.edgeiam.aws.StsCallerIdentityClient}).
 * Must bound time and response size and never log the URL.
 */
@FunctionalInterface
public interface CallerIdentityClient {

    /**
     * @throws CredentialRejectedException {@link Reason#CREDENTIAL_REJECTED_STS_REJECTED} when STS refuses the
     * signature or
     *                                     credentials (4xx)
     * @throws IdentityUnavailableException when STS cannot be reached or answers unexpectedly
     */
    CallerIdentity getCallerIdentity(PresignedGetCallerIdentity request)
            throws CredentialRejectedException, IdentityUnavailableException;
}
