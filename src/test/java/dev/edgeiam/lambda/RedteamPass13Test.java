package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;

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

    /**
     * R13.2 (low, wrong Allow): on an HTTP API (payload 2.0) the user agent is taken from
     * {@code requestContext.http.userAgent} when present, and R12.4's comma rule is applied to that value only. A
     * request with two User-Agent headers ({@code good-bot/1} and {@code evil-bot/1}) reaches the function with
     * {@code headers.user-agent = "good-bot/1,evil-bot/1"} (API Gateway joins repeated headers) while the context
     * field may hold one of them: the function decides {@code aws:UserAgent = good-bot/1} and a Deny on
     * {@code StringLike aws:UserAgent evil-bot/*} is skipped. The two sources disagree, so which value AWS reads is
     * not known: the key must be unknown (a Deny that could apply refuses), as for a joined header alone (R12.4).
     */
    @Test
    void R13_2_anHttpApiUserAgentHeaderThatDisagreesWithTheContextFieldIsUnknown() {
        String denyEvil = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
                        + "{\"aws:UserAgent\":\"evil-bot/*\"}}}");
        EdgeHarness h = new EdgeHarness(dev.edgeiam.authorize.CacheModel.NOT_CACHED, denyEvil);
        String token = h.token();
        String path = "/users/" + EdgeHarness.INSTANCE + "/u-1";
        String route = "GET /users/{InstanceId}/{UserId}";
        ObjectNode control = h.httpRequest(token, "GET", path, "", route, java.util.List.of(token));
        ((ObjectNode) control.get("headers")).put("user-agent", "good-bot/1");
        ((ObjectNode) control.get("requestContext").get("http")).put("userAgent", "good-bot/1");
        assertTrue(allowed(h.answer(control)), "control: one good user agent is allowed");
        ObjectNode e = h.httpRequest(token, "GET", path, "", route, java.util.List.of(token));
        ((ObjectNode) e.get("headers")).put("user-agent", "good-bot/1,evil-bot/1");
        ((ObjectNode) e.get("requestContext").get("http")).put("userAgent", "good-bot/1");
        JsonNode a = h.answer(e);
        assertFalse(allowed(a), "the request carries a second User-Agent, evil-bot/1 (headers: good-bot/1,evil-bot/1):"
                + " the Deny may apply; answered " + a.path("context"));
    }

    /**
     * R13.3 (low, wrong Allow): an HTTP API payload 1.0 event that carries no {@code multiValueHeaders} (AWS's
     * payload 1.0 authorizer example shows {@code headers} only) gives one value per header name: a repeated
     * {@code Referer} is either joined with commas or reduced to one value, and the function cannot tell. R12.4 made
     * a comma value unknown on payload 2.0 only ({@code EdgeContextKeys.mayBeJoined}); on 1.0 the joined value
     * {@code https://good.example/,https://evil.example/x} is decided as one referer and a Deny on
     * {@code StringLike aws:referer https://evil.example/*} is skipped. Secure: without {@code multiValueHeaders}
     * a comma value is unknown (refused where a Deny could apply), as on payload 2.0 and as a repeated REST header.
     */
    @Test
    void R13_3_anHttpPayload10HeaderWithoutMultiValueHeadersMayBeJoined() {
        String denyEvil = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
                        + "{\"aws:referer\":\"https://evil.example/*\"}}}");
        EdgeHarness h = new EdgeHarness(dev.edgeiam.authorize.CacheModel.NOT_CACHED, denyEvil);
        String token = h.token();
        String path = "/users/" + EdgeHarness.INSTANCE + "/u-1";
        ObjectNode control = h.restRequest(token, "GET", path, java.util.Map.of(), "198.51.100.23");
        control.put("version", "1.0");
        control.remove("multiValueHeaders");
        ((ObjectNode) control.get("headers")).put("Referer", "https://good.example/");
        assertTrue(allowed(h.answer(control)), "control: one good referer is allowed: " + h.answer(control));
        ObjectNode evil = control.deepCopy();
        ((ObjectNode) evil.get("headers")).put("Referer", "https://evil.example/x");
        assertFalse(allowed(h.answer(evil)), "control: the evil referer is denied");
        ObjectNode e = control.deepCopy();
        ((ObjectNode) e.get("headers")).put("Referer", "https://good.example/,https://evil.example/x");
        JsonNode a = h.answer(e);
        assertFalse(allowed(a), "the request may carry the denied referer (two Referer headers joined): "
                + a.path("context"));
    }

    /**
     * R13.4 (low, wrong Allow under clock skew): with TTL 0 the decision's time is "from the event's request time to
     * the answer" (R12.6), but when the event's {@code requestTimeEpoch} is later than the function's clock (API
     * Gateway's clock ahead of the function's: {@code EdgeAuthorizer.untilAnswered} returns nothing to add) the
     * request is decided at the stamped second alone. A Deny until {@code NOW+1s} ({@code DateLessThan
     * aws:CurrentTime}) is then skipped for an event stamped {@code NOW+2s} answered at {@code NOW}: the Connect call
     * this Allow authorizes may come at any moment from the answer on — by the function's own clock before the Deny
     * ends. Secure: the window spans both times (from the earlier to the later), so the Deny refuses.
     */
    @Test
    void R13_4_aRequestTimeAheadOfTheFunctionsClockDoesNotSkipADenyStillInEffect() {
        java.time.Instant until = EdgeHarness.NOW.plusSeconds(1);
        String embargo = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":"
                        + "{\"aws:CurrentTime\":\"" + until + "\"}}}");
        EdgeHarness h = new EdgeHarness(dev.edgeiam.authorize.CacheModel.NOT_CACHED, embargo);
        String token = h.token();
        String path = "/users/" + EdgeHarness.INSTANCE + "/u-1";
        ObjectNode e = h.restRequest(token, "GET", path, java.util.Map.of(), "198.51.100.23");
        assertFalse(allowed(h.answer(e)), "control: stamped and answered at NOW, the Deny applies");
        ((ObjectNode) e.get("requestContext")).put("requestTimeEpoch", EdgeHarness.NOW.plusSeconds(2).toEpochMilli());
        JsonNode a = h.answer(e);
        assertFalse(allowed(a), "answered at " + h.clock.instant() + ", before the Deny ends (" + until
                + "); the event says " + EdgeHarness.NOW.plusSeconds(2) + ": " + a.path("context"));
    }

    // -- Guards (probes that came out safe; each can fail) ----------------------------------------------------------

    /**
     * Guard for the R13.4 fix (and R12.6): an event stamped after the function's clock must still be answered — no
     * inverted time window, no exception — and a policy without a time condition, or with one far from both times,
     * is allowed as before (the fix must not over-refuse).
     */
    @Test
    void guard_anEventStampedAheadOfTheClockIsStillAnsweredAndNotOverRefused() {
        String far = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":"
                        + "{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}}");
        for (String p : new String[] {policy(statement("Allow", "connect:*", "*")), far}) {
            EdgeHarness h = new EdgeHarness(dev.edgeiam.authorize.CacheModel.NOT_CACHED, p);
            String token = h.token();
            ObjectNode e = h.restRequest(token, "GET", "/users/" + EdgeHarness.INSTANCE + "/u-1", java.util.Map.of(),
                    "198.51.100.23");
            for (long ahead : new long[] {1, 999, 2_000, 3_600_000}) {
                ((ObjectNode) e.get("requestContext")).put("requestTimeEpoch",
                        EdgeHarness.NOW.toEpochMilli() + ahead);
                JsonNode a = h.answer(e);
                assertTrue(allowed(a), "stamped " + ahead + " ms ahead: " + a);
            }
        }
    }

    /**
     * Guard for the R13.1 fix: an {@code s3} view that does not carry {@code OpenIDConnectProviderList} (a refresher
     * older than R12.5) leaves the configured issuer trusted, as documented for the {@code snapshot} source — the fix
     * reads the member, it does not refuse every token.
     */
    @Test
    void guard_anS3ViewWithoutTheProviderMemberLeavesTheIssuerTrusted() throws Exception {
        try (MotoServer moto = MotoServer.start(); S3Client s3 = moto.s3()) {
            s3.createBucket(r -> r.bucket("view"));
            s3.putObject(r -> r.bucket("view").key("account.json")
                            .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256),
                    RequestBody.fromString(EdgeHarness.JSON.writeValueAsString(OidcProviderViewTest.account())));
            try (S3AccountView view = new S3AccountView(s3, S3AccountView.Settings.of("view", "account.json",
                    Duration.ofSeconds(10), Duration.ofSeconds(60)), new MutableClock(EdgeHarness.NOW),
                    Runnable::run, null)) {
                JsonNode a = OidcProviderViewTest.answer(view);
                assertEquals("allowed", a.path("reason").asText(), a.toString());
            }
        }
    }
}
