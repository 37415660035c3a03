package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.edgeiam.lambda.EdgeHarness.ACCOUNT;
import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static dev.edgeiam.lambda.RedteamPass8Test.USER_PATH;
import static dev.edgeiam.lambda.RedteamPass8Test.identity;
import static dev.edgeiam.lambda.RedteamPass8Test.withManagedPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Twelfth red-team pass: the recent performance changes on the authorizer path (header normalization, the UTF-8
 * fast path, the pruned read, method-ARN parsing, staged route grants, the unknown-input algebra, the credential
 * digest, the STS answer TTL) and IAM change events. Each finding's test asserts the safe behaviour (it fails on the
 * code it was found on); probes that came out safe are kept as regression guards (named {@code guard_...}).
 * Packaged-function checks are in {@code local/RedteamPass12PackagedIT}.
 */
class RedteamPass12Test {

    // -- R12.1: an IAM change naming the user, role, group or policy in another letter case drops nothing ---------

    static final String ACCESS_ARN = "arn:aws:iam::" + ACCOUNT + ":policy/ConnectAccess";

    /** The harness's role, allowed {@code connect:*} by an inline policy and by the managed ConnectAccess. */
    static JsonNode account(boolean denyDelete) {
        String allow = policy(statement("Allow", "connect:*", "*"));
        String withDeny = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:DeleteUser", "*"));
        JsonNode snapshot = withManagedPolicy(EdgeHarness.snapshot(allow), ACCESS_ARN, denyDelete ? withDeny : allow);
        ((ArrayNode) snapshot.get("RoleDetailList").get(0).get("AttachedManagedPolicies")).addObject()
                .put("PolicyName", "ConnectAccess").put("PolicyArn", ACCESS_ARN);
        return snapshot;
    }

    /**
     * The view with the account's OIDC providers ({@code SnapshotPolicySource.OIDC_PROVIDERS_MEMBER}): the one
     * provider with one client ID, or (null ARN) none at all.
     */
    static JsonNode withProvider(JsonNode snapshot, String providerArn, String clientId) {
        ArrayNode providers = ((com.fasterxml.jackson.databind.node.ObjectNode) snapshot)
                .putArray(dev.edgeiam.aws.SnapshotPolicySource.OIDC_PROVIDERS_MEMBER);
        if (providerArn != null) {
            providers.addObject().put("Arn", providerArn).putArray("ClientIDList").add(clientId);
        }
        return snapshot;
    }

    /**
     * The deployed wiring of the {@code snapshot} source over {@code source}, TTL 0 (as {@code LambdaBeans} wires
     * it): principal cache, role and provider directory, identity stage, gateway authorizer and the refresh handler
     * that applies IAM changes, on a hand-moved clock.
     */
    record Deployed(dev.edgeiam.principal.MutableClock clock, GatewayAuthorizer gateway, RefreshHandler refresh) {

        static Deployed over(dev.edgeiam.principal.PolicySource source) {
            dev.edgeiam.principal.MutableClock clock = new dev.edgeiam.principal.MutableClock(EdgeHarness.NOW);
            dev.edgeiam.principal.PrincipalCache principals = new dev.edgeiam.principal.PrincipalCache(source,
                    dev.edgeiam.principal.PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
            dev.edgeiam.identity.PolicySourceDirectory directory = new dev.edgeiam.identity.PolicySourceDirectory(
                    source, ACCOUNT, clock, java.time.Duration.ofMinutes(5));
            GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization",
                            null, false, new dev.edgeiam.connect.ArnContext("aws", EdgeHarness.REGION, ACCOUNT),
                            CacheModel.NOT_CACHED),
                    dev.edgeiam.identity.CallerIdentityResolver.create(identity(Map.of()), clock, directory,
                            principals, null),
                    principals, dev.edgeiam.connect.RouteTable.defaultTable(), arn -> Map.of(),
                    source::managedPolicyText, clock);
            RefreshHandler refresh = source instanceof RefreshablePolicySource refreshable
                    ? new RefreshHandler(refreshable, principals, directory, true, gateway::forgetVerifiedCredentials)
                    : null;
            return new Deployed(clock, gateway, refresh);
        }
    }

    static JsonNode iamChange(String eventName, String requestParameters) {
        try {
            return EdgeHarness.JSON.readTree("""
                    {"detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
                     "detail": {"eventSource": "iam.amazonaws.com", "eventName": "%s", "requestParameters": %s}}
                    """.formatted(eventName, requestParameters));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The deployed wiring for the {@code snapshot} source (the {@code iam} source drops principals by the same
     * {@code IamChangeEvent.applyTo}): the role allows {@code connect:*}; {@code DELETE /users/...} is allowed. Then
     * IAM changes — a Deny on {@code connect:DeleteUser} — and CloudTrail reports the call with the name as the
     * administrator typed it, in another letter case ({@code edgetestrole}, {@code policy/connectaccess}). IAM names
     * are "not distinguished by case" (IAM API Reference, CreateRole/CreateUser/CreatePolicy: "you cannot create
     * resources named both MyResource and myresource"), and IAM resolves the name in a call without regard to case
     * (reported by tools that hit it, e.g. saltstack/salt#24947, awslabs/mcp#4101 for policy ARNs; not in the
     * reference pages), so the call changed {@code EdgeTestRole}; CloudTrail records the parameters as sent. {@code IamChangeEvent}'s targets compare names and ARNs
     * case-sensitively: no principal is dropped ({@code principalsDropped: 0}), and the same token is still
     * <b>allowed</b> to delete users until the principal entry expires (5 min by default) — although the snapshot was
     * re-read. Safe answer: the Deny applies right after the event (compare IAM names case-insensitively, or drop
     * every principal whose name matches ignoring case).
     */
    @TestFactory
    Stream<DynamicTest> R12_1_anIamChangeNamingThePrincipalInAnotherCaseIsNotIgnored() {
        Map<String, UnaryOperator<JsonNode>> changes = new java.util.LinkedHashMap<>();
        changes.put("PutRolePolicy roleName=edgetestrole (inline Deny)", a -> {
            try {
                ((ArrayNode) a.get("RoleDetailList").get(0).get("RolePolicyList")).addObject()
                        .put("PolicyName", "Guard").set("PolicyDocument", EdgeHarness.JSON.readTree(
                                policy(statement("Deny", "connect:DeleteUser", "*"))));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return a;
        });
        changes.put("CreatePolicyVersion policyArn=.../policy/connectaccess", a -> account(true));
        changes.put("control: CreatePolicyVersion policyArn=.../policy/ConnectAccess", a -> account(true));
        Map<String, JsonNode> cloudTrail = Map.of(
                "PutRolePolicy roleName=edgetestrole (inline Deny)", iamChange("PutRolePolicy",
                        "{\"roleName\": \"edgetestrole\", \"policyName\": \"Guard\"}"),
                "CreatePolicyVersion policyArn=.../policy/connectaccess", iamChange("CreatePolicyVersion",
                        "{\"policyArn\": \"arn:aws:iam::" + ACCOUNT + ":policy/connectaccess\", \"setAsDefault\": true}"),
                "control: CreatePolicyVersion policyArn=.../policy/ConnectAccess", iamChange("CreatePolicyVersion",
                        "{\"policyArn\": \"" + ACCESS_ARN + "\", \"setAsDefault\": true}"));
        return changes.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            AtomicReference<JsonNode> account = new AtomicReference<>(account(false));
            RefreshablePolicySource source = new RefreshablePolicySource(
                    () -> dev.edgeiam.aws.SnapshotPolicySource.fromJson(account.get()));
            Deployed deployed = Deployed.over(source);
            dev.edgeiam.principal.MutableClock clock = deployed.clock();
            GatewayAuthorizer gateway = deployed.gateway();
            RefreshHandler refresh = deployed.refresh();
            EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
            String token = events.token();
            JsonNode before = gateway.answer(events.restRequest(token, "DELETE", USER_PATH, Map.of(), IP)).response();
            assertTrue(allowed(before), before.toString());

            account.set(c.getValue().apply(account.get()));
            JsonNode outcome = refresh.answer(cloudTrail.get(c.getKey())).response();
            clock.advance(java.time.Duration.ofSeconds(1));
            JsonNode after = gateway.answer(events.restRequest(token, "DELETE", USER_PATH, Map.of(), IP)).response();
            assertFalse(allowed(after), "IAM now denies connect:DeleteUser, yet after " + c.getKey() + " ("
                    + outcome + ") the same caller is still allowed: " + after.path("context"));
            assertEquals("explicit-deny", after.path("context").path("reason").asText(), after.toString());
        }));
    }
    // -- R12.2: the HTTP API cache-key check is passed by a query value equal to the token ------------------------

    /**
     * The function is told the HTTP API keys its cache on {@code $request.header.Authorization} and
     * {@code $request.querystring.contactId}; the API really keys on the {@code Authorization} header only (the
     * configuration drifted — exactly what the {@code cache-key-mismatch} check is there for: with
     * {@code ?contactId=c-1} the event's {@code identitySource} is {@code [token]}, and the request is refused).
     * The check asks whether each configured source's value is <em>among</em> the {@code identitySource} values, not
     * whether the key is made of those sources: a caller who sends {@code ?contactId=<its own Authorization value>}
     * passes it. The function then takes {@code contactId} as pinned and answers Allow for
     * {@code GET/contact/associated/INSTANCE} (policy: Allow {@code connect:*}, Deny on {@code contact/c-vip}); API
     * Gateway caches it under the token alone and serves it to {@code ?contactId=c-vip}, which IAM denies (the
     * fresh decision of that request is {@code explicit-deny}). Safe answer: {@code cache-key-mismatch} (or at least
     * no Allow that API Gateway could apply to another {@code contactId}).
     */
    @org.junit.jupiter.api.Test
    void R12_2_aQueryValueEqualToTheTokenDoesNotPassTheCacheKeyCheck() {
        CacheModel declared = new CacheModel(java.time.Duration.ofSeconds(300),
                List.of("$request.header.Authorization", "$request.querystring.contactId"));
        EdgeHarness h = new EdgeHarness(declared, policy(statement("Allow", "connect:*", "*"),
                statement("Deny", "connect:*", EdgeHarness.CONNECT + "/contact/c-vip")));
        String token = h.token();
        String path = "/contact/associated/" + EdgeHarness.INSTANCE;
        String route = "GET /contact/associated/{InstanceId}";
        JsonNode honest = h.answer(h.httpRequest(token, "GET", path, "contactId=c-1", route, List.of(token)));
        assertEquals("cache-key-mismatch", honest.path("context").path("reason").asText(), honest.toString());
        JsonNode vip = h.answer(h.httpRequest(token, "GET", path, "contactId=c-vip", route,
                List.of(token, "c-vip")));
        assertFalse(allowed(vip), "IAM denies the VIP contact: " + vip);

        String asQuery = java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
        JsonNode crafted = h.answer(h.httpRequest(token, "GET", path, "contactId=" + asQuery, route,
                List.of(token)));
        boolean servesVip = ApiGatewayPolicyMatch.allows(crafted, EdgeHarness.STAGE + "/GET" + path);
        assertFalse(allowed(crafted) || servesVip, "API Gateway keys this answer on the token alone and applies it to"
                + " ?contactId=c-vip (IAM: explicit deny); the function took contactId as pinned because its value"
                + " equals the token: " + crafted.path("context"));
        assertEquals("cache-key-mismatch", crafted.path("context").path("reason").asText(), crafted.toString());
        // when the API really keys on both, identitySource lists the value twice: no mismatch (the fix must not
        // refuse two sources that happen to share a value)
        JsonNode both = h.answer(h.httpRequest(token, "GET", path, "contactId=" + asQuery, route,
                List.of(token, token)));
        assertFalse("cache-key-mismatch".equals(both.path("context").path("reason").asText()), both.toString());
    }
    // -- R12.3: a cached Allow for a pinned query member is served to the same request plus a case variant --------

    /**
     * The HTTP API keys its cache on the token and {@code $request.querystring.contactId} (as configured here).
     * {@code GET /contact/associated/INSTANCE?contactId=c-1} is allowed (policy: Allow {@code connect:*}, Deny on
     * {@code contact/c-vip}). {@code ?contactId=c-1&ContactId=c-vip} has the same cache key (token, {@code c-1}) and
     * the same route ARN, so API Gateway serves it the cached Allow — yet asked afresh, the function refuses it
     * ({@code ambiguous-request}: whether Amazon Connect reads {@code ContactId} for {@code contactId} is not
     * documented, so the request may name {@code c-vip}, which IAM denies). The cached answer lets through a request
     * the function itself refuses: the pin covers the member's spelling the route reads, not a case variant beside
     * it. Safe answer: an Allow under the cache only if it holds for every request it is served to — i.e. refuse
     * (or grant only with the case-variant member pinned too), as for a repeated member.
     */
    @org.junit.jupiter.api.Test
    void R12_3_aCachedAllowIsNotServedToACaseVariantOfAPinnedQueryMember() {
        CacheModel declared = new CacheModel(java.time.Duration.ofSeconds(300),
                List.of("$request.header.Authorization", "$request.querystring.contactId"));
        EdgeHarness h = new EdgeHarness(declared, policy(statement("Allow", "connect:*", "*"),
                statement("Deny", "connect:*", EdgeHarness.CONNECT + "/contact/c-vip")));
        String token = h.token();
        String path = "/contact/associated/" + EdgeHarness.INSTANCE;
        String route = "GET /contact/associated/{InstanceId}";
        JsonNode b = h.answer(h.httpRequest(token, "GET", path, "contactId=c-1&ContactId=c-vip", route,
                List.of(token, "c-1")));
        assertFalse(allowed(b), "asked afresh, the variant is refused: " + b);
        JsonNode a = h.answer(h.httpRequest(token, "GET", path, "contactId=c-1", route, List.of(token, "c-1")));
        boolean servesB = allowed(a) && ApiGatewayPolicyMatch.allows(a, EdgeHarness.STAGE + "/GET" + path);
        assertFalse(servesB, "the cached answer for ?contactId=c-1 (key: token, c-1) is served to"
                + " ?contactId=c-1&ContactId=c-vip (same key, same route ARN), which a fresh evaluation refuses ("
                + b.path("context").path("reason").asText() + "): " + a.path("context"));
    }
    // -- R12.4 (low): a repeated Referer/User-Agent on an HTTP API (comma-joined) is decided as one value ----------

    /**
     * HTTP API payload 2.0 has no multi-value headers: API Gateway joins a repeated header's values with commas
     * ("Duplicate headers are combined with commas", payload 2.0) — the function itself relies on this for cache
     * keys ({@code CacheModel.Pins.pinsHeader}: a value with a comma is not pinned). Red-team R3 (pass 3) made a
     * repeated {@code Referer} (or {@code User-Agent}) unknown for REST events: which value AWS would read is not
     * known. For an HTTP API the joined text {@code https://good.example/,https://evil.example/x} is taken as the one
     * {@code aws:referer}, so a Deny on {@code StringLike aws:referer https://evil.example/*} is skipped and the
     * request is <b>allowed</b>; likewise {@code aws:UserAgent} from {@code requestContext.http.userAgent}
     * {@code good-bot/1,evil-bot/1} against a Deny on {@code evil-bot/*}. Safe answer (as for REST): a header value
     * that may be several joined values is unknown — the request is refused ({@code condition-key-not-visible}).
     */
    @TestFactory
    Stream<DynamicTest> R12_4_aCommaJoinedHttpApiRefererOrUserAgentIsNotDecidedAsOneValue() {
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("referer", new String[]{"aws:referer", "https://evil.example/*",
                "https://good.example/,https://evil.example/x"});
        cases.put("user-agent", new String[]{"aws:UserAgent", "evil-bot/*", "good-bot/1,evil-bot/1"});
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            String[] v = c.getValue();
            String denyEvil = policy(statement("Allow", "connect:*", "*"),
                    "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
                            + "{\"" + v[0] + "\":\"" + v[1] + "\"}}}");
            EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, denyEvil);
            String token = h.token();
            String path = "/users/" + EdgeHarness.INSTANCE + "/u-1";
            ObjectNode e = h.httpRequest(token, "GET", path, "", "GET /users/{InstanceId}/{UserId}", List.of(token));
            ((ObjectNode) e.get("headers")).put(c.getKey(), v[2]);
            if (c.getKey().equals("user-agent")) {
                ((ObjectNode) e.get("requestContext").get("http")).put("userAgent", v[2]);
            }
            JsonNode single = h.answer(h.httpRequest(token, "GET", path, "", "GET /users/{InstanceId}/{UserId}",
                    List.of(token)));
            assertTrue(allowed(single), "control: one good value is allowed: " + single);
            JsonNode a = h.answer(e);
            assertFalse(allowed(a), "the request may carry the denied " + c.getKey() + " (API Gateway joined two"
                    + " values): " + a.path("context"));
        }));
    }
    // -- R12.5: the IAM OIDC identity provider is not modelled: deleting it, or removing the client ID, changes nothing

    /**
     * A web-identity token becomes a session only through {@code AssumeRoleWithWebIdentity}, which STS answers only
     * for an IAM OIDC identity provider that exists in the account and lists the token's {@code aud} among its client
     * IDs (IAM User Guide, "Create an OpenID Connect (OIDC) identity provider in IAM"; STS API Reference,
     * AssumeRoleWithWebIdentity: {@code InvalidIdentityToken} / "No OpenIDConnect provider found"). The role's trust
     * policy names {@code oidc-provider/issuer.dev.edgeiam.test}. An administrator cuts the application off in IAM —
     * {@code DeleteOpenIDConnectProvider}, or {@code RemoveClientIDFromOpenIDConnectProvider} for
     * {@code connect-authorizer-dev}. The function never reads the provider (the account view,
     * {@code GetAccountAuthorizationDetails}, has no providers; the issuer and audience come from its configuration)
     * and its IAM-change handling answers "the call cannot change an authorization decision": the same token — and
     * any new token from the issuer — is still <b>allowed</b>, with no bound in time. IAM would refuse every one of
     * them. Safe answer: such a call stops new sessions for the provider (at least: forgets verified credentials and
     * refuses tokens of a provider the account no longer has, or lists the provider's client IDs in the view).
     */
    @TestFactory
    Stream<DynamicTest> R12_5_removingTheOidcProviderOrItsClientIdInIamStopsWebIdentitySessions() {
        String provider = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test";
        Map<String, JsonNode> calls = new java.util.LinkedHashMap<>();
        calls.put("DeleteOpenIDConnectProvider", iamChange("DeleteOpenIDConnectProvider",
                "{\"openIDConnectProviderArn\": \"" + provider + "\"}"));
        calls.put("RemoveClientIDFromOpenIDConnectProvider", iamChange("RemoveClientIDFromOpenIDConnectProvider",
                "{\"openIDConnectProviderArn\": \"" + provider + "\", \"clientID\": \"connect-authorizer-dev\"}"));
        return calls.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            // the account view carries the providers (as the published view does): with the client ID before the
            // change, without the provider (or the client ID) after it, as IAM then has it
            java.util.concurrent.atomic.AtomicReference<JsonNode> view = new java.util.concurrent.atomic.AtomicReference<>(
                    withProvider(account(false), provider, "connect-authorizer-dev"));
            RefreshablePolicySource source = new RefreshablePolicySource(
                    () -> dev.edgeiam.aws.SnapshotPolicySource.fromJson(view.get()));
            Deployed deployed = Deployed.over(source);
            dev.edgeiam.principal.MutableClock clock = deployed.clock();
            GatewayAuthorizer gateway = deployed.gateway();
            RefreshHandler refresh = deployed.refresh();
            EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
            String token = events.token();
            assertTrue(allowed(gateway.answer(events.restRequest(token, "GET", USER_PATH, Map.of(), IP)).response()));
            view.set(c.getKey().startsWith("Delete") ? withProvider(account(false), null, null)
                    : withProvider(account(false), provider, "another-client"));
            JsonNode outcome = refresh.answer(c.getValue()).response();
            clock.advance(java.time.Duration.ofMinutes(10));
            JsonNode same = gateway.answer(events.restRequest(token, "GET", USER_PATH, Map.of(), IP)).response();
            String fresh = events.token("agent-new", Map.of());
            JsonNode other = gateway.answer(events.restRequest(fresh, "GET", USER_PATH, Map.of(), IP)).response();
            assertFalse(allowed(same) || allowed(other), "after " + c.getKey() + " (" + outcome + ") STS refuses"
                    + " AssumeRoleWithWebIdentity for the issuer, yet: same token " + same.path("context")
                    + "; new token " + other.path("context"));
        }));
    }

    // -- R12.6 (low): a TTL-0 decision is taken at the event's request time, even when the function runs later ----

    /**
     * Without caching (TTL 0) the decision reads {@code aws:CurrentTime} as the event's {@code requestTimeEpoch}
     * (its second). The Amazon Connect call the answer authorizes cannot happen before the function answers, yet the
     * function may run seconds after API Gateway stamped the request (a cold start, a retry; API Gateway gives an
     * authorizer up to 30 s, which the function already allows for under the cache: {@code ANSWER_LATENCY}). A
     * {@code Deny} that starts between the request time and the moment the function answers — here 2 s after the
     * request, the function running 5 s after it — is already in effect for every call the Allow can authorize, but
     * is skipped: the request is <b>allowed</b>. Safe answer: decide over [request time, now + the answer latency]
     * (a policy date inside it is refused, as for the request's own second), or at least at {@code max(request
     * time, now)}.
     */
    @org.junit.jupiter.api.Test
    void R12_6_aDenyAlreadyInEffectWhenTheFunctionAnswersIsNotSkipped() {
        java.time.Instant deadline = EdgeHarness.NOW.plusSeconds(2);
        String denyAfter = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":"
                        + "{\"aws:CurrentTime\":\"" + deadline + "\"}}}");
        EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, denyAfter);
        String token = h.token();
        ObjectNode e = h.restRequest(token, "GET", USER_PATH, Map.of(), IP); // stamped at NOW
        JsonNode onTime = h.answer(e);
        assertTrue(allowed(onTime), "control: answered at the request time, allowed: " + onTime);
        h.clock.advance(java.time.Duration.ofSeconds(5));                    // the function runs 5 s later
        JsonNode late = h.answer(e);
        assertFalse(allowed(late), "the Deny from " + deadline + " is in effect when the function answers ("
                + h.clock.instant() + "); every Connect call this Allow authorizes comes after it: "
                + late.path("context"));
    }

    // -- Guards (probes that came out safe; each could fail) ---------------------------------------------------------

    /**
     * 2dc9604: headers an event reader already normalized are kept as they are. Whatever map reaches
     * {@code EdgeRequest} — upper-case names, case variants of one name, mutable lists changed afterwards, an
     * immutable map whose names are not lower case — the request holds lower-case names, every value of every
     * variant, and lists nobody can change; and an event read from JSON gives the same request either way.
     */
    @org.junit.jupiter.api.Test
    void guard_headersReachingTheEdgeRequestAreAlwaysNormalizedAndImmutable() throws Exception {
        java.util.List<String> mutable = new java.util.ArrayList<>(List.of("r1"));
        java.util.Map<String, List<String>> mixed = new java.util.LinkedHashMap<>();
        mixed.put("Referer", mutable);
        mixed.put("referer", List.of("r2"));
        mixed.put("user-agent", List.of("ua"));
        dev.edgeiam.authorize.EdgeRequest r = new dev.edgeiam.authorize.EdgeRequest(
                dev.edgeiam.authorize.EventFormat.REST_REQUEST, "GET", "/x", null, true, mixed, true, "198.51.100.1",
                null, 1L, true, "prod", null, null);
        mutable.add("r3");
        mixed.put("authorization", List.of("late"));
        assertEquals(List.of("r1", "r2"), r.headerValues("REFERER"), "case variants merged, copied at construction");
        assertEquals(java.util.Set.of("referer", "user-agent"), r.headers().keySet());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> r.headers().get("referer").add("x"));
        // an immutable map whose lists are immutable but whose names are not lower case takes the slow path
        dev.edgeiam.authorize.EdgeRequest upper = new dev.edgeiam.authorize.EdgeRequest(
                dev.edgeiam.authorize.EventFormat.REST_REQUEST, "GET", "/x", null, true,
                Map.of("Referer", List.of("a"), "referer", List.of("b")), true, "198.51.100.1", null, 1L, true,
                "prod", null, null);
        assertEquals(2, upper.headerValues("referer").size(), upper.headers().toString());
        // the reader's REST path: multiValueHeaders with case variants and a single view that differs
        ObjectNode e = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")))
                .restRequest("t", "GET", "/x", Map.of(), IP);
        ((ObjectNode) e.get("multiValueHeaders")).putArray("REFERER").add("one");
        ((ObjectNode) e.get("multiValueHeaders")).putArray("referer").add("two");
        ((ObjectNode) e.get("headers")).put("Referer", "two");
        dev.edgeiam.authorize.EdgeRequest read = dev.edgeiam.gateway.AuthorizerEventReader.read(e).toEdgeRequest(1L);
        assertEquals(2, read.headerValues("Referer").size(), read.headers().toString());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> read.headers().get("referer").add("x"));
    }

    /**
     * dfbf34a: route grants are kept per (principal, stage) already prefixed, and only a request whose own ARN must
     * be added copies the list. Answers for one principal on two stages and two APIs never carry another stage's
     * prefix, and a request-specific ARN added to one answer never appears in the next answer of the same stage.
     */
    @org.junit.jupiter.api.Test
    void guard_stagedGrantsStayPerStageAndRequestArnsDoNotLeak() {
        // Deny one user: the users route depends on its parameters, so an allowed user's ARN is added per request
        EdgeHarness h = new EdgeHarness(new CacheModel(java.time.Duration.ofSeconds(300), List.of()),
                policy(statement("Allow", "connect:*", "*"),
                        statement("Deny", "connect:*", EdgeHarness.CONNECT + "/agent/boss")));
        String token = h.token();
        String betaStage = EdgeHarness.STAGE.replace("/prod", "/beta");
        String otherApi = EdgeHarness.STAGE.replace("k7p2q9x4zd", "zzzzzzzzzz");
        java.util.List<String> seen = new java.util.ArrayList<>();
        for (String[] c : new String[][]{{EdgeHarness.STAGE, "u-1"}, {EdgeHarness.STAGE, "u-2"}, {betaStage, "u-3"},
                {otherApi, "u-4"}, {EdgeHarness.STAGE, "u-5"}}) {
            ObjectNode e = h.restRequest(token, "GET", "/users/" + EdgeHarness.INSTANCE + "/" + c[1], Map.of(), IP);
            e.put("methodArn", c[0] + "/GET/users/" + EdgeHarness.INSTANCE + "/" + c[1]);
            JsonNode a = h.answer(e);
            assertTrue(allowed(a), a.toString());
            java.util.List<String> resources = new java.util.ArrayList<>();
            for (JsonNode st : a.path("policyDocument").path("Statement")) {
                JsonNode rs = st.path("Resource");
                if (rs.isArray()) {
                    rs.forEach(x -> resources.add(x.asText()));
                } else {
                    resources.add(rs.asText());
                }
            }
            for (String res : resources) {
                assertTrue(res.startsWith(c[0] + "/"), "another stage's pattern in the answer for " + c[0] + ": " + res);
                for (String earlier : seen) {
                    assertFalse(res.endsWith("/" + earlier), "an earlier request's ARN (" + earlier + ") leaked into "
                            + c[1] + "'s answer: " + res);
                }
            }
            assertTrue(ApiGatewayPolicyMatch.allows(a, c[0] + "/GET/users/" + EdgeHarness.INSTANCE + "/" + c[1]));
            assertFalse(ApiGatewayPolicyMatch.allows(a, c[0] + "/GET/users/" + EdgeHarness.INSTANCE + "/boss"),
                    a.toString());
            seen.add(c[1]);
        }
    }
}
