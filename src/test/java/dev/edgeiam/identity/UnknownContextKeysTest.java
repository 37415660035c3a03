package dev.edgeiam.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.request.ContextValue;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.edgeiam.identity.IdentityFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Session#unknownContextKeys()} for every kind of credential, each session made by the real identity stage
 * (data: {@code unknown-context-keys.json}, one dynamic test per case). For presigned URLs the STS answer comes
 * from a stand-in here, because moto 5.2.1's {@code GetSessionToken} hands out a fixed {@code AKIA} example key its
 * own {@code GetCallerIdentity} does not recognise; the long-term-key and assumed-role cases are also pinned against
 * moto's real STS in {@code aws/PresignedStsMotoTest}.
 */
class UnknownContextKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/ops/frank";
    private static final String SESSION_ARN = "arn:aws:sts::" + ACCOUNT + ":assumed-role/Agent/night";

    private static Session presigned(String accessKeyId, String token, String arn, String userId) {
        MutableClock clock = new MutableClock(NOW);
        PresignedStsAuthenticator sts = new PresignedStsAuthenticator(IdentitySettings.fromEnvironment(Map.of()),
                request -> new CallerIdentity(arn, userId, ACCOUNT), roles(), clock);
        String url = Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1", accessKeyId,
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", token, NOW, Duration.ofSeconds(300));
        return session(new CallerIdentityResolver(null, null, null, sts).resolve(url));
    }

    private static Session webIdentity(boolean iat, boolean mfa) {
        JwtClaims c = claims("agent-7");
        c.setStringListClaim("groups", "agents");
        c.setStringListClaim("amr", mfa ? List.of("pwd", "mfa") : List.of("pwd"));
        c.setClaim("email", "agent7@example.com");
        c.setClaim(SessionTags.CLAIM, Map.of("principal_tags", Map.of("team", List.of("blue"))));
        if (!iat) {
            c.unsetClaim("iat");
        }
        return session(resolver(env()).resolve(DevTokens.sign(c)));
    }

    private static Session federation(boolean iat) {
        JwtClaims c = claims("broker-subject");
        c.setStringClaim("federated_user", "carol");
        c.setClaim(SessionTags.CLAIM, Map.of("principal_tags", Map.of("team", List.of("blue"))));
        if (!iat) {
            c.unsetClaim("iat");
        }
        return session(resolver(federationEnv()).resolve(DevTokens.sign(c)));
    }

    private static Session build(String credential) {
        return switch (credential) {
            case "web-identity" -> webIdentity(true, false);
            case "web-identity-no-iat" -> webIdentity(false, false);
            case "web-identity-mfa" -> webIdentity(true, true);
            case "federation" -> federation(true);
            case "federation-no-iat" -> federation(false);
            case "presigned-akia-user" -> presigned("AKIAIOSFODNN7EXAMPLE", null, USER_ARN, "AIDAFRANKEXAMPLE");
            case "presigned-akia-with-token-user" -> presigned("AKIAIOSFODNN7EXAMPLE", "FwoGZXIvYXdzEXAMPLE",
                    USER_ARN, "AIDAFRANKEXAMPLE");
            case "presigned-asia-user" -> presigned("ASIAIOSFODNN7EXAMPLE", "FwoGZXIvYXdzEXAMPLE", USER_ARN,
                    "AIDAFRANKEXAMPLE");
            case "presigned-asia-role" -> presigned("ASIAIOSFODNN7EXAMPLE", "FwoGZXIvYXdzEXAMPLE", SESSION_ARN,
                    "AROAAGENTEXAMPLE:night");
            default -> throw new IllegalArgumentException(credential);
        };
    }

    @TestFactory
    List<DynamicTest> unknownKeysPerCredentialKind() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("unknown-context-keys.json")) {
            root = JSON.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> {
                Session s = build(c.get("credential").asText());
                Set<String> expected = new TreeSet<>();
                c.get("unknown").forEach(k -> expected.add(k.asText()));
                assertEquals(expected, new TreeSet<>(s.unknownContextKeys()));
                for (ContextValue v : s.contextValues()) {
                    assertFalse(s.isUnknownContextKey(v.name()), "a value for the unknown key " + v.name());
                }
                for (JsonNode k : c.get("known")) {
                    assertFalse(s.isUnknownContextKey(k.asText()), k.asText());
                    assertNotNull(value(s, k.asText()), "the session carries " + k.asText());
                }
            }));
        }
        return tests;
    }

    private static ContextValue value(Session s, String key) {
        for (ContextValue v : s.contextValues()) {
            if (v.name().equalsIgnoreCase(key)) {
                return v;
            }
        }
        return null;
    }

    @Test
    void familiesAndSpellings() {
        Session role = build("presigned-asia-role");
        assertTrue(role.isUnknownContextKey("aws:PrincipalTag/CostCenter"));
        assertTrue(role.isUnknownContextKey("AWS:PRINCIPALTAG/x"));
        assertTrue(role.isUnknownContextKey("aws:MultiFactorAuthAge"));
        assertFalse(role.isUnknownContextKey("aws:PrincipalTagX"), "only the family under aws:PrincipalTag/");
        assertFalse(role.isUnknownContextKey("aws:userid"));
        assertFalse(role.isUnknownContextKey("aws:PrincipalArn"));
        assertEquals(Map.of(), role.principalTags(), "no guessed tags");
        assertEquals(Map.of(), role.withBaseTags(Map.of("team", "green")).principalTags(),
                "the role's own tags are no stand-in for the session's");
        Session user = build("presigned-akia-user");
        assertEquals(Map.of("team", "green"), user.withBaseTags(Map.of("team", "green")).principalTags(),
                "an IAM user's own tags are its principal tags");
    }

    @Test
    void federatedSessionsAreNeverMfaAuthenticated() {
        Session s = build("federation");
        assertEquals(Boolean.FALSE, s.multiFactorAuthPresent());
        assertEquals("false", value(s, "aws:MultiFactorAuthPresent").values().get(0));
    }
}
