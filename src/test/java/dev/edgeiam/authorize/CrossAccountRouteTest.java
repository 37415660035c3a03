package dev.edgeiam.authorize;

import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgeiam.authorize.RouteAuthorizerTest.BASE;
import static dev.edgeiam.authorize.RouteAuthorizerTest.CATALOG;
import static dev.edgeiam.authorize.RouteAuthorizerTest.allow;
import static dev.edgeiam.authorize.RouteAuthorizerTest.identity;
import static dev.edgeiam.authorize.RouteAuthorizerTest.route;
import static dev.edgeiam.authorize.RouteAuthorizerTest.stmt;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A caller whose account is not the Connect account is decided by the engine's cross-account rule ([XAcct]
 * "Cross-account policy evaluation logic": the resource-based policy must allow the principal in the other
 * account): Amazon Connect has no resource-based policies, so every such request is an implicit deny with reason
 * {@code cross-account-no-resource-policy} — whatever the identity policies allow — unless a Deny applies first.
 * The account comes from the caller's {@code aws:PrincipalAccount} / {@code aws:PrincipalArn}; the resource's from
 * the ARN, or for {@code "*"} from the Connect account the authorizer is {@linkplain RouteAuthorizer#ownedBy owned by}.
 */
class CrossAccountRouteTest {

    static final RouteAuthorizer OWNED = new RouteAuthorizer(CATALOG, arn -> Map.of(), false).ownedBy("111122223333");

    static List<ContextValue> keys(String principalArn, boolean withAccount) {
        List<ContextValue> keys = new ArrayList<>(List.of(ContextValue.single("connect:InstanceId", "inst-1"),
                ContextValue.single("aws:RequestedRegion", "us-east-1"),
                ContextValue.single("aws:PrincipalArn", principalArn)));
        if (withAccount) {
            keys.add(ContextValue.single("aws:PrincipalAccount", principalArn.split(":")[4]));
        }
        return keys;
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {4}")
    @CsvSource(delimiter = '|', value = {
            // same account: the identity policy decides
            "GET|/users/inst-1/u-9|arn:aws:iam::111122223333:user/alice|true|allowed",
            "GET|/instance|arn:aws:iam::111122223333:role/agent|false|allowed",
            "POST|/users/inst-1/u-9/routing-profile|arn:aws:iam::111122223333:user/alice|true|allowed",
            // another account: no resource policy, so implicit deny whatever the identity policy allows
            "GET|/users/inst-1/u-9|arn:aws:iam::444455556666:user/mallory|true|cross-account-no-resource-policy",
            "GET|/users/inst-1/u-9|arn:aws:iam::444455556666:role/partner|false|cross-account-no-resource-policy",
            // a resource of no type ("*"): owned by the Connect account all the same
            "GET|/instance|arn:aws:iam::444455556666:user/mallory|true|cross-account-no-resource-policy",
            // a resource the request does not show (the routing profile is in the body)
            "POST|/users/inst-1/u-9/routing-profile|arn:aws:iam::444455556666:user/mallory|false|cross-account-no-resource-policy",
    })
    void callersFromAnotherAccountAreImplicitlyDenied(String method, String path, String principal, boolean account,
                                                       String expected) {
        CompiledPolicySet set = identity(allow("connect:*", "*"));
        RouteAuthorization r = OWNED.authorize(route(method, path), set, keys(principal, account));
        assertEquals(expected, r.reason().label(), r.detail());
        assertEquals(expected.equals("allowed"), r.allowed());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "arn:aws:iam::444455556666:user/mallory",
            "arn:aws:iam::111122223333:user/alice",
    })
    void anExplicitDenyStillWinsAcrossAccounts(String principal) {
        // [Eval]: "An explicit deny in any of these policies overrides the allow"
        CompiledPolicySet set = identity(allow("connect:*", "*"), stmt("Deny", "connect:DescribeUser", BASE + "/agent/*",
                null));
        RouteAuthorization r = OWNED.authorize(route("GET", "/users/inst-1/u-9"), set, keys(principal, true));
        assertEquals("explicit-deny", r.reason().label(), r.detail());
    }
}
