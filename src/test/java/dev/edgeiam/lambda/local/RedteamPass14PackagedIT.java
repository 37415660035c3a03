package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.USER_PATH;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.allowed;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.invoke;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.restRequest;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.token;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgeiam.aws.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Fourteenth red-team pass against the packaged function ({@code target/function.zip} under the Lambda runtime
 * interface client). Run: {@code ./mvnw -B -o verify -Dit.test=RedteamPass14PackagedIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}. Reuses RedteamPass13PackagedIT's view helpers on its own moto server.
 */
class RedteamPass14PackagedIT {

    @BeforeAll
    static void start() throws Exception {
        RedteamPass13PackagedIT.start();
    }

    @AfterAll
    static void stop() {
        RedteamPass13PackagedIT.stop();
    }

    /** The s3 source with a short revalidation (1 s) and staleness bound (max-stale 3 s), TTL 0. */
    static LocalLambdaRuntime s3Authorizer() throws Exception {
        AwsSessionCredentials c = (AwsSessionCredentials) RedteamPass13PackagedIT.credentials.resolveCredentials();
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", c.sessionToken());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL", RedteamPass13PackagedIT.moto.endpoint().toString());
        env.put("AUTHORIZER_POLICY_SOURCE", "s3");
        env.put("AUTHORIZER_SNAPSHOT_BUCKET", RedteamPass13PackagedIT.BUCKET);
        env.put("AUTHORIZER_SNAPSHOT_KEY", RedteamPass13PackagedIT.KEY);
        env.put("AUTHORIZER_SNAPSHOT_PATH_STYLE", "true");
        env.put("AUTHORIZER_SNAPSHOT_REVALIDATE", "PT1S");
        env.put("AUTHORIZER_SNAPSHOT_MAX_STALE", "PT3S");
        env.put("AUTHORIZER_CONNECT_ACCOUNT", RedteamPass13PackagedIT.ACCOUNT);
        env.put("AUTHORIZER_CACHE_RESULT_TTL", "0");
        return RedteamPass12PackagedIT.runtime(env);
    }

    /**
     * R14.1 (low-medium, stale Allow past the documented bound) on the packaged function, {@code s3} source: a token
     * allowed (and remembered) while the view listed the issuer's IAM OIDC provider; the provider is deleted and the
     * refresher writes a view without it; the instance is idle for longer than {@code max-stale} (3 s here, 1 min by
     * default), past which "decisions wait for S3 and fail closed". The next request with the same token must be
     * refused (STS refuses the token: InvalidIdentityToken). On main: allowed — the remembered verification from the
     * old view is taken before the view is re-read, and the Allow is logged with the new view's version.
     */
    @Test
    void R14_1_aRememberedVerificationDoesNotOutliveTheViewsStalenessBound() throws Exception {
        RedteamPass13PackagedIT.putView(RedteamPass13PackagedIT.PROVIDER);
        String token = token("agent-edge", Map.of());
        try (LocalLambdaRuntime r = s3Authorizer()) {
        for (int i = 0; i < 3; i++) { // the first may verify while the view is first loaded (not remembered then)
            JsonNode control = invoke(r, restRequest(token, "GET", USER_PATH, Map.of()));
            assertTrue(allowed(control), "control (provider listed): " + control);
        }
        RedteamPass13PackagedIT.putView(null); // DeleteOpenIDConnectProvider, as the refresher writes it
        Thread.sleep(4_500); // idle past max-stale: the old view may no longer decide
        JsonNode a = invoke(r, restRequest(token, "GET", USER_PATH, Map.of()));
        assertFalse(allowed(a), "the view that vouched for the token was last confirmed more than max-stale ago and"
                + " the current view lists no IAM OIDC provider: STS refuses the token; answered " + a);
        }
    }

    /**
     * Guard (passes): within max-stale the stale view may decide (documented), and the request after the new view
     * is loaded is refused. Fails if the view change stops forgetting remembered verifications or provider look-ups.
     */
    @Test
    void guard_theRequestAfterTheNewViewIsLoadedIsRefused() throws Exception {
        RedteamPass13PackagedIT.putView(RedteamPass13PackagedIT.PROVIDER);
        String token = token("agent-edge", Map.of());
        try (LocalLambdaRuntime r = s3Authorizer()) {
        for (int i = 0; i < 3; i++) {
            assertTrue(allowed(invoke(r, restRequest(token, "GET", USER_PATH, Map.of()))), "control");
        }
        RedteamPass13PackagedIT.putView(null);
        Thread.sleep(1_500); // past revalidate, within max-stale
        invoke(r, restRequest(token, "GET", USER_PATH, Map.of())); // decided on the view it has; revalidates
        JsonNode a = null;
        for (int i = 0; i < 20; i++) {
            Thread.sleep(100);
            a = invoke(r, restRequest(token, "GET", USER_PATH, Map.of()));
            if (!allowed(a)) {
                break;
            }
        }
        assertFalse(allowed(a), "the new view lists no provider: refused once it is loaded; answered " + a);
        }
    }
}
