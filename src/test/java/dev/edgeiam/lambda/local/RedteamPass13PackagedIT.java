package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.USER_PATH;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.allowed;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.invoke;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.policy;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.restRequest;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.statement;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgeiam.aws.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Thirteenth red-team pass against the packaged function ({@code target/function.zip} under the Lambda runtime
 * interface client). Run: {@code ./mvnw -B -o verify -Dit.test=RedteamPass13PackagedIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RedteamPass13PackagedIT {

    static final String ACCOUNT = RedteamPass11PackagedIT.ACCOUNT;
    static final String BUCKET = "edgeiam-rt13-view";
    static final String KEY = "views/account.json";
    static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test";

    static MotoServer moto;
    static AwsCredentialsProvider credentials;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        credentials = moto.accountCredentials(ACCOUNT);
        try (S3Client s3 = FleetRun.s3(moto, credentials)) {
            s3.createBucket(r -> r.bucket(BUCKET));
            s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        }
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
    }

    /** Writes the harness account as the refresher's view, its OIDC providers set to {@code providerArn} (or none). */
    static void putView(String providerArn) throws Exception {
        Path file = Files.createTempFile("rt13-", ".json");
        RedteamPass11PackagedIT.snapshot(file, policy(statement("Allow", "connect:*", "*")), Map.of());
        if (providerArn == null) {
            RedteamPass12PackagedIT.providers(file);
        } else {
            RedteamPass12PackagedIT.providers(file, providerArn);
        }
        try (S3Client s3 = FleetRun.s3(moto, credentials)) {
            s3.putObject(r -> r.bucket(BUCKET).key(KEY).serverSideEncryption(ServerSideEncryption.AES256),
                    RequestBody.fromFile(file));
        }
    }

    static LocalLambdaRuntime s3Authorizer() throws Exception {
        AwsSessionCredentials c = (AwsSessionCredentials) credentials.resolveCredentials();
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", c.sessionToken());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        env.put("AUTHORIZER_POLICY_SOURCE", "s3");
        env.put("AUTHORIZER_SNAPSHOT_BUCKET", BUCKET);
        env.put("AUTHORIZER_SNAPSHOT_KEY", KEY);
        env.put("AUTHORIZER_SNAPSHOT_PATH_STYLE", "true");
        env.put("AUTHORIZER_CONNECT_ACCOUNT", ACCOUNT);
        env.put("AUTHORIZER_CACHE_RESULT_TTL", "0");
        return RedteamPass12PackagedIT.runtime(env);
    }

    /**
     * R13.1 (medium, wrong Allow) on the packaged function, {@code s3} source: the refresher's view lists no IAM OIDC
     * identity provider (it was deleted), so STS refuses {@code AssumeRoleWithWebIdentity} for the development
     * issuer's tokens; the function must refuse them ({@code credential-rejected:no-identity-provider}). On main:
     * allowed — {@code S3AccountView} does not pass on the view's {@code OpenIDConnectProviderList}. Control: with
     * the provider listed the same token is allowed.
     */
    @Test
    void R13_1_theS3SourceChecksTheViewsOidcProviders() throws Exception {
        putView(PROVIDER);
        String token = token("agent-edge", Map.of());
        try (LocalLambdaRuntime r = s3Authorizer()) {
            JsonNode control = invoke(r, restRequest(token, "GET", USER_PATH, Map.of()));
            assertTrue(allowed(control), "control (provider listed): " + control);
        }
        putView(null);
        try (LocalLambdaRuntime r = s3Authorizer()) {
            JsonNode a = invoke(r, restRequest(token, "GET", USER_PATH, Map.of()));
            assertEquals("credential-rejected:no-identity-provider", a.path("context").path("reason").asText(),
                    "the view lists no IAM OIDC provider: STS refuses the token; answered " + a);
        }
    }
}
