package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.authorize.ResourceTagsUnavailableException;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.DevTokens;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalCache;
import dev.edgeiam.principal.PrincipalPolicies;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * "Could not decide" is not "decided no": a policy-source outage, a tag outage and a refusal because the decision
 * rests on an input the function cannot see are each answered Deny on the wire with category
 * {@code indeterminate} — in the authorizer {@code context} and in the invocation line alike — while an explicit and
 * an implicit deny carry their decided-deny categories. Through the whole handler ({@link GatewayAuthorizer}).
 */
class DecisionCategoryTest {

    private static final String DESCRIBE_USER = "/users/" + EdgeHarness.INSTANCE
            + "/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final String ALLOW_DESCRIBE_USER = statement("Allow", null);

    /** One request, the reason and category it must get. */
    record Case(String name, String reason, String category, Function<String, EventDispatcher.Answer> ask) {
    }

    @TestFactory
    List<DynamicTest> eachOutcomeIsLoggedAndReturnedWithItsCategory() {
        List<Case> cases = List.of(
                new Case("policy source down", "policy-source-unavailable", "indeterminate", t -> outage()),
                new Case("resource tags unreadable", "resource-tags-unavailable", "indeterminate", t -> harness(
                        arn -> {
                            throw new ResourceTagsUnavailableException(arn, "tag service answered 503 (test)", null);
                        }, ALLOW_DESCRIBE_USER, statement("Deny",
                                "{\"StringEquals\":{\"aws:ResourceTag/class\":\"secret\"}}"))),
                new Case("Deny on a body-carried key", "condition-key-not-visible", "indeterminate", t -> harness(
                        arn -> Map.of(), ALLOW_DESCRIBE_USER, statement("Deny",
                                "{\"StringEquals\":{\"connect:Channel\":\"VOICE\"}}"))),
                new Case("explicit deny", "explicit-deny", "explicit-deny", t -> harness(arn -> Map.of(),
                        ALLOW_DESCRIBE_USER, statement("Deny", null))),
                new Case("implicit deny", "no-identity-allow", "implicit-deny", t -> harness(arn -> Map.of(),
                        "{\"Effect\":\"Allow\",\"Action\":\"connect:ListUsers\",\"Resource\":\"*\"}")),
                new Case("allowed", "allowed", "allowed", t -> harness(arn -> Map.of(), ALLOW_DESCRIBE_USER)));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            EventDispatcher.Answer a = c.ask().apply(c.name());
            JsonNode context = a.response().path("context");
            String effect = a.response().path("policyDocument").path("Statement").path(0).path("Effect").asText();
            String wire = c.category().equals("allowed") ? "Allow" : "Deny";
            assertFalse(a.unauthorized(), a.response().toString());
            assertEquals(wire, effect, a.response().toString());
            assertEquals(wire, context.path("decision").asText());
            assertEquals(c.reason(), context.path("reason").asText(), a.response().toString());
            assertEquals(c.category(), context.path("category").asText(), a.response().toString());
            assertEquals(wire, a.logFields().decision());
            assertEquals(c.reason(), a.logFields().reason(), a.logFields().toString());
            assertEquals(c.category(), a.logFields().category(), a.logFields().toString());
        })).toList();
    }

    private static String statement(String effect, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":\"connect:DescribeUser\",\"Resource\":\"*\""
                + (condition == null ? "" : ",\"Condition\":" + condition) + "}";
    }

    private static EventDispatcher.Answer harness(dev.edgeiam.authorize.ResourceTagSource tags, String... statements) {
        EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, false, List.of(), tags,
                "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}");
        return h.gateway.answer(h.restRequest(h.token(), "GET", DESCRIBE_USER, Map.of(), "198.51.100.7"));
    }

    /** A caller whose policies cannot be read: the source fails every look-up of the principal. */
    private static EventDispatcher.Answer outage() {
        MutableClock clock = new MutableClock(EdgeHarness.NOW);
        EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED, "{\"Version\":\"2012-10-17\",\"Statement\":["
                + ALLOW_DESCRIBE_USER + "]}");
        SnapshotPolicySource snapshot = SnapshotPolicySource.fromJson(EdgeHarness.snapshot(
                "{\"Version\":\"2012-10-17\",\"Statement\":[" + ALLOW_DESCRIBE_USER + "]}"));
        PolicySource down = new PolicySource() {
            @Override
            public PrincipalPolicies load(String arn) throws PolicySourceException {
                throw new PolicySourceException("IAM answered 503 (test outage)");
            }

            @Override
            public PrincipalPolicies loadRoleByName(String partition, String account, String name)
                    throws PolicySourceException {
                return snapshot.loadRoleByName(partition, account, name); // the role is known; its policies are not
            }

            @Override
            public Optional<String> managedPolicyText(String policyArn) {
                return Optional.empty();
            }
        };
        PrincipalCache principals = new PrincipalCache(down, PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        CallerIdentityResolver identities = CallerIdentityResolver.create(DevTokens.identitySettings(), clock,
                new PolicySourceDirectory(down, EdgeHarness.ACCOUNT, clock, Duration.ofMinutes(5)), principals, null);
        GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null,
                        false, new ArnContext("aws", EdgeHarness.REGION, EdgeHarness.ACCOUNT)), identities, principals,
                RouteTable.defaultTable(), arn -> Map.of(), down::managedPolicyText, clock);
        return gateway.answer(events.restRequest(events.token(), "GET", DESCRIBE_USER, Map.of(), "198.51.100.7"));
    }
}
