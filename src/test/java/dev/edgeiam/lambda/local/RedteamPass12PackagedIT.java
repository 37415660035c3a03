package dev.edgeiam.lambda.local;

import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.CONNECT;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.INSTANCE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.STAGE;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.USER_PATH;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.allowed;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.grants;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.invoke;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.policy;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.restRequest;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.statement;
import static dev.edgeiam.lambda.local.RedteamPass11PackagedIT.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Twelfth red-team pass against the packaged function ({@code target/function.zip} under the Lambda runtime
 * interface client, as {@link PackagedFunctionIT}): R12.1–R12.3 (see {@code lambda/RedteamPass12Test}) and guards.
 * Run: {@code ./mvnw -B -o verify -Dit.test=RedteamPass12PackagedIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RedteamPass12PackagedIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = RedteamPass11PackagedIT.ACCOUNT;
    static final String ACCESS_ARN = "arn:aws:iam::" + ACCOUNT + ":policy/ConnectAccess";

    private static final List<LocalLambdaRuntime> STARTED = new ArrayList<>();
    private static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();

    @AfterAll
    static void stop() {
        STARTED.forEach(LocalLambdaRuntime::close);
    }

    static LocalLambdaRuntime runtime(Map<String, String> env) throws Exception {
        LocalLambdaRuntime r = LocalLambdaRuntime.startPackagedWithDevIssuer(env, OUTPUT);
        STARTED.add(r);
        return r;
    }

    /** Sets the view's OIDC providers, each with the development client ID. */
    static void providers(Path file, String... providerArns) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(file));
        ArrayNode list = root.putArray(dev.edgeiam.aws.SnapshotPolicySource.OIDC_PROVIDERS_MEMBER);
        for (String arn : providerArns) {
            list.addObject().put("Arn", arn).putArray("ClientIDList").add("connect-authorizer-dev");
        }
        Files.writeString(file, JSON.writeValueAsString(root));
    }

    /** The harness account: the role allows connect:* inline and through the attached managed ConnectAccess. */
    static void account(Path file, String managedAccess, String... extraInline) throws Exception {
        RedteamPass11PackagedIT.snapshot(file, policy(statement("Allow", "connect:*", "*")),
                Map.of(ACCESS_ARN, managedAccess));
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(file));
        ObjectNode role = (ObjectNode) root.get("RoleDetailList").get(0);
        ((ArrayNode) role.get("AttachedManagedPolicies")).addObject().put("PolicyName", "ConnectAccess")
                .put("PolicyArn", ACCESS_ARN);
        for (int i = 0; i < extraInline.length; i++) {
            ((ArrayNode) role.get("RolePolicyList")).addObject().put("PolicyName", "Guard" + i)
                    .set("PolicyDocument", JSON.readTree(extraInline[i]));
        }
        Files.writeString(file, JSON.writeValueAsString(root));
    }

    static JsonNode iamChange(String eventName, String requestParameters) throws Exception {
        return JSON.readTree("""
                {"version": "0", "id": "0b5b7c4e-0000-0000-0000-000000000012",
                 "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam", "account": "111122223333",
                 "time": "2026-12-05T12:00:00Z", "region": "us-east-1", "resources": [],
                 "detail": {"eventSource": "iam.amazonaws.com", "eventName": "%s", "requestParameters": %s}}
                """.formatted(eventName, requestParameters));
    }

    // -- R12.1 ------------------------------------------------------------------------------------------------------

    /**
     * R12.1 on the packaged function ({@code snapshot} source): after IAM adds a Deny on {@code connect:DeleteUser}
     * and CloudTrail reports the call with the role name or policy ARN in another letter case (IAM names are not
     * distinguished by case), the same token must no longer be allowed to delete users. On main: still allowed
     * ({@code principalsDropped: 0}) until the principal entry expires.
     */
    @Test
    void R12_1_anIamChangeNamingTheRoleOrPolicyInAnotherCaseTakesEffect() throws Exception {
        String allow = policy(statement("Allow", "connect:*", "*"));
        String deny = policy(statement("Deny", "connect:DeleteUser", "*"));
        String allowAndDeny = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:DeleteUser", "*"));
        List<String> wrong = new ArrayList<>();
        for (String variant : List.of("roleName", "policyArn")) {
            Path file = Files.createTempFile("rt12-", ".json");
            account(file, allow);
            LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", file.toString(),
                    "AUTHORIZER_CACHE_RESULT_TTL", "0"));
            String token = token("agent-edge", Map.of());
            assertTrue(allowed(invoke(r, restRequest(token, "DELETE", USER_PATH, Map.of()))), variant);
            JsonNode outcome;
            if (variant.equals("roleName")) {
                account(file, allow, deny);
                outcome = invoke(r, iamChange("PutRolePolicy",
                        "{\"roleName\": \"edgetestrole\", \"policyName\": \"Guard0\"}"));
            } else {
                account(file, allowAndDeny);
                outcome = invoke(r, iamChange("CreatePolicyVersion", "{\"policyArn\": \"arn:aws:iam::" + ACCOUNT
                        + ":policy/connectaccess\", \"setAsDefault\": true}"));
            }
            assertFalse(outcome.has("errorCode"), outcome.toString());
            JsonNode after = invoke(r, restRequest(token, "DELETE", USER_PATH, Map.of()));
            if (allowed(after) || !"explicit-deny".equals(after.path("context").path("reason").asText())) {
                wrong.add(variant + " (" + outcome + "): " + after.path("context"));
            }
            r.close();
        }
        assertTrue(wrong.isEmpty(), "IAM denies connect:DeleteUser after the change; still answered:\n"
                + String.join("\n", wrong));
    }

    // -- R12.2 and R12.3: HTTP API payload 2.0 under the authorizer cache -------------------------------------------

    /** An HTTP API payload 2.0 event as API Gateway sends it; {@code identitySource} lists the given values. */
    static ObjectNode httpRequest(String token, String method, String rawPath, String rawQuery, String routeKey,
                                  List<String> identitySource) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("type", "REQUEST");
        e.put("routeArn", STAGE + "/" + method + rawPath);
        e.put("routeKey", routeKey);
        e.put("rawPath", rawPath);
        e.put("rawQueryString", rawQuery);
        ArrayNode ids = e.putArray("identitySource");
        identitySource.forEach(ids::add);
        e.putObject("headers").put("authorization", token).put("user-agent", "edge-test/1.0");
        if (!rawQuery.isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            dev.edgeiam.gateway.AuthorizerEventReader.parseRawQuery(rawQuery).values()
                    .forEach((k, v) -> q.put(k, String.join(",", v)));
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("timeEpoch", System.currentTimeMillis());
        ctx.put("routeKey", routeKey);
        ctx.put("stage", "prod");
        ObjectNode http = ctx.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("sourceIp", "198.51.100.23");
        http.put("userAgent", "edge-test/1.0");
        return e;
    }

    static final String CONTACTS_PATH = "/contact/associated/" + INSTANCE;
    static final String CONTACTS_ROUTE = "GET /contact/associated/{InstanceId}";

    static LocalLambdaRuntime contactsRuntime() throws Exception {
        Path snap = RedteamPass11PackagedIT.snapshot(Files.createTempFile("rt12-", ".json"),
                policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:*", CONNECT + "/contact/c-vip")),
                Map.of());
        return runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(), "AUTHORIZER_CACHE_RESULT_TTL", "300",
                "AUTHORIZER_CACHE_IDENTITY_SOURCES", "$request.header.Authorization,$request.querystring.contactId"));
    }

    /**
     * R12.2 on the packaged function: the configuration says the HTTP API keys on the token and
     * {@code $request.querystring.contactId}; the API keys on the token only ({@code identitySource: [token]}).
     * {@code ?contactId=c-1} is refused ({@code cache-key-mismatch}), but {@code ?contactId=<the token>} passes the
     * check and is answered Allow for {@code GET/contact/associated/INSTANCE} — which API Gateway caches under the
     * token alone and serves to {@code ?contactId=c-vip} (IAM: explicit deny).
     */
    @Test
    void R12_2_aQueryValueEqualToTheTokenDoesNotPassTheCacheKeyCheck() throws Exception {
        LocalLambdaRuntime r = contactsRuntime();
        String token = token("agent-edge", Map.of());
        JsonNode honest = invoke(r, httpRequest(token, "GET", CONTACTS_PATH, "contactId=c-1", CONTACTS_ROUTE,
                List.of(token)));
        assertEquals("cache-key-mismatch", honest.path("context").path("reason").asText(), honest.toString());
        String asQuery = java.net.URLEncoder.encode(token, StandardCharsets.UTF_8).replace("+", "%20");
        JsonNode crafted = invoke(r, httpRequest(token, "GET", CONTACTS_PATH, "contactId=" + asQuery,
                CONTACTS_ROUTE, List.of(token)));
        assertFalse(allowed(crafted) || grants(crafted, "GET", CONTACTS_PATH), "cached under the token alone and"
                + " served to ?contactId=c-vip: " + crafted.path("context"));
        assertEquals("cache-key-mismatch", crafted.path("context").path("reason").asText(), crafted.toString());
    }

    /**
     * R12.3 on the packaged function: with {@code contactId} really in the cache key, the answer for
     * {@code ?contactId=c-1} is served to {@code ?contactId=c-1&ContactId=c-vip} (same key, same route ARN), which
     * the function refuses when asked ({@code ambiguous-request}).
     */
    @Test
    void R12_3_aCachedAllowIsNotServedToACaseVariantOfAPinnedQueryMember() throws Exception {
        LocalLambdaRuntime r = contactsRuntime();
        String token = token("agent-edge", Map.of());
        JsonNode b = invoke(r, httpRequest(token, "GET", CONTACTS_PATH, "contactId=c-1&ContactId=c-vip",
                CONTACTS_ROUTE, List.of(token, "c-1")));
        assertFalse(allowed(b), b.toString());
        JsonNode a = invoke(r, httpRequest(token, "GET", CONTACTS_PATH, "contactId=c-1", CONTACTS_ROUTE,
                List.of(token, "c-1")));
        assertFalse(allowed(a) && grants(a, "GET", CONTACTS_PATH), "the cached answer for ?contactId=c-1 is served to"
                + " ?contactId=c-1&ContactId=c-vip, refused afresh (" + b.path("context").path("reason").asText()
                + "): " + a.path("context"));
    }
    // -- R12.4 and R12.5 --------------------------------------------------------------------------------------------

    /**
     * R12.4 on the packaged function: an HTTP API request carrying two {@code Referer} headers reaches the function
     * as {@code "referer": "https://good.example/,https://evil.example/x"}; a Deny on {@code StringLike aws:referer
     * https://evil.example/*} must not be skipped (the REST form of the same request is refused).
     */
    @Test
    void R12_4_aCommaJoinedRefererOnAnHttpApiIsNotDecidedAsOneValue() throws Exception {
        Path snap = RedteamPass11PackagedIT.snapshot(Files.createTempFile("rt12-", ".json"),
                policy(statement("Allow", "connect:*", "*"), "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":"
                        + "\"*\",\"Condition\":{\"StringLike\":{\"aws:referer\":\"https://evil.example/*\"}}}"),
                Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0"));
        String token = token("agent-edge", Map.of());
        ObjectNode e = httpRequest(token, "GET", USER_PATH, "", "GET /users/{InstanceId}/{UserId}", List.of(token));
        ((ObjectNode) e.get("headers")).put("referer", "https://good.example/,https://evil.example/x");
        JsonNode a = invoke(r, e);
        assertFalse(allowed(a), "the request may carry the denied referer: " + a.path("context"));
        ObjectNode rest = restRequest(token, "GET", USER_PATH, Map.of());
        ((ObjectNode) rest.get("headers")).put("Referer", "https://evil.example/x");
        ((ObjectNode) rest.get("multiValueHeaders")).putArray("Referer").add("https://good.example/")
                .add("https://evil.example/x");
        assertFalse(allowed(invoke(r, rest)), "control: the REST form is refused");
    }

    /**
     * R12.5 on the packaged function ({@code snapshot} source): after {@code DeleteOpenIDConnectProvider} for the
     * issuer's provider, STS would refuse every {@code AssumeRoleWithWebIdentity} for it; the same token and a new one
     * must no longer be allowed.
     */
    @Test
    void R12_5_deletingTheOidcProviderStopsWebIdentitySessions() throws Exception {
        Path file = Files.createTempFile("rt12-", ".json");
        String provider = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test";
        account(file, policy(statement("Allow", "connect:*", "*")));
        providers(file, provider); // the account view carries the providers, as the published view does
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", file.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "0"));
        String token = token("agent-edge", Map.of());
        assertTrue(allowed(invoke(r, restRequest(token, "GET", USER_PATH, Map.of()))));
        providers(file); // IAM now has no provider: the view as it is after the call
        JsonNode outcome = invoke(r, iamChange("DeleteOpenIDConnectProvider", "{\"openIDConnectProviderArn\": "
                + "\"arn:aws:iam::" + ACCOUNT + ":oidc-provider/issuer.dev.edgeiam.test\"}"));
        JsonNode same = invoke(r, restRequest(token, "GET", USER_PATH, Map.of()));
        JsonNode fresh = invoke(r, restRequest(token("agent-new", Map.of()), "GET", USER_PATH, Map.of()));
        assertFalse(allowed(same) || allowed(fresh), "after DeleteOpenIDConnectProvider (" + outcome + "): same "
                + same.path("context") + "; new " + fresh.path("context"));
    }
}
