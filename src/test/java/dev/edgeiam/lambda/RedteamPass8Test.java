package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.identity.DevTokens;
import dev.edgeiam.identity.IdentitySettings;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.ACCOUNT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eighth red-team pass through the whole authorizer path ({@link EdgeHarness}): web-identity session-policy claims
 * with cached grants, REST / HTTP payload 1.0 event fields that disagree with the method ARN, role-claim tricks,
 * WebSocket and custom routes under the identifier-case and cross-account rules, and resource tags read for an
 * identifier in another case. Each finding's test asserts the safe behaviour; what held is a regular test.
 */
class RedteamPass8Test {

    static final List<CacheModel> CACHES = List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT);
    static final String USER_PATH = "/users/" + INSTANCE + "/u-1";
    static final String GUARD_ARN = "arn:aws:iam::" + ACCOUNT + ":policy/SessionGuard";

    /** Identity settings of the development issuer plus {@code extra} environment variables. */
    static IdentitySettings identity(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AUTHORIZER_JWKS_URL", DevTokens.devJwksUrl().toString(),
                "AUTHORIZER_ISSUER", DevTokens.ISSUER,
                "AUTHORIZER_AUDIENCE", DevTokens.AUDIENCE));
        env.putAll(extra);
        return IdentitySettings.fromEnvironment(env);
    }

    /** The harness role's account snapshot with one customer managed policy {@code arn} added. */
    static JsonNode withManagedPolicy(JsonNode snapshot, String arn, String document) {
        try {
            ObjectNode p = ((com.fasterxml.jackson.databind.node.ArrayNode) snapshot.get("Policies")).addObject();
            p.put("Arn", arn);
            p.put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1));
            p.put("DefaultVersionId", "v1");
            ObjectNode v = p.putArray("PolicyVersionList").addObject();
            v.put("VersionId", "v1");
            v.put("IsDefaultVersion", true);
            v.set("Document", EdgeHarness.JSON.readTree(document));
            return snapshot;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A bearer token for a session of the harness role with the given extra claims. */
    static String token(EdgeHarness h, Map<String, Object> claims) {
        JwtClaims c = DevTokens.claims(h.clock.instant(), "agent-edge");
        c.setClaim("https://aws.amazon.com/role", EdgeHarness.ROLE_ARN);
        claims.forEach(c::setClaim);
        return "Bearer " + DevTokens.sign(c);
    }

    static boolean grants(JsonNode answer, String method, String path) {
        return ApiGatewayPolicyMatch.allows(answer, STAGE + "/" + method + path);
    }

    // -- R8.1 (high): a blank session-policy claim drops the configured session policy ----------------------------

    /**
     * {@code AUTHORIZER_SESSION_POLICY} (Allow {@code connect:DescribeUser} only) caps every web-identity session;
     * {@code AUTHORIZER_SESSION_POLICY_CLAIM=session_policy} lets the token carry its own. The role allows
     * {@code connect:*}. A token without the claim is capped ({@code DELETE /users/...} refused,
     * {@code session-implicit-deny}); a token whose claim is {@code ""} (or white space) was <b>allowed</b> to delete
     * users, and cached, granted every route: {@code WebIdentityFederation.sessionPolicy} takes any non-null claim as
     * the session's policy, and {@code SessionPolicy} reads a blank inline text as "no inline policy" — so the claim
     * replaced the configured cap by nothing, and the session had the role's full permissions. An identity provider
     * that fills the claim from a user attribute sends {@code ""} for users without one. STS has no "empty" session
     * policy: {@code Policy} has a minimum length of 1
     * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html). Safe answer (the
     * fix): a blank claim is a bad session policy (401), like any other claim that is not a policy.
     */
    @Test
    void aBlankSessionPolicyClaimDoesNotDropTheConfiguredSessionPolicy() {
        IdentitySettings settings = identity(Map.of(
                "AUTHORIZER_SESSION_POLICY", policy(statement("Allow", "connect:DescribeUser", "*")),
                "AUTHORIZER_SESSION_POLICY_CLAIM", "session_policy"));
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : CACHES) {
            EdgeHarness h = new EdgeHarness(cache, false, List.of(), arn -> Map.of(), null, settings,
                    EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))));
            JsonNode capped = h.answer(h.restRequest(token(h, Map.of()), "DELETE", USER_PATH, Map.of(), IP));
            assertEquals("session-implicit-deny", capped.path("context").path("reason").asText(), capped.toString());
            assertTrue(allowed(h.answer(h.restRequest(token(h, Map.of()), "GET", USER_PATH, Map.of(), IP))));
            for (String blank : List.of("", " ", "\n\t")) {
                JsonNode a = h.answer(h.restRequest(token(h, Map.of("session_policy", blank)), "DELETE", USER_PATH,
                        Map.of(), IP));
                if (allowed(a) || grants(a, "DELETE", USER_PATH)) {
                    wrong.add(cache.resultTtl().toSeconds() + " s, claim \"" + blank.replace("\n", "\\n")
                            .replace("\t", "\\t") + "\": DELETE " + USER_PATH + " " + a.path("context"));
                }
            }
        }
        assertTrue(wrong.isEmpty(), "a blank claim lifted the configured session policy: " + wrong);
    }

    // -- R8.2 (medium): a session-policy claim also drops the configured managed session policies -----------------

    /**
     * {@code AUTHORIZER_SESSION_POLICY_ARNS} names {@code policy/SessionGuard} (Allow {@code connect:*}, Deny
     * {@code connect:DeleteUser}); {@code AUTHORIZER_SESSION_POLICY_CLAIM=session_policy}. The settings table says
     * the claim "replaces the configured inline policy" — the configured ARNs stay, as STS takes {@code Policy} and
     * {@code PolicyArns} side by side and a session is capped by both ("the permissions ... are the intersection of
     * the role's identity-based policy and the session policies",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session), so the guard's Deny
     * applies whatever the claim says. A token whose claim is Allow {@code connect:*} was <b>allowed</b>
     * {@code DELETE /users/...} (and, cached, granted it): the claim's policy was built as
     * {@code SessionPolicy.inline(text)}, dropping the ARNs with their Deny. Fixed: the claim replaces the inline
     * policy only.
     */
    @Test
    void aSessionPolicyClaimKeepsTheConfiguredManagedSessionPolicies() {
        IdentitySettings settings = identity(Map.of(
                "AUTHORIZER_SESSION_POLICY_ARNS", GUARD_ARN,
                "AUTHORIZER_SESSION_POLICY_CLAIM", "session_policy"));
        String guard = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:DeleteUser", "*"));
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : CACHES) {
            EdgeHarness h = new EdgeHarness(cache, false, List.of(), arn -> Map.of(), null, settings,
                    withManagedPolicy(EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))), GUARD_ARN,
                            guard));
            JsonNode noClaim = h.answer(h.restRequest(token(h, Map.of()), "DELETE", USER_PATH, Map.of(), IP));
            assertEquals("explicit-deny", noClaim.path("context").path("reason").asText(), noClaim.toString());
            String claimed = token(h, Map.of("session_policy", policy(statement("Allow", "connect:*", "*"))));
            JsonNode describe = h.answer(h.restRequest(claimed, "GET", USER_PATH, Map.of(), IP));
            assertTrue(allowed(describe), "the claim's own grant applies: " + describe);
            JsonNode a = h.answer(h.restRequest(claimed, "DELETE", USER_PATH, Map.of(), IP));
            if (allowed(a) || grants(a, "DELETE", USER_PATH)) {
                wrong.add(cache.resultTtl().toSeconds() + " s: DELETE " + USER_PATH + " " + a.path("context"));
            }
            if (grants(describe, "DELETE", USER_PATH)) {
                wrong.add(cache.resultTtl().toSeconds() + " s: the cached answer to GET grants DELETE " + USER_PATH);
            }
        }
        assertTrue(wrong.isEmpty(), "the claim dropped the configured managed session policy's Deny: " + wrong);
    }
}
