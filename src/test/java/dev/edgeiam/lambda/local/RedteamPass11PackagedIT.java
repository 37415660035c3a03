package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgeiam.identity.DevTokens;
import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * Eleventh red-team pass against the packaged function ({@code target/function.zip} under the Lambda runtime
 * interface client, as {@link PackagedFunctionIT}): R11.1 and the re-runs of earlier findings that were only checked
 * in-process (R8.2, R8.5, R8.6, R9.1). Each runtime is started with its own environment and account snapshot.
 * Run: {@code ./mvnw -B -o verify -Dit.test=RedteamPass11PackagedIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RedteamPass11PackagedIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "111122223333";
    static final String REGION = "us-east-1";
    static final String INSTANCE = "11111111-2222-3333-4444-555555555555";
    static final String STAGE = "arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":k7p2q9x4zd/prod";
    static final String CONNECT = "arn:aws:connect:" + REGION + ":" + ACCOUNT + ":instance/" + INSTANCE;
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/EdgeTestRole";
    static final String GUARD_ARN = "arn:aws:iam::" + ACCOUNT + ":policy/SessionGuard";
    static final String USER_PATH = "/users/" + INSTANCE + "/u-1";

    private static final List<LocalLambdaRuntime> STARTED = new ArrayList<>();
    private static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();

    @AfterAll
    static void stop() {
        STARTED.forEach(LocalLambdaRuntime::close);
    }

    /** A packaged runtime trusting the development issuer, with {@code env} added. */
    static LocalLambdaRuntime runtime(Map<String, String> env) throws Exception {
        LocalLambdaRuntime r = LocalLambdaRuntime.startPackagedWithDevIssuer(env, OUTPUT);
        STARTED.add(r);
        return r;
    }

    /** The function's answer; an {@code Unauthorized} (or any other) function error as {@code {"errorMessage"}}. */
    static JsonNode invoke(LocalLambdaRuntime r, byte[] event) throws Exception {
        Invocation i = r.invoke(event, Duration.ofSeconds(60));
        JsonNode body = JSON.readTree(i.body());
        if (i.error()) {
            ObjectNode e = JSON.createObjectNode();
            e.put("functionError", true);
            e.set("error", body);
            return e;
        }
        return body;
    }

    static JsonNode invoke(LocalLambdaRuntime r, JsonNode event) throws Exception {
        return invoke(r, JSON.writeValueAsBytes(event));
    }

    static boolean allowed(JsonNode answer) {
        return answer.path("context").path("decision").asText().equals("Allow");
    }

    /**
     * Whether the policy lets {@code method path} through (wildcards as API Gateway reads them): an Allow covers it and
     * no Deny does, whatever the statements' order — an explicit Deny wins, as in IAM. (This helper used to stop at
     * the first statement that covered the target, so an {@code Allow <stage>/*} written before a Deny of the route
     * read as a grant.)
     */
    static boolean grants(JsonNode answer, String method, String path) {
        String target = STAGE + "/" + method + path;
        boolean allowed = false;
        for (JsonNode s : answer.path("policyDocument").path("Statement")) {
            for (String r : resources(s)) {
                if (covers(r, target)) {
                    if (s.path("Effect").asText().equals("Deny")) {
                        return false;
                    }
                    allowed |= s.path("Effect").asText().equals("Allow");
                }
            }
        }
        return allowed;
    }

    /** A policy statement's {@code Resource}: one string or an array of them. */
    static List<String> resources(JsonNode statement) {
        JsonNode rs = statement.path("Resource");
        List<String> resources = new ArrayList<>();
        if (rs.isArray()) {
            rs.forEach(x -> resources.add(x.asText()));
        } else {
            resources.add(rs.asText());
        }
        return resources;
    }

    /** Whether a policy resource covers {@code arn}, its {@code *} and {@code ?} read as API Gateway reads them. */
    static boolean covers(String resource, String arn) {
        String regex = java.util.regex.Pattern.quote(resource).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return arn.matches(regex);
    }

    static String statement(String effect, String action, String resource) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\"}";
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    /** An account snapshot: one role trusted by the development issuer holding {@code rolePolicy}, and managed policies. */
    static Path snapshot(Path file, String rolePolicy, Map<String, String> managed) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("UserDetailList");
        root.putArray("GroupDetailList");
        ArrayNode policies = root.putArray("Policies");
        managed.forEach((arn, doc) -> {
            ObjectNode p = policies.addObject();
            p.put("Arn", arn);
            p.put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1));
            p.put("DefaultVersionId", "v1");
            ObjectNode v = p.putArray("PolicyVersionList").addObject();
            v.put("VersionId", "v1");
            v.put("IsDefaultVersion", true);
            try {
                v.set("Document", JSON.readTree(doc));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        ObjectNode role = root.putArray("RoleDetailList").addObject();
        role.put("Path", "/");
        role.put("RoleName", "EdgeTestRole");
        role.put("RoleId", "AROAEDGETESTROLE0001");
        role.put("Arn", ROLE_ARN);
        role.set("AssumeRolePolicyDocument", JSON.readTree("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/issuer.dev.edgeiam.test"},
                 "Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],
                 "Condition":{"StringEquals":{"issuer.dev.edgeiam.test:aud":"connect-authorizer-dev"}}}]}"""));
        ObjectNode p = role.putArray("RolePolicyList").addObject();
        p.put("PolicyName", "Inline0");
        p.set("PolicyDocument", JSON.readTree(rolePolicy));
        role.putArray("AttachedManagedPolicies");
        role.putArray("Tags");
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }

    static String token(String subject, Map<String, Object> claims) {
        JwtClaims c = DevTokens.claims(Instant.now(), subject);
        c.setClaim("https://aws.amazon.com/role", ROLE_ARN);
        claims.forEach(c::setClaim);
        return "Bearer " + DevTokens.sign(c);
    }

    /** A REST REQUEST event as API Gateway sends it (request time now). */
    static ObjectNode restRequest(String token, String method, String path, Map<String, List<String>> query) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "REQUEST");
        e.put("methodArn", STAGE + "/" + method + path);
        e.put("httpMethod", method);
        e.put("path", path);
        e.putObject("headers").put("Authorization", token).put("User-Agent", "edge-test/1.0");
        ObjectNode mh = e.putObject("multiValueHeaders");
        mh.putArray("Authorization").add(token);
        mh.putArray("User-Agent").add("edge-test/1.0");
        if (query.isEmpty()) {
            e.putNull("queryStringParameters");
            e.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = e.putObject("queryStringParameters");
            ObjectNode multi = e.putObject("multiValueQueryStringParameters");
            query.forEach((k, v) -> {
                single.put(k, v.get(v.size() - 1));
                ArrayNode a = multi.putArray(k);
                v.forEach(a::add);
            });
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("requestTimeEpoch", System.currentTimeMillis());
        ctx.put("stage", "prod");
        ctx.putObject("identity").put("sourceIp", "198.51.100.23").put("userAgent", "edge-test/1.0");
        return e;
    }

    static JsonNode iamChange(String eventName, String policyArn) throws Exception {
        return JSON.readTree("""
                {"version": "0", "id": "0b5b7c4e-0000-0000-0000-000000000000",
                 "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam", "account": "111122223333",
                 "time": "2026-12-05T12:00:00Z", "region": "us-east-1", "resources": [],
                 "detail": {"eventSource": "iam.amazonaws.com", "eventName": "%s",
                   "requestParameters": {"policyArn": "%s", "setAsDefault": true}}}
                """.formatted(eventName, policyArn));
    }

    // -- R11.1 on the packaged function -----------------------------------------------------------------------------

    /**
     * R11.1: the REST sample event plus a member the pruned read skips holding a string over the 128 KiB limit:
     * answered (Allow) instead of {@code InvalidInput}. The same string in a member the reader keeps is refused.
     */
    @Test
    void R11_1_aLongStringInASkippedMemberIsInvalidInput() throws Exception {
        LocalLambdaRuntime r = runtime(Map.of());
        ObjectNode sample = (ObjectNode) JSON.readTree(Files.readString(Path.of("events/rest-request.json")));
        assertTrue(allowed(invoke(r, sample)), "the sample is allowed");
        String big = "A".repeat(140_000);
        ObjectNode kept = sample.deepCopy();
        kept.put("rawQueryString", big);
        assertEquals("InvalidInput", invoke(r, kept).path("errorCode").asText());
        ObjectNode skipped = sample.deepCopy();
        skipped.putObject("stageVars").put("x", big);
        JsonNode a = invoke(r, skipped);
        assertEquals("InvalidInput", a.path("errorCode").asText(), "answered: " + a.path("context"));
    }

    /** Guards: hostile JSON around the pruned read on the packaged function is refused, never decided. */
    @Test
    void guard_hostileEventsAreInvalidInputOnThePackagedFunction() throws Exception {
        LocalLambdaRuntime r = runtime(Map.of());
        String s = Files.readString(Path.of("events/rest-request.json"));
        int brace = s.indexOf('{');
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("escaped duplicate type", (s.substring(0, brace + 1) + "\"ty\\u0070e\":\"TOKEN\","
                + s.substring(brace + 1)).getBytes(StandardCharsets.UTF_8));
        cases.put("escaped duplicate in skipped", (s.substring(0, brace + 1) + "\"sv\":{\"a\":1,\"\\u0061\":2},"
                + s.substring(brace + 1)).getBytes(StandardCharsets.UTF_8));
        cases.put("trailing garbage", (s + "]").getBytes(StandardCharsets.UTF_8));
        cases.put("comment", (s.substring(0, brace + 1) + "/* c */" + s.substring(brace + 1))
                .getBytes(StandardCharsets.UTF_8));
        byte[] bad = (s.substring(0, brace + 1) + "\"x\":\"ab\"," + s.substring(brace + 1))
                .getBytes(StandardCharsets.UTF_8);
        bad[new String(bad, StandardCharsets.ISO_8859_1).indexOf("ab\"")] = (byte) 0xFF;
        cases.put("invalid UTF-8 in skipped", bad);
        cases.put("deep skipped", (s.substring(0, brace + 1) + "\"x\":" + "[".repeat(70) + "]".repeat(70) + ","
                + s.substring(brace + 1)).getBytes(StandardCharsets.UTF_8));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            JsonNode a = invoke(r, c.getValue());
            if (!a.path("errorCode").asText().equals("InvalidInput")) {
                wrong.add(c.getKey() + ": " + a);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * Guard (written answers): session names built from a {@code sub} claim with quotes, backslashes, control
     * characters, U+2028 and a lone surrogate — every answer is one valid JSON object (a decision or a 401), and
     * an Allow's principalId is the session ARN written back exactly.
     */
    @Test
    void guard_writtenAnswersStayJsonForHostileSessionNames() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt11-", ".json"), policy(statement("Allow", "connect:*", "*")),
                Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString()));
        for (String sub : List.of("a\"b", "a\\b", "a\u0001b", "a\u2028b", "a\ud800b", "a</script>b", "ab",
                "user=a,b@c.d-e_f+g")) {
            Invocation i = r.invoke(JSON.writeValueAsBytes(restRequest(token(sub, Map.of()), "GET", USER_PATH,
                    Map.of())), Duration.ofSeconds(60));
            JsonNode a = JSON.readTree(i.body());
            assertTrue(a.isObject(), sub + ": " + i.bodyText());
            if (!i.error()) {
                // the session name is the claim with characters outside [\\w+=,.@-] replaced (a-b for a"b)
                assertEquals(a.path("context").path("principalArn").asText(), a.path("principalId").asText(),
                        i.bodyText());
                assertTrue(a.path("principalId").asText().matches("arn:aws:sts::\\d{12}:assumed-role/EdgeTestRole/"
                        + "[\\w+=,.@-]+"), i.bodyText());
            }
        }
    }

    // -- Re-runs of earlier findings on the packaged function -------------------------------------------------------

    /** R8.2: a session-policy claim must not drop the configured managed session policy's Deny. */
    @Test
    void R8_2_aSessionPolicyClaimKeepsTheConfiguredManagedSessionPolicies() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt11-", ".json"), policy(statement("Allow", "connect:*", "*")),
                Map.of(GUARD_ARN, policy(statement("Allow", "connect:*", "*"),
                        statement("Deny", "connect:DeleteUser", "*"))));
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_SESSION_POLICY_ARNS", GUARD_ARN, "AUTHORIZER_SESSION_POLICY_CLAIM", "session_policy"));
        JsonNode noClaim = invoke(r, restRequest(token("agent-edge", Map.of()), "DELETE", USER_PATH, Map.of()));
        assertEquals("explicit-deny", noClaim.path("context").path("reason").asText(), noClaim.toString());
        String claimed = token("agent-edge", Map.of("session_policy", policy(statement("Allow", "connect:*", "*"))));
        JsonNode describe = invoke(r, restRequest(claimed, "GET", USER_PATH, Map.of()));
        assertTrue(allowed(describe), describe.toString());
        assertFalse(grants(describe, "DELETE", USER_PATH), "the cached GET answer grants DELETE: " + describe);
        JsonNode delete = invoke(r, restRequest(claimed, "DELETE", USER_PATH, Map.of()));
        assertFalse(allowed(delete) || grants(delete, "DELETE", USER_PATH), delete.toString());
    }

    /** R9.1: a managed session policy that cannot be read is an outage (Deny), never a policy left out. */
    @Test
    void R9_1_aManagedSessionPolicyThatCannotBeReadIsAnOutage() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt11-", ".json"), policy(statement("Allow", "connect:*", "*")),
                Map.of()); // the guard named below is not in the account: its text cannot be read
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_SESSION_POLICY", policy(statement("Allow", "connect:*", "*")),
                "AUTHORIZER_SESSION_POLICY_ARNS", GUARD_ARN));
        String token = token("agent-edge", Map.of());
        for (String method : List.of("DELETE", "GET")) {
            JsonNode a = invoke(r, restRequest(token, method, USER_PATH, Map.of()));
            assertFalse(allowed(a) || grants(a, "DELETE", USER_PATH), method + ": " + a);
            assertEquals("policy-source-unavailable", a.path("context").path("reason").asText(), a.toString());
        }
    }

    /** R8.5: a new default version of a managed session policy reaches sessions already decided. */
    @Test
    void R8_5_aNewVersionOfAManagedSessionPolicyReachesTheSessions() throws Exception {
        Path file = Files.createTempFile("rt11-", ".json");
        String role = policy(statement("Allow", "connect:*", "*"));
        snapshot(file, role, Map.of(GUARD_ARN, policy(statement("Allow", "connect:*", "*"))));
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", file.toString(),
                "AUTHORIZER_SESSION_POLICY_ARNS", GUARD_ARN, "AUTHORIZER_CACHE_RESULT_TTL", "0"));
        String token = token("agent-edge", Map.of());
        assertTrue(allowed(invoke(r, restRequest(token, "DELETE", USER_PATH, Map.of()))));
        snapshot(file, role, Map.of(GUARD_ARN, policy(statement("Allow", "connect:*", "*"),
                statement("Deny", "connect:DeleteUser", "*"))));
        JsonNode refreshed = invoke(r, iamChange("CreatePolicyVersion", GUARD_ARN));
        assertFalse(refreshed.has("errorCode"), refreshed.toString());
        JsonNode after = invoke(r, restRequest(token, "DELETE", USER_PATH, Map.of()));
        assertEquals("explicit-deny", after.path("context").path("reason").asText(), after.toString());
        JsonNode fresh = invoke(r, restRequest(token("agent-other", Map.of()), "DELETE", USER_PATH, Map.of()));
        assertEquals("explicit-deny", fresh.path("context").path("reason").asText(), fresh.toString());
    }

    /**
     * R8.6: one configuration shared by a REST API keyed on a multi-value query member and a WebSocket API keyed on
     * the token only; a {@code $connect} custom route naming {@code agent/{agentId}} from the query; Deny on
     * {@code agent/boss}. The {@code $connect} with {@code ?agentId=u-1} must not be allowed under the cache.
     */
    @Test
    void R8_6_aWebSocketEventIsNotPinnedByARestApisIdentitySources() throws Exception {
        Path snap = snapshot(Files.createTempFile("rt11-", ".json"), policy(statement("Allow", "connect:*", "*"),
                statement("Deny", "connect:*", CONNECT + "/agent/boss")), Map.of());
        LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                "AUTHORIZER_CACHE_RESULT_TTL", "300",
                "AUTHORIZER_CACHE_IDENTITY_SOURCES", "method.request.header.Authorization,"
                        + "method.request.multivaluequerystring.agentId,route.request.header.Authorization",
                "JAVA_TOOL_OPTIONS", "-Dauthorizer.custom-routes[0].method=WEBSOCKET"
                        + " -Dauthorizer.custom-routes[0].path=/$connect"
                        + " -Dauthorizer.custom-routes[0].action=connect:DescribeUser"
                        + " -Dauthorizer.custom-routes[0].arns=arn:{Partition}:connect:{Region}:{Account}:instance/"
                        + INSTANCE + "/agent/{agentId}"));
        ObjectNode ws = restRequest(token("agent-edge", Map.of()), "GET", "/ignored",
                Map.of("agentId", List.of("u-1")));
        ws.put("methodArn", STAGE + "/$connect");
        ws.remove("httpMethod");
        ws.remove("path");
        ((ObjectNode) ws.get("requestContext")).put("eventType", "CONNECT").put("routeKey", "$connect");
        JsonNode a = invoke(r, ws);
        assertFalse(allowed(a), "a cached $connect answer for agentId=u-1 would serve agentId=boss: " + a);
        assertEquals("input-not-in-cache-key", a.path("context").path("reason").asText(), a.toString());
        ObjectNode boss = ws.deepCopy();
        ((ObjectNode) boss.get("queryStringParameters")).put("agentId", "boss");
        ((ArrayNode) boss.get("multiValueQueryStringParameters").get("agentId")).removeAll().add("boss");
        JsonNode b = invoke(r, boss);
        assertFalse(allowed(b), b.toString());
    }

    /**
     * R10.4: {@code AUTHORIZER_STS_REFUSE_ASSUMED_ROLE=1/yes/on} refuses a presigned {@code GetCallerIdentity} URL
     * whose caller is an assumed-role session (401), as {@code true} does; unset, the same URL is decided. STS is a
     * local fake ({@code AWS_ENDPOINT_URL_STS}) answering the session's ARN.
     */
    @Test
    void R10_4_refuseAssumedRoleSpelledOneYesOnRefusesOnThePackagedFunction() throws Exception {
        com.sun.net.httpserver.HttpServer sts = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] answer = """
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/EdgeTestRole/sess</Arn>
                    <UserId>AROAEDGETESTROLE0001:sess</UserId><Account>111122223333</Account></GetCallerIdentityResult>
                </GetCallerIdentityResponse>""".getBytes(StandardCharsets.UTF_8);
        sts.createContext("/", x -> {
            x.getResponseHeaders().add("Content-Type", "text/xml");
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        sts.start();
        try {
            Path snap = snapshot(Files.createTempFile("rt11-", ".json"),
                    policy(statement("Allow", "connect:*", "*")), Map.of());
            List<String> wrong = new ArrayList<>();
            for (String refuse : java.util.Arrays.asList(null, "true", "1", "yes", "on")) {
                Map<String, String> env = new HashMap<>(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                        "AUTHORIZER_CACHE_RESULT_TTL", "0",
                        "AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + sts.getAddress().getPort()));
                if (refuse != null) {
                    env.put("AUTHORIZER_STS_REFUSE_ASSUMED_ROLE", refuse);
                }
                LocalLambdaRuntime r = runtime(env);
                String url = dev.edgeiam.identity.Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1",
                        "ASIAEDGETEST00000001", "secretsecretsecretsecretsecretsecret0000", "session-token",
                        Instant.now(), Duration.ofSeconds(300));
                JsonNode a = invoke(r, restRequest(url, "GET", USER_PATH, Map.of()));
                r.close();
                boolean refused = a.path("functionError").asBoolean()
                        && a.path("error").path("errorMessage").asText().equals("Unauthorized");
                if (refuse == null ? !allowed(a) : !refused) {
                    wrong.add(refuse + ": " + a);
                }
            }
            assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        } finally {
            sts.stop(0);
        }
    }

    /**
     * R8.3: Allow {@code connect:*}; Deny where {@code aws:ResourceTag/Team} is {@code vip}; user {@code u-vip} has
     * {@code Team=vip}, and a local fake Connect ({@code AWS_ENDPOINT_URL_CONNECT}) knows only the exact lower-case
     * ARN (no tags for {@code U-VIP}). {@code GET /users/.../U-VIP} must not be allowed.
     */
    @Test
    void R8_3_theLowerCaseFormIsDecidedWithTheLowerCaseResourcesTags() throws Exception {
        String vip = CONNECT + "/agent/u-vip";
        List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer connect = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        connect.createContext("/", x -> {
            String raw = x.getRequestURI().getRawPath();
            String arn = java.net.URLDecoder.decode(raw.substring(raw.indexOf("/tags/") + 6), StandardCharsets.UTF_8);
            asked.add(arn);
            byte[] body = (arn.equals(vip) ? "{\"tags\":{\"Team\":\"vip\"}}" : "{\"tags\":{}}")
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        connect.start();
        try {
            Path snap = snapshot(Files.createTempFile("rt11-", ".json"), policy(statement("Allow", "connect:*", "*"),
                    "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\",\"Condition\":"
                            + "{\"StringEquals\":{\"aws:ResourceTag/Team\":\"vip\"}}}"), Map.of());
            LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_SNAPSHOT_PATH", snap.toString(),
                    "AWS_ENDPOINT_URL_CONNECT", "http://127.0.0.1:" + connect.getAddress().getPort(),
                    "AWS_ACCESS_KEY_ID", "AKIAEDGETESTFAKE0001", "AWS_SECRET_ACCESS_KEY", "fake-secret",
                    "AWS_REGION", REGION));
            String token = token("agent-edge", Map.of());
            JsonNode asStored = invoke(r, restRequest(token, "GET", "/users/" + INSTANCE + "/u-vip", Map.of()));
            assertEquals("explicit-deny", asStored.path("context").path("reason").asText(),
                    asStored + " (Connect asked for " + asked + ")");
            List<String> wrong = new ArrayList<>();
            for (String id : List.of("U-VIP", "u-Vip")) {
                String path = "/users/" + INSTANCE + "/" + id;
                JsonNode a = invoke(r, restRequest(token, "GET", path, Map.of()));
                if (allowed(a) || grants(a, "GET", path)) {
                    wrong.add(path + " " + a.path("context"));
                }
            }
            assertTrue(wrong.isEmpty(), "allowed in another case though the user's tags are denied: " + wrong);
        } finally {
            connect.stop(0);
        }
    }

    // -- R11.3 (medium): a deactivated access key's presigned URL is still accepted until the URL expires ----------

    /**
     * alice (the bundled sample account's administrator) signs a presigned {@code GetCallerIdentity} URL with her
     * long-term access key ({@code AKIA…}, {@code X-Amz-Expires=900}); the sample REST request with it is allowed.
     * Then the key is deactivated ({@code UpdateAccessKey Status=Inactive}, the usual answer to a leaked key): STS
     * now refuses the URL ({@code 403 InvalidClientTokenId}), and IAM refuses every request signed with the key
     * (IAM User Guide, "Manage access keys for IAM users": an inactive key cannot be used to sign requests; the
     * reference files in {@code shared/reference} do not cover access-key status). CloudTrail's
     * {@code UpdateAccessKey} event reaches the function, and so does the scheduled refresh. The function still
     * <b>allows</b> the URL until it expires (up to 15 minutes after signing): {@code UpdateAccessKey} /
     * {@code DeleteAccessKey} are not IAM changes to {@code IamChangeEvent}, and the STS answers remembered by
     * {@code PresignedStsAuthenticator} for long-term keys ("until the URL expires") are forgotten only on a
     * SnapStart restore — not on an IAM change, not on the scheduled refresh, which clears the verified credentials
     * only (the re-verification is then answered from the remembered STS answer, without asking STS).
     */
    @Test
    void R11_3_aDeactivatedAccessKeysPresignedUrlIsRefusedAfterTheChange() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean active = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer sts = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] ok = """
                <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <GetCallerIdentityResult><Arn>arn:aws:iam::111122223333:user/alice</Arn>
                    <UserId>AIDAEXAMPLEALICE0001</UserId><Account>111122223333</Account></GetCallerIdentityResult>
                </GetCallerIdentityResponse>""".getBytes(StandardCharsets.UTF_8);
        byte[] refused = """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
                  <Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message>
                </Error><RequestId>0</RequestId></ErrorResponse>""".getBytes(StandardCharsets.UTF_8);
        sts.createContext("/", x -> {
            asked.incrementAndGet();
            byte[] body = active.get() ? ok : refused;
            x.getResponseHeaders().add("Content-Type", "text/xml");
            x.sendResponseHeaders(active.get() ? 200 : 403, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        sts.start();
        try {
            LocalLambdaRuntime r = runtime(Map.of("AUTHORIZER_CACHE_RESULT_TTL", "0",
                    "AWS_ENDPOINT_URL_STS", "http://127.0.0.1:" + sts.getAddress().getPort()));
            String url = dev.edgeiam.identity.Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1",
                    "AKIAEXAMPLEALICE0001", "alicesecretalicesecretalicesecretalice00", null, Instant.now(),
                    Duration.ofSeconds(900));
            ObjectNode request = (ObjectNode) JSON.readTree(Files.readString(Path.of("events/rest-request.json")));
            ((ObjectNode) request.get("headers")).put("Authorization", url);
            ((ObjectNode) request.get("multiValueHeaders")).putArray("Authorization").add(url);
            ((ObjectNode) request.get("requestContext")).put("requestTimeEpoch", System.currentTimeMillis());
            JsonNode before = invoke(r, request);
            assertTrue(allowed(before), "alice's URL is allowed while her key is active: " + before);

            active.set(false); // UpdateAccessKey Status=Inactive: STS refuses the URL from now on
            JsonNode change = invoke(r, JSON.readTree("""
                    {"version": "0", "id": "0b5b7c4e-0000-0000-0000-000000000001",
                     "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam", "account": "111122223333",
                     "time": "2026-12-05T12:00:00Z", "region": "us-east-1", "resources": [],
                     "detail": {"eventSource": "iam.amazonaws.com", "eventName": "UpdateAccessKey",
                       "requestParameters": {"userName": "alice", "accessKeyId": "AKIAEXAMPLEALICE0001",
                         "status": "Inactive"}}}"""));
            JsonNode scheduled = invoke(r, JSON.readTree(Files.readString(Path.of("events/scheduled-refresh.json"))));
            int askedBefore = asked.get();
            JsonNode after = invoke(r, request);
            assertFalse(allowed(after), "a deactivated key's URL is still allowed after the UpdateAccessKey event "
                    + change + " and the scheduled refresh " + scheduled + " (STS asked again: "
                    + (asked.get() > askedBefore) + "): " + after.path("context"));
        } finally {
            sts.stop(0);
        }
    }

    // -- R11.4 on the packaged function ------------------------------------------------------------------------------

    /**
     * R11.4: the REST sample with {@code methodArn} spelled with three raw 0xFF bytes before its last letter (invalid
     * UTF-8). A fresh instance answers {@code InvalidInput}; the same instance after one ordinary event reads the
     * member as {@code methodArn} and decides the request (Allow).
     */
    @Test
    void R11_4_invalidUtf8InAMemberNameIsInvalidInputAfterOrdinaryEvents() throws Exception {
        byte[] sample = Files.readAllBytes(Path.of("events/rest-request.json"));
        String text = new String(sample, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"methodArn\"");
        byte[] aliased = (text.substring(0, at) + "\"methodAr\u00ff\u00ff\u00ffn\"" + text.substring(at + 11))
                .getBytes(StandardCharsets.ISO_8859_1);
        LocalLambdaRuntime fresh = runtime(Map.of());
        assertEquals("InvalidInput", invoke(fresh, aliased).path("errorCode").asText(), "a fresh instance");
        LocalLambdaRuntime used = runtime(Map.of());
        assertTrue(allowed(invoke(used, sample)));
        JsonNode a = invoke(used, aliased);
        assertEquals("InvalidInput", a.path("errorCode").asText(), "answered: " + a.path("context"));
    }
}
