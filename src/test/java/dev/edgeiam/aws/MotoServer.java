package dev.edgeiam.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code moto_server} subprocess on a free 127.0.0.1 port, for the tests of this package: started once per test
 * class, reset between tests ({@code POST /moto-api/reset}), killed at the end.
 */
public final class MotoServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        File log = new File("target/moto-server-" + port + ".log");
        log.getParentFile().mkdirs();
        Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log).start();
        MotoServer server = new MotoServer(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("moto_server exited with " + p.exitValue() + "; see " + log);
            }
            if (server.request("GET", "/moto-api/") == 200) {
                return server;
            }
            Thread.sleep(200);
        }
        server.close();
        throw new IOException("moto_server did not answer on port " + port + " within 60 s; see " + log);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public void reset() throws IOException {
        int status = request("POST", "/moto-api/reset");
        if (status != 200) {
            throw new IOException("moto reset answered " + status);
        }
    }

    private int request(String method, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint().resolve(path).toURL().openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            if (method.equals("POST")) {
                c.setDoOutput(true);
                c.getOutputStream().close();
            }
            int status = c.getResponseCode();
            c.getInputStream().readAllBytes();
            c.disconnect();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    /** An IAM client on this server: fake static credentials, url-connection client, no retries. */
    public IamClient iam(ExecutionInterceptor... interceptors) {
        return IamClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> {
                    c.retryStrategy(AwsRetryStrategy.doNotRetry());
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                })
                .build();
    }

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    /**
     * An IAM client of another account that retries as a production client does (the SDK's standard retry strategy,
     * which retries a 500), with more attempts: moto 5.2.1 serializes an account's user list while a concurrent
     * {@code CreateUser} may change it, and answers that read 500 ({@code RuntimeError: dictionary changed size during
     * iteration} in its log). For tests that race IAM writes against reads and count no calls.
     */
    public IamClient iamRetrying(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        return IamClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> c.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(8).build()))
                .build();
    }

    /** An IAM client of another account: moto keeps one IAM per account and maps assumed-role credentials to it. */
    public IamClient iam(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials,
                  ExecutionInterceptor... interceptors) {
        return IamClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> {
                    c.retryStrategy(AwsRetryStrategy.doNotRetry());
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                }).build();
    }

    /** Credentials of {@code accountId} (an {@code AssumeRole} into it; moto answers any role ARN). */
    public software.amazon.awssdk.auth.credentials.AwsCredentialsProvider accountCredentials(String accountId) {
        try (software.amazon.awssdk.services.sts.StsClient sts = software.amazon.awssdk.services.sts.StsClient.builder()
                .endpointOverride(endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            software.amazon.awssdk.services.sts.model.Credentials c = sts.assumeRole(r -> r
                    .roleArn("arn:aws:iam::" + accountId + ":role/test-access").roleSessionName("tests")).credentials();
            return StaticCredentialsProvider.create(software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                    c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
        }
    }

    /** An S3 client on this server (path-style addressing), default account, no retries. */
    public software.amazon.awssdk.services.s3.S3Client s3(ExecutionInterceptor... interceptors) {
        return software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(endpoint())
                .region(Region.US_EAST_1).forcePathStyle(true).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> {
                    c.retryStrategy(AwsRetryStrategy.doNotRetry());
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                }).build();
    }

    /** An AWS Organizations client on this server, as the default account (the management account of tests). */
    public software.amazon.awssdk.services.organizations.OrganizationsClient organizations(ExecutionInterceptor... interceptors) {
        return software.amazon.awssdk.services.organizations.OrganizationsClient.builder().endpointOverride(endpoint())
                .region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(c -> {
                    c.retryStrategy(AwsRetryStrategy.doNotRetry());
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                }).build();
    }

    /** The aws CLI environment for this server (fake credentials). */
    Map<String, String> cliEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_DEFAULT_REGION", "us-east-1");
    }

    /**
     * An endpoint in front of moto for presigned requests. moto_server picks the service from the
     * {@code Authorization} header's credential scope (or the body), never from the Host; a presigned GET carries its
     * scope in the {@code X-Amz-Credential} query parameter instead, so moto would answer it as S3. This shim
     * copies that parameter into an {@code Authorization} header and forwards the request unchanged otherwise —
     * standing in for AWS's host-based routing. Production code sends the presigned URL as is.
     */
    synchronized URI presignedEndpoint() throws IOException {
        if (shim == null) {
            shim = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            shim.createContext("/", exchange -> {
                String query = exchange.getRequestURI().getRawQuery();
                String credential = "";
                for (String pair : query == null ? new String[0] : query.split("&")) {
                    if (pair.startsWith("X-Amz-Credential=")) {
                        credential = java.net.URLDecoder.decode(pair.substring(17),
                                java.nio.charset.StandardCharsets.UTF_8);
                    }
                }
                try {
                    java.net.http.HttpResponse<byte[]> r = forwarder.send(java.net.http.HttpRequest.newBuilder(URI.create(endpoint() + "/?" + query)).GET()
                            .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + credential
                                    + ", SignedHeaders=host, Signature=presigned").build(),
                            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                    try (var out = exchange.getResponseBody()) {
                        out.write(r.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                }
            });
            shim.start();
        }
        return URI.create("http://127.0.0.1:" + shim.getAddress().getPort());
    }

    private com.sun.net.httpserver.HttpServer shim;
    private final java.net.http.HttpClient forwarder = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(2)).build();

    int port() {
        return port;
    }

    @Override
    public void close() {
        if (shim != null) {
            shim.stop(0);
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts the requests an IAM client sends, by operation name. */
    public static final class CallCounter implements ExecutionInterceptor {
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            calls.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
        }

        /** The counts so far, sorted by operation, and reset to zero. */
        public Map<String, Integer> take() {
            Map<String, Integer> out = new TreeMap<>();
            calls.forEach((k, v) -> {
                int n = v.getAndSet(0);
                if (n > 0) {
                    out.put(k, n);
                }
            });
            return out;
        }

        public int total() {
            return calls.values().stream().mapToInt(AtomicInteger::get).sum();
        }
    }
}
