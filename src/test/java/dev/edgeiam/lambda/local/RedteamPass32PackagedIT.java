package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.edgeiam.aws.MotoServer;
import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Red-team pass 32 against the packaged function ({@code target/function.zip} under the Lambda runtime interface
 * client, started as Lambda starts a SnapStart version): the {@code s3} policy source across the snapshot.
 *
 * <p><b>R32.1</b>: the init of a SnapStart version read the account view from S3 (the services' first use, by
 * priming, prefetched it) and the restore did not forget it; a restored instance then decided with the view of the
 * snapshot, confirmed "recently" by the clock of the snapshot, for up to the maximum staleness (60 s by default) —
 * an Allow for a caller whose access had been revoked in the account before the restore, which a normally started
 * instance denies. A snapshot also lives far longer than max-stale: any view in it is of unknown age. Fixed: during a
 * SnapStart init nothing is read from S3 (and so no credentials are resolved for it); the restore hook forgets any
 * view ({@code S3AccountView.forget}, a read still running then sets nothing) and reads S3 again, and the first
 * decision waits for that read. This test failed before the fix (S3 read before the snapshot; Allow after the
 * restore) and passes since.
 *
 * <p><b>R32.2</b> (low severity): with active tracing the init opened the X-Ray UDP socket, which a snapshot then
 * holds for every restored instance; it is now opened at the first traced call. The other policy sources, with priming
 * on and off, are held to the same rule: nothing requested from AWS, the credentials endpoint or the issuer before the
 * snapshot, no socket but the runtime's own, and a revocation made while the snapshot waits decides the first request.
 *
 * <p>Run: {@code ./mvnw -B -o -q verify -Dit.test=RedteamPass32PackagedIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RedteamPass32PackagedIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VIEW = Pattern.compile("\"viewVersion\":\"([^\"]+)\"");

    @Test
    void aViewWrittenWhileTheSnapshotWaitsDecidesTheFirstRequestAfterTheRestore() throws Exception {
        Path zip = Path.of(System.getProperty("lambda.function.zip", "target/function.zip"));
        Path ric = Path.of(System.getProperty("lambda.ric.dir", "target/lambda-ric"));
        ByteArrayOutputStream refresherOut = new ByteArrayOutputStream();
        ByteArrayOutputStream authorizerOut = new ByteArrayOutputStream();
        byte[] request = Files.readAllBytes(Path.of("events/rest-request.json"));
        try (MotoServer moto = MotoServer.start()) {
            AwsCredentialsProvider credentials = moto.accountCredentials(FleetRun.ACCOUNT);
            Map<String, String> env = new HashMap<>();
            try (IamClient iam = moto.iam(credentials);
                 var s3 = FleetRun.s3(moto, credentials);
                 FleetRun.CountingProxy authorizerProxy = new FleetRun.CountingProxy(moto.endpoint(), null)) {
                FleetRun.SampleAccount.create(iam, Path.of("src/main/resources/snapshot/sample-account.json"));
                s3.createBucket(r -> r.bucket(FleetRun.BUCKET));
                s3.putBucketVersioning(r -> r.bucket(FleetRun.BUCKET)
                        .versioningConfiguration(v -> v.status("Enabled")));
                AwsSessionCredentials c = (AwsSessionCredentials) credentials.resolveCredentials();
                env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
                env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
                env.put("AWS_SESSION_TOKEN", c.sessionToken());
                env.put("AWS_REGION", "us-east-1");
                env.put("AUTHORIZER_SNAPSHOT_BUCKET", FleetRun.BUCKET);
                env.put("AUTHORIZER_SNAPSHOT_PATH_STYLE", "true");
                env.put("AUTHORIZER_CONNECT_ACCOUNT", FleetRun.ACCOUNT);
                Map<String, String> refresherEnv = new HashMap<>(env);
                refresherEnv.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
                refresherEnv.put("QUARKUS_LAMBDA_HANDLER", "refresher");
                Map<String, String> authorizerEnv = new HashMap<>(env);
                authorizerEnv.put("AWS_ENDPOINT_URL", authorizerProxy.uri().toString());
                authorizerEnv.put("AUTHORIZER_POLICY_SOURCE", "s3");
                try (LocalLambdaRuntime refresher = LocalLambdaRuntime.start(zip, ric, refresherOut, refresherEnv)) {
                    JsonNode first = answer(refresher, Files.readAllBytes(Path.of("events/scheduled-refresh.json")),
                            refresherOut);
                    assertEquals("WRITTEN", first.path("status").asText(), first.toString());
                    String before = first.path("version").asText();

                    try (LocalLambdaRuntime authorizer = LocalLambdaRuntime.startSnapStartHeld(zip, ric,
                            authorizerOut, authorizerEnv)) {
                        authorizer.awaitRestoreAsked(Duration.ofSeconds(120));
                        assertEquals(Map.of(), authorizerProxy.peek(),
                                "nothing read from AWS before the snapshot\n" + text(authorizerOut));

                        // While the snapshot waits, the caller's access is revoked and the refresher writes the view.
                        iam.putRolePolicy(r -> r.roleName(FleetRun.ROLE).policyName("FleetRunRevoke")
                                .policyDocument(FleetRun.REVOKE));
                        JsonNode change = answer(refresher, FleetRun.cloudTrail("PutRolePolicy"), refresherOut);
                        assertEquals("WRITTEN", change.path("status").asText(), change.toString());
                        String after = change.path("version").asText();
                        assertNotEquals(before, after);

                        authorizer.releaseRestore();
                        JsonNode decided = answer(authorizer, request, authorizerOut);
                        assertEquals("Deny", decided.path("context").path("decision").asText(),
                                decided + "\n" + text(authorizerOut));
                        assertEquals(after, lastViewVersion(authorizerOut), text(authorizerOut));
                        assertTrue(authorizerProxy.peek().containsKey("s3 GET"), authorizerProxy.peek().toString());
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "source {0}, priming {1}")
    @CsvSource({"iam, true", "snapshot-live, false"})
    void theOtherSourcesNeitherCallNorHoldASocketBeforeTheSnapshot(String source, String priming) throws Exception {
        Path zip = Path.of(System.getProperty("lambda.function.zip", "target/function.zip"));
        Path ric = Path.of(System.getProperty("lambda.ric.dir", "target/lambda-ric"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] request = Files.readAllBytes(Path.of("events/rest-request.json"));
        try (MotoServer moto = MotoServer.start()) {
            AwsCredentialsProvider credentials = moto.accountCredentials(FleetRun.ACCOUNT);
            AwsSessionCredentials c = (AwsSessionCredentials) credentials.resolveCredentials();
            String containerCredentials = "{\"AccessKeyId\":\"" + c.accessKeyId() + "\",\"SecretAccessKey\":\""
                    + c.secretAccessKey() + "\",\"Token\":\"" + c.sessionToken()
                    + "\",\"Expiration\":\"2099-01-01T00:00:00Z\"}";
            try (IamClient iam = moto.iam(credentials);
                 FleetRun.CountingProxy aws = new FleetRun.CountingProxy(moto.endpoint(), null);
                 CountingEndpoint jwks = new CountingEndpoint(
                         Files.readString(Path.of("target/test-classes/dev-keys/jwks.json")));
                 CountingEndpoint credentialsEndpoint = new CountingEndpoint(containerCredentials);
                 DatagramSocket xray = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                FleetRun.SampleAccount.create(iam, Path.of("src/main/resources/snapshot/sample-account.json"));
                AtomicInteger datagrams = new AtomicInteger();
                Thread.ofPlatform().daemon().start(() -> {
                    byte[] buffer = new byte[65_536];
                    while (!xray.isClosed()) {
                        try {
                            xray.receive(new DatagramPacket(buffer, buffer.length));
                            datagrams.incrementAndGet();
                        } catch (java.io.IOException e) {
                            return;
                        }
                    }
                });
                Map<String, String> env = new HashMap<>();
                env.put("AWS_REGION", "us-east-1");
                env.put("AWS_ENDPOINT_URL", aws.uri().toString());
                // no keys in the environment: credentials only from this endpoint, so a look-up is seen
                env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", credentialsEndpoint.url());
                env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "edgeiam-test");
                env.put("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:" + xray.getLocalPort());
                env.put("AUTHORIZER_CONNECT_ACCOUNT", FleetRun.ACCOUNT);
                env.put("AUTHORIZER_JWKS_URL", jwks.url());
                env.put("AUTHORIZER_ISSUER", dev.edgeiam.identity.DevTokens.ISSUER);
                env.put("AUTHORIZER_AUDIENCE", dev.edgeiam.identity.DevTokens.AUDIENCE);
                env.put("AUTHORIZER_SNAPSTART_PRIMING", priming);
                if (source.equals("snapshot-live")) {
                    env.put("AUTHORIZER_POLICY_SOURCE", "snapshot");
                    env.put("AUTHORIZER_SNAPSHOT_LIVE", "true");
                } else {
                    env.put("AUTHORIZER_POLICY_SOURCE", source);
                }
                try (LocalLambdaRuntime authorizer = LocalLambdaRuntime.startSnapStartHeld(zip, ric, out, env)) {
                    authorizer.awaitRestoreAsked(Duration.ofSeconds(120));
                    String requested = "aws " + aws.peek() + ", credentials " + credentialsEndpoint.hits.get()
                            + ", JWKS " + jwks.hits.get() + ", X-Ray datagrams " + datagrams.get();
                    assertEquals("aws {}, credentials 0, JWKS 0, X-Ray datagrams 0", requested,
                            "before the snapshot\n" + text(out));
                    assertEquals(List.of(),
                            foreignSockets(authorizer.processHandle().pid(), authorizer.runtimeApiPort()),
                            "sockets held at the snapshot point besides the runtime's own connection");

                    iam.putRolePolicy(r -> r.roleName(FleetRun.ROLE).policyName("FleetRunRevoke")
                            .policyDocument(FleetRun.REVOKE));
                    authorizer.releaseRestore();
                    JsonNode decided = answer(authorizer, request, out);
                    assertEquals("Deny", decided.path("context").path("decision").asText(),
                            decided + "\n" + text(out));
                    assertEquals("explicit-deny", decided.path("context").path("reason").asText(), decided.toString());
                    assertTrue(credentialsEndpoint.hits.get() > 0 && jwks.hits.get() > 0,
                            "read after the restore: credentials " + credentialsEndpoint.hits + ", JWKS " + jwks.hits);
                }
            }
        }
    }

    /**
     * The process's TCP and UDP sockets (Linux {@code /proc}) other than its connections to the Runtime API, as
     * "protocol local -> remote".
     */
    private static List<String> foreignSockets(long pid, int runtimeApiPort) throws Exception {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // the descriptor was closed while listing
                }
            }
        }
        String runtimeApi = String.format(":%04X", runtimeApiPort);
        List<String> foreign = new ArrayList<>();
        for (String protocol : List.of("tcp", "tcp6", "udp", "udp6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/" + protocol));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (inodes.contains(f[9]) && !(protocol.startsWith("tcp") && f[2].endsWith(runtimeApi))) {
                    foreign.add(protocol + " " + f[1] + " -> " + f[2]);
                }
            }
        }
        return foreign;
    }

    /** A loopback HTTP endpoint answering every request with one JSON body, and counting them. */
    private static final class CountingEndpoint implements AutoCloseable {
        private final HttpServer server;
        final AtomicInteger hits = new AtomicInteger();

        CountingEndpoint(String body) throws java.io.IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", exchange -> {
                try (exchange) {
                    hits.incrementAndGet();
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/endpoint";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static JsonNode answer(LocalLambdaRuntime runtime, byte[] event, ByteArrayOutputStream out)
            throws Exception {
        Invocation i = runtime.invoke(event, Duration.ofSeconds(60));
        assertFalse(i.error(), () -> "function error: " + i.bodyText() + "\n" + text(out));
        return JSON.readTree(i.body());
    }

    private static String lastViewVersion(ByteArrayOutputStream out) throws InterruptedException {
        Thread.sleep(200); // the runtime's output is copied by a pump thread
        Matcher m = VIEW.matcher(text(out));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
