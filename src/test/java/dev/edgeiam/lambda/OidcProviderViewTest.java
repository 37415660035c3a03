package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalPolicies;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

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
 * A web-identity session needs an IAM OIDC identity provider for the token's issuer in the role's account, with the
 * token's audience among its client IDs (R12.5): through the deployed wiring ({@code GatewayAuthorizer} over a
 * snapshot source), each account view below gives the answer STS would — and a view that does not carry the
 * providers leaves the configured issuer trusted (SECURITY.md), while a provider look-up that fails is an outage,
 * never "no such provider".
 */
class OidcProviderViewTest {

    private static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test";
    private static final String CLIENT = "connect-authorizer-dev";

    private record Case(UnaryOperator<JsonNode> view, boolean allowed, String reason) {}

    static JsonNode account() {
        return EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*")));
    }

    /** The answer to the development token for {@code GET /users/...} over this source. */
    static JsonNode answer(PolicySource source) {
        EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
        GatewayAuthorizer gateway = RedteamPass12Test.Deployed.over(source).gateway();
        EventDispatcher.Answer a = gateway.answer(events.restRequest(events.token(), "GET", USER_PATH, Map.of(), IP));
        com.fasterxml.jackson.databind.node.ObjectNode out = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(a.logFields());
        out.set("response", a.response());
        return out;
    }

    @TestFactory
    Stream<DynamicTest> theAccountsProvidersDecideWhetherAWebIdentitySessionExists() {
        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("the view does not carry providers: the configured issuer is trusted", new Case(v -> v, true,
                "allowed"));
        cases.put("the provider with the token's audience", new Case(v -> RedteamPass12Test.withProvider(v, PROVIDER,
                CLIENT), true, "allowed"));
        cases.put("no provider in the account", new Case(v -> RedteamPass12Test.withProvider(v, null, null), false,
                "credential-rejected:no-identity-provider"));
        cases.put("the provider without the token's audience", new Case(v -> RedteamPass12Test.withProvider(v,
                PROVIDER, "another-client"), false, "credential-rejected:no-identity-provider"));
        cases.put("a provider of another issuer only", new Case(v -> RedteamPass12Test.withProvider(v,
                "arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test/other", CLIENT), false,
                "credential-rejected:no-identity-provider"));
        cases.put("the provider in another account", new Case(v -> RedteamPass12Test.withProvider(v,
                "arn:aws:iam::999999999999:oidc-provider/issuer.dev.edgeiam.test", CLIENT), false,
                "credential-rejected:no-identity-provider"));
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            JsonNode view = c.getValue().view().apply(account());
            JsonNode a = answer(SnapshotPolicySource.fromJson(view));
            assertEquals(c.getValue().allowed(), allowed(a.get("response")), a.toString());
            assertEquals(c.getValue().reason(), a.path("reason").asText(), a.toString());
        }));
    }

    @Test
    void aProviderLookUpThatFailsIsAnOutageNotNoSuchProvider() {
        SnapshotPolicySource snapshot = SnapshotPolicySource.fromJson(
                RedteamPass12Test.withProvider(account(), PROVIDER, CLIENT));
        PolicySource failing = new PolicySource() {
            public PrincipalPolicies load(String arn) throws PolicySourceException {
                return snapshot.load(arn);
            }

            public PrincipalPolicies loadRoleByName(String p, String a, String n) throws PolicySourceException {
                return snapshot.loadRoleByName(p, a, n);
            }

            public boolean modelsOpenIdConnectProviders() {
                return true;
            }

            public Optional<Set<String>> openIdConnectProvider(String arn) throws PolicySourceException {
                throw new PolicySourceException("IAM is throttling");
            }
        };
        JsonNode a = answer(failing);
        assertFalse(allowed(a.get("response")), a.toString());
        assertEquals("policy-source-unavailable", a.path("reason").asText(), a.toString());
    }

    @Test
    void theProviderCallsAreIamChanges() throws Exception {
        for (String call : new String[] {"DeleteOpenIDConnectProvider", "RemoveClientIDFromOpenIDConnectProvider",
            "CreateOpenIDConnectProvider", "AddClientIDToOpenIDConnectProvider"}) {
            Optional<dev.edgeiam.principal.IamChangeEvent> change = dev.edgeiam.principal.IamChangeEvent.from(
                    RedteamPass12Test.iamChange(call, "{\"openIDConnectProviderArn\": \"" + PROVIDER + "\"}"));
            assertTrue(change.isPresent(), call);
            assertEquals(new dev.edgeiam.principal.IamChangeEvent.OidcProvider(PROVIDER), change.get().target());
        }
        assertTrue(dev.edgeiam.principal.IamChangeEvent.from(RedteamPass12Test.iamChange(
                "UpdateOpenIDConnectProviderThumbprint", "{}")).isEmpty(), "thumbprints are not modelled");
    }
}
