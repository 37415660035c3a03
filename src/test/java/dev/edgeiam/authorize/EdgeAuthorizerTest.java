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
                cache, Clock.fixed(NOW, ZoneOffset.UTC));
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

    private static EdgeCaller dayLong(EdgeCaller c) {
        return new EdgeCaller(c.policies(), c.keys(), c.unknown(), NOW.plus(java.time.Duration.ofDays(1)));
    }
}
