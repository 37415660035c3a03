package dev.edgeiam.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.principal.MutableClock;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.edgeiam.identity.IdentityFixtures.ACCOUNT;
import static dev.edgeiam.identity.IdentityFixtures.NOW;
import static dev.edgeiam.identity.IdentityFixtures.claims;
import static dev.edgeiam.identity.IdentityFixtures.env;
import static dev.edgeiam.identity.IdentityFixtures.issuers;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A role's trust policy decides a web-identity token only as far as the function can see the STS call (cases:
 * {@code trust-policy-cases.json}, one dynamic test each): unseen call keys and time never let a trust policy's
 * Deny be skipped or an Allow be assumed, a source identity needs {@code sts:SetSourceIdentity}, and an identity
 * provider's {@code mfa} claim never becomes {@code aws:MultiFactorAuthPresent}.
 */
class WebIdentityTrustTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/TrustCase";

    @TestFactory
    List<DynamicTest> trustPolicyCases() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("trust-policy-cases.json")) {
            root = JSON.readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> {
                ObjectNode trust = JSON.createObjectNode().put("Version", "2012-10-17");
                ArrayNode statements = trust.putArray("Statement");
                for (JsonNode s : c.get("statements")) {
                    ObjectNode statement = ((ObjectNode) s.deepCopy());
                    statement.putObject("Principal").put("Federated",
                            "arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test");
                    statements.add(statement);
                }
                RoleInfo role = new RoleInfo(ROLE_ARN, "AROATRUSTCASE", trust.toString(), Map.of());
                RoleDirectory roles = k -> k.equals(ROLE_ARN) || k.equals("TrustCase") ? Optional.of(role)
                        : Optional.empty();
                CallerIdentityResolver resolver = CallerIdentityResolver.create(
                        IdentitySettings.fromEnvironment(env()), new MutableClock(NOW), roles, issuers(), null);
                JwtClaims claims = claims("agent-7");
                claims.setStringClaim("https://aws.amazon.com/role", ROLE_ARN);
                if (c.has("sourceIdentity")) {
                    claims.setStringClaim("email", c.get("sourceIdentity").asText());
                }
                if (c.has("amr")) {
                    List<String> amr = new ArrayList<>();
                    c.get("amr").forEach(v -> amr.add(v.asText()));
                    claims.setStringListClaim("amr", amr);
                }
                IdentityOutcome outcome = resolver.resolve("Bearer " + DevTokens.sign(claims));
                String got = outcome instanceof IdentityOutcome.Rejected r ? "rejected:"
                        + r.reason().name().replace("CREDENTIAL_REJECTED_", "")
                        : outcome instanceof IdentityOutcome.Caller ? "caller" : outcome.toString();
                assertEquals(c.get("expect").asText(), got, outcome.toString());
                if (c.has("multiFactorAuthPresent") && outcome instanceof IdentityOutcome.Caller caller) {
                    String value = caller.session().contextValues().stream()
                            .filter(v -> v.name().equals("aws:MultiFactorAuthPresent")).map(v -> v.value(0))
                            .findFirst().orElse("absent");
                    assertEquals(c.get("multiFactorAuthPresent").asText(), value);
                }
            }));
        }
        return tests;
    }
}
