package dev.edgeiam.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SignedAwsCall} against a loopback endpoint that checks every request's Signature Version 4 with its own
 * implementation of AWS's documented algorithm (moto_server does not check signatures): canonical request with the
 * path encoded a second time (every service but S3), string to sign, the HMAC-SHA256 key chain —
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html. The request line is
 * compared with the one the AWS SDK's own Connect client sends for the same ARN.
 */
class SignedAwsCallTest {

    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String ARN = "arn:aws:connect:us-east-1:123456789012:instance/a1b2c3d4-5678-90ab-cdef-example11111"
            + "/agent/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    record Seen(String method, String rawPath, Map<String, List<String>> headers, String signatureProblem) {
    }

    HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final ConcurrentLinkedQueue<int[]> script = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void handle(HttpExchange ex) throws IOException {
        String rawPath = ex.getRequestURI().getRawPath();
        seen.add(new Seen(ex.getRequestMethod(), rawPath, Map.copyOf(ex.getRequestHeaders()), checkSignature(ex)));
        int[] next = script.poll();
        int status = next == null ? 200 : next[0];
        if (status == 429 || status == 400) {
            ex.getResponseHeaders().set("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/");
        }
        if (status == 403) {
            ex.getResponseHeaders().set("x-amzn-ErrorType", "AccessDeniedException");
        }
        byte[] body = "{\"tags\":{}}".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), "
                    + "Signature=([0-9a-f]{64})");

    /** Null when the request carries a valid signature for {@link #SECRET}, else what is wrong. */
    static String checkSignature(HttpExchange ex) {
        try {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                return "no Authorization";
            }
            Matcher m = AUTHORIZATION.matcher(auth);
            if (!m.matches()) {
                return "Authorization not understood: " + auth;
            }
            String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
            if (amzDate == null || !amzDate.startsWith(m.group(2))) {
                return "X-Amz-Date missing or not of the credential's day";
            }
            StringBuilder canonicalPath = new StringBuilder();
            for (String segment : ex.getRequestURI().getRawPath().split("/", -1)) {
                if (!canonicalPath.isEmpty() || !segment.isEmpty()) {
                    canonicalPath.append('/').append(SdkHttpUtils.urlEncode(segment));
                }
            }
            StringBuilder canonicalHeaders = new StringBuilder();
            for (String name : m.group(5).split(";")) {
                List<String> values = ex.getRequestHeaders().get(name);
                if (values == null) {
                    return "signed header " + name + " not sent";
                }
                canonicalHeaders.append(name).append(':').append(String.join(",", values).strip()).append('\n');
            }
            String payloadHash = ex.getRequestHeaders().getFirst("x-amz-content-sha256");
            String canonical = ex.getRequestMethod() + "\n" + canonicalPath + "\n"
                    + (ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery()) + "\n"
                    + canonicalHeaders + "\n" + m.group(5) + "\n"
                    + (payloadHash != null ? payloadHash : hex(sha256(new byte[0])));
            String scope = m.group(2) + "/" + m.group(3) + "/" + m.group(4) + "/aws4_request";
            String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                    + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
            byte[] key = hmac(("AWS4" + SECRET).getBytes(StandardCharsets.UTF_8), m.group(2));
            key = hmac(key, m.group(3));
            key = hmac(key, m.group(4));
            key = hmac(key, "aws4_request");
            String expected = hex(hmac(key, toSign));
            return expected.equals(m.group(6)) ? null : "signature mismatch for canonical request:\n" + canonical;
        } catch (Exception e) {
            return e.toString();
        }
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The SDK's standard mode's shape with short pauses, so the retry tests stay fast. */
    static final SignedAwsCall.Retries QUICK = new SignedAwsCall.Retries(3, Duration.ofMillis(10),
            Duration.ofMillis(20), false);

    SignedAwsCall call(StaticCredentialsProvider credentials, int attempts, Duration deadline) {
        return new SignedAwsCall("connect", "Connect", Region.US_EAST_1, uri(), credentials, deadline,
                attempts == 1 ? SignedAwsCall.Retries.NONE : QUICK, UnaryOperator.identity());
    }

    static StaticCredentialsProvider basic() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", SECRET));
    }

    @Test
    void signatureHoldsAndTheRequestLineIsTheSdksOwn() throws Exception {
        try (ConnectClient sdk = ConnectClient.builder().region(Region.US_EAST_1).endpointOverride(uri())
                .credentialsProvider(basic()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             SignedAwsCall ours = call(basic(), 1, Duration.ofSeconds(5))) {
            for (String arn : List.of(ARN, ARN.replace("/agent/", "/queue/"), "arn:aws:connect:us-east-1:123456789012:"
                    + "instance/x/contact-flow/y z+%&=?#;", "arn:aws-cn:connect:cn-north-1:123456789012:instance/ñ")) {
                seen.clear();
                sdk.listTagsForResource(b -> b.resourceArn(arn));
                SignedAwsCall.Answer answer = ours.send(SdkHttpMethod.GET, "/tags/" + SdkHttpUtils.urlEncode(arn));
                assertEquals(200, answer.status());
                assertEquals(2, seen.size());
                Seen theirs = seen.get(0);
                Seen mine = seen.get(1);
                assertNull(theirs.signatureProblem(), "the checker accepts the SDK's own request: " + arn);
                assertNull(mine.signatureProblem(), arn);
                assertEquals(theirs.method(), mine.method());
                assertEquals(theirs.rawPath(), mine.rawPath(), arn);
                assertTrue(mine.headers().get("Authorization").get(0)
                        .contains("Credential=AKIDEXAMPLE/" + mine.headers().get("X-amz-date").get(0).substring(0, 8)
                                + "/us-east-1/connect/aws4_request"));
            }
        }
    }

    @Test
    void sessionCredentialsSendTheirToken() throws Exception {
        StaticCredentialsProvider session = StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIAEXAMPLE", SECRET, "the-session-token"));
        try (SignedAwsCall ours = call(session, 1, Duration.ofSeconds(5))) {
            ours.send(SdkHttpMethod.GET, "/tags/" + SdkHttpUtils.urlEncode(ARN));
        }
        assertNull(seen.get(0).signatureProblem());
        assertEquals(List.of("the-session-token"), seen.get(0).headers().get("X-amz-security-token"));
        assertTrue(seen.get(0).headers().get("Authorization").get(0).contains("x-amz-security-token"),
                "the token is signed");
    }

    @Test
    void theCheckerRefusesAWrongSecret() throws Exception {
        StaticCredentialsProvider wrong = StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLE", SECRET.replace('K', 'k')));
        try (SignedAwsCall ours = call(wrong, 1, Duration.ofSeconds(5))) {
            ours.send(SdkHttpMethod.GET, "/tags/" + SdkHttpUtils.urlEncode(ARN));
        }
        assertNotNull(seen.get(0).signatureProblem());
        assertTrue(seen.get(0).signatureProblem().startsWith("signature mismatch"), seen.get(0).signatureProblem());
    }

    @Test
    void retriesThrottlingAndServerErrorsOnly() throws Exception {
        try (SignedAwsCall ours = call(basic(), 3, Duration.ofSeconds(5))) {
            script.add(new int[]{503});
            script.add(new int[]{400});
            assertEquals(200, ours.send(SdkHttpMethod.GET, "/tags/a").status());
            assertEquals(3, seen.size(), "503, a 400 ThrottlingException, then 200");

            seen.clear();
            script.add(new int[]{403});
            SignedAwsCall.Answer denied = ours.send(SdkHttpMethod.GET, "/tags/a");
            assertEquals(403, denied.status());
            assertEquals("AccessDeniedException", denied.errorType());
            assertEquals(1, seen.size(), "a refusal is not retried");

            seen.clear();
            script.add(new int[]{429});
            script.add(new int[]{429});
            script.add(new int[]{429});
            script.add(new int[]{429});
            SignedAwsCall.Answer throttled = ours.send(SdkHttpMethod.GET, "/tags/a");
            assertEquals(429, throttled.status(), "the last attempt's answer");
            assertEquals("ThrottlingException", throttled.errorType());
            assertEquals(3, seen.size(), "three attempts at most");
            script.clear();
        }
        try (SignedAwsCall once = call(basic(), 1, Duration.ofSeconds(5))) {
            seen.clear();
            script.add(new int[]{500});
            assertEquals(500, once.send(SdkHttpMethod.GET, "/tags/a").status());
            assertEquals(1, seen.size(), "maxAttempts 1: no retry");
        }
        for (Seen s : seen) {
            assertNull(s.signatureProblem());
        }
    }

    @Test
    void everyAttemptIsSignedAgain() throws Exception {
        try (SignedAwsCall ours = call(basic(), 3, Duration.ofSeconds(5))) {
            script.add(new int[]{503});
            ours.send(SdkHttpMethod.DELETE, "/restapis/a1b2c3/stages/prod/cache/authorizers");
        }
        assertEquals(2, seen.size());
        for (Seen s : seen) {
            assertEquals("DELETE", s.method());
            assertNull(s.signatureProblem());
        }
    }

    @Test
    void unreachableEndpointFailsWithinTheDeadline() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        SignedAwsCall dead = new SignedAwsCall("connect", "Connect", Region.US_EAST_1,
                URI.create("http://127.0.0.1:" + closed), basic(), Duration.ofMillis(800), SignedAwsCall.Retries.STANDARD,
                UnaryOperator.identity());
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> dead.send(SdkHttpMethod.GET, "/tags/a"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 3_000, "took " + millis + " ms");
        assertNotNull(e.getMessage());
    }

    @Test
    void credentialsThatCannotBeResolvedAreAFailureNotAnUnsignedRequest() {
        SignedAwsCall noCredentials = new SignedAwsCall("connect", "Connect", Region.US_EAST_1, uri(),
                () -> {
                    throw software.amazon.awssdk.core.exception.SdkClientException.create("no credentials");
                }, Duration.ofSeconds(2), SignedAwsCall.Retries.STANDARD, UnaryOperator.identity());
        IOException e = assertThrows(IOException.class, () -> noCredentials.send(SdkHttpMethod.GET, "/tags/a"));
        assertTrue(e.getMessage().contains("no credentials"), e.getMessage());
        assertTrue(seen.isEmpty(), "nothing was sent");
    }

    @Test
    void pausesFollowTheSdksModes() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long ms = 1_000_000;
        for (int i = 0; i < 2_000; i++) {
            // legacy: 100 ms full jitter, doubling; throttling 500 ms half jitter, doubling; 20 s at most
            long p1 = SignedAwsCall.Retries.LEGACY.pauseNanos(1, false, random);
            long p2 = SignedAwsCall.Retries.LEGACY.pauseNanos(2, false, random);
            long t1 = SignedAwsCall.Retries.LEGACY.pauseNanos(1, true, random);
            long t3 = SignedAwsCall.Retries.LEGACY.pauseNanos(3, true, random);
            long t20 = SignedAwsCall.Retries.LEGACY.pauseNanos(20, true, random);
            assertTrue(0 <= p1 && p1 <= 100 * ms, "legacy 1: " + p1);
            assertTrue(0 <= p2 && p2 <= 200 * ms, "legacy 2: " + p2);
            assertTrue(250 * ms <= t1 && t1 <= 500 * ms, "legacy throttled 1: " + t1);
            assertTrue(1_000 * ms <= t3 && t3 <= 2_000 * ms, "legacy throttled 3: " + t3);
            assertTrue(10_000 * ms <= t20 && t20 <= 20_000 * ms, "legacy throttled, capped: " + t20);
            // standard: 100 ms full jitter; throttling 1 s full jitter
            long s1 = SignedAwsCall.Retries.STANDARD.pauseNanos(1, false, random);
            long st2 = SignedAwsCall.Retries.STANDARD.pauseNanos(2, true, random);
            assertTrue(0 <= s1 && s1 <= 100 * ms, "standard 1: " + s1);
            assertTrue(0 <= st2 && st2 <= 2_000 * ms, "standard throttled 2: " + st2);
        }
        assertEquals(4, SignedAwsCall.Retries.LEGACY.maxAttempts());
        assertEquals(3, SignedAwsCall.Retries.STANDARD.maxAttempts());
        assertEquals(0, SignedAwsCall.Retries.NONE.pauseNanos(1, true, random));
    }

    @Test
    void aThrottlingWindowIsRiddenOutAsTheSdkDid() throws Exception {
        // API Gateway's flush throttled for 300 ms: the legacy mode's throttling pauses (250-500 ms, then 500-1000)
        // reach past it, as the SDK's client did (red-team pass 26)
        long start = System.nanoTime();
        server.removeContext("/");
        server.createContext("/", ex -> {
            boolean throttled = System.nanoTime() - start < 300_000_000L;
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), Map.copyOf(ex.getRequestHeaders()),
                    checkSignature(ex)));
            if (throttled) {
                ex.getResponseHeaders().set("x-amzn-ErrorType", "TooManyRequestsException");
            }
            ex.sendResponseHeaders(throttled ? 429 : 202, -1);
            ex.close();
        });
        try (SignedAwsCall flush = StageCacheFlusher.client(Region.US_EAST_1, uri(), basic(), Duration.ofSeconds(5),
                UnaryOperator.identity())) {
            assertEquals(202, flush.send(SdkHttpMethod.DELETE, "/restapis/a/stages/b/cache/authorizers").status());
        }
        assertTrue(seen.size() >= 2 && seen.size() <= 3, seen.size() + " attempts");
    }

    @Test
    void endpointVariablesServiceFirst() {
        assertEquals(URI.create("http://a"), SignedAwsCall.endpointFromEnvironment("CONNECT",
                Map.of("AWS_ENDPOINT_URL_CONNECT", "http://a", "AWS_ENDPOINT_URL", "http://b")::get).orElseThrow());
        assertEquals(URI.create("http://b"), SignedAwsCall.endpointFromEnvironment("CONNECT",
                Map.of("AWS_ENDPOINT_URL_STS", "http://a", "AWS_ENDPOINT_URL", " http://b ")::get).orElseThrow());
        assertFalse(SignedAwsCall.endpointFromEnvironment("CONNECT", Map.of("AWS_ENDPOINT_URL", " ")::get)
                .isPresent());
    }

    @Test
    void errorTypeSuffixIsDropped() {
        assertEquals("ThrottlingException", SignedAwsCall.errorTypeName("ThrottlingException:http://x/y"));
        assertEquals("AccessDeniedException", SignedAwsCall.errorTypeName(" AccessDeniedException "));
        List<String> retried = new ArrayList<>();
        for (String t : List.of("ThrottlingException", "Throttling", "TooManyRequestsException",
                "AccessDeniedException", "ResourceNotFoundException")) {
            if (SignedAwsCall.retryable(new SignedAwsCall.Answer(400, t, new byte[0]))) {
                retried.add(t.toLowerCase(Locale.ROOT));
            }
        }
        assertEquals(List.of("throttlingexception", "throttling", "toomanyrequestsexception"), retried);
    }
}
