package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.aws.MotoServer;
import dev.edgeiam.aws.S3AccountView;
import dev.edgeiam.principal.CurrentViewResolver;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.principal.PrincipalCache;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.time.Duration;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.ACCOUNT;
import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static dev.edgeiam.lambda.RedteamPass8Test.USER_PATH;
import static dev.edgeiam.lambda.RedteamPass8Test.identity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fourteenth red-team pass (in process). Each {@code R14_n} test states the secure behaviour and failed on main
 * (5fcca3b) when written; {@code guard_*} tests are regression guards that passed.
 */
class RedteamPass14Test {

    static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test";
    static final Duration REVALIDATE = Duration.ofSeconds(10);
    static final Duration MAX_STALE = Duration.ofSeconds(60);

    /** The s3 deployment as {@code LambdaBeans.AuthorizerServices.create} wires it (TTL 0), on a hand-moved clock. */
    record S3Deployed(MutableClock clock, S3AccountView view, GatewayAuthorizer gateway) implements AutoCloseable {

        static S3Deployed over(S3Client s3) {
            MutableClock clock = new MutableClock(EdgeHarness.NOW);
            S3AccountView view = new S3AccountView(s3, S3AccountView.Settings.of("view", "account.json", REVALIDATE,
                    MAX_STALE), clock, Runnable::run, null);
            RefreshablePolicySource source = new RefreshablePolicySource(() -> view);
            PrincipalCache cache = PrincipalCache.create(source, PrincipalCache.Settings.DEFAULTS, clock);
            CurrentViewResolver principals = new CurrentViewResolver(view, cache);
            dev.edgeiam.identity.PolicySourceDirectory directory = new dev.edgeiam.identity.PolicySourceDirectory(
                    source, ACCOUNT, clock, Duration.ofMinutes(5));
            GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization",
                            null, false, new dev.edgeiam.connect.ArnContext("aws", EdgeHarness.REGION, ACCOUNT),
                            CacheModel.NOT_CACHED),
                    dev.edgeiam.identity.CallerIdentityResolver.create(identity(Map.of()), clock, directory,
                            cache, null),
                    principals, dev.edgeiam.connect.RouteTable.defaultTable(), arn -> Map.of(),
                    source::managedPolicyText, clock);
            view.onViewChange((from, to) -> { // as LambdaBeans
                cache.invalidateAll();
                directory.invalidateAll();
                gateway.forgetVerifiedCredentials();
            });
            view.prefetch();
            return new S3Deployed(clock, view, gateway);
        }

        @Override
        public void close() {
            view.close();
        }
    }

    static void putView(S3Client s3, JsonNode account) throws Exception {
        s3.putObject(r -> r.bucket("view").key("account.json").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString(EdgeHarness.JSON.writeValueAsString(account)));
    }

    /**
     * R14.1 (low-medium, stale Allow past the documented staleness bound): the {@code s3} source promises that a view
     * decides at most {@code max-stale} (default 1 min) after S3 last confirmed it — past it "decisions wait for S3
     * and fail closed", and the refresher's second stage-cache flush comes at that bound. But a remembered token
     * verification (VerifiedCredentials, up to 5 min) is derived from the view in use when it was verified (the
     * role's trust policy, R12.5's IAM OIDC provider check), and {@code GatewayAuthorizer.answer} takes it
     * (line 157) <i>before</i> {@code CurrentViewResolver} asks for the current view (line 172). Sequence: view v1
     * lists the issuer's provider; the token is allowed and remembered; IAM {@code DeleteOpenIDConnectProvider}, the
     * refresher writes v2 without it; no request for more than {@code max-stale}; the same token again: the stale
     * verification is used, the wait for S3 loads v2 (and clears the remembered verifications — too late for this
     * request), and the answer is <b>Allow</b> although STS refuses the token (InvalidIdentityToken) and the view
     * that vouched for it was last confirmed past the bound. With a TTL this Allow is cached after the refresher's
     * last flush. Secure: a decision past the bound uses no verification remembered from an older view (refused
     * {@code credential-rejected:no-identity-provider}).
     */
    @Test
    void R14_1_aRememberedVerificationDoesNotOutliveTheViewsStalenessBound() throws Exception {
        try (MotoServer moto = MotoServer.start(); S3Client s3 = moto.s3()) {
            s3.createBucket(r -> r.bucket("view"));
            putView(s3, RedteamPass12Test.withProvider(OidcProviderViewTest.account(), PROVIDER,
                    "connect-authorizer-dev"));
            try (S3Deployed d = S3Deployed.over(s3)) {
                EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED,
                        policy(statement("Allow", "connect:*", "*")));
                String token = events.token();
                JsonNode before = d.gateway().answer(events.restRequest(token, "GET", USER_PATH, Map.of(), IP))
                        .response();
                assertTrue(allowed(before), "control: provider listed: " + before);

                putView(s3, RedteamPass12Test.withProvider(OidcProviderViewTest.account(), null, null));
                d.clock().advance(MAX_STALE.plusSeconds(1)); // v1 may no longer decide
                EventDispatcher.Answer answered = d.gateway().answer(events.restRequest(token, "GET", USER_PATH,
                        Map.of(), IP));
                JsonNode after = answered.response();
                assertFalse(allowed(after), "the view that listed the provider was confirmed more than max-stale"
                        + " ago and the current view lists none: STS refuses the token, yet answered " + after);
                assertEquals("credential-rejected:no-identity-provider", answered.logFields().reason(),
                        answered.logFields().toString());
            }
        }
    }

    /**
     * Guard (passes): within max-stale the old view may still decide (documented); the request after v2 is loaded is
     * decided on v2 (the view change forgot the remembered
     * verification). Fails if the {@code onViewChange} listener stops forgetting verified credentials or provider
     * look-ups.
     */
    @Test
    void guard_afterTheNewViewIsLoadedTheTokenIsRefused() throws Exception {
        try (MotoServer moto = MotoServer.start(); S3Client s3 = moto.s3()) {
            s3.createBucket(r -> r.bucket("view"));
            putView(s3, RedteamPass12Test.withProvider(OidcProviderViewTest.account(), PROVIDER,
                    "connect-authorizer-dev"));
            try (S3Deployed d = S3Deployed.over(s3)) {
                EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED,
                        policy(statement("Allow", "connect:*", "*")));
                String token = events.token();
                assertTrue(allowed(d.gateway().answer(events.restRequest(token, "GET", USER_PATH, Map.of(), IP))
                        .response()));
                putView(s3, RedteamPass12Test.withProvider(OidcProviderViewTest.account(), null, null));
                d.clock().advance(REVALIDATE.plusSeconds(1));
                d.gateway().answer(events.restRequest(token, "GET", USER_PATH, Map.of(), IP)); // starts revalidation
                d.clock().advance(Duration.ofSeconds(1));
                JsonNode after = d.gateway().answer(events.restRequest(token, "GET", USER_PATH, Map.of(), IP))
                        .response();
                assertFalse(allowed(after), after.toString());
            }
        }
    }
}
