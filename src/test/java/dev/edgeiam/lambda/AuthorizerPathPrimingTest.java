package dev.edgeiam.lambda;

import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SnapStart priming of the authorizer's decision path ({@link AuthorizerPathPriming}) decides, not merely runs:
 * a verified token reaches an Allow, an explicit Deny and an unmapped route in each event format, for each place the
 * credential can be read and under the longest result TTL API Gateway allows. An answer that is a 401, a
 * configuration error or a Deny for another reason would mean priming warmed an error path instead of the real one.
 */
class AuthorizerPathPrimingTest {

    private static final ArnContext CONNECT = new ArnContext("aws", "us-east-1", "111122223333");
    private static final EventLimits LIMITS = new EventLimits(262_144, 64, 131_072);

    /** One round, in the order the events are sent. */
    private static final List<String> ROUND = List.of("REQUEST:Allow:allowed", "REQUEST:Deny:explicit-deny",
            "TOKEN:Allow:allowed", "HTTP 2.0:Allow:allowed", "HTTP 2.0:Deny:explicit-deny",
            "WebSocket $connect:Deny:unmapped-route");

    @Test
    void everyFormatReachesTheRealDecisionsThroughAVerifiedToken() throws Exception {
        GatewayAuthorizer.Settings settings = new GatewayAuthorizer.Settings("Authorization", null, false, CONNECT);
        AuthorizerPathPriming.Run run = AuthorizerPathPriming.run(settings, RouteTable.defaultTable(), LIMITS,
                Clock.systemUTC(), 2);
        assertEquals(twice(ROUND), run.answers());
    }

    @Test
    void theCredentialGoesWhereTheDeploymentReadsItAndOutlivesTheLongestResultTtl() throws Exception {
        CacheModel hour = CacheModel.of(Duration.ofHours(1),
                "$request.querystring.access_token,$context.routeKey");
        GatewayAuthorizer.Settings settings = new GatewayAuthorizer.Settings(null, "access_token", false,
                new ArnContext("aws-us-gov", "us-gov-west-1", "210987654321"), hour);
        AuthorizerPathPriming.Run run = AuthorizerPathPriming.run(settings, RouteTable.defaultTable(), LIMITS,
                Clock.systemUTC(), 1);
        // the TOKEN event carries its credential in authorizationToken whatever the deployment reads
        assertEquals(ROUND, run.answers());
    }

    @Test
    void httpApiSimpleResponsesAnswerTheSameDecisions() throws Exception {
        GatewayAuthorizer.Settings settings = new GatewayAuthorizer.Settings("X-Edge-Token", null, true, CONNECT,
                CacheModel.NOT_CACHED);
        AuthorizerPathPriming.Run run = AuthorizerPathPriming.run(settings, RouteTable.defaultTable(), LIMITS,
                Clock.systemUTC(), 1);
        assertEquals(ROUND, run.answers());
    }

    private static List<String> twice(List<String> round) {
        List<String> out = new java.util.ArrayList<>(round);
        out.addAll(round);
        return Collections.unmodifiableList(out);
    }
}
