package dev.edgeiam.authorize;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.edgeiam.authorize.RouteAuthorizerTest.UURP;
import static dev.edgeiam.authorize.RouteAuthorizerTest.allow;
import static dev.edgeiam.authorize.RouteAuthorizerTest.stmt;
import static dev.edgeiam.authorize.RouteAuthorizerTest.uurp;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The never-over-grant reading of ARN case (issue 12) on the authorizer path, where the routing profile of
 * {@code UpdateUserRoutingProfile} is in the body: a Deny written with upper-case partition, service or region
 * that may apply to some routing profile refuses the request, as its lower-case twin does; an Allow written that
 * way does not cover the hidden routing profiles.
 */
class ArnCaseReadingTest {

    @ParameterizedTest(name = "deny {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/rp-admin|resource-not-visible",
            "arn:aws:CONNECT:us-east-1:111122223333:instance/inst-1/routing-profile/rp-admin|resource-not-visible",
            "arn:AWS:connect:US-EAST-1:111122223333:instance/inst-1/routing-profile/rp-admin|resource-not-visible",
            // the resource part stays case-sensitive: another instance is another resource
            "arn:aws:CONNECT:us-east-1:111122223333:instance/INST-1/routing-profile/rp-admin|allowed",
    })
    void denyOnHiddenRoutingProfile(String resource, String expected) {
        RouteAuthorization r = uurp(allow(UURP, "*"), stmt("Deny", UURP, resource, null));
        assertEquals(expected, r.reason().label(), r.detail());
    }

    @ParameterizedTest(name = "allow {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "arn:aws:connect:us-east-1:111122223333:instance/inst-1/routing-profile/*|allowed",
            "arn:aws:CONNECT:us-east-1:111122223333:instance/inst-1/routing-profile/*|resource-not-visible",
    })
    void allowOnHiddenRoutingProfile(String resource, String expected) {
        RouteAuthorization r = uurp(allow(UURP, resource));
        assertEquals(expected, r.reason().label(), r.detail());
    }
}
