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

    // -- R8.3 (low, "cannot know"): tags read for an identifier in another case -----------------------------------

    /**
     * Allow {@code connect:*} on {@code *}; Deny {@code connect:*} on {@code *} where {@code aws:ResourceTag/Team} is
     * {@code vip}; user {@code u-vip} carries {@code Team=vip}. {@code GET /users/.../u-vip} is refused
     * ({@code explicit-deny}); {@code GET /users/.../U-VIP} was <b>allowed</b> when {@code ListTagsForResource}
     * answers the ARN as sent with no tags (the resource source here knows the exact lower-case ARN only): the
     * pass-6 rule re-decided the lower-case form of the request, but with the tags read for the upper-case ARN, so
     * the tag Deny never saw {@code Team=vip}. Whether Amazon Connect's {@code ListTagsForResource} resolves an
     * identifier in another case as its other calls do (the premise of the identifier-case rule) is not documented.
     * Fixed: the lower-case form is decided with the tags of the lower-case ARN.
     */
    @Test
    void theLowerCaseFormIsDecidedWithTheLowerCaseResourcesTags() {
        String vip = EdgeHarness.CONNECT + "/agent/u-vip";
        String p = policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/Team\":\"vip\"}}}");
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : CACHES) {
            EdgeHarness h = new EdgeHarness(cache, false, List.of(),
                    arn -> arn.equals(vip) ? Map.of("Team", "vip") : Map.of(), p);
            JsonNode asStored = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-vip", Map.of(), IP));
            assertEquals("explicit-deny", asStored.path("context").path("reason").asText(), asStored.toString());
            assertTrue(allowed(h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP))));
            for (String id : List.of("U-VIP", "u-Vip")) {
                String path = "/users/" + INSTANCE + "/" + id;
                JsonNode a = h.answer(h.restRequest(h.token(), "GET", path, Map.of(), IP));
                if (allowed(a) || grants(a, "GET", path)) {
                    wrong.add(cache.resultTtl().toSeconds() + " s: GET " + path + " " + a.path("context"));
                }
            }
        }
        assertTrue(wrong.isEmpty(), "allowed in another letter case though the user's tags are denied: " + wrong);
    }

    // -- R8.4 (medium): HTTP API payload 1.0 events took a REST API's cache-key pins -------------------------------

    /** An HTTP API payload 1.0 event: the REST shape plus {@code version} and the identity-source values. */
    static ObjectNode httpV1(EdgeHarness h, String token, String method, String path, Map<String, List<String>> q) {
        ObjectNode e = h.restRequest(token, method, path, q, IP);
        e.put("version", "1.0");
        e.put("identitySource", token);
        e.put("authorizationToken", token);
        e.put("resource", path);
        return e;
    }

    /**
     * One function authorizes a REST API and an HTTP API ({@code template.yaml} does: its identity sources are
     * {@code method.request.header.Authorization,$request.header.Authorization}); the REST API also keys its cache
     * on {@code method.request.multivaluequerystring.contactId}, the HTTP API uses payload format 1.0 ("If you need
     * compatibility with REST APIs, use version 1.0",
     * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html) and keys on the
     * token only. Allow {@code connect:*} on {@code *}, Deny on {@code contact/boss}. A 1.0 event for
     * {@code GET /contact/associated/{InstanceId}?contactId=c-1} (ListAssociatedContacts) was <b>allowed with the
     * route granted</b>: the event was read as a REST event, so the REST source pinned {@code contactId} — but the
     * HTTP API's cache key holds only the token, and API Gateway serves the cached Allow to
     * {@code ?contactId=boss}. Fixed: a payload 1.0 event is its own format ({@code EventFormat.HTTP_V1}); REST
     * sources pin nothing for it, nor do its own query and header sources (how API Gateway keys a repeated member
     * for 1.0 is not documented).
     */
    @Test
    void anHttpApiPayload10EventIsNotPinnedByARestApisIdentitySources() {
        String p = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*",
                EdgeHarness.CONNECT + "/contact/boss"));
        String path = "/contact/associated/" + INSTANCE;
        List<String> wrong = new ArrayList<>();
        for (List<String> sources : List.of(
                List.of("method.request.header.Authorization", "method.request.multivaluequerystring.contactId",
                        "$request.header.Authorization"),
                List.of("$request.header.Authorization", "$request.querystring.contactId"))) {
            EdgeHarness h = new EdgeHarness(new CacheModel(java.time.Duration.ofSeconds(300), sources), p);
            JsonNode a = h.answer(httpV1(h, h.token(), "GET", path, EdgeHarness.query("contactId", "c-1")));
            if (allowed(a) || grants(a, "GET", path)) {
                wrong.add(sources + ": GET " + path + "?contactId=c-1 " + a.path("context"));
            }
            JsonNode boss = h.answer(httpV1(h, h.token(), "GET", path, EdgeHarness.query("contactId", "boss")));
            assertFalse(allowed(boss), boss.toString());
            // the REST API's query source does not pin either: a request with its key may add ContactId (R12.3)
            JsonNode rest = h.answer(h.restRequest(h.token(), "GET", path, EdgeHarness.query("contactId", "c-1"), IP));
            assertFalse(allowed(rest), rest.toString());
        }
        assertTrue(wrong.isEmpty(), "a cached 1.0 answer would serve ?contactId=boss: " + wrong);
    }

    // -- held ------------------------------------------------------------------------------------------------------

    /**
     * REST / HTTP 1.0 events whose {@code path}, {@code resource} and {@code pathParameters} disagree with the method
     * ARN are decided on the method ARN (what API Gateway matches the policy against); stage prefixes, trailing
     * slashes, empty and dot segments, encoded characters and an identifier in another case are refused, with and
     * without caching, and a cached answer for {@code u-1} never grants the denied {@code boss}.
     */
    @Test
    void restAndPayload10FieldsThatDisagreeWithTheMethodArnDecideNothing() {
        String p = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*",
                EdgeHarness.CONNECT + "/agent/boss"));
        String boss = "/users/" + INSTANCE + "/boss";
        for (CacheModel cache : CACHES) {
            EdgeHarness h = new EdgeHarness(cache, p);
            for (boolean v1 : List.of(false, true)) {
                ObjectNode e = v1 ? httpV1(h, h.token(), "GET", boss, Map.of())
                        : h.restRequest(h.token(), "GET", boss, Map.of(), IP);
                e.put("path", USER_PATH);
                e.put("resource", "/users/{InstanceId}/{UserId}");
                e.putObject("pathParameters").put("InstanceId", INSTANCE).put("UserId", "u-1");
                JsonNode a = h.answer(e);
                assertEquals("explicit-deny", a.path("context").path("reason").asText(), a.toString());
                JsonNode u1 = h.answer(v1 ? httpV1(h, h.token(), "GET", USER_PATH, Map.of())
                        : h.restRequest(h.token(), "GET", USER_PATH, Map.of(), IP));
                assertTrue(allowed(u1), u1.toString());
                assertFalse(grants(u1, "GET", boss), "the cached answer for u-1 serves boss: " + u1);
            }
            for (String path : List.of(boss + "/", "/prod" + boss, "/users/" + INSTANCE + "//boss",
                    "/users/" + INSTANCE + "/./boss", "/users/" + INSTANCE + "/x/../boss", "/users/" + INSTANCE
                            + "/bo%73s", "/users/" + INSTANCE + "/BOSS", "/users//" + INSTANCE + "/boss",
                    boss + "%2F", "/users/" + INSTANCE + "%2Fboss")) {
                JsonNode a = h.answer(h.restRequest(h.token(), "GET", path, Map.of(), IP));
                assertFalse(allowed(a), path + ": " + a);
            }
        }
    }

    /**
     * Role-claim tricks: the role named in another case ({@code edgetestrole}, as a name or in its ARN), with a
     * path it does not have, by another account's ARN, or with the path in the name, is no session (401); session
     * names with characters STS refuses are mapped to {@code -} and cannot reach a policy written for a name.
     */
    @Test
    void roleClaimsInAnotherCaseOrWithAPathAreNoSession() {
        EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
        for (String role : List.of("edgetestrole", "EDGETESTROLE", "arn:aws:iam::" + ACCOUNT + ":role/edgetestrole",
                "arn:aws:iam::" + ACCOUNT + ":role/team/EdgeTestRole", "arn:aws:iam::999999999999:role/EdgeTestRole",
                "team/EdgeTestRole", "arn:aws:iam::" + ACCOUNT + ":role/EdgeTestRole/", "EdgeTestRole ",
                "arn:aws:sts::" + ACCOUNT + ":assumed-role/EdgeTestRole/x", "arn:aws-cn:iam::" + ACCOUNT
                        + ":role/EdgeTestRole")) {
            JwtClaims c = DevTokens.claims(h.clock.instant(), "agent-edge");
            c.setClaim("https://aws.amazon.com/role", role);
            JsonNode a = h.answer(h.restRequest("Bearer " + DevTokens.sign(c), "GET", USER_PATH, Map.of(), IP));
            assertFalse(allowed(a), role + ": " + a);
        }
        // the role by its exact name works
        JwtClaims ok = DevTokens.claims(h.clock.instant(), "agent-edge");
        ok.setClaim("https://aws.amazon.com/role", EdgeHarness.ROLE);
        assertTrue(allowed(h.answer(h.restRequest("Bearer " + DevTokens.sign(ok), "GET", USER_PATH, Map.of(), IP))));
        // a Deny on one session name: a subject with odd characters does not turn into that name, nor escape it
        EdgeHarness named = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
                        + "{\"aws:userid\":\"*:mallory*\"}}}"));
        for (String sub : List.of("mallory", "mallory/x", "mallory x", "mallory\u0000", "mallory*", "mallory"
                + "a".repeat(80))) {
            JsonNode a = named.answer(named.restRequest(named.token(sub, Map.of()), "GET", USER_PATH, Map.of(), IP));
            assertFalse(allowed(a), sub + ": " + a);
        }
    }

    /** A WebSocket {@code $connect} event (query members as given). */
    static ObjectNode webSocket(EdgeHarness h, String token, Map<String, List<String>> q) {
        ObjectNode e = h.restRequest(token, "GET", "/ignored", q, IP);
        e.put("methodArn", STAGE + "/$connect");
        e.remove("httpMethod");
        e.remove("path");
        ((ObjectNode) e.get("requestContext")).put("eventType", "CONNECT").put("routeKey", "$connect");
        return e;
    }

    /**
     * A WebSocket {@code $connect} custom route whose ARN reads the instance and agent from the query, under every
     * cache configuration (none; the token only; {@code route.request.querystring.*}, which pins nothing; the
     * multi-value form): an identifier in another case, a repeated or case-varied member, a value with a slash or a
     * whole ARN, and (cached) any value the key does not fix are refused; a caller of another account is refused.
     */
    @Test
    void webSocketCustomRoutesUnderTheCaseAndCrossAccountRules() {
        List<dev.edgeiam.connect.CustomRouteMapping> custom = List.of(dev.edgeiam.connect.CustomRouteMapping.of(
                "WEBSOCKET", "/$connect", "connect:DescribeUser",
                "arn:{Partition}:connect:{Region}:{Account}:instance/{instanceId}/agent/{agentId}"));
        String p = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*",
                EdgeHarness.CONNECT + "/agent/boss"));
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT,
                new CacheModel(java.time.Duration.ofSeconds(300), List.of("route.request.header.Authorization",
                        "route.request.querystring.agentId", "route.request.querystring.instanceId")),
                new CacheModel(java.time.Duration.ofSeconds(300), List.of("route.request.header.Authorization",
                        "route.request.multivaluequerystring.agentId",
                        "route.request.multivaluequerystring.instanceId")))) {
            EdgeHarness h = new EdgeHarness(cache, false, custom, p);
            for (Map<String, List<String>> q : List.of(
                    EdgeHarness.query("instanceId", INSTANCE, "agentId", "BOSS"),
                    EdgeHarness.query("instanceId", INSTANCE, "agentId", "Boss"),
                    EdgeHarness.query("instanceId", INSTANCE, "agentId", "boss/x"),
                    EdgeHarness.query("instanceId", INSTANCE, "agentId", "u-1", "agentId", "boss"),
                    EdgeHarness.query("instanceId", INSTANCE, "agentId", "u-1", "AgentId", "boss"),
                    EdgeHarness.query("instanceId", INSTANCE + "/agent/boss", "agentId", "x"),
                    EdgeHarness.query("instanceId", "arn:aws:connect:us-east-1:999999999999:instance/" + INSTANCE,
                            "agentId", "boss"))) {
                JsonNode a = h.answer(webSocket(h, h.token(), q));
                assertFalse(allowed(a), cache.identitySources() + " " + q + ": " + a);
            }
            JsonNode u1 = h.answer(webSocket(h, h.token(), EdgeHarness.query("instanceId", INSTANCE, "agentId", "u-1")));
            boolean pinned = cache.resultTtl().isZero(); // query sources pin nothing (R12.3: AgentId may be added)
            assertEquals(pinned, allowed(u1), cache.identitySources() + ": " + u1);
        }
        // the same custom route for a caller of another account (presigned URL)
        ObjectNode snapshot = (ObjectNode) EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*")));
        ((ObjectNode) snapshot.get("RoleDetailList").get(0)).put("Arn",
                "arn:aws:iam::" + RedteamPass6Test.OTHER_ACCOUNT + ":role/" + EdgeHarness.ROLE);
        dev.edgeiam.identity.CallerIdentityClient sts = request -> new dev.edgeiam.identity.CallerIdentity(
                "arn:aws:sts::" + RedteamPass6Test.OTHER_ACCOUNT + ":assumed-role/" + EdgeHarness.ROLE + "/s-1",
                "AROAEDGETESTROLE0001:s-1", RedteamPass6Test.OTHER_ACCOUNT);
        EdgeHarness x = new EdgeHarness(CacheModel.NOT_CACHED, false, custom, arn -> Map.of(), sts, snapshot);
        JsonNode a = x.answer(webSocket(x, RedteamPass6Test.presignedUrl(), EdgeHarness.query("instanceId",
                INSTANCE, "agentId", "u-1")));
        assertFalse(allowed(a), a.toString());
        assertEquals("cross-account-no-resource-policy", a.path("context").path("reason").asText(), a.toString());
    }

    // -- R8.5 (low): a new version of a managed session policy did not reach sessions already decided -------------

    /**
     * {@code AUTHORIZER_SESSION_POLICY_ARNS} names {@code policy/SessionGuard} (v1: Allow {@code connect:*}); the role
     * allows {@code connect:*}. {@code DELETE /users/...} is allowed; then the guard gets a default version v2 with a
     * Deny on {@code connect:DeleteUser} (the snapshot re-read, and CloudTrail's {@code CreatePolicyVersion} answered
     * by {@link RefreshHandler}, as {@code LambdaBeans} wires it). SECURITY.md promises that a managed-policy version
     * change reaches "every user ..., role and session using the policy"; the session layer was compiled once per
     * (principal's set, session kind, session policy) and the role — to which the guard is not attached — was not
     * dropped, so the same token (and a new one) was still <b>allowed</b> until the principal entry expired (5 min by
     * default; plus API Gateway's TTL).
     */
    @Test
    void aNewVersionOfAManagedSessionPolicyReachesTheSessions() {
        String guardV1 = policy(statement("Allow", "connect:*", "*"));
        String guardV2 = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:DeleteUser", "*"));
        java.util.concurrent.atomic.AtomicReference<JsonNode> account = new java.util.concurrent.atomic.AtomicReference<>(
                withManagedPolicy(EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))), GUARD_ARN,
                        guardV1));
        RefreshablePolicySource source = new RefreshablePolicySource(
                () -> dev.edgeiam.aws.SnapshotPolicySource.fromJson(account.get()));
        dev.edgeiam.principal.MutableClock clock = new dev.edgeiam.principal.MutableClock(EdgeHarness.NOW);
        dev.edgeiam.principal.PrincipalCache principals = new dev.edgeiam.principal.PrincipalCache(source,
                dev.edgeiam.principal.PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        dev.edgeiam.identity.PolicySourceDirectory directory = new dev.edgeiam.identity.PolicySourceDirectory(source,
                ACCOUNT, clock, java.time.Duration.ofMinutes(5));
        dev.edgeiam.identity.CallerIdentityResolver identities = dev.edgeiam.identity.CallerIdentityResolver.create(
                identity(Map.of("AUTHORIZER_SESSION_POLICY_ARNS", GUARD_ARN)), clock, directory, principals, null);
        GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null,
                        false, new dev.edgeiam.connect.ArnContext("aws", EdgeHarness.REGION, ACCOUNT),
                        CacheModel.NOT_CACHED), identities, principals, dev.edgeiam.connect.RouteTable.defaultTable(),
                arn -> Map.of(), source::managedPolicyText, clock);
        RefreshHandler refresh = new RefreshHandler(source, principals, directory, true,
                gateway::forgetVerifiedCredentials);
        EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
        String token = events.token();
        assertTrue(allowed(gateway.answer(events.restRequest(token, "DELETE", USER_PATH, Map.of(), IP)).response()));

        account.set(withManagedPolicy(EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))), GUARD_ARN,
                guardV2));
        try {
            refresh.answer(EdgeHarness.JSON.readTree("""
                    {"detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
                     "detail": {"eventSource": "iam.amazonaws.com", "eventName": "CreatePolicyVersion",
                       "requestParameters": {"policyArn": "%s", "setAsDefault": true}}}
                    """.formatted(GUARD_ARN)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        clock.advance(java.time.Duration.ofSeconds(1));
        JsonNode after = gateway.answer(events.restRequest(token, "DELETE", USER_PATH, Map.of(), IP)).response();
        assertFalse(allowed(after), "the guard's new Deny does not reach the session: " + after);
        assertEquals("explicit-deny", after.path("context").path("reason").asText(), after.toString());
    }

    // -- R8.6 (medium): WebSocket events took a REST API's cache-key pins of a shared configuration ---------------

    /**
     * One function authorizes a REST API that keys its cache on {@code method.request.header.Authorization} and
     * {@code method.request.multivaluequerystring.agentId}, and a WebSocket API whose {@code $connect} keys on
     * {@code route.request.header.Authorization} only; a custom route {@code WEBSOCKET /$connect} names
     * {@code agent/{agentId}} from the query. Allow {@code connect:*} on {@code *}, Deny on {@code agent/boss}. The
     * {@code $connect} with {@code ?agentId=u-1} was <b>allowed</b> under the cache: the REST {@code method.request.…}
     * source was read for the WebSocket event too, so {@code agentId} counted as pinned — API Gateway then serves the
     * cached Allow to {@code ?agentId=boss}. Fixed: {@code method.request.…} sources belong to REST events,
     * {@code route.request.…} sources to WebSocket events.
     */
    @Test
    void aWebSocketEventIsNotPinnedByARestApisIdentitySources() {
        List<dev.edgeiam.connect.CustomRouteMapping> custom = List.of(dev.edgeiam.connect.CustomRouteMapping.of(
                "WEBSOCKET", "/$connect", "connect:DescribeUser",
                "arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE + "/agent/{agentId}"));
        String p = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*",
                EdgeHarness.CONNECT + "/agent/boss"));
        CacheModel shared = new CacheModel(java.time.Duration.ofSeconds(300), List.of(
                "method.request.header.Authorization", "method.request.multivaluequerystring.agentId",
                "route.request.header.Authorization"));
        EdgeHarness h = new EdgeHarness(shared, false, custom, p);
        JsonNode a = h.answer(webSocket(h, h.token(), EdgeHarness.query("agentId", "u-1")));
        assertFalse(allowed(a), "a cached $connect answer for agentId=u-1 would serve agentId=boss: " + a);
        assertEquals("input-not-in-cache-key", a.path("context").path("reason").asText(), a.toString());
        // the WebSocket API's own multi-value source does not pin either: a request with its key may add AgentId=boss
        // (R12.3)
        EdgeHarness own = new EdgeHarness(new CacheModel(java.time.Duration.ofSeconds(300), List.of(
                "route.request.header.Authorization", "route.request.multivaluequerystring.agentId")), false, custom, p);
        assertFalse(allowed(own.answer(webSocket(own, own.token(), EdgeHarness.query("agentId", "u-1")))));
    }
}
