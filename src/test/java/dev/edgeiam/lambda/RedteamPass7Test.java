package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seventh red-team pass through the whole authorizer path ({@link EdgeHarness}): holes in the pass-6 identifier-case
 * rule. Each finding's test asserts the safe behaviour and failed before its fix (R7.1 an upper-case instance
 * on a route whose resources are all body-named walks around a Deny on the instance; R7.2 an attribute type in
 * another case walks around a Deny on connect:AttributeType); what held is a regular test.
 */
class RedteamPass7Test {

    static final String ID = "abcdef12-2222-4333-8444-555555555555";
    static final String INSTANCE_ARN = "arn:aws:connect:us-east-1:" + EdgeHarness.ACCOUNT + ":instance/" + ID;

    /** Create* routes whose only resources are named by the body: the path shows just the instance. */
    static final List<String> CREATE_ROUTES = List.of("/users/", "/queues/", "/contact-flows/", "/routing-profiles/",
            "/security-profiles/", "/prompts/", "/quick-connects/", "/hours-of-operations/");

    static Map<String, String> instanceDenies() {
        return Map.of(
                "Deny on connect:InstanceId", policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\","
                        + "\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                        + "{\"connect:InstanceId\":\"" + ID + "\"}}}"),
                "Deny on the instance's ARNs", policy(statement("Allow", "connect:*", "*"),
                        statement("Deny", "connect:*", INSTANCE_ARN, INSTANCE_ARN + "/*")));
    }

    // -- R7.1 (high, "cannot know"): an upper-case instance on a body-only route walks around a Deny on it ---------

    /**
     * Allow {@code connect:*} on {@code *}; Deny {@code connect:*} on {@code instance/abcdef12-...} and
     * {@code instance/abcdef12-.../*} (or on {@code *} with {@code "StringEquals": {"connect:InstanceId":
     * "abcdef12-..."}}). {@code PUT /users/abcdef12-...} (CreateUser) is refused ({@code resource-not-visible}: the
     * Deny may apply to the user the body creates); {@code PUT /users/ABCDEF12-...} is <b>allowed</b>, with and
     * without caching, and so are CreateQueue, CreateContactFlow, CreateRoutingProfile, CreateSecurityProfile,
     * CreatePrompt, CreateQuickConnect and CreateHoursOfOperation. The pass-6 rule (R6.2/R6.3:
     * {@code RouteAuthorizer.lowerCaseResourcePart} and the folded {@code connect:InstanceId}) runs only over the
     * <em>visible</em> resources' requests; these routes have none (every resource is named by the body, checked as
     * a hidden pattern {@code instance/ABCDEF12-.../agent/*}), so the lower-case form is never evaluated, and
     * neither the ARN Deny nor the key Deny matches the upper-case pattern / key ("StringEquals: Exact matching,
     * case sensitive",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
     * If Amazon Connect resolves the instance ID ignoring case (the project's own premise for R5/R6), IAM denies
     * what the function allowed: the caller creates users, queues and flows in the instance it is denied. Safe
     * answer: the same refusal as for the lower-case instance (the hidden patterns and the instance key folded too).
     * Confirmed through the packaged function ({@code run-local.sh}, the sample account with ConnectAgentWebRole's
     * policies replaced by these two statements, the sample token, {@code PUT /users/{InstanceId}}): the lower-case
     * instance is answered Deny {@code resource-not-visible} (sid NotThisInstance); {@code A1B2C3D4-...-EXAMPLE11111}
     * is answered Allow, and the cached policy document lists {@code PUT/users/A1B2C3D4-...}.
     */
    @Test
    void anUpperCaseInstanceOnABodyOnlyRouteDoesNotWalkAroundADenyOnTheInstance() {
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            instanceDenies().forEach((name, p) -> {
                EdgeHarness h = new EdgeHarness(cache, p);
                for (String route : CREATE_ROUTES) {
                    JsonNode lower = h.answer(h.restRequest(h.token(), "PUT", route + ID, Map.of(), IP));
                    assertFalse(allowed(lower), name + ": the instance as written is refused: " + lower);
                    for (String inst : List.of(ID.toUpperCase(), ID.substring(0, 1).toUpperCase() + ID.substring(1))) {
                        JsonNode upper = h.answer(h.restRequest(h.token(), "PUT", route + inst, Map.of(), IP));
                        if (allowed(upper)) {
                            wrong.add(cache.resultTtl() + " " + name + ": PUT " + route + inst + " "
                                    + upper.path("context").path("action").asText());
                        }
                    }
                }
            });
        }
        assertTrue(wrong.isEmpty(), "allowed in another letter case though the instance is denied: " + wrong);
    }

    // -- R7.2 (low, "cannot know"): connect:AttributeType in another case walks around a Deny on it -----------------

    /**
     * Allow {@code connect:*} on {@code *}; Deny {@code connect:*} on {@code *} with {@code "StringEquals":
     * {"connect:AttributeType": "CONTACT_LENS"}}. {@code GET} / {@code POST /instance/{id}/attribute/CONTACT_LENS}
     * (DescribeInstanceAttribute / UpdateInstanceAttribute) are refused ({@code explicit-deny}); the same requests
     * with {@code contact_lens} or {@code Contact_Lens} are <b>allowed</b> (with and without caching; the cached
     * answer does not cover the upper-case path, so only the asked request is affected). The pass-6 case rule folds
     * the ARN and {@code connect:InstanceId} only; {@code connect:AttributeType} is another key the edge derives from
     * the path ({@code EdgeContextKeys.MEMBER_KEYS}, also {@code connect:StorageResourceType} from the query) and
     * keeps the request's case, while StringEquals is case-sensitive
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String).
     * Amazon Connect documents the member as an upper-case enum ("Valid Values: INBOUND_CALLS | OUTBOUND_CALLS |
     * CONTACTFLOW_LOGS | CONTACT_LENS | ...",
     * https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateInstanceAttribute.html) but not whether it
     * matches them ignoring case or validates before authorizing; if it accepts {@code contact_lens} as
     * CONTACT_LENS, IAM denies what the function allowed (a caller denied changing Contact Lens turns it off).
     * Safe answer: refuse an enum-valued key that is not one of the documented values as written (or fold it and
     * require the folded request to be allowed, as for identifiers).
     */
    @Test
    void anAttributeTypeInAnotherCaseDoesNotWalkAroundADenyOnIt() {
        String p = policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"connect:AttributeType\":\"CONTACT_LENS\"}}}");
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            EdgeHarness h = new EdgeHarness(cache, p);
            for (String method : List.of("GET", "POST")) {
                String base = "/instance/" + EdgeHarness.INSTANCE + "/attribute/";
                JsonNode asWritten = h.answer(h.restRequest(h.token(), method, base + "CONTACT_LENS", Map.of(), IP));
                assertEquals("explicit-deny", asWritten.path("context").path("reason").asText(), asWritten.toString());
                for (String other : List.of("contact_lens", "Contact_Lens")) {
                    JsonNode a = h.answer(h.restRequest(h.token(), method, base + other, Map.of(), IP));
                    if (allowed(a)) {
                        wrong.add(cache.resultTtl() + " " + method + " " + base + other + " "
                                + a.path("context").path("action").asText());
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), "allowed in another letter case though CONTACT_LENS is denied: " + wrong);
    }

    // -- held ------------------------------------------------------------------------------------------------------

    /**
     * The same Denies on routes with a visible resource (DescribeUser, DescribeQueue, UpdateUserHierarchy — the
     * last with a body-named hierarchy group beside the visible user): the upper-case instance is refused, as the
     * pass-6 rule intends.
     */
    @Test
    void anUpperCaseInstanceWithAVisibleResourceIsRefused() {
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            instanceDenies().forEach((name, p) -> {
                EdgeHarness h = new EdgeHarness(cache, p);
                for (String[] mp : new String[][]{{"GET", "/users/" + ID.toUpperCase() + "/u-1"},
                        {"GET", "/queues/" + ID.toUpperCase() + "/q-1"},
                        {"POST", "/users/" + ID.toUpperCase() + "/u-1/hierarchy"}}) {
                    JsonNode a = h.answer(h.restRequest(h.token(), mp[0], mp[1], Map.of(), IP));
                    assertFalse(allowed(a), cache.resultTtl() + " " + name + ": " + mp[0] + " " + mp[1] + ": " + a);
                }
            });
        }
    }

    /**
     * A caller of another account (presigned URL) with {@code Allow connect:*} on {@code *}, on the body-only Create*
     * routes (no visible resource, only hidden patterns): refused {@code cross-account-no-resource-policy} (and,
     * cached, never allowed), so the cross-account check placed last covers hidden-only routes.
     */
    @Test
    void aCallerOfAnotherAccountIsRefusedOnBodyOnlyRoutes() {
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            EdgeHarness x = RedteamPass6Test.otherAccountCaller(cache, policy(statement("Allow", "connect:*", "*")));
            for (String route : CREATE_ROUTES) {
                JsonNode a = x.answer(x.restRequest(RedteamPass6Test.presignedUrl(), "PUT", route + EdgeHarness.INSTANCE,
                        Map.of(), IP));
                assertFalse(allowed(a), cache.resultTtl() + " PUT " + route + ": " + a);
                if (cache == CacheModel.NOT_CACHED) {
                    assertEquals("cross-account-no-resource-policy", a.path("context").path("reason").asText());
                }
            }
        }
    }
}
