package dev.edgeiam.aws;

import dev.edgeiam.instance.InstanceRandom;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * One operation of an AWS REST API (no request body), signed with the AWS SDK's own Signature Version 4 signer and
 * sent on the SDK's URL-connection HTTP client: for the single operation the function needs of a service whose whole
 * SDK module it would otherwise carry (Amazon Connect's is 11 MB and 6,276 class-path entries for
 * {@code ListTagsForResource}, which a cold start opens and indexes).
 *
 * <p>Each attempt resolves the credentials and signs again. One call has one total deadline over all its attempts:
 * an attempt still running then is aborted, and a body read after it is refused. Attempts are repeated only for what
 * the SDK's retry modes repeat too (an I/O failure, HTTP 5xx, HTTP 429 and throttling error types), as often and
 * after the same back-off as the SDK mode the caller names ({@link Retries}), and never past the deadline. Whatever
 * else the service answers is returned as an {@link Answer} for the caller to judge; callers treat anything but their
 * one expected status as a failure.
 */
public final class SignedAwsCall implements AutoCloseable {

    /** The most bytes of a response body read. */
    public static final int MAX_RESPONSE_BYTES = 1 << 20;

    /** What the service answered: the HTTP status, the {@code x-amzn-ErrorType} (without its suffix, or null), the body. */
    public record Answer(int status, String errorType, byte[] body) {
    }

    /**
     * How often and after what pause a call is repeated: the AWS SDK for Java 2.x's retry modes, with its own
     * constants (2.40: {@code SdkDefaultRetrySetting}; the modes are described at
     * https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/retry-strategy.html). The pause before attempt
     * {@code n + 1} is drawn from {@code [0, d]} (full jitter) or {@code [d/2, d]} (half jitter), with
     * {@code d = min(20 s, base * 2^(n-1))} and the throttling base after a throttling answer.
     *
     * @param maxAttempts          attempts in all, the first included
     * @param baseDelay            base of the pause after a 5xx or a network failure (full jitter)
     * @param throttlingBaseDelay  base of the pause after a throttling answer
     * @param throttlingHalfJitter whether that pause is half-jittered (the legacy mode) rather than fully
     */
    public record Retries(int maxAttempts, Duration baseDelay, Duration throttlingBaseDelay,
                          boolean throttlingHalfJitter) {
        /** The SDK's default (legacy) mode: 4 attempts; 100 ms, full jitter; throttling 500 ms, half jitter. */
        public static final Retries LEGACY = new Retries(4, Duration.ofMillis(100), Duration.ofMillis(500), true);
        /** The SDK's standard mode: 3 attempts; 100 ms, full jitter; throttling 1 s, full jitter. */
        public static final Retries STANDARD = new Retries(3, Duration.ofMillis(100), Duration.ofSeconds(1), false);
        /** One attempt. */
        public static final Retries NONE = new Retries(1, Duration.ZERO, Duration.ZERO, false);

        public Retries {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
            }
            Objects.requireNonNull(baseDelay, "baseDelay");
            Objects.requireNonNull(throttlingBaseDelay, "throttlingBaseDelay");
        }

        /** The pause before attempt {@code attempt + 1}, drawn with {@code random}. */
        long pauseNanos(int attempt, boolean throttled, RandomGenerator random) {
            Duration base = throttled ? throttlingBaseDelay : baseDelay;
            long ceiling = Math.min(MAX_BACKOFF.toNanos(), base.toNanos() << Math.min(attempt - 1, 30));
            if (ceiling <= 0) {
                return 0;
            }
            if (throttled && throttlingHalfJitter) {
                return ceiling / 2 + random.nextLong(ceiling - ceiling / 2 + 1);
            }
            return random.nextLong(ceiling + 1);
        }
    }

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    private final String signingName;
    private final String label;
    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Duration deadline;
    private final Retries retries;
    private final LazyUrlConnectionClient http;

    /**
     * @param signingName  the service's signing name ({@code connect}, {@code apigateway})
     * @param label        the service's name in messages ({@code Connect})
     * @param region       the Region signed for
     * @param endpoint     scheme, host and port (a path prefix is kept), e.g. from {@link ServiceEndpoint#resolve}
     * @param credentials  resolved again for every attempt
     * @param deadline     the most one call, all attempts included, may take; also each attempt's connect and read
     *                     timeout
     * @param retries      how often and after what pause an attempt is repeated
     * @param wrap         a last say on the HTTP client (e.g. X-Ray subsegments); identity for none
     */
    public SignedAwsCall(String signingName, String label, Region region, URI endpoint,
                         AwsCredentialsProvider credentials, Duration deadline, Retries retries,
                         UnaryOperator<SdkHttpClient> wrap) {
        this.signingName = Objects.requireNonNull(signingName, "signingName");
        this.label = Objects.requireNonNull(label, "label");
        this.region = Objects.requireNonNull(region, "region");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the deadline must be positive, not " + deadline);
        }
        this.retries = Objects.requireNonNull(retries, "retries");
        this.http = new LazyUrlConnectionClient(deadline, Objects.requireNonNull(wrap, "wrap"));
    }

    /** Where the calls go (scheme, host, port). */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The endpoint the SDK's environment names for a service: {@code AWS_ENDPOINT_URL_<SERVICE>}, else
     * {@code AWS_ENDPOINT_URL}; empty when neither is set.
     *
     * @param serviceVariable the service's part of the variable name ({@code CONNECT}, {@code API_GATEWAY}, {@code STS})
     */
    public static Optional<URI> endpointFromEnvironment(String serviceVariable, UnaryOperator<String> env) {
        for (String name : new String[]{"AWS_ENDPOINT_URL_" + serviceVariable, "AWS_ENDPOINT_URL"}) {
            String v = env.apply(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(URI.create(v.trim()));
            }
        }
        return Optional.empty();
    }

    /**
     * Sends one request.
     *
     * @param method      GET, DELETE, ... (no body)
     * @param encodedPath the path, each label already percent-encoded (e.g. with {@code SdkHttpUtils.urlEncode})
     * @return the last answer: the first that is not retried, or the last attempt's
     * @throws IOException no answer within the deadline and the attempts: the network, the credentials, the client
     */
    public Answer send(SdkHttpMethod method, String encodedPath) throws IOException {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        IOException lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            Answer answer = null;
            try {
                answer = attempt(method, encodedPath, deadlineNanos);
                lastFailure = null;
            } catch (IOException e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new IOException(label + " did not answer within " + deadline
                        + (lastFailure != null ? " (" + lastFailure.getMessage() + ")" : ""));
            }
            boolean retry = answer == null || retryable(answer);
            if (!retry || attempt >= retries.maxAttempts()
                    || !backOff(retries.pauseNanos(attempt, answer != null && throttled(answer),
                    InstanceRandom.get()), deadlineNanos)) {
                if (answer != null) {
                    return answer;
                }
                throw lastFailure;
            }
        }
    }

    private Answer attempt(SdkHttpMethod method, String encodedPath, long deadlineNanos) throws IOException {
        ExecutableHttpRequest call;
        try {
            AwsCredentials identity = credentials.resolveCredentials();
            SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(method)
                    .uri(URI.create(base() + encodedPath)).putHeader("Accept", "application/json").build();
            SignedRequest signed = AwsV4HttpSigner.create().sign(SignRequest.<AwsCredentialsIdentity>builder(identity)
                    .request(request)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                    .build());
            call = http.get().prepareRequest(HttpExecuteRequest.builder().request(signed.request()).build());
        } catch (RuntimeException e) {
            // credentials not found or refused by the provider, a malformed endpoint, the HTTP client's construction
            throw new IOException("the " + label + " request could not be made: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage());
        }
        ScheduledFuture<?> abort = CallDeadline.abortAfter(call, deadlineNanos - System.nanoTime());
        try {
            HttpExecuteResponse response = call.call();
            int status = response.httpResponse().statusCode();
            String errorType = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType")
                    .map(SignedAwsCall::errorTypeName).orElse(null);
            Optional<AbortableInputStream> stream = response.responseBody();
            byte[] body = stream.isPresent()
                    ? CallDeadline.readBounded(stream.get(), deadlineNanos, MAX_RESPONSE_BYTES, label) : new byte[0];
            return new Answer(status, errorType, body);
        } catch (RuntimeException e) {
            throw new IOException(label + " could not be reached: " + e.getClass().getSimpleName());
        } finally {
            abort.cancel(false);
        }
    }

    /** The SDK's retry conditions, as far as a response shows them: 5xx, or throttling. */
    static boolean retryable(Answer answer) {
        return answer.status() >= 500 || throttled(answer);
    }

    /** HTTP 429, or a refusal (4xx) with a throttling error type. */
    static boolean throttled(Answer answer) {
        if (answer.status() == 429) {
            return true;
        }
        if (answer.status() < 400 || answer.status() >= 500) {
            return false;
        }
        String type = answer.errorType();
        return type != null && (type.contains("Throttl") || type.equals("TooManyRequestsException")
                || type.equals("RequestLimitExceeded"));
    }

    /** Sleeps {@code pause} before the next attempt; false when the deadline would pass first. */
    private static boolean backOff(long pause, long deadlineNanos) throws IOException {
        if (deadlineNanos - System.nanoTime() - pause <= 0) {
            return false;
        }
        try {
            Thread.sleep(Duration.ofNanos(pause));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted before retrying");
        }
    }

    /** {@code ThrottlingException:http://internal.amazon.com/...} names the type {@code ThrottlingException}. */
    static String errorTypeName(String header) {
        String t = header.strip();
        int colon = t.indexOf(':');
        return colon >= 0 ? t.substring(0, colon) : t;
    }

    private String base() {
        String b = endpoint.toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "SignedAwsCall[" + label + " at " + endpoint.toString().toLowerCase(Locale.ROOT) + ", " + region.id()
                + "]";
    }
}
