package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static dev.edgeiam.lambda.EdgeHarness.query;
import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Findings of the fourth red-team pass (issue 11), one test per finding through the whole authorizer path
 * ({@link EdgeHarness}: real events, development-issuer tokens, the role's real policies; {@link ApiGatewayPolicyMatch}
 * for what API Gateway lets through on a cached answer). Each asserts the safe behaviour and failed before its fix:
 * R4.1/R4.2 the route classifier's label stand-ins left in body- and query-named resource patterns (a Deny on one
 * such resource looked as if it could never apply), R4.3 the last second of the cache window sampled at its start.
 */
class RedteamPass4Test {

    static final CacheModel CACHED = CacheModel.API_GATEWAY_DEFAULT;
    static final CacheModel NOT_CACHED = CacheModel.NOT_CACHED;

    // -- R4.1 (high): route-level grants skip the optional (body-named) resource types -------------------------

    /**
     * The third pass fixed optional resource types the body may name for the request's own decision (R1 in
     * {@link RedteamFindingsTest}); the route classification behind a cached answer's route-level grants still skips
     * them. A caller with {@code connect:*} on {@code *} and a Deny on hierarchy group {@code executives} is refused
     * CreateUser ({@code PUT /users/{InstanceId}}, body {@code HierarchyGroupId}) when asked, yet any allowed request
     * (here DescribeUser) returns {@code PUT/users/*} among its route grants, and API Gateway applies it to the
     * CreateUser call for the TTL without calling the function. IAM denies: "an explicit deny in any of these
     * policies overrides the allow" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
     * and CreateUser lists {@code hierarchy-group} as a resource type
     * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html).
     * Same for queues ({@code PUT /queues}, {@code PUT /routing-profiles}, {@code PUT /quick-connects},
     * {@code POST /metrics/current}) with a Deny on {@code queue/vip}, for {@code PUT /contact-evaluations} with a
     * Deny on one contact, and for {@code PUT /quick-connects} with a Deny on {@code agent/boss}. Observed with a Deny
     * whose Action is {@code connect:*} or {@code *} (even on {@code agent-group/*}, every group); the same Deny
     * naming {@code connect:CreateUser} or {@code connect:Create*} is handled. Confirmed against the packaged
     * function (target/function.zip under the RIC, {@code AUTHORIZER_SNAPSHOT_PATH} holding this policy): the answer
     * to {@code GET /users/{InstanceId}/u-1} allows {@code PUT/users/*} (carving out only {@code PUT/users/*}{@code /*}
     * {@code /status}), while {@code PUT /users/{InstanceId}} itself is answered Deny {@code resource-not-visible}.
     * Likely cause (R4.1 and R4.2): {@code RouteClassifier} replaces its label sentinel by {@code *} in the visible
     * resources only; the hidden ones ({@code m.notVisible()}) keep {@code instance/edgeiamunseen0/...}, so
     * {@code UnseenResource.mayMatch} sees the Deny's literal instance ID diverge and proves it cannot apply. The same
     * Deny written with {@code instance/*} is handled.
     */
    @Test
    void routeGrantsDoNotSkipOptionalResourceTypesTheBodyMayName() {
        Map<String, String[]> cases = Map.of(
                CONNECT + "/agent-group/executives", new String[] {"PUT /users/" + INSTANCE,
                        "PUT /user-hierarchy-groups/" + INSTANCE, "PUT /security-profiles/" + INSTANCE},
                CONNECT + "/queue/vip", new String[] {"PUT /queues/" + INSTANCE, "PUT /routing-profiles/" + INSTANCE,
                        "PUT /quick-connects/" + INSTANCE, "POST /metrics/current/" + INSTANCE});
        List<String> wrong = new ArrayList<>();
        cases.forEach((denied, routes) -> {
            String p = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*", denied));
            EdgeHarness cached = new EdgeHarness(CACHED, p);
            EdgeHarness fresh = new EdgeHarness(NOT_CACHED, p);
            JsonNode a = cached.answer(cached.restRequest(cached.token(), "GET", "/users/" + INSTANCE + "/u-1",
                    Map.of(), IP));
            for (String route : routes) {
                String[] mp = route.split(" ");
                JsonNode f = fresh.answer(fresh.restRequest(fresh.token(), mp[0], mp[1], Map.of(), IP));
                if (!allowed(f) && ApiGatewayPolicyMatch.allows(a, STAGE + "/" + mp[0] + mp[1])) {
                    wrong.add(route + " (Deny on " + denied + "): refused when asked ("
                            + f.path("context").path("reason").asText() + "), granted by the cached answer to "
                            + "GET /users/{InstanceId}/u-1: " + a.path("policyDocument"));
                }
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    // -- R4.2 (high): route-level grants of a query-named resource skip a Deny on one value -------------------

    /**
     * ListAssociatedContacts ({@code GET /contact/associated/{InstanceId}?contactId=...}) names its contact in the
     * query, which the REST cache key (the Authorization header) does not pin. A Deny of {@code connect:*} on
     * contact {@code c-secret} (literally, under {@code instance/ID/*}, or through {@code ${aws:PrincipalTag/uid}})
     * refuses the request for that contact when asked (explicit-deny), yet a cached answer to another route
     * (DescribeUser, DeleteInstance, CreateUser) grants {@code GET/contact/associated/*} for every query, so the
     * denied contact's associations are served for the TTL. (The same Deny naming
     * {@code connect:ListAssociatedContacts} instead of {@code connect:*}, or with a wildcard Region/account, is
     * handled.) IAM evaluates the request's contact ARN, and an explicit
     * Deny overrides the Allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
     */
    @Test
    void routeGrantsOfAQueryNamedResourceDoNotSkipADenyOnOneValue() {
        List<String> denies = List.of(
                statement("Deny", "connect:*", CONNECT + "/contact/c-secret"),
                statement("Deny", "connect:*", CONNECT + "/*/c-secret"),
                statement("Deny", "connect:*", CONNECT + "/*/${aws:PrincipalTag/uid}"));
        String path = "/contact/associated/" + INSTANCE;
        List<String> wrong = new ArrayList<>();
        for (String deny : denies) {
            String p = policy(statement("Allow", "connect:*", "*"), deny);
            EdgeHarness cached = new EdgeHarness(CACHED, p);
            EdgeHarness fresh = new EdgeHarness(NOT_CACHED, p);
            String token = cached.token("agent-edge", Map.of("uid", "c-secret"));
            JsonNode f = fresh.answer(fresh.restRequest(token, "GET", path, query("contactId", "c-secret"), IP));
            for (String[] a : List.of(new String[] {"GET", "/users/" + INSTANCE + "/u-1"},
                    new String[] {"DELETE", "/instance/" + INSTANCE}, new String[] {"PUT", "/users/" + INSTANCE})) {
                JsonNode answer = cached.answer(cached.restRequest(token, a[0], a[1], Map.of(), IP));
                if (!allowed(f) && ApiGatewayPolicyMatch.allows(answer, STAGE + "/GET" + path)) {
                    wrong.add(deny + ": GET " + path + "?contactId=c-secret refused when asked ("
                            + f.path("context").path("reason").asText() + "), granted by the cached answer to " + a[0]
                            + " " + a[1]);
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    // -- R4.3 (low): the time window's last second is sampled at its start only -------------------------------

    /**
     * A cached Allow is re-decided for "the time any second of the window" (README); the window ends at
     * {@code floor(now + TTL + answer latency)} and each second is sampled at {@code .000}. A Deny from a date inside
     * that last second (here 12:05:30.500, for a request at 12:00:00.900: the window ends 12:05:30.900) is never
     * seen, although the function's own model says API Gateway may reuse the answer at 12:05:30.700, and R4 of the
     * third pass decided that a policy date inside a request's second must be refused, not decided by truncation
     * ({@code aws:CurrentTime}: "the date and time of the request",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-currenttime).
     */
    @Test
    void aPolicyDateInsideTheLastSecondOfTheCacheWindowIsNotSkipped() {
        String deny = policy(statement("Allow", "connect:*", "*"),
                "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":"
                        + "{\"aws:CurrentTime\":\"2026-12-01T12:05:30.500Z\"}}}");
        EdgeHarness h = new EdgeHarness(CACHED, deny);
        h.clock.set(Instant.parse("2026-12-01T12:00:00.900Z"));
        JsonNode a = h.answer(h.restRequest(h.token(), "GET", "/users/" + INSTANCE + "/u-1", Map.of(), IP));
        assertFalse(allowed(a), "reused until 12:05:30.900 (TTL 300 s + 30 s), the Deny applies from 12:05:30.500: " + a);
    }
}
