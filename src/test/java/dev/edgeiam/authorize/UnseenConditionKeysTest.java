package dev.edgeiam.authorize;

import dev.edgeiam.evaluate.Reason;
import org.junit.jupiter.api.Test;

import static dev.edgeiam.authorize.RouteAuthorizerTest.allow;
import static dev.edgeiam.authorize.RouteAuthorizerTest.identity;
import static dev.edgeiam.authorize.RouteAuthorizerTest.run;
import static dev.edgeiam.authorize.RouteAuthorizerTest.stmt;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Decisions never rest on condition keys that only the real request's body carries. */
class UnseenConditionKeysTest {

    private static final String DESCRIBE_USER = "/users/inst-1/u-1";
    private static final String USER_ARN = "arn:aws:connect:us-east-1:111122223333:instance/inst-1/agent/*";

    @Test
    void denyOnABodyKeyRefusesEvenThoughTheKeyIsAbsentHere() {
        var set = identity(allow("connect:DescribeUser", USER_ARN),
                stmt("Deny", "connect:DescribeUser", "*", "{\"StringEquals\":{\"connect:Channel\":\"VOICE\"}}"));
        RouteAuthorization r = run("GET", DESCRIBE_USER, set);
        assertEquals("Deny", r.decision().wire());
        assertEquals(Reason.CONDITION_KEY_NOT_VISIBLE, r.reason());
    }

    @Test
    void allowThatReliesOnANegatedBodyKeyIsNotTrusted() {
        var set = identity(stmt("Allow", "connect:DescribeUser", USER_ARN,
                "{\"StringNotEquals\":{\"connect:Channel\":\"VOICE\"}}"));
        RouteAuthorization r = run("GET", DESCRIBE_USER, set);
        assertEquals(Reason.CONDITION_KEY_NOT_VISIBLE, r.reason());
    }

    @Test
    void anIndependentAllowStillAllows() {
        var set = identity(allow("connect:DescribeUser", USER_ARN), stmt("Allow", "connect:DescribeUser", USER_ARN,
                "{\"StringNotEquals\":{\"connect:Channel\":\"VOICE\"}}"));
        assertEquals("Allow", run("GET", DESCRIBE_USER, set).decision().wire());
    }

    @Test
    void aDenyWhoseOtherConditionIsFalseDoesNotMatter() {
        var set = identity(allow("connect:DescribeUser", USER_ARN), stmt("Deny", "connect:DescribeUser", "*",
                "{\"StringEquals\":{\"connect:Channel\":\"VOICE\",\"aws:RequestedRegion\":\"eu-west-1\"}}"));
        assertEquals("Allow", run("GET", DESCRIBE_USER, set).decision().wire());
    }

    @Test
    void keysTheEdgeKnowsAreNotUnseen() {
        var set = identity(stmt("Allow", "connect:DescribeUser", USER_ARN,
                "{\"StringEquals\":{\"connect:InstanceId\":\"inst-1\"}}"));
        assertEquals("Allow", run("GET", DESCRIBE_USER, set).decision().wire());
    }

    @Test
    void anAllowThatReliesOnTheAbsentResourceAccountIsNotTrusted() {
        // aws:ResourceAccount is on every real request; absent here, StringNotEquals would hold and over-grant
        var set = identity(stmt("Allow", "connect:DescribeUser", USER_ARN,
                "{\"StringNotEquals\":{\"aws:ResourceAccount\":\"999999999999\"}}"));
        assertEquals(Reason.CONDITION_KEY_NOT_VISIBLE, run("GET", DESCRIBE_USER, set).reason());
    }
}
