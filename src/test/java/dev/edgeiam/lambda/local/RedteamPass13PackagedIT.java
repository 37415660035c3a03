package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.USER_PATH;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.allowed;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.invoke;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.policy;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.restRequest;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.statement;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.token;
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
            // refused: a 401 (Unauthorized, as for any rejected credential) or a Deny — never an Allow
            assertTrue(!allowed(a) && (a.path("functionError").asBoolean()
                    || a.path("context").path("reason").asText().startsWith("credential-rejected")),
                    "the view lists no IAM OIDC provider: STS refuses the token; answered " + a);
        }
    }

    /**
     * R13.2 (low, wrong Allow) on the packaged function: an HTTP API request whose headers carry two user agents
     * joined ({@code user-agent: good-bot/1,evil-bot/1}) while {@code requestContext.http.userAgent} holds the first
     * is decided with {@code aws:UserAgent = good-bot/1}: a Deny on {@code StringLike aws:UserAgent evil-bot/*} is
     * skipped. The key must be unknown (refused). Control: one good user agent is allowed.
     */
    @Test
    void R13_2_anHttpApiUserAgentHeaderThatDisagreesWithTheContextFieldIsUnknown() throws Exception {
        Path snap = RedteamPass11PackagedIT.snapshot(Files.createTempFile("rt13-", ".json"),
                policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"StringLike\":{\"aws:UserAgent\":\"evil-bot/*\"}}}"),
                Map.of());
        LocalLambdaRuntime r = RedteamPass12PackagedIT.runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0"));
        String token = token("agent-edge", Map.of());
        com.fasterxml.jackson.databind.node.ObjectNode control = RedteamPass12PackagedIT.httpRequest(token, "GET",
                USER_PATH, "", "GET /users/{InstanceId}/{UserId}", java.util.List.of(token));
        ((com.fasterxml.jackson.databind.node.ObjectNode) control.get("headers")).put("user-agent", "good-bot/1");
        ((com.fasterxml.jackson.databind.node.ObjectNode) control.get("requestContext").get("http"))
                .put("userAgent", "good-bot/1");
        assertTrue(allowed(invoke(r, control)), "control: one good user agent is allowed");
        com.fasterxml.jackson.databind.node.ObjectNode e = control.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("headers")).put("user-agent", "good-bot/1,evil-bot/1");
        JsonNode a = invoke(r, e);
        assertTrue(!allowed(a), "headers carry evil-bot/1 too: the Deny may apply; answered " + a.path("context"));
    }

    /**
     * R13.3 (low, wrong Allow) on the packaged function: an HTTP API payload 1.0 event without
     * {@code multiValueHeaders} whose {@code Referer} is {@code https://good.example/,https://evil.example/x} (two
     * headers joined) is decided as one referer: a Deny on {@code StringLike aws:referer https://evil.example/*} is
     * skipped. Secure: refused. Controls: one good referer allowed, the evil one denied.
     */
    @Test
    void R13_3_anHttpPayload10HeaderWithoutMultiValueHeadersMayBeJoined() throws Exception {
        Path snap = RedteamPass11PackagedIT.snapshot(Files.createTempFile("rt13-", ".json"),
                policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"StringLike\":{\"aws:referer\":\"https://evil.example/*\"}}}"),
                Map.of());
        LocalLambdaRuntime r = RedteamPass12PackagedIT.runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0"));
        String token = token("agent-edge", Map.of());
        com.fasterxml.jackson.databind.node.ObjectNode good = restRequest(token, "GET", USER_PATH, Map.of());
        good.put("version", "1.0");
        good.remove("multiValueHeaders");
        ((com.fasterxml.jackson.databind.node.ObjectNode) good.get("headers")).put("Referer", "https://good.example/");
        assertTrue(allowed(invoke(r, good)), "control: one good referer is allowed");
        com.fasterxml.jackson.databind.node.ObjectNode evil = good.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) evil.get("headers")).put("Referer", "https://evil.example/x");
        assertTrue(!allowed(invoke(r, evil)), "control: the evil referer is denied");
        com.fasterxml.jackson.databind.node.ObjectNode joined = good.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) joined.get("headers")).put("Referer",
                "https://good.example/,https://evil.example/x");
        JsonNode a = invoke(r, joined);
        assertTrue(!allowed(a), "the request may carry the denied referer: " + a.path("context"));
    }

    /**
     * R13.4 (low, wrong Allow under clock skew) on the packaged function, TTL 0: an event stamped 6 s after the
     * function's clock, with a Deny until 4 s from now ({@code DateLessThan aws:CurrentTime}): the function answers
     * now (before the Deny ends), yet decides at the stamped second and allows. Secure: the window spans both times,
     * so the Deny refuses. Control: stamped now, the Deny applies.
     */
    @Test
    void R13_4_aRequestTimeAheadOfTheFunctionsClockDoesNotSkipADenyStillInEffect() throws Exception {
        long now = System.currentTimeMillis();
        String until = java.time.Instant.ofEpochSecond(now / 1000 + 4).toString();
        Path snap = RedteamPass11PackagedIT.snapshot(Files.createTempFile("rt13-", ".json"),
                policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"" + until + "\"}}}"),
                Map.of());
        LocalLambdaRuntime r = RedteamPass12PackagedIT.runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0"));
        String token = token("agent-edge", Map.of());
        com.fasterxml.jackson.databind.node.ObjectNode e = restRequest(token, "GET", USER_PATH, Map.of());
        assertTrue(!allowed(invoke(r, e)), "control: stamped now, before " + until + ", the Deny applies");
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("requestContext")).put("requestTimeEpoch",
                System.currentTimeMillis() + 6_000);
        JsonNode a = invoke(r, e);
        long answered = System.currentTimeMillis();
        org.junit.jupiter.api.Assumptions.assumeTrue(answered / 1000 < now / 1000 + 4, "answered before " + until);
        assertTrue(!allowed(a), "answered at " + java.time.Instant.ofEpochMilli(answered) + ", before the Deny ends ("
                + until + "): " + a.path("context"));
    }
}
