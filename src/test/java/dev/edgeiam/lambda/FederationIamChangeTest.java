package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.DevTokens;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.principal.PrincipalCache;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A federated-user token through the whole authorizer, wired as {@code LambdaBeans} wires a snapshot deployment:
 * the issuing IAM user gets {@code sts:GetFederationToken} only through a group with a single managed policy.
 * When that policy is detached (the snapshot re-read and the CloudTrail {@code DetachGroupPolicy} event answered by
 * {@link RefreshHandler}), the very same token — already verified and remembered — is refused with 401: the group
 * change reaches the issuing user's cached policies, and the remembered verification is forgotten.
 */
class FederationIamChangeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "111122223333";
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-example11111";
    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:" + ACCOUNT + ":k7p2q9x4zd/prod/GET/users/"
            + INSTANCE + "/carol-agent-0001";

    private static JsonNode snapshot(boolean federateAttached) throws Exception {
        String attached = federateAttached ? "[{\"PolicyName\":\"Federate\",\"PolicyArn\":\"arn:aws:iam::" + ACCOUNT
                + ":policy/Federate\"}]" : "[]";
        return JSON.readTree("""
                {"UserDetailList": [{"Path": "/brokers/", "UserName": "broker", "UserId": "AIDABROKER00000000001",
                   "Arn": "arn:aws:iam::%1$s:user/brokers/broker", "GroupList": ["Brokers"],
                   "AttachedManagedPolicies": [], "UserPolicyList": [], "Tags": []}],
                 "GroupDetailList": [{"Path": "/", "GroupName": "Brokers", "GroupId": "AGPABROKERS0000000001",
                   "Arn": "arn:aws:iam::%1$s:group/Brokers", "GroupPolicyList": [], "AttachedManagedPolicies": %2$s}],
                 "RoleDetailList": [],
                 "Policies": [{"PolicyName": "Federate", "Arn": "arn:aws:iam::%1$s:policy/Federate",
                   "DefaultVersionId": "v1", "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
                   "Document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                     "Action": ["sts:GetFederationToken", "connect:DescribeUser"], "Resource": "*"}]}}]}]}
                """.formatted(ACCOUNT, attached));
    }

    @Test
    void detachingTheIssuersGroupPolicyRefusesItsTokens() throws Exception {
        AtomicReference<JsonNode> account = new AtomicReference<>(snapshot(true));
        RefreshablePolicySource source = new RefreshablePolicySource(
                () -> SnapshotPolicySource.fromJson(account.get()));
        PrincipalCache cache = PrincipalCache.create(source, PrincipalCache.Settings.DEFAULTS, java.time.Clock.systemUTC());
        PolicySourceDirectory directory = new PolicySourceDirectory(source, ACCOUNT, Clock.systemUTC(),
                Duration.ofMinutes(5));
        IdentitySettings identity = IdentitySettings.fromEnvironment(Map.of(
                "AUTHORIZER_JWKS_URL", DevTokens.devJwksUrl().toString(),
                "AUTHORIZER_ISSUER", DevTokens.ISSUER,
                "AUTHORIZER_AUDIENCE", DevTokens.AUDIENCE,
                "AUTHORIZER_SESSION_POLICY_CLAIM", "session_policy",
                "AUTHORIZER_FEDERATION_ISSUING_USER", "arn:aws:iam::" + ACCOUNT + ":user/brokers/broker"));
        CallerIdentityResolver identities = CallerIdentityResolver.create(identity, Clock.systemUTC(), directory,
                cache, null);
        GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null,
                        false, new ArnContext("aws", "us-east-1", ACCOUNT)), identities, cache, RouteTable.defaultTable(),
                arn -> Map.of(), source::managedPolicyText, java.time.Clock.systemUTC());
        RefreshHandler refresh = new RefreshHandler(source, cache, directory, true, gateway::forgetVerifiedCredentials);

        JwtClaims claims = DevTokens.claims(Instant.now(), "broker-subject");
        claims.setStringClaim("federated_user", "carol");
        claims.setClaim("session_policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"connect:DescribeUser\",\"Resource\":\"*\"}]}");
        JsonNode event = JSON.readTree("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer "
                + DevTokens.sign(claims) + "\",\"methodArn\":\"" + METHOD_ARN + "\"}");

        EventDispatcher.Answer before = gateway.answer(event);
        assertFalse(before.unauthorized(), before.response().toString());
        assertEquals("arn:aws:sts::" + ACCOUNT + ":federated-user/carol", before.response().path("principalId").asText());
        assertEquals("Allow", before.response().path("context").path("decision").asText());
        assertFalse(gateway.answer(event).unauthorized(), "the verified token is remembered");

        account.set(snapshot(false));
        EventDispatcher.Answer change = refresh.answer(JSON.readTree("""
                {"detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
                 "detail": {"eventSource": "iam.amazonaws.com", "eventName": "DetachGroupPolicy",
                   "requestParameters": {"groupName": "Brokers", "policyArn": "arn:aws:iam::%s:policy/Federate"}}}
                """.formatted(ACCOUNT)));
        assertEquals(1, change.response().path("principalsDropped").asInt(), change.response().toString());

        EventDispatcher.Answer after = gateway.answer(event);
        assertTrue(after.unauthorized(), "IAM would no longer create this federated-user session: "
                + after.response());
        assertEquals("credential-rejected:issuer-not-allowed", after.logFields().reason());
    }
}
