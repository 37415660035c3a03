package dev.edgeiam.aws;

import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.authorize.ResourceTagsUnavailableException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.ConnectClientBuilder;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resource tags for {@code aws:ResourceTag/<key>} from Amazon Connect {@code ListTagsForResource}, cached per ARN
 * (TTL on the injected clock, bounded, single flight — see {@link TagCache}). Any SDK failure (service error,
 * throttling, network, timeout) becomes {@link ResourceTagsUnavailableException}; the authorizer then denies with
 * {@code resource-tags-unavailable}. Failures are not cached.
 *
 * <p>The authorizer calls this only when the principal's compiled policies for the action read a resource-tag key
 * ({@link dev.edgeiam.evaluate.CompiledPolicySet#readsResourceTags}), so most requests never reach AWS.
 */
public final class ConnectResourceTags implements ResourceTagSource {

    private final TagCache cache;
    private final AtomicLong lookups = new AtomicLong();

    /**
     * @param client     a Connect client (see {@link #client})
     * @param clock      the clock for TTLs
     * @param ttl        how long tags stay cached after a successful lookup
     * @param maxEntries cache bound
     */
    public ConnectResourceTags(ConnectClient client, Clock clock, Duration ttl, int maxEntries) {
        Objects.requireNonNull(client, "client");
        this.cache = new TagCache(arn -> {
            lookups.incrementAndGet();
            try {
                return client.listTagsForResource(b -> b.resourceArn(arn)).tags();
            } catch (SdkException e) {
                throw new ResourceTagsUnavailableException(arn, "ListTagsForResource failed: " + e.getMessage(), e);
            }
        }, clock, ttl, maxEntries);
    }

    @Override
    public Map<String, String> tags(String arn) {
        return cache.get(arn);
    }

    /** How many ListTagsForResource calls were made (cache misses), for metrics and tests. */
    public long lookups() {
        return lookups.get();
    }

    /** Entries currently cached. */
    public int cachedEntries() {
        return cache.size();
    }

    /**
     * A Connect client on the URL connection HTTP client.
     *
     * @param region           the Connect Region
     * @param endpointOverride null for the AWS endpoint; e.g. a moto_server URL in tests
     * @param credentials      credentials provider
     * @param retries          false to fail fast (an authorizer has a tight time budget)
     * @param timeout          per-call timeout
     */
    public static ConnectClient client(Region region, URI endpointOverride, AwsCredentialsProvider credentials,
                                       boolean retries, Duration timeout) {
        return client(region, endpointOverride, credentials, retries, timeout, o -> { });
    }

    /** As above, with a last say on the client's configuration (e.g. the X-Ray tracing interceptor). */
    public static ConnectClient client(Region region, URI endpointOverride, AwsCredentialsProvider credentials,
                                       boolean retries, Duration timeout,
                                       java.util.function.Consumer<ClientOverrideConfiguration.Builder> configure) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder().apiCallTimeout(timeout);
        if (retries) {
            override.retryStrategy(RetryMode.STANDARD);
        } else {
            override.retryStrategy(DefaultRetryStrategy.doNotRetry());
        }
        configure.accept(override);
        ConnectClientBuilder b = ConnectClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(override.build());
        if (endpointOverride != null) {
            b.endpointOverride(endpointOverride);
        }
        return b.build();
    }
}
