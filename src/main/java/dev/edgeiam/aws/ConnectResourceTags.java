package dev.edgeiam.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.authorize.ResourceTagsUnavailableException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Resource tags for {@code aws:ResourceTag/<key>} from Amazon Connect {@code ListTagsForResource}
 * ({@code GET /tags/{resourceArn}}, https://docs.aws.amazon.com/connect/latest/APIReference/API_ListTagsForResource.html),
 * cached per ARN (TTL on the injected clock, bounded, single flight — see {@link TagCache}). The request is signed
 * and sent by {@link SignedAwsCall}, not the AWS SDK's Connect module (11 MB on the class path for this one call).
 *
 * <p>Fails closed: anything but HTTP 200 with a JSON object whose {@code tags} member is an object of string values
 * (no duplicate key, nothing after it) — a service error, throttling past the retries, the network, the deadline, a
 * malformed or differently shaped body — becomes {@link ResourceTagsUnavailableException}; the authorizer then denies
 * with {@code resource-tags-unavailable}. A body without {@code tags} means no tags, as in the SDK's model. Failures
 * are not cached.
 *
 * <p>The authorizer calls this only when the principal's compiled policies for the action read a resource-tag key
 * ({@link dev.edgeiam.evaluate.CompiledPolicySet#readsResourceTags}), so most requests never reach AWS.
 */
public final class ConnectResourceTags implements ResourceTagSource {

    /** Strict reading: a duplicate key or trailing content is an error, not a choice of one value. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final TagCache cache;
    private final Duration ttl;
    private final AtomicLong lookups = new AtomicLong();

    /**
     * @param connect    the signed Connect call (see {@link #client})
     * @param clock      the clock for TTLs
     * @param ttl        how long tags stay cached after a successful lookup
     * @param maxEntries cache bound
     */
    public ConnectResourceTags(SignedAwsCall connect, Clock clock, Duration ttl, int maxEntries) {
        this.ttl = ttl;
        this.cache = new TagCache(new ListTagsForResource(Objects.requireNonNull(connect, "connect"), lookups),
                clock, ttl, maxEntries);
    }

    @Override
    public Map<String, String> tags(String arn) {
        return cache.get(arn);
    }

    /** The cache's TTL: tags are at most this old. */
    @Override
    public Duration maxAge() {
        return ttl;
    }

    /** How many ListTagsForResource calls were made (cache misses), for metrics and tests. */
    public long lookups() {
        return lookups.get();
    }

    /** Entries currently cached. */
    public int cachedEntries() {
        return cache.size();
    }

    /** One look-up: the signed request, then the answer read strictly. */
    private static final class ListTagsForResource implements Function<String, Map<String, String>> {
        private final SignedAwsCall connect;
        private final AtomicLong lookups;

        ListTagsForResource(SignedAwsCall connect, AtomicLong lookups) {
            this.connect = connect;
            this.lookups = lookups;
        }

        @Override
        public Map<String, String> apply(String arn) {
            lookups.incrementAndGet();
            SignedAwsCall.Answer answer;
            try {
                answer = connect.send(SdkHttpMethod.GET, "/tags/" + SdkHttpUtils.urlEncode(arn));
            } catch (IOException e) {
                throw new ResourceTagsUnavailableException(arn, "ListTagsForResource failed: " + e.getMessage(), e);
            }
            if (answer.status() != 200) {
                throw new ResourceTagsUnavailableException(arn, "ListTagsForResource failed: HTTP " + answer.status()
                        + (answer.errorType() != null ? " " + answer.errorType() : ""), null);
            }
            return parseTags(arn, answer.body());
        }
    }

    /** The {@code tags} of a {@code ListTagsForResource} answer, or unavailable when the body is anything else. */
    static Map<String, String> parseTags(String arn, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new ResourceTagsUnavailableException(arn, "ListTagsForResource answered malformed JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new ResourceTagsUnavailableException(arn, "ListTagsForResource answered no JSON object", null);
        }
        JsonNode tags = root.get("tags");
        if (tags == null) {
            return Map.of();
        }
        if (!tags.isObject()) {
            throw new ResourceTagsUnavailableException(arn, "ListTagsForResource's tags is not an object", null);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tags.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ResourceTagsUnavailableException(arn,
                        "ListTagsForResource's tag " + e.getKey() + " has no string value", null);
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The signed {@code ListTagsForResource} call for the Connect endpoint of {@code region}.
     *
     * @param region           the Connect Region
     * @param endpointOverride null for the AWS endpoint (FIPS or dual-stack as the SDK's settings ask,
     *                         {@link ServiceEndpoint}); e.g. a moto_server URL in tests
     * @param credentials      credentials provider
     * @param retries          false to fail fast (an authorizer has a tight time budget); true: the SDK's standard mode
     * @param timeout          the whole call's deadline, attempts included
     * @param wrap             a last say on the HTTP client (X-Ray); identity for none
     */
    public static SignedAwsCall client(Region region, URI endpointOverride, AwsCredentialsProvider credentials,
                                       boolean retries, Duration timeout, UnaryOperator<SdkHttpClient> wrap) {
        return new SignedAwsCall("connect", "Connect", region, ServiceEndpoint.CONNECT.resolve(region,
                endpointOverride, ServiceEndpoint.Variant.fromSdkSettings()), credentials, timeout,
                retries ? SignedAwsCall.Retries.STANDARD : SignedAwsCall.Retries.NONE, wrap);
    }

    /** As above, without a wrapper. */
    public static SignedAwsCall client(Region region, URI endpointOverride, AwsCredentialsProvider credentials,
                                       boolean retries, Duration timeout) {
        return client(region, endpointOverride, credentials, retries, timeout, UnaryOperator.identity());
    }
}
