package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.SessionKind;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.edgeiam.identity.IdentityFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GetFederationToken semantics, and federated users carried by a broker's signed token. */
class FederatedUserSessionTest {

    static final String POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:Describe*","Resource":"*"}]}""";

    @Test
    void brokerTokenBecomesAFederatedUser() {
        JwtClaims c = claims("carol-idp-subject");
        c.setStringClaim("federated_user", "carol");
        c.setClaim("session_policy", POLICY);
        c.setClaim(SessionTags.CLAIM, Map.of("principal_tags", Map.of("TEAM", List.of("blue"))));
        Session s = session(resolver(federationEnv()).resolve(DevTokens.sign(c)));
        assertEquals(SessionKind.FEDERATED_USER, s.kind());
        assertEquals(CredentialKind.FEDERATION_TOKEN, s.credential());
        assertEquals("arn:aws:sts::111122223333:federated-user/carol", s.principalArn());
        assertEquals("arn:aws:sts::111122223333:federated-user/carol", s.awsPrincipalArn());
        assertEquals(BROKER_ARN, s.identityArn());
        assertEquals("111122223333:carol", s.userId());
        assertEquals("FederatedUser", s.principalType());
        assertEquals(POLICY, s.sessionPolicy().inline());
        assertEquals(Map.of("Dept", "it", "TEAM", "blue"), s.principalTags());
        assertEquals(NOW.plusSeconds(3600), s.expiresAt());
        assertEquals(Set.of("arn:aws:sts::111122223333:federated-user/carol", "arn:aws:iam::111122223333:root"),
                s.requestPrincipal().identifiers("AWS"), "a federated user is not named by its issuing user's ARN");
    }

    @Test
    void withoutASessionPolicyTheSessionCarriesNone() {
        JwtClaims c = claims("x");
        c.setStringClaim("federated_user", "dave");
        Session s = session(resolver(federationEnv()).resolve(DevTokens.sign(c)));
        assertEquals(SessionPolicy.NONE, s.sessionPolicy());
    }

    @Test
    void federationMustBeEnabledAndTheNameValid() {
        JwtClaims c = claims("agent-42");
        c.setStringClaim("federated_user", "carol");
        // not enabled: the claim means nothing, the token is an ordinary web-identity token (here without a role)
        assertEquals(Reason.CREDENTIAL_REJECTED_NO_ROLE, rejection(resolver(env()).resolve(DevTokens.sign(c))));

        Map<String, String> unknownUser = env();
        unknownUser.put("AUTHORIZER_FEDERATION_ISSUING_USER", "arn:aws:iam::111122223333:user/ghost");
        assertEquals(Reason.CREDENTIAL_REJECTED_FEDERATION_DISABLED,
                rejection(resolver(unknownUser).resolve(DevTokens.sign(c))));

        for (String bad : List.of("c", "x".repeat(33), "carol/admin", "carol smith")) {
            c.setStringClaim("federated_user", bad);
            assertEquals(Reason.CREDENTIAL_REJECTED_BAD_CLAIM,
                    rejection(resolver(federationEnv()).resolve(DevTokens.sign(c))), bad);
        }
        c.setStringClaim("federated_user", "carol");
        c.setClaim(SessionTags.CLAIM, Map.of("principal_tags", Map.of("team", List.of("blue")),
                "transitive_tag_keys", List.of("team")));
        assertEquals(Reason.CREDENTIAL_REJECTED_BAD_SESSION_TAGS,
                rejection(resolver(federationEnv()).resolve(DevTokens.sign(c))));
    }

    @Test
    void factoryBuildsTheSessionDirectly() throws Exception {
        IamUserInfo broker = broker();
        Session s = FederatedUserSessions.create(broker, "erin@example.com", SessionPolicy.inline(POLICY),
                SessionTags.of(Map.of("dept", "sales"), Set.of()), NOW, NOW.plusSeconds(900));
        assertEquals("arn:aws:sts::111122223333:federated-user/erin@example.com", s.principalArn());
        assertEquals(Map.of("team", "platform", "dept", "sales"), s.principalTags());
        assertTrue(s.sessionPolicy().present());
        assertThrows(CredentialRejectedException.class, () -> FederatedUserSessions.create(broker, "erin",
                SessionPolicy.NONE, SessionTags.of(Map.of("a", "b"), Set.of("a")), NOW, NOW.plusSeconds(900)));
    }
}
