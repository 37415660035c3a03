package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.identity.IdentitySettings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static dev.edgeiam.lambda.RedteamPass8Test.CACHES;
import static dev.edgeiam.lambda.RedteamPass8Test.GUARD_ARN;
import static dev.edgeiam.lambda.RedteamPass8Test.USER_PATH;
import static dev.edgeiam.lambda.RedteamPass8Test.grants;
import static dev.edgeiam.lambda.RedteamPass8Test.identity;
import static dev.edgeiam.lambda.RedteamPass8Test.withManagedPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ninth red-team pass through the whole authorizer path ({@link EdgeHarness}), aimed at the warm-path memoisation of
 * issue 15 (caller views per verified session, the every-reuse authorization asked first, stable keys and route
 * look-ups remembered, the engine's per-action candidates and literal-run patterns) and the {@code Reason}
 * vocabulary. Each finding's test asserts the safe behaviour; what held is a regular test.
 */
class RedteamPass9Test {

    // -- R9.1 (high): a managed session policy that could not be read lost its Deny ---------------------------------

    /**
     * {@code AUTHORIZER_SESSION_POLICY} (Allow {@code connect:*}) and {@code AUTHORIZER_SESSION_POLICY_ARNS}
     * ({@code policy/SessionGuard}: Deny {@code connect:DeleteUser}) cap every web-identity session; the role allows
     * {@code connect:*}. When the guard's document could not be read — {@code IamPolicySource.managedPolicyText}
     * answers "no text" for any failure (throttled {@code GetPolicy}, a timeout, an access-denied), and
     * {@code RefreshablePolicySource} for a source it cannot create — {@code SessionPolicy.compile} put a policy that
     * never applies in its place ("grants nothing"), so the guard's <b>Deny</b> vanished while the inline session
     * policy still allowed: {@code DELETE /users/...} was <b>allowed</b>, and the compiled set was remembered (session
     * sets, caller views) until the role was loaded again. A session is capped by all its session policies ("the
     * intersection of the role's identity-based policy and the session policies",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session); a policy the function
     * cannot read cannot be left out (and one that does not exist would have made STS refuse the session). Fixed:
     * an unreadable managed session policy is a policy-source outage — a Deny ({@code policy-source-unavailable}),
     * not remembered, so the next request reads it again.
     */
    @Test
    void aManagedSessionPolicyThatCannotBeReadIsAnOutageNotAnAbsentPolicy() {
        IdentitySettings settings = identity(Map.of(
                "AUTHORIZER_SESSION_POLICY", policy(statement("Allow", "connect:*", "*")),
                "AUTHORIZER_SESSION_POLICY_ARNS", GUARD_ARN));
        String guard = policy(statement("Deny", "connect:DeleteUser", "*"));
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : CACHES) {
            boolean[] down = {true};
            EdgeHarness h = new EdgeHarness(cache, false, List.of(), arn -> Map.of(), null, settings,
                    withManagedPolicy(EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))), GUARD_ARN,
                            guard),
                    text -> arn -> down[0] ? Optional.empty() : text.apply(arn));
            String token = h.token();
            for (String method : List.of("DELETE", "GET")) {
                JsonNode a = h.answer(h.restRequest(token, method, USER_PATH, Map.of(), IP));
                if (allowed(a) || grants(a, "DELETE", USER_PATH)) {
                    wrong.add(cache.resultTtl().toSeconds() + " s, guard unreadable: " + method + " " + USER_PATH
                            + " " + a.path("context"));
                }
                assertEquals("policy-source-unavailable", a.path("context").path("reason").asText(), a.toString());
            }
            down[0] = false; // the source answers again: the same session is decided with the guard, not a memory
            JsonNode delete = h.answer(h.restRequest(token, "DELETE", USER_PATH, Map.of(), IP));
            assertEquals("explicit-deny", delete.path("context").path("reason").asText(), delete.toString());
            assertTrue(allowed(h.answer(h.restRequest(token, "GET", USER_PATH, Map.of(), IP))));
        }
        assertTrue(wrong.isEmpty(), "an unreadable managed session policy's Deny was dropped: " + wrong);
    }

    // -- held: caller views are per verified session -----------------------------------------------------------------

    /**
     * Two tokens of the same role and subject, differing only in a session tag, verify to equal-looking but
     * different sessions: the caller view remembered for the first (allowed) is never the second's, whose tag a Deny
     * reads — in either order and on every repetition (verified-credential hits return the same session instance).
     */
    @Test
    void callerViewsAreNeverSharedBetweenSessionsThatDifferOnlyInTags() {
        String p = policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"red\"}}}");
        for (CacheModel cache : CACHES) {
            EdgeHarness h = new EdgeHarness(cache, p);
            String blue = h.token("agent-edge", Map.of("team", "blue"));
            String red = h.token("agent-edge", Map.of("team", "red"));
            for (int round = 0; round < 3; round++) {
                JsonNode b = h.answer(h.restRequest(blue, "GET", USER_PATH, Map.of(), IP));
                assertTrue(allowed(b), b.toString());
                JsonNode r = h.answer(h.restRequest(red, "GET", USER_PATH, Map.of(), IP));
                assertFalse(allowed(r) || grants(r, "GET", USER_PATH), r.toString());
                assertEquals("explicit-deny", r.path("context").path("reason").asText(), r.toString());
            }
        }
    }

    // -- held: the every-reuse authorization asked first --------------------------------------------------------------

    /**
     * Denies and Allows that change inside the cache TTL, and a source-address Deny: the cached configuration may
     * answer Allow only where the uncached one does, and never where a request within the TTL would be denied.
     */
    @Test
    void anEveryReuseAllowNeverAnswersARequestTheFreshDecisionDenies() {
        String soon = "2026-12-01T12:01:00Z"; // one minute after the harness clock, inside the 300 s TTL
        String denySoon = "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"" + soon + "\"}}}";
        String allowUntilSoon = "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"DateLessThan\":{\"aws:CurrentTime\":\"" + soon + "\"}}}";
        String denyOutside = "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":"
                + "{\"NotIpAddress\":{\"aws:SourceIp\":\"198.51.100.0/24\"}}}";
        String allowAll = statement("Allow", "connect:*", "*");
        record Case(String name, String policy, boolean freshAllows) {
        }
        List<Case> cases = List.of(
                new Case("Deny from 12:01", policy(allowAll, denySoon), true),
                new Case("Allow until 12:01", policy(allowUntilSoon), true),
                new Case("Deny outside 198.51.100.0/24", policy(allowAll, denyOutside), true));
        for (Case c : cases) {
            EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, c.policy());
            EdgeHarness cached = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, c.policy());
            JsonNode f = fresh.answer(fresh.restRequest(fresh.token(), "GET", USER_PATH, Map.of(), IP));
            assertEquals(c.freshAllows(), allowed(f), c.name() + ": " + f);
            JsonNode a = cached.answer(cached.restRequest(cached.token(), "GET", USER_PATH, Map.of(), IP));
            assertFalse(allowed(a) || grants(a, "GET", USER_PATH), c.name() + ", cached: " + a);
            // from outside the range, or without an address: denied either way
            for (EdgeHarness h : List.of(fresh, cached)) {
                JsonNode out = h.answer(h.restRequest(h.token(), "GET", USER_PATH, Map.of(), "203.0.113.9"));
                if (c.policy().contains("NotIpAddress")) {
                    assertFalse(allowed(out) || grants(out, "GET", USER_PATH), c.name() + ": " + out);
                }
                JsonNode tokenEvent = h.answer(h.tokenEvent(h.token(), "GET", USER_PATH));
                if (c.policy().contains("NotIpAddress")) {
                    assertFalse(allowed(tokenEvent) || grants(tokenEvent, "GET", USER_PATH), c.name() + ": "
                            + tokenEvent);
                }
            }
        }
        // HTTP API payload 2.0 (identity source: the token only): the same, on the route's own event
        for (Case c : cases) {
            EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, c.policy());
            EdgeHarness cached = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, c.policy());
            for (EdgeHarness h : List.of(fresh, cached)) {
                String token = h.token();
                JsonNode a = h.answer(h.httpRequest(token, "GET", USER_PATH, "", "GET /users/{InstanceId}/{UserId}",
                        List.of(token)));
                boolean expect = h == fresh && c.freshAllows();
                assertEquals(expect, allowed(a) || grants(a, "GET", USER_PATH), c.name() + ", HTTP 2.0: " + a);
            }
        }
        // after 12:01 the fresh decision denies, and so does the cached configuration
        String[] late = {policy(allowAll, denySoon), policy(allowUntilSoon)};
        for (String p : late) {
            for (CacheModel cache : CACHES) {
                EdgeHarness h = new EdgeHarness(cache, p);
                h.clock.set(java.time.Instant.parse("2026-12-01T12:01:01Z"));
                JsonNode a = h.answer(h.restRequest(h.token(), "GET", USER_PATH, Map.of(), IP));
                assertFalse(allowed(a) || grants(a, "GET", USER_PATH), p + ": " + a);
            }
        }
    }
}
