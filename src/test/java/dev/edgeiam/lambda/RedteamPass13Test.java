package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.aws.MotoServer;
import dev.edgeiam.aws.S3AccountView;
import dev.edgeiam.principal.MutableClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;

import static dev.edgeiam.lambda.EdgeHarness.ACCOUNT;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Thirteenth red-team pass (in process). Each {@code R13_n} test states the secure behaviour and failed on main
 * (20b2228) when written; {@code guard_*} tests are regression guards that passed.
 */
class RedteamPass13Test {

    static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test";

    /**
     * R13.1 (medium, wrong Allow): the R12.5 provider check is inert for the {@code s3} policy source (the deployed
     * refresher mode). {@code S3AccountView} does not pass on {@code modelsOpenIdConnectProviders} /
     * {@code openIdConnectProvider} of the view it holds (PolicySource's defaults: "not known"), so the view's
     * {@code OpenIDConnectProviderList} — which the refresher writes — is never read: with the provider deleted
     * (an empty list) or without the token's audience, web-identity tokens are still allowed. STS refuses
     * {@code AssumeRoleWithWebIdentity} (InvalidIdentityToken); the same view through the {@code snapshot} source
     * is refused {@code credential-rejected:no-identity-provider} (OidcProviderViewTest).
     */
    @Test
    void R13_1_theS3AccountViewsOidcProvidersAreChecked() throws Exception {
        try (MotoServer moto = MotoServer.start(); S3Client s3 = moto.s3()) {
            s3.createBucket(r -> r.bucket("view"));
            for (String[] c : new String[][] {{"control: the provider with the token's audience", PROVIDER,
                    "connect-authorizer-dev"}, {"no provider", null, null},
                    {"provider without the token's audience", PROVIDER, "another-client"}}) {
                JsonNode account = RedteamPass12Test.withProvider(OidcProviderViewTest.account(), c[1], c[2]);
                // control: the same view as a snapshot is refused
                JsonNode control = OidcProviderViewTest.answer(dev.edgeiam.aws.SnapshotPolicySource.fromJson(account));
                boolean exists = "connect-authorizer-dev".equals(c[2]);
                assertEquals(exists, allowed(control.get("response")), c[0] + ": snapshot source " + control);
                s3.putObject(r -> r.bucket("view").key("account.json")
                                .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256),
                        RequestBody.fromString(EdgeHarness.JSON.writeValueAsString(account)));
                try (S3AccountView view = new S3AccountView(s3, S3AccountView.Settings.of("view", "account.json",
                        Duration.ofSeconds(10), Duration.ofSeconds(60)), new MutableClock(EdgeHarness.NOW),
                        Runnable::run, null)) {
                    JsonNode a = OidcProviderViewTest.answer(view);
                    if (exists) {
                        assertEquals("allowed", a.path("reason").asText(), c[0] + ": " + a);
                        continue;
                    }
                    assertFalse(allowed(a.get("response")), c[0] + ": STS refuses the token (no IAM OIDC provider"
                            + " with its audience in the view); answered " + a);
                    assertEquals("credential-rejected:no-identity-provider", a.path("reason").asText(), a.toString());
                }
            }
        }
    }
}
