package dev.edgeiam.lambda.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.aws.MotoServer;
import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet wiring of the packaged {@code function.zip}: the same artifact started twice under the Lambda runtime
 * interface client — once as the refresher ({@code QUARKUS_LAMBDA_HANDLER=refresher}), once as an authorizer with
 * {@code AUTHORIZER_POLICY_SOURCE=s3} — against one {@code moto_server} holding the sample account in IAM and the
 * view bucket in S3. Configuration by environment, handler selection, the S3 client (path-style on moto), the
 * refresher's write and the instance's revalidation and {@code viewVersion} log field are checked end to end.
 */
class PackagedFleetIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern VIEW = Pattern.compile("\"viewVersion\":\"([^\"]+)\"");
    static MotoServer moto;
    static IamClient iam;
    static LocalLambdaRuntime refresher;
    static LocalLambdaRuntime authorizer;
    static final ByteArrayOutputStream REFRESHER_OUT = new ByteArrayOutputStream();
    static final ByteArrayOutputStream AUTHORIZER_OUT = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        AwsCredentialsProvider credentials = moto.accountCredentials(FleetRun.ACCOUNT);
        iam = moto.iam(credentials);
        FleetRun.SampleAccount.create(iam, Path.of("src/main/resources/snapshot/sample-account.json"));
        try (var s3 = FleetRun.s3(moto, credentials)) {
            s3.createBucket(r -> r.bucket(FleetRun.BUCKET));
            s3.putBucketVersioning(r -> r.bucket(FleetRun.BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        }
        AwsSessionCredentials c = (AwsSessionCredentials) credentials.resolveCredentials();
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", c.sessionToken());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AUTHORIZER_SNAPSHOT_BUCKET", FleetRun.BUCKET);
        env.put("AUTHORIZER_SNAPSHOT_PATH_STYLE", "true");
        env.put("AUTHORIZER_CONNECT_ACCOUNT", FleetRun.ACCOUNT);
        Path zip = Path.of(System.getProperty("lambda.function.zip", "target/function.zip"));
        Path ric = Path.of(System.getProperty("lambda.ric.dir", "target/lambda-ric"));
        Map<String, String> refresherEnv = new HashMap<>(env);
        refresherEnv.put("QUARKUS_LAMBDA_HANDLER", "refresher");
        refresher = LocalLambdaRuntime.start(zip, ric, REFRESHER_OUT, refresherEnv);
        Map<String, String> authorizerEnv = new HashMap<>(env);
        authorizerEnv.put("AUTHORIZER_POLICY_SOURCE", "s3");
        authorizerEnv.put("AUTHORIZER_SNAPSHOT_REVALIDATE", "PT1S");
        authorizer = LocalLambdaRuntime.start(zip, ric, AUTHORIZER_OUT, authorizerEnv);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {authorizer, refresher, iam, moto}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    static JsonNode invoke(LocalLambdaRuntime runtime, byte[] event) throws Exception {
        Invocation i = runtime.invoke(event, Duration.ofSeconds(60));
        assertFalse(i.error(), () -> "function error: " + i.bodyText() + "\n" + output());
        return JSON.readTree(i.body());
    }

    static String output() {
        synchronized (AUTHORIZER_OUT) {
            return AUTHORIZER_OUT.toString(StandardCharsets.UTF_8) + REFRESHER_OUT.toString(StandardCharsets.UTF_8);
        }
    }

    /** The viewVersion of the authorizer's last decision line. */
    static String lastViewVersion() throws InterruptedException {
        Thread.sleep(200); // the runtime's output is copied by a pump thread
        String log;
        synchronized (AUTHORIZER_OUT) {
            log = AUTHORIZER_OUT.toString(StandardCharsets.UTF_8);
        }
        Matcher m = VIEW.matcher(log);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    @Test
    void theRefresherWritesTheViewAndTheAuthorizerFollowsAnIamChange() throws Exception {
        byte[] request = Files.readAllBytes(Path.of("events/rest-request.json"));
        JsonNode first = invoke(refresher, Files.readAllBytes(Path.of("events/scheduled-refresh.json")));
        assertEquals("WRITTEN", first.path("status").asText(), first.toString());
        String v1 = first.path("version").asText();

        assertEquals("Allow", invoke(authorizer, request).path("context").path("decision").asText());
        assertEquals(v1, lastViewVersion());

        iam.putRolePolicy(r -> r.roleName(FleetRun.ROLE).policyName("FleetRunRevoke").policyDocument(FleetRun.REVOKE));
        JsonNode change = invoke(refresher, FleetRun.cloudTrail("PutRolePolicy"));
        assertEquals("WRITTEN", change.path("status").asText(), change.toString());
        String v2 = change.path("version").asText();
        assertNotEquals(v1, v2);

        // Within about one revalidation interval (1 s here) the instance decides with the new view.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String decision;
        do {
            Thread.sleep(300);
            decision = invoke(authorizer, request).path("context").path("decision").asText();
        } while (!decision.equals("Deny") && System.nanoTime() < deadline);
        assertEquals("Deny", decision, output());
        assertEquals(v2, lastViewVersion());

        JsonNode other = invoke(refresher, request);
        assertEquals("UnrecognizedEvent", other.path("errorCode").asText());
        assertTrue(output().contains("\"eventKind\":\"refresh\""));
    }
}
