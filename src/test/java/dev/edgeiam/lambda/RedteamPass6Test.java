package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.identity.CallerIdentity;
import dev.edgeiam.identity.CallerIdentityClient;
import dev.edgeiam.identity.Presign;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.NOW;
import static dev.edgeiam.lambda.EdgeHarness.ROLE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sixth red-team pass through the whole authorizer path ({@link EdgeHarness}; {@link ApiGatewayPolicyMatch} for what
 * API Gateway lets through on a cached answer): the cross-account rule, AWS-owned ARNs in labels, and the
 * identifier-case rule. Each finding's test asserts the safe behaviour and failed before its fix (R6.1 a caller of
 * another account through an AWS-managed view ARN; R6.2 an upper-case instance walking around a Deny on
 * connect:InstanceId; R6.3 an upper-case identifier walking around an Allow's exclusion); what held is a regular
 * test.
 */
class RedteamPass6Test {

    static final String OTHER_ACCOUNT = "444455556666";
    static final String AWS_VIEW = "arn:aws:connect:us-east-1:aws:view/standard-basic";

    /** An ARN as a single path label (API Gateway passes the label encoded). */
    static String label(String arn) {
        return arn.replace(":", "%3A").replace("/", "%2F");
    }

    /** A harness whose role lives in {@link #OTHER_ACCOUNT}, reached by a presigned GetCallerIdentity URL. */
    static EdgeHarness otherAccountCaller(CacheModel cache, String... inline) {
        ObjectNode snapshot = (ObjectNode) EdgeHarness.snapshot(inline);
        ((ObjectNode) snapshot.get("RoleDetailList").get(0)).put("Arn",
                "arn:aws:iam::" + OTHER_ACCOUNT + ":role/" + ROLE);
        CallerIdentityClient sts = request -> new CallerIdentity(
                "arn:aws:sts::" + OTHER_ACCOUNT + ":assumed-role/" + ROLE + "/s-1", "AROAEDGETESTROLE0001:s-1",
                OTHER_ACCOUNT);
        return new EdgeHarness(cache, false, List.of(), arn -> Map.of(), sts, snapshot);
    }

    static String presignedUrl() {
        return Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1", "ASIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLETOKEN", NOW, Duration.ofSeconds(900));
    }

    // -- held ------------------------------------------------------------------------------------------------------

    /**
     * A caller from another account, by presigned URL, with {@code Allow connect:*} on {@code *}: every request naming
     * a resource of the Connect account (a user, a customer-managed view, the instance) is refused
     * {@code cross-account-no-resource-policy} end to end.
     */
    @Test
    void presignedCallersOfAnotherAccountAreRefusedOnConnectAccountResources() {
        EdgeHarness h = otherAccountCaller(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
        for (String path : List.of("/users/" + INSTANCE + "/u-1", "/views/" + INSTANCE + "/v-1",
                "/instance/" + INSTANCE, "/users-summary/" + INSTANCE)) {
            JsonNode a = h.answer(h.restRequest(presignedUrl(), "GET", path, Map.of(), IP));
            assertFalse(allowed(a), path + ": " + a);
            assertEquals("cross-account-no-resource-policy", a.path("context").path("reason").asText(), path);
        }
    }

    /**
     * Allow {@code connect:*} on {@code *}, Deny on the AWS-managed view {@code arn:aws:connect:*:aws:view/*}: the
     * AWS-managed view named by an encoded ARN label is denied when asked, and no cached answer (to a customer-managed
     * view, to a user) lets it through; an upper-cased view name is refused ({@code ambiguous-request}).
     */
    @Test
    void cachedAnswersDoNotCoverAnAwsManagedViewLabel() {
        String p = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*", "arn:aws:connect:*:aws:view/*"));
        EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, p);
        String awsView = "/views/" + INSTANCE + "/" + label(AWS_VIEW);
        assertFalse(allowed(fresh.answer(fresh.restRequest(fresh.token(), "GET", awsView, Map.of(), IP))));
        JsonNode upper = fresh.answer(fresh.restRequest(fresh.token(), "GET", "/views/" + INSTANCE + "/"
                + label(AWS_VIEW.replace("standard-basic", "STANDARD-basic")), Map.of(), IP));
        assertFalse(allowed(upper), upper.toString());
        EdgeHarness cached = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, p);
        for (String asked : List.of("/views/" + INSTANCE + "/v-1", "/users/" + INSTANCE + "/u-1")) {
            JsonNode a = cached.answer(cached.restRequest(cached.token(), "GET", asked, Map.of(), IP));
            assertTrue(allowed(a), a.toString());
            for (String other : List.of(awsView, awsView + "/versions")) {
                assertFalse(ApiGatewayPolicyMatch.allows(a, STAGE + "/GET" + other), asked + " covers " + other);
            }
        }
    }

    /**
     * STS answers for a session (or user) of account 444455556666 whose role name exists only in the Connect account
     * (111122223333): the caller is {@code unknown-principal} — the Connect account's role of the same name does not
     * lend its policies to another account's session, on the AWS-managed view route too.
     */
    @Test
    void aSameNamedRoleOfTheConnectAccountDoesNotServeAnotherAccountsSession() {
        for (String arn : List.of("arn:aws:sts::" + OTHER_ACCOUNT + ":assumed-role/" + ROLE + "/s-1",
                "arn:aws:iam::" + OTHER_ACCOUNT + ":user/" + ROLE)) {
            CallerIdentityClient sts = request -> new CallerIdentity(arn, "AROAEDGETESTROLE0001:s-1", OTHER_ACCOUNT);
            EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, false, List.of(), a -> Map.of(), sts,
                    EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))));
            for (String path : List.of("/views/" + INSTANCE + "/" + label(AWS_VIEW), "/users/" + INSTANCE + "/u-1")) {
                JsonNode a = h.answer(h.restRequest(presignedUrl(), "GET", path, Map.of(), IP));
                assertFalse(allowed(a), arn + " " + path + ": " + a);
                assertEquals("unknown-principal", a.path("context").path("reason").asText(), arn + " " + path);
            }
        }
    }

    /** The harness account with service control policies at the root and at the account. */
    static JsonNode withScps(String rootScp, String accountScp, String... inline) {
        ObjectNode root = (ObjectNode) EdgeHarness.snapshot(inline);
        ObjectNode chain = root.putObject("ServiceControlPolicies");
        chain.put("AccountId", EdgeHarness.ACCOUNT).put("OrganizationId", "o-a1b2c3d4e5")
                .put("ManagementAccountId", "999988887777").put("ServiceControlPoliciesEnabled", true);
        com.fasterxml.jackson.databind.node.ArrayNode levels = chain.putArray("Levels");
        levels.addObject().put("TargetId", "r-ab12").put("TargetType", "ROOT").putArray("Policies").addObject()
                .put("PolicyId", "p-root").put("PolicyName", "Root").put("Document", rootScp);
        levels.addObject().put("TargetId", EdgeHarness.ACCOUNT).put("TargetType", "ACCOUNT").putArray("Policies")
                .addObject().put("PolicyId", "p-acct").put("PolicyName", "Acct").put("Document", accountScp);
        return root;
    }

    /**
     * SCPs narrower than the identity policy (Denies on one queue and one hierarchy group, at the root or at the
     * account; an allow-list of some resources; an allow-list of read actions) never let a cached answer to
     * {@code GET /users/{InstanceId}/u-1} grant a route that is refused when asked — over routes whose resources only
     * the body names. The SCPs do apply when asked (an explicit deny on {@code queue/vip}, {@code scp-implicit-deny}
     * on DeleteUser).
     */
    @Test
    void serviceControlPoliciesDoNotWidenCachedRouteGrants() {
        String all = policy(statement("Allow", "*", "*"));
        String denies = policy(statement("Allow", "*", "*"), statement("Deny", "connect:*", EdgeHarness.CONNECT
                + "/queue/vip"), statement("Deny", "connect:*", EdgeHarness.CONNECT + "/agent-group/executives"));
        String some = policy(statement("Allow", "connect:*", EdgeHarness.CONNECT, EdgeHarness.CONNECT + "/agent/*",
                EdgeHarness.CONNECT + "/agent-group/team-a", EdgeHarness.CONNECT + "/queue/team-a",
                EdgeHarness.CONNECT + "/security-profile/*", EdgeHarness.CONNECT + "/routing-profile/*"));
        String reads = policy(statement("Allow", "connect:Describe*", "*"), statement("Allow", "connect:List*", "*"));
        Map<String, JsonNode> cases = Map.of("account SCP denies", withScps(all, denies, all),
                "root SCP denies", withScps(denies, all, all), "account SCP on some resources", withScps(all, some, all),
                "root SCP on read actions", withScps(reads, all, all));
        List<String> wrong = new ArrayList<>();
        cases.forEach((name, snapshot) -> RedteamPass5Test.cachedWiderThanAsked(snapshot)
                .forEach(r -> wrong.add(name + ": " + r)));
        assertTrue(wrong.isEmpty(), "refused when asked, granted by a cached answer: " + wrong);
        EdgeHarness d = new EdgeHarness(CacheModel.NOT_CACHED, false, List.of(), a -> Map.of(), null,
                cases.get("account SCP denies"));
        assertEquals("explicit-deny", d.answer(d.restRequest(d.token(), "GET", "/queues/" + INSTANCE + "/vip",
                Map.of(), IP)).path("context").path("reason").asText());
        EdgeHarness r = new EdgeHarness(CacheModel.NOT_CACHED, false, List.of(), a -> Map.of(), null,
                cases.get("root SCP on read actions"));
        assertEquals("scp-implicit-deny", r.answer(r.restRequest(r.token(), "DELETE", "/users/" + INSTANCE + "/u-1",
                Map.of(), IP)).path("context").path("reason").asText());
    }

    // -- R6.1 (low, "cannot know"): a caller of another account reaches the instance through an AWS-owned view ARN --

    /**
     * A presigned caller whose session is in account 444455556666 (identity policy {@code Allow connect:*} on
     * {@code *}) calls {@code GET /views/{InstanceId}/arn%3Aaws%3Aconnect%3Aus-east-1%3Aaws%3Aview%2Fstandard-basic}
     * (DescribeView) or {@code .../versions} (ListViewVersions) on the Connect account's (111122223333) instance: the
     * function answers Allow, because the only resource it evaluates is the AWS-managed view, whose ARN names the
     * account {@code aws}, and {@code RequestContext} takes such a resource as never cross-account. Every other route
     * of the same caller is refused {@code cross-account-no-resource-policy}. The operation nevertheless runs against
     * the instance in the path, which belongs to the Connect account ("InstanceId: The identifier of the Amazon
     * Connect instance", https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeView.html); called
     * directly with the caller's credentials, Amazon Connect would look the instance up in account 444455556666,
     * and Amazon Connect offers no resource-based policy that lets another account in ("the resource-based policy
     * must allow the principal in the other account",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html). The
     * project's own rule is that "on the authorizer path every Connect resource ... belongs to the Connect account";
     * an AWS-managed view reached through the instance is the exception nobody decided. Safe answer: refuse a caller
     * of another account on any route whose path names the Connect instance.
     */
    @Test
    void aCallerOfAnotherAccountDoesNotReachTheInstanceThroughAnAwsManagedView() {
        EdgeHarness h = otherAccountCaller(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
        List<String> wrong = new ArrayList<>();
        for (String path : List.of("/views/" + INSTANCE + "/" + label(AWS_VIEW),
                "/views/" + INSTANCE + "/" + label(AWS_VIEW) + "/versions")) {
            JsonNode a = h.answer(h.restRequest(presignedUrl(), "GET", path, Map.of(), IP));
            if (allowed(a)) {
                wrong.add(path + " " + a.path("context").path("action").asText() + " as "
                        + a.path("context").path("principalArn").asText());
            }
        }
        assertTrue(wrong.isEmpty(), "a caller of account " + OTHER_ACCOUNT + " allowed on instance " + INSTANCE
                + " of the Connect account: " + wrong);
    }

    // -- R6.2 (medium, "cannot know"): an instance ID in another case walks around a Deny on connect:InstanceId ------

    /**
     * Allow {@code connect:*} on {@code *}; Deny {@code connect:*} on {@code *} with
     * {@code "StringEquals": {"connect:InstanceId": "abcdef12-2222-4333-8444-555555555555"}}. {@code GET
     * /users/abcdef12-.../u-1} is denied ({@code explicit-deny}); the same request with the instance ID upper-cased
     * ({@code ABCDEF12-...}, or only its first group) is allowed, and so are ListQueues-style and DescribeInstance
     * routes, with and without caching. The R5.1 rule folds only the resource ARN
     * ({@code RouteAuthorizer.lowerCaseResourcePart}); {@code connect:InstanceId}, derived from the same label, keeps
     * the request's case, so the Deny written on the lower-case ID (Amazon Connect's IDs are lower-case) does not
     * match. String condition operators are case-sensitive ("StringEquals: Exact matching, case sensitive",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String),
     * so the answer is right only if Amazon Connect treats the upper-cased ID as another (non-existent) instance;
     * if it resolves it case-insensitively and fills {@code connect:InstanceId} from the instance it found, IAM denies
     * what the function allowed. Nothing in the function knows which, and the project refuses this for resource
     * Denies (R5.1): the safe answer is the same {@code ambiguous-request} when the request with its identifiers
     * (ARN and keys derived from them) in lower case is explicitly denied.
     */
    @Test
    void anUpperCaseInstanceIdDoesNotWalkAroundADenyOnConnectInstanceId() {
        String id = "abcdef12-2222-4333-8444-555555555555";
        String p = policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"connect:*\","
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"connect:InstanceId\":\"" + id + "\"}}}");
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            EdgeHarness h = new EdgeHarness(cache, p);
            JsonNode asked = h.answer(h.restRequest(h.token(), "GET", "/users/" + id + "/u-1", Map.of(), IP));
            assertFalse(allowed(asked), "the instance as written in the Deny is denied: " + asked);
            assertEquals("explicit-deny", asked.path("context").path("reason").asText());
            for (String path : List.of("/users/" + id.toUpperCase() + "/u-1",
                    "/users/" + id.substring(0, 8).toUpperCase() + id.substring(8) + "/u-1",
                    "/queues/" + id.toUpperCase() + "/q-1", "/instance/" + id.toUpperCase(),
                    "/users-summary/" + id.toUpperCase())) {
                JsonNode a = h.answer(h.restRequest(h.token(), "GET", path, Map.of(), IP));
                if (allowed(a)) {
                    wrong.add(cache.resultTtl() + " GET " + path + ": " + a.path("context").path("action").asText());
                }
            }
        }
        assertTrue(wrong.isEmpty(), "allowed despite the Deny on connect:InstanceId " + id + ": " + wrong);
    }

    // -- R6.3 (medium, "cannot know"): an identifier in another case walks around an Allow's exclusion ------------

    /**
     * The identity policy is one exclusion: {@code Allow connect:*} with {@code NotResource}
     * {@code instance/<id>/agent/aaaaaaaa-bbbb-...} (or {@code NotResource arn:aws:connect:*:*:instance/*\/agent/aaaa*},
     * or {@code Resource *} with {@code "StringNotEquals": {"connect:InstanceId": "abcdef12-..."}}) — "everything but
     * that user / that instance". {@code GET} and {@code DELETE /users/{InstanceId}/aaaaaaaa-bbbb-...} are refused
     * ({@code no-identity-allow}); the same requests with the ID upper-cased are allowed (DescribeUser, DeleteUser),
     * with and without caching, and so is {@code GET /users/ABCDEF12-.../u-1} for the excluded instance. The R5.1 rule
     * ({@code RouteAuthorizer.lowerCaseResourcePart}) refuses only when the lower-case form is <em>explicitly</em>
     * denied; here it is implicitly denied, which IAM treats the same way for the final answer ("If a policy doesn't
     * explicitly allow an action, then the request is implicitly denied",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html; NotResource:
     * "the principal ... can't access the listed resources",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html). If Amazon
     * Connect resolves the ID case-insensitively and authorizes on the stored (lower-case) ARN, IAM denies what the
     * function allowed. Safe answer: refuse when the lower-cased request is not allowed, for any reason.
     */
    @Test
    void anUpperCaseIdentifierDoesNotWalkAroundAnAllowsExclusion() {
        String boss = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
        String instance = "abcdef12-2222-4333-8444-555555555555";
        Map<String, String> policies = Map.of(
                "NotResource on the user", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"connect:*\",\"NotResource\":\"" + EdgeHarness.CONNECT + "/agent/" + boss + "\"}]}",
                "NotResource pattern", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"connect:*\",\"NotResource\":\"arn:aws:connect:*:*:instance/*/agent/aaaa*\"}]}",
                "StringNotEquals on the instance", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":"
                        + "{\"connect:InstanceId\":\"" + instance + "\"}}}]}");
        List<String> wrong = new ArrayList<>();
        for (CacheModel cache : List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT)) {
            policies.forEach((name, p) -> {
                EdgeHarness h = new EdgeHarness(cache, p);
                boolean onInstance = name.startsWith("StringNotEquals");
                String lower = onInstance ? "/users/" + instance + "/u-1" : "/users/" + INSTANCE + "/" + boss;
                String upper = onInstance ? "/users/" + instance.toUpperCase() + "/u-1"
                        : "/users/" + INSTANCE + "/" + boss.toUpperCase();
                for (String method : List.of("GET", "DELETE")) {
                    JsonNode asked = h.answer(h.restRequest(h.token(), method, lower, Map.of(), IP));
                    assertFalse(allowed(asked), name + ": excluded as written: " + asked);
                    JsonNode a = h.answer(h.restRequest(h.token(), method, upper, Map.of(), IP));
                    if (allowed(a)) {
                        wrong.add(cache.resultTtl() + " " + name + ": " + method + " " + upper);
                    }
                }
            });
        }
        assertTrue(wrong.isEmpty(), "allowed in another letter case though excluded by the Allow: " + wrong);
    }
}
