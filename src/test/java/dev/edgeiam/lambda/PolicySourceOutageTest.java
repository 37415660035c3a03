package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.DevTokens;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalCache;
import dev.edgeiam.principal.PrincipalPolicies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An outage of the policy source while a web-identity caller's role is looked up is "could not decide", not "no such
 * role": the answer is a Deny (403) with reason {@code policy-source-unavailable}, never a 401 {@code role-not-found}
 * — and the outage is not remembered: once the source answers again, the same token is allowed.
 */
class PolicySourceOutageTest {

    private static final String ALLOW_DESCRIBE_USER = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:DescribeUser","Resource":"*"}]}""";

    private final AtomicBoolean down = new AtomicBoolean();
    private final dev.edgeiam.principal.MutableClock clock = new dev.edgeiam.principal.MutableClock(EdgeHarness.NOW);
    private final GatewayAuthorizer gateway;
    private final EdgeHarness events = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, ALLOW_DESCRIBE_USER);

    PolicySourceOutageTest() {
        SnapshotPolicySource snapshot = SnapshotPolicySource.fromJson(EdgeHarness.snapshot(ALLOW_DESCRIBE_USER));
        PolicySource source = new PolicySource() {
            @Override
            public PrincipalPolicies load(String arn) throws PolicySourceException {
                if (down.get()) {
                    throw new PolicySourceException("IAM answered 503 (test outage)");
                }
                return snapshot.load(arn);
            }

            @Override
            public PrincipalPolicies loadRoleByName(String partition, String account, String name)
                    throws PolicySourceException {
                if (down.get()) {
                    throw new PolicySourceException("IAM answered 503 (test outage)");
                }
                return snapshot.loadRoleByName(partition, account, name);
            }

            @Override
            public Optional<String> managedPolicyText(String policyArn) {
                return snapshot.managedPolicyText(policyArn);
            }
        };
        PrincipalCache principals = new PrincipalCache(source, PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        PolicySourceDirectory directory = new PolicySourceDirectory(source, EdgeHarness.ACCOUNT, clock,
                Duration.ofMinutes(5));
        CallerIdentityResolver identities = CallerIdentityResolver.create(DevTokens.identitySettings(), clock,
                directory, principals, null);
        gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null, false,
                        new ArnContext("aws", EdgeHarness.REGION, EdgeHarness.ACCOUNT)), identities, principals,
                RouteTable.defaultTable(), arn -> Map.of(), source::managedPolicyText, clock);
    }

    private EventDispatcher.Answer ask(String token) {
        return gateway.answer(events.restRequest(token, "GET",
                "/users/" + EdgeHarness.INSTANCE + "/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Map.of(), "198.51.100.7"));
    }

    @Test
    void anOutageDuringTheRoleLookUpIsADenyWithItsReasonNotA401() {
        String token = events.token();
        down.set(true);
        EventDispatcher.Answer during = ask(token);
        assertFalse(during.unauthorized(), "an outage is not a bad credential: " + during.response());
        JsonNode statement = during.response().path("policyDocument").path("Statement").path(0);
        assertEquals("Deny", statement.path("Effect").asText(), during.response().toString());
        assertEquals("policy-source-unavailable", during.response().path("context").path("reason").asText());
        assertEquals("policy-source-unavailable", during.logFields().reason());
        assertEquals("Deny", during.logFields().decision());

        down.set(false);
        EventDispatcher.Answer after = ask(token);
        assertEquals("Allow", after.response().path("policyDocument").path("Statement").path(0).path("Effect")
                .asText(), "the outage was remembered: " + after.response());
    }

    @Test
    void aRoleThatDoesNotExistIsStillA401RoleNotFound() {
        org.jose4j.jwt.JwtClaims claims = DevTokens.claims(clock.instant(), "agent-edge");
        claims.setClaim("https://aws.amazon.com/role", "arn:aws:iam::" + EdgeHarness.ACCOUNT + ":role/NoSuchRole");
        EventDispatcher.Answer answer = ask("Bearer " + DevTokens.sign(claims));
        assertTrue(answer.unauthorized(), answer.response().toString());
        assertEquals("credential-rejected:role-not-found", answer.logFields().reason());
    }
}
