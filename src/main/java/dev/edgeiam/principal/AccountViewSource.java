package dev.edgeiam.principal;

/**
 * A {@link PolicySource} whose whole content is one versioned view of the account (the {@code s3} source: one S3
 * object written by the refresher). Every decision must use a view the source may still vouch for, so the request
 * path asks {@link #currentVersion()} before each decision ({@link CurrentViewResolver}), including decisions
 * answered from the principal cache.
 */
public interface AccountViewSource extends PolicySource {

    /**
     * The version of the view decisions must use now. May start a revalidation of the view; waits for one only when
     * there is no view that may be used (the first load, or the last confirmation is older than the staleness
     * bound).
     *
     * @throws PolicySourceException when no view may be used (never loaded, or not confirmed within the bound)
     */
    String currentVersion() throws PolicySourceException;
}
