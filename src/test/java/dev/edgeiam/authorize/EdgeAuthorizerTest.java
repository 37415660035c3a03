package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorization stage honours what the identity stage says it cannot know (issue 11, class 8): for a caller
 * proved by a presigned {@code GetCallerIdentity}, session tags, the MFA flag and the token issue time are unknown,
 * so an Allow that needs them, or a Deny that may apply through them, is refused — never decided with the key absent.
 */
class EdgeAuthorizerTest {

    static final ArnContext CTX = new ArnContext("aws", "us-east-1", "111122223333");
    static final String INSTANCE = "i-1";
    static final String CONNECT = "arn:aws:connect:us-east-1:111122223333:instance/" + INSTANCE;
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final ConnectCatalog CATALOG = ConnectCatalog.defaultCatalog();
    static final RouteTable ROUTES = RouteTable.defaultTable();

    static EdgeAuthorizer authorizer(CacheModel cache) {
        return new EdgeAuthorizer(ROUTES, new RouteAuthorizer(CATALOG), new EdgeContextKeys(CATALOG, ROUTES), CTX,
                cache, Clock.fixed(NOW, ZoneOffset.UTC), null);
    }

    static EdgeCaller caller(String policy, Set<String> unknown, ContextValue... keys) {
        CompiledPolicySet set = CompiledPolicySet.builder().identity(CompiledPolicy.compile(
                PolicyParser.parse(policy, PolicyType.INLINE_ROLE, "p"))).build();
        return new EdgeCaller(set, List.of(keys), UnknownInputs.of(unknown, null), java.time.Instant.MAX);
    }

    static EdgeRequest describeUser(String user) {
        return EdgeRequest.of("GET", "/users/" + INSTANCE + "/" + user, QueryParameters.NONE, Map.of(), "10.0.0.1",
                NOW.toEpochMilli());
    }

    static final Set<String> PRESIGNED_ROLE_SESSION = Set.of("aws:principaltag/*", "aws:multifactorauthpresent",
            "aws:multifactorauthage", "aws:tokenissuetime");

    @Test
    void anAllowThroughAnUnknownSessionTagIsRefused() {
        String own = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\","
                + "\"Resource\":\"" + CONNECT + "/agent/${aws:PrincipalTag/uid}\"}]}";
        // the role's own tag must not stand in for the unknown session tag
        RouteAuthorization a = authorizer(CacheModel.NOT_CACHED).decide(describeUser("u-1"),
                caller(own, PRESIGNED_ROLE_SESSION, ContextValue.single("aws:PrincipalTag/uid", "u-1"))).decision();
        assertFalse(a.allowed());
        assertEquals(Reason.CONDITION_KEY_NOT_VISIBLE, a.reason());
        RouteAuthorization known = authorizer(CacheModel.NOT_CACHED).decide(describeUser("u-1"),
                caller(own, Set.of(), ContextValue.single("aws:PrincipalTag/uid", "u-1"))).decision();
        assertTrue(known.allowed(), "the same policy with the tag known allows");
    }

    @Test
    void aDenyThatMayApplyThroughUnknownMfaOrIssueTimeIsRefused() {
        for (String condition : List.of("{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}",
                "{\"Null\":{\"aws:MultiFactorAuthPresent\":\"true\"}}",
                "{\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-12-01T11:00:00Z\"}}",
                "{\"StringEquals\":{\"aws:PrincipalTag/blocked\":\"yes\"}}")) {
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
                    + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":" + condition + "}]}";
            RouteAuthorization a = authorizer(CacheModel.NOT_CACHED).decide(describeUser("u-1"),
                    caller(policy, PRESIGNED_ROLE_SESSION)).decision();
            assertFalse(a.allowed(), condition);
            assertEquals(Reason.CONDITION_KEY_NOT_VISIBLE, a.reason(), condition);
        }
        String plain = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
        assertTrue(authorizer(CacheModel.NOT_CACHED).decide(describeUser("u-1"), caller(plain, PRESIGNED_ROLE_SESSION))
                .decision().allowed(), "a decision that reads no unknown key is made");
    }

    @Test
    void aDenyResourceThroughAnUnknownVariableIsRefused() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"connect:DescribeUser\",\"Resource\":\"" + CONNECT
                + "/agent/${aws:PrincipalTag/forbidden}\"}]}";
        RouteAuthorization a = authorizer(CacheModel.NOT_CACHED).decide(describeUser("u-1"),
                caller(policy, PRESIGNED_ROLE_SESSION)).decision();
        assertFalse(a.allowed(), "the unknown session tag may name u-1");
    }

    @Test
    void timeWindowConstancyIsExact() {
        TimeWindow w = new TimeWindow(NOW.getEpochSecond(), NOW.getEpochSecond() + 330);
        assertTrue(UnknownInputs.of(Set.of(), w).mayBeUnknown("aws:CurrentTime", null, true));
        assertEquals(Set.of("aws:principaltag/"), UnknownInputs.of(Set.of("aws:PrincipalTag/*"), null).families());
    }

    /**
     * A caller whose policies read resource tags (for any action, in any layer) has routes that read tags: the
     * responder keeps them no longer than the tags may lag (red-team pass 26, R26b.1). Callers that read no tags do not.
     */
    @Test
    void routesOfCallersWhosePoliciesReadResourceTagsSaySo() {
        EdgeAuthorizer a = authorizer(CacheModel.API_GATEWAY_DEFAULT);
        String plain = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\"}]}";
        String denyOnTag = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"connect:DeleteQueue\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"Connect:ResourceTag/Locked\":\"true\"}}}]}";
        String tagInResource = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\","
                + "\"Resource\":\"" + CONNECT + "/agent/${aws:ResourceTag/self}\"}]}";
        EdgeAuthorizer.EdgeDecision keeps = a.decide(describeUser("u-1"), dayLong(caller(plain, Set.of())));
        assertTrue(keeps.reused());
        assertTrue(keeps.routesKey() != null);
        assertFalse(keeps.routesReadTags(), "no tag read");
        for (String policy : List.of(denyOnTag, tagInResource)) {
            EdgeAuthorizer.EdgeDecision d = a.decide(describeUser("u-1"), dayLong(caller(policy, Set.of())));
            assertTrue(d.reused(), policy);
            assertTrue(d.routesKey() != null, policy);
            assertTrue(d.routesReadTags(), policy);
            assertTrue(d.routes() != null && !d.routes().get().isEmpty(), "the routes are still classified");
        }
    }

    /**
     * The routes key of an unpinned reused answer is remembered per caller instance: the same caller gets the same
     * key, a caller with other keys or policies (a new instance, as after an IAM change) gets its own, and callers
     * sharing a memo slot do not see each other's (many callers through one authorizer, each checked against a fresh
     * authorizer's key).
     */
    @Test
    void theRoutesKeyIsRememberedPerCallerInstanceOnly() {
        EdgeAuthorizer shared = authorizer(CacheModel.API_GATEWAY_DEFAULT);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\","
                + "\"Resource\":\"" + CONNECT + "/agent/${aws:PrincipalTag/uid}\"}]}";
        java.util.List<EdgeCaller> callers = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            callers.add(dayLong(caller(policy, Set.of(), ContextValue.single("aws:PrincipalTag/uid", "u-" + (i % 150)))));
        }
        for (int round = 0; round < 2; round++) {
            for (EdgeCaller c : callers) {
                Object key = shared.decide(describeUser("u-1"), c).routesKey();
                Object fresh = authorizer(CacheModel.API_GATEWAY_DEFAULT).decide(describeUser("u-1"), c).routesKey();
                assertEquals(fresh, key);
            }
        }
        EdgeCaller one = callers.get(0);
        assertEquals(shared.decide(describeUser("u-1"), one).routesKey(),
                shared.decide(describeUser("u-2"), one).routesKey(), "the same caller: the same key");
        EdgeCaller sameKeysOtherInstance = dayLong(caller(policy, Set.of(),
                ContextValue.single("aws:PrincipalTag/uid", "u-0")));
        assertFalse(shared.decide(describeUser("u-1"), one).routesKey().equals(
                shared.decide(describeUser("u-1"), sameKeysOtherInstance).routesKey()),
                "another compiled policy set: another key");
        EdgeCaller otherTag = new EdgeCaller(one.policies(), List.of(ContextValue.single("aws:PrincipalTag/uid", "u-9")),
                one.unknown(), one.validUntil());
        assertFalse(shared.decide(describeUser("u-1"), one).routesKey().equals(
                shared.decide(describeUser("u-1"), otherTag).routesKey()), "other keys: another key");
    }

    /**
     * The route classification reads whether the request shows its source address (unknown, the VPC-endpoint keys
     * may hold anything: a Deny on them may apply) and its headers: grants classified for a request that shows them
     * must not be looked up for one that does not, on the same stage, by the same caller instance.
     */
    @Test
    void theRoutesKeyTellsRequestsWithAndWithoutASourceAddressApart() {
        EdgeAuthorizer shared = authorizer(CacheModel.API_GATEWAY_DEFAULT);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"StringEquals\":{\"aws:SourceVpce\":\"vpce-0a1b\"}}}]}";
        EdgeCaller c = dayLong(caller(policy, Set.of()));
        EdgeRequest shown = describeUser("u-1");
        EdgeRequest hidden = EdgeRequest.of("GET", "/users/" + INSTANCE + "/u-1", QueryParameters.NONE, Map.of(), null,
                NOW.toEpochMilli());
        EdgeAuthorizer.EdgeDecision a = shared.decide(shown, c);
        EdgeAuthorizer.EdgeDecision b = shared.decide(hidden, c);
        assertFalse(a.routesKey().equals(b.routesKey()), "source address shown and not: two keys");
        assertEquals(authorizer(CacheModel.API_GATEWAY_DEFAULT).decide(hidden, c).routesKey(), b.routesKey());
        assertFalse(a.routes().get().equals(b.routes().get()), "and the classifications differ indeed");
    }

    /**
     * Route matches are remembered by method, path and query: one authorizer answering a long random sequence of
     * requests — routes of the table, label values that repeat, no query or the route's members in random order with
     * repeats, the same request again with a lower-case method, another path or query order — decides each exactly
     * as a fresh authorizer does, cached and not, with the production's 256 slots and with one slot (every request
     * then meets the one before it: a comparison that skips the method, path or query fails).
     */
    @Test
    void rememberedRouteMatchesDecideAsAFreshAuthorizer() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\","
                + "\"Resource\":\"" + CONNECT + "/*\"},{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\""
                + CONNECT + "/agent/u-2\"},{\"Effect\":\"Deny\",\"Action\":\"connect:Update*\",\"Resource\":\"*\"}]}";
        EdgeCaller c = dayLong(caller(policy, Set.of()));
        java.util.SplittableRandom r = new java.util.SplittableRandom(20261206L);
        List<dev.edgeiam.connect.RouteDefinition> all = ROUTES.routes();
        List<String> labels = List.of(INSTANCE, "i-2", "u-1", "u-2", "q-1", "a%2Fb", CONNECT + "/agent/u-2");
        for (int slots : new int[]{256, 1}) {
            for (CacheModel model : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
                EdgeAuthorizer shared = new EdgeAuthorizer(ROUTES, new RouteAuthorizer(CATALOG),
                        new EdgeContextKeys(CATALOG, ROUTES), CTX, model, Clock.fixed(NOW, ZoneOffset.UTC), slots, null);
                for (int i = 0; i < 1_500; i++) {
                    dev.edgeiam.connect.RouteDefinition route = all.get(r.nextInt(Math.min(all.size(), 40)));
                    String path = route.path().template();
                    while (path.contains("{")) {
                        int open = path.indexOf('{');
                        path = path.substring(0, open) + labels.get(r.nextInt(labels.size()))
                                + path.substring(path.indexOf('}', open) + 1);
                    }
                    List<String> members = new java.util.ArrayList<>(route.queryParameters().keySet());
                    members.add("other");
                    java.util.Collections.shuffle(members, new java.util.Random(r.nextLong()));
                    Map<String, List<String>> query = new java.util.LinkedHashMap<>();
                    int size = r.nextBoolean() ? 0 : r.nextInt(members.size() + 1);
                    for (String m : members.subList(0, size)) {
                        query.put(m, r.nextInt(4) == 0 ? List.of("x", "y") : List.of(labels.get(r.nextInt(3))));
                    }
                    Map<String, List<String>> reversed = new java.util.LinkedHashMap<>();
                    new java.util.ArrayDeque<>(query.keySet()).descendingIterator()
                            .forEachRemaining(m -> reversed.put(m, query.get(m)));
                    String otherPath = path.replace(labels.get(r.nextInt(labels.size())), "u-3");
                    List<EdgeRequest> asked = List.of(
                            request(route.method(), path, query),
                            request(route.method().toLowerCase(java.util.Locale.ROOT), path, query),
                            request(route.method(), otherPath, query),
                            request(route.method(), path, reversed),
                            request(route.method(), path, Map.of()),
                            request(route.method(), path, query));
                    for (EdgeRequest request : asked.subList(0, 1 + r.nextInt(asked.size()))) {
                        EdgeAuthorizer.EdgeDecision remembered = shared.decide(request, c);
                        EdgeAuthorizer.EdgeDecision fresh = authorizer(model).decide(request, c);
                        String where = slots + " slots, " + model + ", request " + i + ": " + request.method() + " "
                                + request.path() + " " + request.query();
                        assertEquals(fresh.decision(), remembered.decision(), where);
                        assertEquals(fresh.routesKey(), remembered.routesKey(), where);
                    }
                }
            }
        }
    }

    private static EdgeRequest request(String method, String path, Map<String, List<String>> query) {
        return new EdgeRequest(EventFormat.REST_REQUEST, method, path, new QueryParameters(query), true, Map.of(), true,
                "10.0.0.1", null, NOW.toEpochMilli(), true, "prod", null, null);
    }

    private static EdgeCaller dayLong(EdgeCaller c) {
        return new EdgeCaller(c.policies(), c.keys(), c.unknown(), NOW.plus(java.time.Duration.ofDays(1)));
    }

    /**
     * A request whose query carries the caller's credential (the deployment's identity query member) is matched
     * every time, its query not remembered: no credential stays in the authorizer after its request. Another query is
     * remembered (the control), and both are decided alike.
     */
    @Test
    void aQueryCarryingTheCredentialIsNotRemembered() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
        EdgeAuthorizer edge = new EdgeAuthorizer(ROUTES, new RouteAuthorizer(CATALOG), new EdgeContextKeys(CATALOG,
                ROUTES), CTX, CacheModel.NOT_CACHED, Clock.fixed(NOW, ZoneOffset.UTC), 256, "token");
        EdgeAuthorizer remembering = authorizer(CacheModel.NOT_CACHED);
        for (String token : List.of("secret-token-1", "x".repeat(900))) {
            EdgeRequest carrying = EdgeRequest.of("GET", "/users/" + INSTANCE + "/u-1", QueryParameters.of(List.of(
                    Map.entry("token", token), Map.entry("other", "o"))), Map.of(), "10.0.0.1", NOW.toEpochMilli());
            EdgeCaller c = caller(policy, Set.of());
            assertEquals(remembering.decide(carrying, c).decision().allowed(), edge.decide(carrying, c).decision()
                    .allowed());
            assertFalse(edge.remembersQueryValue(token), "a query carrying the credential is not remembered");
            assertTrue(remembering.remembersQueryValue(token), "the control: without the setting it is");
        }
        EdgeRequest plain = EdgeRequest.of("GET", "/users/" + INSTANCE + "/u-1", QueryParameters.of(List.of(
                Map.entry("other", "kept"))), Map.of(), "10.0.0.1", NOW.toEpochMilli());
        edge.decide(plain, caller(policy, Set.of()));
        assertTrue(edge.remembersQueryValue("kept"), "a query without it is remembered");
    }
}
