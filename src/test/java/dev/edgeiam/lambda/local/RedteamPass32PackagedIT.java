package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
