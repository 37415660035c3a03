package dev.edgeiam.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalResolver;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static dev.edgeiam.identity.IdentityFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Class 5 of issue 11: a federated-user token is accepted only if IAM would have created the session — the
 * issuing IAM user's own identity policies and permissions boundary must allow {@code sts:GetFederationToken}
 * and, with session tags, {@code sts:TagSession}, decided by the engine (data: {@code federation-issuer-cases.json},
 * one dynamic test per case). Before this check existed every one of these tokens was accepted.
 */
class FederationIssuerPermissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String policy(JsonNode statements) {
        return statements == null ? null
                : "{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}";
    }

    private static CallerIdentityResolver resolver(PrincipalResolver issuers) {
        return CallerIdentityResolver.create(IdentitySettings.fromEnvironment(federationEnv()), new MutableClock(NOW),
                roles(), issuers, null);
    }

    private static String token(String name, Map<String, String> tags, boolean iat) {
        JwtClaims c = claims("broker-subject");
        c.setStringClaim("federated_user", name);
        c.setClaim("session_policy", FederatedUserSessionTest.POLICY);
        if (!tags.isEmpty()) {
            Map<String, Object> principalTags = new LinkedHashMap<>();
            tags.forEach((k, v) -> principalTags.put(k, List.of(v)));
            c.setClaim(SessionTags.CLAIM, Map.of("principal_tags", principalTags));
        }
        if (!iat) {
            c.unsetClaim("iat");
        }
        return DevTokens.sign(c);
    }

    @TestFactory
    List<DynamicTest> issuerPermissionCases() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("federation-issuer-cases.json")) {
            root = JSON.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> {
                Map<String, String> tags = new LinkedHashMap<>();
                c.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
                IdentityOutcome outcome = resolver(issuers(policy(c.get("policy")), policy(c.get("boundary"))))
                        .resolve(token(c.get("name").asText(), tags, !c.path("noIat").asBoolean(false)));
                String got = outcome instanceof IdentityOutcome.Rejected r ? "rejected:"
                        + r.reason().name().replace("CREDENTIAL_REJECTED_", "")
                        : outcome instanceof IdentityOutcome.Caller ? "caller" : outcome.toString();
                assertEquals(c.get("expect").asText(), got, outcome.toString());
                if (outcome instanceof IdentityOutcome.Caller caller) {
                    Session s = caller.session();
                    assertEquals("arn:aws:sts::111122223333:federated-user/" + c.get("name").asText(),
                            s.principalArn());
                    tags.forEach((k, v) -> assertEquals(v, s.principalTags().get(k)));
                }
            }));
        }
        return tests;
    }

    @Test
    void refusalNamesTheActionAndThePolicyOutcome() {
        IdentityOutcome o = resolver(issuers(policy(JSON.valueToTree(List.of(Map.of("Effect", "Allow",
                "Action", "sts:GetFederationToken", "Resource", "*")))), null))
                .resolve(token("carol", Map.of("team", "blue"), true));
        IdentityOutcome.Rejected r = assertInstanceOf(IdentityOutcome.Rejected.class, o);
        assertEquals(Reason.CREDENTIAL_REJECTED_ISSUER_NOT_ALLOWED, r.reason());
        assertTrue(r.message().contains("sts:TagSession"), r.message());
        assertTrue(r.message().contains(BROKER_ARN), r.message());
    }

    @Test
    void unknownIssuerIsRejectedAndAnUnreadableOneIsUnavailable() {
        assertEquals(Reason.CREDENTIAL_REJECTED_FEDERATION_DISABLED, rejection(resolver(arn -> {
            throw new dev.edgeiam.principal.UnknownPrincipalException(arn, "gone");
        }).resolve(token("carol", Map.of(), true))));
        assertInstanceOf(IdentityOutcome.Unavailable.class, resolver(arn -> {
            throw new PolicySourceException("IAM throttled");
        }).resolve(token("carol", Map.of(), true)), "a source failure is not a verdict on the token");
    }

    /** The issuing user's policies are read on every verification: a change reaches the next token check. */
    @Test
    void aChangeToTheIssuingUsersPoliciesTakesEffect() {
        String allow = policy(JSON.valueToTree(List.of(Map.of("Effect", "Allow",
                "Action", "sts:GetFederationToken", "Resource", "*"))));
        String deny = policy(JSON.valueToTree(List.of(Map.of("Effect", "Allow", "Action", "connect:*",
                "Resource", "*"))));
        AtomicReference<String> current = new AtomicReference<>(allow);
        CallerIdentityResolver resolver = resolver(arn -> issuers(current.get(), null).resolve(arn));
        String token = token("carol", Map.of(), true);
        session(resolver.resolve(token));
        current.set(deny);
        assertEquals(Reason.CREDENTIAL_REJECTED_ISSUER_NOT_ALLOWED, rejection(resolver.resolve(token)));
    }
}
