package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.JSON;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fifth red-team pass (issue 11) through the whole authorizer path ({@link EdgeHarness}; {@link ApiGatewayPolicyMatch}
 * for what API Gateway lets through on a cached answer). Each finding's test asserts the safe behaviour and failed
 * before its fix: R5.1 an identifier label in another letter case walks around a
 * Deny written on the identifier; R5.2 a lower-case method token is decided as the upper-case method; R5.3 a query
 * member named in another letter case beside the real one is ignored. What held is a regular test
 * ({@link #permissionBoundariesDoNotWidenCachedRouteGrants}).
 */
class RedteamPass5Test {

    static final String BOUNDARY_ARN = "arn:aws:iam::" + EdgeHarness.ACCOUNT + ":policy/EdgeBoundary";
    static final String BOSS = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    /** The harness role with its inline policies and a permissions boundary (a customer managed policy). */
    static JsonNode withBoundary(String boundary, String... inline) {
        try {
            ObjectNode root = (ObjectNode) EdgeHarness.snapshot(inline);
            ObjectNode role = (ObjectNode) root.get("RoleDetailList").get(0);
            role.putObject("PermissionsBoundary").put("PermissionsBoundaryType", "Policy")
                    .put("PermissionsBoundaryArn", BOUNDARY_ARN);
            ObjectNode p = root.withArray("Policies").addObject();
            p.put("Arn", BOUNDARY_ARN).put("PolicyName", "EdgeBoundary").put("DefaultVersionId", "v1");
            ObjectNode v = p.putArray("PolicyVersionList").addObject();
            v.put("VersionId", "v1").put("IsDefaultVersion", true);
            v.set("Document", JSON.readTree(boundary));
            return root;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final String[] ROUTES = {
        "GET /users/" + INSTANCE + "/u-2", "PUT /users/" + INSTANCE, "DELETE /users/" + INSTANCE + "/u-2",
        "POST /users/" + INSTANCE + "/u-2/hierarchy", "PUT /queues/" + INSTANCE, "GET /queues/" + INSTANCE + "/vip",
        "PUT /routing-profiles/" + INSTANCE, "PUT /quick-connects/" + INSTANCE, "POST /metrics/current/" + INSTANCE,
        "PUT /user-hierarchy-groups/" + INSTANCE, "PUT /security-profiles/" + INSTANCE,
        "GET /queues-summary/" + INSTANCE, "POST /contact/stop", "POST /users/" + INSTANCE + "/u-2/security-profiles",
        "GET /users-summary/" + INSTANCE};

    /** Routes refused when asked that the cached answer to {@code GET /users/{InstanceId}/u-1} lets through. */
    static List<String> cachedWiderThanAsked(JsonNode snapshot) {
        List<String> out = new ArrayList<>();
        EdgeHarness cached = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, false, List.of(), arn -> Map.of(), null,
                snapshot);
        EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, false, List.of(), arn -> Map.of(), null, snapshot);
        JsonNode a = cached.answer(cached.restRequest(cached.token(), "GET", "/users/" + INSTANCE + "/u-1",
                Map.of(), IP));
        for (String route : ROUTES) {
            String[] mp = route.split(" ");
            JsonNode f = fresh.answer(fresh.restRequest(fresh.token(), mp[0], mp[1], Map.of(), IP));
            if (!allowed(f) && ApiGatewayPolicyMatch.allows(a, STAGE + "/" + mp[0] + mp[1])) {
                out.add(route + " (" + f.path("context").path("reason").asText() + ")");
            }
        }
        return out;
    }

    // -- held: permission boundaries combined with unseen resources and cached route grants -----------------------

    /**
     * A boundary narrower than the identity policy (by resource, by action, or with a Deny on one queue and one
     * hierarchy group) never lets a cached answer grant a route that is refused when asked. Checked over routes whose
     * resources only the body names (CreateUser's hierarchy group, CreateQueue's ...), one queue, and list routes.
     */
    @Test
    void permissionBoundariesDoNotWidenCachedRouteGrants() {
        String all = policy(statement("Allow", "connect:*", "*"));
        String someResources = policy(statement("Allow", "connect:*", CONNECT, CONNECT + "/agent/*",
                CONNECT + "/agent-group/team-a", CONNECT + "/queue/team-a", CONNECT + "/security-profile/*",
                CONNECT + "/routing-profile/*"));
        Map<String, JsonNode> cases = Map.of(
                "boundary on some resources", withBoundary(someResources, all),
                "boundary with Denies", withBoundary(policy(statement("Allow", "*", "*"),
                        statement("Deny", "connect:*", CONNECT + "/queue/vip"),
                        statement("Deny", "connect:*", CONNECT + "/agent-group/executives")), all),
                "boundary on read actions", withBoundary(policy(statement("Allow", "connect:Describe*", "*"),
                        statement("Allow", "connect:List*", "*")), all),
                "identity on some resources, boundary on all", withBoundary(policy(statement("Allow", "*", "*")),
                        someResources));
        List<String> wrong = new ArrayList<>();
        cases.forEach((name, snapshot) -> cachedWiderThanAsked(snapshot).forEach(r -> wrong.add(name + ": " + r)));
        assertTrue(wrong.isEmpty(), "refused when asked, granted by a cached answer: " + wrong);
    }

    // -- R5.1 (medium, "cannot know"): an identifier in another letter case walks around a Deny on the identifier --

    /**
     * Allow {@code connect:*} on {@code *}, Deny {@code connect:*} on {@code instance/<id>/agent/aaaaaaaa-bbbb-...}.
     * {@code GET /users/{InstanceId}/aaaaaaaa-bbbb-...} is denied; the same request with the user ID upper-cased
     * ({@code AAAAAAAA-BBBB-...}, or only its first group) is allowed as DescribeUser on
     * {@code .../agent/AAAAAAAA-BBBB-...}, with and without caching, and so are DeleteUser and
     * UpdateUserIdentityInfo. IAM matches resource ARNs case-sensitively ("In the Resource element, the IAM user
     * name is case sensitive", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html),
     * so the answer is right only if Amazon Connect treats the upper-cased ID as another (non-existent) user. If
     * Connect resolves the ID case-insensitively and authorizes on the user's stored ARN (as a service that looks the
     * resource up does), IAM denies the call the function allowed. Nothing in the function knows which: the safe
     * answer is to refuse an identifier a Deny matches ignoring case (or any ID that is not in the canonical form of
     * its type). Confirmed on the packaged function (target/function.zip, sample account plus this Allow/Deny on
     * the ConnectAgentWebRole): the lower-case request answers Deny {@code explicit-deny}, the upper-case one Allow.
     */
    @Test
    void anUpperCaseIdentifierDoesNotWalkAroundADenyOnTheIdentifier() {
        String p = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*", CONNECT + "/agent/" + BOSS));
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            EdgeHarness h = new EdgeHarness(cache, p);
            JsonNode asked = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/" + BOSS, Map.of(), IP));
            assertFalse(allowed(asked), "the identifier as written in the Deny is denied: " + asked);
            for (String[] r : new String[][] {{"GET", "/users/" + INSTANCE + "/" + BOSS.toUpperCase()},
                    {"DELETE", "/users/" + INSTANCE + "/" + BOSS.toUpperCase()},
                    {"POST", "/users/" + INSTANCE + "/" + BOSS.toUpperCase() + "/identity-info"},
                    {"GET", "/users/" + INSTANCE + "/" + BOSS.substring(0, 8).toUpperCase() + BOSS.substring(8)}}) {
                JsonNode a = h.answer(h.restRequest(h.token(), r[0], r[1], Map.of(), IP));
                if (allowed(a)) {
                    wrong.add(cache.resultTtl() + " " + r[0] + " " + r[1] + ": " + a.path("context"));
                }
            }
        }
        assertTrue(wrong.isEmpty(), "allowed despite the Deny on agent/" + BOSS + ": " + wrong);
    }

    // -- R5.2 (low, "cannot know"): a lower-case method token is decided as the upper-case method ------------------

    /**
     * A REST event (REQUEST or TOKEN) whose method ARN verb is {@code get}, {@code Get} or {@code delete} is decided
     * as {@code GET}/{@code DELETE} (DescribeUser, DeleteUser) and allowed. "The method token is case-sensitive"
     * (RFC 9110 section 9.1, https://www.rfc-editor.org/rfc/rfc9110#section-9.1): {@code get} is another method, and
     * what an {@code ANY} method's back end or Amazon Connect does with it is not known to the function, so it should
     * be refused like {@code HEAD} and {@code OPTIONS} are ({@code unmapped-route}). Confirmed on the packaged
     * function: {@code events/rest-request.json} with {@code /get/} in the method ARN answers Allow
     * {@code connect:DescribeUser} for {@code .../prod/get/users/...}.
     */
    @Test
    void aLowerCaseMethodIsNotDecidedAsTheUpperCaseMethod() {
        String p = policy(statement("Allow", "connect:DescribeUser", "*"), statement("Allow", "connect:DeleteUser", "*"));
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            EdgeHarness h = new EdgeHarness(cache, p);
            for (String m : List.of("get", "Get", "delete")) {
                JsonNode a = h.answer(h.restRequest(h.token(), m, "/users/" + INSTANCE + "/u-1", Map.of(), IP));
                if (allowed(a)) {
                    wrong.add(cache.resultTtl() + " " + m + ": " + a.path("context").path("action"));
                }
                JsonNode t = h.answer(h.tokenEvent(h.token(), m, "/users/" + INSTANCE + "/u-1"));
                if (allowed(t)) {
                    wrong.add(cache.resultTtl() + " TOKEN " + m + ": " + t.path("context").path("action"));
                }
            }
        }
        assertTrue(wrong.isEmpty(), "a method token RFC 9110 treats as another method was decided as its upper-case "
                + "namesake: " + wrong);
    }

    // -- R5.3 (low, "cannot know"): a query member in another letter case beside the real one is ignored -----------

    /**
     * Allow {@code connect:*} on {@code *}, Deny {@code connect:*} on {@code .../contact/c-vip}.
     * {@code GET /contact/associated/{InstanceId}?contactId=c-vip} is denied; with TTL 0,
     * {@code ?contactId=c-1&ContactId=c-vip} (or {@code contactid=c-vip}) is allowed, decided on {@code c-1} with the
     * other member ignored — while {@code ?ContactId=c-vip} alone is refused ({@code resource-not-visible}), and
     * {@code ?contactId=c-1&contactId=c-vip} is refused ({@code ambiguous-request}). Whether Amazon Connect reads
     * query member names case-sensitively is not documented; if it does not (or a proxy in front of it folds case),
     * it reads {@code c-vip} and IAM denies. The safe answer is the same {@code ambiguous-request} as for a
     * repeated member. (With the default cache the request is refused, {@code input-not-in-cache-key}.)
     */
    @Test
    void aQueryMemberInAnotherCaseBesideTheRealOneIsNotIgnored() {
        String p = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*", CONNECT + "/contact/c-vip"));
        EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, p);
        JsonNode asked = h.answer(h.restRequest(h.token(), "GET", "/contact/associated/" + INSTANCE,
                EdgeHarness.query("contactId", "c-vip"), IP));
        assertFalse(allowed(asked), "the Deny applies when asked directly: " + asked);
        List<String> wrong = new ArrayList<>();
        for (String other : List.of("ContactId", "contactid", "CONTACTID")) {
            JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/contact/associated/" + INSTANCE,
                    EdgeHarness.query("contactId", "c-1", other, "c-vip"), IP));
            if (allowed(a)) {
                wrong.add("?contactId=c-1&" + other + "=c-vip");
            }
        }
        assertTrue(wrong.isEmpty(), "allowed while a member Connect may read as contactId names the denied contact: "
                + wrong);
    }
}
