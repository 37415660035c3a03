package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.principal.MutableClock;

import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.principal.NamedPolicy;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.Principal;
import dev.edgeiam.principal.PrincipalPolicies;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.principal.UnknownPrincipalException;
import org.jose4j.jwt.JwtClaims;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Roles, users and settings shared by the web-identity and federated-user tests. */
final class IdentityFixtures {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String ACCOUNT = "111122223333";
    static final String PROVIDER = "issuer.dev.edgeiam.test";
    static final String PROVIDER_ARN = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/" + PROVIDER;
    static final String AGENT_ARN = "arn:aws:iam::" + ACCOUNT + ":role/connect/Agent";
    static final String SUPERVISOR_ARN = "arn:aws:iam::" + ACCOUNT + ":role/connect/Supervisor";
    static final String NO_TAGS_ARN = "arn:aws:iam::" + ACCOUNT + ":role/NoTags";
    static final String COGNITO_ARN = "arn:aws:iam::" + ACCOUNT + ":role/CognitoUsers";
    static final String BROKER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/brokers/broker";

    static final String AGENT_TRUST = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Agents", "Effect": "Allow",
               "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/issuer.dev.edgeiam.test"},
               "Action": "sts:AssumeRoleWithWebIdentity",
               "Condition": {"StringEquals": {"issuer.dev.edgeiam.test:aud": "connect-authorizer-dev"},
                             "StringLike": {"issuer.dev.edgeiam.test:sub": "agent-*"}}},
              {"Sid": "Tags", "Effect": "Allow",
               "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/issuer.dev.edgeiam.test"},
               "Action": "sts:TagSession",
               "Condition": {"StringEquals": {"aws:RequestTag/team": ["blue", "red"]}}},
              {"Sid": "SourceIdentity", "Effect": "Allow",
               "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/issuer.dev.edgeiam.test"},
               "Action": "sts:SetSourceIdentity",
               "Condition": {"StringLike": {"sts:SourceIdentity": "*@example.com"}}}
            ]}""";

    static final String OPEN_TRUST_NO_TAGS = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow",
               "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/issuer.dev.edgeiam.test"},
               "Action": "sts:AssumeRoleWithWebIdentity"}
            ]}""";

    static final String COGNITO_TRUST = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
               "Action": "sts:AssumeRoleWithWebIdentity",
               "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": "connect-authorizer-dev"},
                             "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}}
            ]}""";

    private IdentityFixtures() {
    }

    static RoleDirectory roles() {
        Map<String, RoleInfo> byKey = new HashMap<>();
        for (RoleInfo r : new RoleInfo[]{
                new RoleInfo(AGENT_ARN, "AROAAGENTEXAMPLE", AGENT_TRUST, Map.of("team", "green", "cost", "cc-1")),
                new RoleInfo(SUPERVISOR_ARN, "AROASUPERVISOR", OPEN_TRUST_NO_TAGS, Map.of()),
                new RoleInfo(NO_TAGS_ARN, "AROANOTAGS", OPEN_TRUST_NO_TAGS, Map.of()),
                new RoleInfo(COGNITO_ARN, "AROACOGNITO", COGNITO_TRUST, Map.of())}) {
            byKey.put(r.roleArn(), r);
            byKey.put(r.roleName(), r);
        }
        return k -> Optional.ofNullable(byKey.get(k));
    }

    /** The broker's own identity policy: it may federate any user and tag the session. */
    static final String BROKER_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Federate", "Effect": "Allow", "Action": ["sts:GetFederationToken", "sts:TagSession"],
               "Resource": "arn:aws:sts::111122223333:federated-user/*"}
            ]}""";

    /** The broker as the identity stage sees it. */
    static IamUserInfo broker() {
        return new IamUserInfo(BROKER_ARN, "AIDABROKEREXAMPLE", Map.of("team", "platform", "Dept", "it"));
    }

    /** The broker's compiled policies: {@link #BROKER_POLICY}. */
    static PrincipalResolver issuers() {
        return issuers(BROKER_POLICY, null);
    }

    /**
     * The broker with these policies (compiled by the real principal code, uncached): {@code identityPolicy} as
     * its inline policy and {@code boundary} (or none) as its permissions boundary.
     */
    static PrincipalResolver issuers(String identityPolicy, String boundary) {
        PolicySource source = arn -> {
            if (!arn.equals(BROKER_ARN)) {
                throw new UnknownPrincipalException(arn, "no such user");
            }
            Principal p = Principal.user(BROKER_ARN, ACCOUNT, "broker", "/brokers/", "AIDABROKEREXAMPLE",
                    broker().tags());
            return new PrincipalPolicies(p, List.of(new NamedPolicy(BROKER_ARN, "Broker", PolicyType.INLINE_USER,
                    null, identityPolicy)), boundary == null ? null : new NamedPolicy(
                    "arn:aws:iam::" + ACCOUNT + ":policy/BrokerBoundary", "BrokerBoundary",
                    PolicyType.PERMISSIONS_BOUNDARY, "v1", boundary), null);
        };
        return PrincipalResolver.uncached(source);
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AUTHORIZER_JWKS_URL", DevTokens.devJwksUrl().toString());
        env.put("AUTHORIZER_ISSUER", DevTokens.ISSUER);
        env.put("AUTHORIZER_AUDIENCE", DevTokens.AUDIENCE + ",other-aud");
        env.put("AUTHORIZER_ROLE_MAPPING", "agents=" + AGENT_ARN + ",supervisors=" + SUPERVISOR_ARN);
        env.put("AUTHORIZER_SOURCE_IDENTITY_CLAIM", "email");
        env.put("AUTHORIZER_SESSION_POLICY_CLAIM", "session_policy");
        return env;
    }

    /** {@link #env()} with federated-user tokens enabled, issued by {@link #BROKER_ARN}. */
    static Map<String, String> federationEnv() {
        Map<String, String> env = env();
        env.put("AUTHORIZER_FEDERATION_ISSUING_USER", BROKER_ARN);
        return env;
    }

    static CallerIdentityResolver resolver(Map<String, String> env) {
        return CallerIdentityResolver.create(IdentitySettings.fromEnvironment(env), new MutableClock(NOW), roles(),
                issuers(), null);
    }

    static JwtClaims claims(String sub) {
        return DevTokens.claims(NOW, sub);
    }

    static Session session(IdentityOutcome outcome) {
        if (outcome instanceof IdentityOutcome.Caller c) {
            return c.session();
        }
        throw new AssertionError("expected a caller, got " + outcome);
    }

    static Reason rejection(IdentityOutcome outcome) {
        if (outcome instanceof IdentityOutcome.Rejected r) {
            return r.reason();
        }
        throw new AssertionError("expected a rejection, got " + outcome);
    }
}
