package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.request.ContextValue;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.edgeiam.identity.IdentityFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AssumeRoleWithWebIdentity done locally: role choice, trust policy, session tags, names and policies. */
class WebIdentityFederationTest {

    private final CallerIdentityResolver resolver = resolver(env());

    private IdentityOutcome resolve(JwtClaims claims) {
        return resolver.resolve("Bearer " + DevTokens.sign(claims));
    }

    private static Map<String, Object> tagsClaim(Map<String, String> tags, List<String> transitive) {
        Map<String, Object> principalTags = new LinkedHashMap<>();
        tags.forEach((k, v) -> principalTags.put(k, List.of(v)));
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("principal_tags", principalTags);
        if (!transitive.isEmpty()) {
            claim.put("transitive_tag_keys", transitive);
        }
        return claim;
    }

    @Test
    void agentTokenBecomesAnAssumedRoleSession() {
        JwtClaims c = claims("agent-42");
        c.setStringListClaim("groups", "agents", "unmapped");
        c.setStringListClaim("amr", "pwd", "mfa");
        c.setClaim("email", "agent42@example.com");
        c.setClaim(SessionTags.CLAIM, tagsClaim(Map.of("Team", "blue"), List.of("Team")));
        Session s = session(resolve(c));

        assertEquals(SessionKind.ROLE_SESSION, s.kind());
        assertEquals(CredentialKind.WEB_IDENTITY, s.credential());
        assertEquals("arn:aws:sts::111122223333:assumed-role/Agent/agent-42", s.principalArn());
        assertEquals(AGENT_ARN, s.identityArn());
        assertEquals(AGENT_ARN, s.awsPrincipalArn());
        assertEquals("AROAAGENTEXAMPLE:agent-42", s.userId());
        assertEquals(Session.ASSUMED_ROLE, s.principalType());
        assertEquals(PROVIDER_ARN, s.federatedProvider());
        assertEquals(NOW, s.tokenIssueTime());
        assertEquals(NOW.plusSeconds(3600), s.expiresAt());
        assertFalse(s.multiFactorAuthPresent(), "STS does not carry an identity provider's MFA claim");
        assertEquals("agent42@example.com", s.sourceIdentity());
        assertEquals(List.of("Team"), List.copyOf(s.transitiveTagKeys()));
        assertFalse(s.sessionPolicy().present());

        Map<String, String> keys = s.contextValues().stream()
                .collect(Collectors.toMap(ContextValue::name, v -> v.value(0)));
        assertEquals("AROAAGENTEXAMPLE:agent-42", keys.get("aws:userid"));
        assertEquals(AGENT_ARN, keys.get("aws:PrincipalArn"));
        assertEquals("AssumedRole", keys.get("aws:PrincipalType"));
        assertEquals("2026-03-01T12:00:00Z", keys.get("aws:TokenIssueTime"));
        assertEquals("false", keys.get("aws:MultiFactorAuthPresent"));
        assertEquals(PROVIDER_ARN, keys.get("aws:FederatedProvider"));
        assertEquals("agent42@example.com", keys.get("aws:SourceIdentity"));
        // the session tag Team=blue replaces the role tag team=green (keys compared ignoring case)
        assertEquals("blue", keys.get("aws:PrincipalTag/Team"));
        assertFalse(keys.containsKey("aws:PrincipalTag/team"));
        assertEquals("cc-1", keys.get("aws:PrincipalTag/cost"));
        assertEquals(Map.of("cost", "cc-1", "Team", "blue"), s.principalTags());
    }

    @Test
    void withoutMfaOrAmrTheKeyIsFalse() {
        JwtClaims c = claims("agent-7");
        c.setStringClaim("https://aws.amazon.com/role", AGENT_ARN);
        Session s = session(resolve(c));
        assertFalse(s.multiFactorAuthPresent());
        assertNull(s.sourceIdentity());
        assertEquals(Map.of("team", "green", "cost", "cc-1"), s.principalTags());
    }

    @Test
    void trustPolicyRefusesAnotherSubject() {
        JwtClaims c = claims("customer-1");
        c.setStringListClaim("groups", "agents");
        assertEquals(Reason.CREDENTIAL_REJECTED_TRUST_POLICY_DENIED, rejection(resolve(c)));
    }

    @Test
    void trustPolicyRefusesAnotherAudience() {
        JwtClaims c = claims("agent-42");
        c.setAudience("other-aud"); // accepted by the verifier, not by the Agent role's trust policy
        c.setStringListClaim("groups", "agents");
        assertEquals(Reason.CREDENTIAL_REJECTED_TRUST_POLICY_DENIED, rejection(resolve(c)));
        c.setStringListClaim("groups", "supervisors"); // the Supervisor role trusts any audience of the provider
        assertEquals(SUPERVISOR_ARN, session(resolve(c)).identityArn());
    }

    @Test
    void sessionTagsNeedTagSessionInTheTrustPolicy() {
        JwtClaims c = claims("agent-42");
        c.setStringListClaim("groups", "agents");
        c.setClaim(SessionTags.CLAIM, tagsClaim(Map.of("team", "purple"), List.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_TRUST_POLICY_DENIED, rejection(resolve(c)));

        JwtClaims n = claims("anyone");
        n.setStringClaim("https://aws.amazon.com/role", "NoTags");
        assertEquals(NO_TAGS_ARN, session(resolve(n)).identityArn());
        n.setClaim(SessionTags.CLAIM, tagsClaim(Map.of("team", "blue"), List.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_TRUST_POLICY_DENIED, rejection(resolve(n)));
    }

    @Test
    void invalidSessionTagsAreRejected() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 51; i++) {
            many.put("k" + i, "v");
        }
        JwtClaims c = claims("agent-42");
        c.setStringListClaim("groups", "agents");
        c.setClaim(SessionTags.CLAIM, tagsClaim(many, List.of()));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, rejection(resolve(c)));
        c.setClaim(SessionTags.CLAIM, Map.of("principal_tags", Map.of("team", List.of("blue", "red"))));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS, rejection(resolve(c)));
    }

    @Test
    void roleSelection() {
        JwtClaims c = claims("agent-42");
        assertEquals(Reason.CREDENTIAL_REJECTED_NO_ROLE, rejection(resolve(c)));

        c.setStringListClaim("groups", "agents", "supervisors");
        assertEquals(Reason.CREDENTIAL_REJECTED_NO_ROLE, rejection(resolve(c)), "two mapped roles are ambiguous");

        c.setStringClaim("https://aws.amazon.com/role", SUPERVISOR_ARN);
        assertEquals(SUPERVISOR_ARN, session(resolve(c)).identityArn(), "the role claim wins over the mapping");

        c.setStringClaim("https://aws.amazon.com/role", "arn:aws:iam::111122223333:role/Missing");
        assertEquals(Reason.CREDENTIAL_REJECTED_ROLE_NOT_FOUND, rejection(resolve(c)));
        c.setStringClaim("https://aws.amazon.com/role", "../../Agent");
        assertEquals(Reason.CREDENTIAL_REJECTED_ROLE_NOT_FOUND, rejection(resolve(c)));
        c.setStringListClaim("https://aws.amazon.com/role", AGENT_ARN, SUPERVISOR_ARN);
        assertEquals(Reason.CREDENTIAL_REJECTED_NO_ROLE, rejection(resolve(c)));

        Map<String, String> env = env();
        env.put("AUTHORIZER_DEFAULT_ROLE", AGENT_ARN);
        env.put("AUTHORIZER_ROLE_CLAIM", "custom:role");
        JwtClaims d = claims("agent-42");
        assertEquals(AGENT_ARN, session(resolver(env).resolve(DevTokens.sign(d))).identityArn());
        d.setStringClaim("custom:role", "Supervisor");
        assertEquals(SUPERVISOR_ARN, session(resolver(env).resolve(DevTokens.sign(d))).identityArn());
    }

    @Test
    void sessionNameIsSanitizedFromTheConfiguredClaim() {
        JwtClaims c = claims("agent-42/\u00e9x y"); // the trust policy sees the raw sub
        c.setStringListClaim("groups", "agents");
        Session s = session(resolve(c));
        assertEquals("agent-42--x-y", s.sessionName());
        assertEquals("arn:aws:sts::111122223333:assumed-role/Agent/agent-42--x-y", s.principalArn());

        JwtClaims longSub = claims("agent-" + "x".repeat(100));
        longSub.setStringListClaim("groups", "agents");
        assertEquals(64, session(resolve(longSub)).sessionName().length());

        Map<String, String> env = env();
        env.put("AUTHORIZER_SESSION_NAME_CLAIM", "preferred_username");
        JwtClaims p = claims("agent-42");
        p.setStringListClaim("groups", "supervisors");
        p.setStringClaim("preferred_username", "jane.doe@example.com");
        assertEquals("jane.doe@example.com", session(resolver(env).resolve(DevTokens.sign(p))).sessionName());
        p.setStringClaim("preferred_username", "j");
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_CLAIM, rejection(resolver(env).resolve(DevTokens.sign(p))));
    }

    @Test
    void invalidSourceIdentityIsRejected() {
        JwtClaims c = claims("agent-42");
        c.setStringListClaim("groups", "agents");
        c.setClaim("email", "aws:admin");
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_CLAIM, rejection(resolve(c)));
    }

    @Test
    void sessionPolicyFromTheClaimOrTheSettings() throws Exception {
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:Describe*","Resource":"*"}]}""";
        JwtClaims c = claims("agent-42");
        c.setStringListClaim("groups", "agents");
        c.setClaim("session_policy", policy);
        assertEquals(policy, session(resolve(c)).sessionPolicy().inline());

        c.setClaim("session_policy", org.jose4j.json.JsonUtil.parseJson(policy));
        assertTrue(session(resolve(c)).sessionPolicy().inline().contains("connect:Describe*"));

        c.setClaim("session_policy", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}""");
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_POLICY, rejection(resolve(c)));
        c.setClaim("session_policy", 42);
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_POLICY, rejection(resolve(c)));

        Map<String, String> env = env();
        env.put("AUTHORIZER_SESSION_POLICY", policy);
        env.put("AUTHORIZER_SESSION_POLICY_ARNS", "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess");
        JwtClaims d = claims("agent-42");
        d.setStringListClaim("groups", "agents");
        SessionPolicy sp = session(resolver(env).resolve(DevTokens.sign(d))).sessionPolicy();
        assertEquals(policy, sp.inline());
        assertEquals(List.of("arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"), sp.managedArns());
    }

    @Test
    void cognitoIdentityIsNamedByItsServicePrincipal() {
        Map<String, String> env = env();
        env.put("AUTHORIZER_ISSUER", "https://cognito-identity.amazonaws.com");
        CallerIdentityResolver cognito = resolver(env);
        JwtClaims c = claims("us-east-1:1234-abcd");
        c.setIssuer("https://cognito-identity.amazonaws.com");
        c.setStringClaim("https://aws.amazon.com/role", COGNITO_ARN);
        c.setStringListClaim("amr", "authenticated", "cognito-idp.us-east-1.amazonaws.com/pool");
        Session s = session(cognito.resolve(DevTokens.sign(c)));
        assertEquals("cognito-identity.amazonaws.com", s.federatedProvider());
        assertEquals("AROACOGNITO:us-east-1-1234-abcd", s.userId());
        c.setStringListClaim("amr", "unauthenticated");
        assertEquals(Reason.CREDENTIAL_REJECTED_TRUST_POLICY_DENIED, rejection(cognito.resolve(DevTokens.sign(c))));
    }

    @Test
    void providerNamesFollowIam() {
        assertEquals("login.example.com/tenant/v2.0",
                OidcProvider.forIssuer("https://Login.Example.com/tenant/v2.0/").name());
        assertEquals("arn:aws:iam::111122223333:oidc-provider/login.example.com",
                OidcProvider.forIssuer("https://login.example.com").arn("aws", "111122223333"));
        assertEquals("login.example.com:sub", OidcProvider.forIssuer("https://login.example.com").key("sub"));
    }
}
