package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.DevTokens;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.principal.PrincipalCache;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.jwt.JwtClaims;

/**
 * The whole authorizer path, wired as {@code LambdaBeans} wires a snapshot deployment, for one role whose inline
 * policies a test chooses: web-identity callers (TEST-ONLY development issuer) of role {@value #ROLE}, a hand-moved
 * clock, a configurable API Gateway cache model and custom routes. Events are built as API Gateway sends them.
 */
final class EdgeHarness {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "111122223333";
    static final String REGION = "us-east-1";
    static final String INSTANCE = "11111111-2222-3333-4444-555555555555";
    static final String CONNECT = "arn:aws:connect:" + REGION + ":" + ACCOUNT + ":instance/" + INSTANCE;
    static final String STAGE = "arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":k7p2q9x4zd/prod";
    static final String ROLE = "EdgeTestRole";
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/" + ROLE;
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    final MutableClock clock = new MutableClock(NOW);
    final GatewayAuthorizer gateway;

    EdgeHarness(CacheModel cache, String... inlinePolicies) {
        this(cache, false, List.of(), inlinePolicies);
    }

    EdgeHarness(CacheModel cache, boolean simpleResponses, List<CustomRouteMapping> custom, String... inlinePolicies) {
        this(cache, simpleResponses, custom, arn -> Map.of(), inlinePolicies);
    }

    EdgeHarness(CacheModel cache, boolean simpleResponses, List<CustomRouteMapping> custom,
                dev.edgeiam.authorize.ResourceTagSource tags, String... inlinePolicies) {
        this(cache, simpleResponses, custom, tags, null, inlinePolicies);
    }

    /** With presigned GetCallerIdentity URLs answered by {@code sts} (a stand-in for STS), when not null. */
    EdgeHarness(CacheModel cache, boolean simpleResponses, List<CustomRouteMapping> custom,
                dev.edgeiam.authorize.ResourceTagSource tags, dev.edgeiam.identity.CallerIdentityClient sts,
                String... inlinePolicies) {
        this(cache, simpleResponses, custom, tags, sts, snapshot(inlinePolicies));
    }

    /** As above, over a whole account snapshot (a role with a permissions boundary or managed policies). */
    EdgeHarness(CacheModel cache, boolean simpleResponses, List<CustomRouteMapping> custom,
                dev.edgeiam.authorize.ResourceTagSource tags, dev.edgeiam.identity.CallerIdentityClient sts,
                JsonNode accountSnapshot) {
        this(cache, simpleResponses, custom, tags, sts, DevTokens.identitySettings(), accountSnapshot);
    }

    /** As above, with the identity stage's own settings (session policies, claims). */
    EdgeHarness(CacheModel cache, boolean simpleResponses, List<CustomRouteMapping> custom,
                dev.edgeiam.authorize.ResourceTagSource tags, dev.edgeiam.identity.CallerIdentityClient sts,
                dev.edgeiam.identity.IdentitySettings identity, JsonNode accountSnapshot) {
        this(cache, simpleResponses, custom, tags, sts, identity, accountSnapshot, text -> text);
    }

    /**
     * As above, with the managed-policy look-up the authorizer is given made from the snapshot's by
     * {@code managedText} (an outage of the policy source for managed session policies, say).
     */
    EdgeHarness(CacheModel cache, boolean simpleResponses, List<CustomRouteMapping> custom,
                dev.edgeiam.authorize.ResourceTagSource tags, dev.edgeiam.identity.CallerIdentityClient sts,
                dev.edgeiam.identity.IdentitySettings identity, JsonNode accountSnapshot,
                java.util.function.UnaryOperator<java.util.function.Function<String, java.util.Optional<String>>>
                        managedText) {
        SnapshotPolicySource source = SnapshotPolicySource.fromJson(accountSnapshot);
        PrincipalCache principals = new PrincipalCache(source, PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        PolicySourceDirectory directory = new PolicySourceDirectory(source, ACCOUNT, clock, Duration.ofMinutes(5));
        CallerIdentityResolver identities = CallerIdentityResolver.create(identity, clock,
                directory, principals, sts);
        this.gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null,
                        simpleResponses, new ArnContext("aws", REGION, ACCOUNT), cache), identities, principals,
                RouteTable.defaultTable().withCustomMappings(custom), tags,
                managedText.apply(source::managedPolicyText), clock);
    }

    /** An account snapshot with the one role, trusted by the development issuer, holding the given policies. */
    static JsonNode snapshot(String... inlinePolicies) {
        try {
            ObjectNode root = JSON.createObjectNode();
            root.putArray("UserDetailList");
            root.putArray("GroupDetailList");
            root.putArray("Policies");
            ObjectNode role = root.putArray("RoleDetailList").addObject();
            role.put("Path", "/");
            role.put("RoleName", ROLE);
            role.put("RoleId", "AROAEDGETESTROLE0001");
            role.put("Arn", ROLE_ARN);
            role.set("AssumeRolePolicyDocument", JSON.readTree("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/issuer.dev.edgeiam.test"},
                     "Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],
                     "Condition":{"StringEquals":{"issuer.dev.edgeiam.test:aud":"connect-authorizer-dev"}}}]}"""));
            ArrayNode policies = role.putArray("RolePolicyList");
            for (int i = 0; i < inlinePolicies.length; i++) {
                ObjectNode p = policies.addObject();
                p.put("PolicyName", "Inline" + i);
                p.set("PolicyDocument", JSON.readTree(inlinePolicies[i]));
            }
            role.putArray("AttachedManagedPolicies");
            role.putArray("Tags");
            return root;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A bearer token for a session of the role, with the given principal (session) tags. */
    String token(String subject, Map<String, String> sessionTags) {
        JwtClaims c = DevTokens.claims(clock.instant(), subject);
        c.setClaim("https://aws.amazon.com/role", ROLE_ARN);
        if (!sessionTags.isEmpty()) {
            Map<String, Object> tags = new LinkedHashMap<>();
            sessionTags.forEach((k, v) -> tags.put(k, List.of(v)));
            c.setClaim("https://aws.amazon.com/tags", Map.of("principal_tags", tags));
        }
        return "Bearer " + DevTokens.sign(c);
    }

    String token() {
        return token("agent-edge", Map.of());
    }

    /** A bearer token for a session of the role that expires {@code seconds} from now. */
    String tokenExpiringIn(long seconds) {
        JwtClaims c = DevTokens.claims(clock.instant(), "agent-edge");
        c.setClaim("https://aws.amazon.com/role", ROLE_ARN);
        c.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(clock.instant().getEpochSecond() + seconds));
        return "Bearer " + DevTokens.sign(c);
    }

    /** A REST REQUEST event as API Gateway sends it (both query views, request time = the clock). */
    ObjectNode restRequest(String token, String method, String path, Map<String, List<String>> query,
                           String sourceIp) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "REQUEST");
        e.put("methodArn", STAGE + "/" + method + path);
        e.put("httpMethod", method);
        e.put("path", path);
        ObjectNode headers = e.putObject("headers");
        headers.put("Authorization", token);
        headers.put("User-Agent", "edge-test/1.0");
        ObjectNode multiHeaders = e.putObject("multiValueHeaders");
        multiHeaders.putArray("Authorization").add(token);
        multiHeaders.putArray("User-Agent").add("edge-test/1.0");
        putQuery(e, query);
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("requestTimeEpoch", clock.millis());
        ctx.put("stage", "prod");
        ctx.putObject("identity").put("sourceIp", sourceIp).put("userAgent", "edge-test/1.0");
        return e;
    }

    /**
     * A REST event's query as API Gateway sends it: {@code queryStringParameters} with each member's last value and
     * {@code multiValueQueryStringParameters} with all of them, both JSON null when there is none.
     */
    static void putQuery(ObjectNode e, Map<String, List<String>> query) {
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
    }

    /** A REST TOKEN event: the token and the method ARN, nothing else. */
    ObjectNode tokenEvent(String token, String method, String path) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "TOKEN");
        e.put("authorizationToken", token);
        e.put("methodArn", STAGE + "/" + method + path);
        return e;
    }

    /** An HTTP API payload 2.0 event; {@code identitySource} lists the given values. */
    ObjectNode httpRequest(String token, String method, String rawPath, String rawQuery, String routeKey,
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
            dev.edgeiam.connect.QueryParameters parsed = dev.edgeiam.gateway.AuthorizerEventReader.parseRawQuery(rawQuery);
            parsed.values().forEach((k, v) -> q.put(k, String.join(",", v)));
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("timeEpoch", clock.millis());
        ctx.put("routeKey", routeKey);
        ObjectNode http = ctx.putObject("http");
        http.put("method", method);
        http.put("path", rawPath);
        http.put("sourceIp", "198.51.100.23");
        http.put("userAgent", "edge-test/1.0");
        return e;
    }

    /**
     * The function's answer to one event (an {@code Unauthorized} error included), as the dispatcher gets it: read
     * from the event's bytes when {@code AuthorizerEventBytes} takes the event — and then checked to be the request
     * the tree reader reads, so every test through this harness is also a differential test of the two readers —
     * else read as a tree.
     */
    JsonNode answer(ObjectNode event) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        dev.edgeiam.gateway.AuthorizerRequest direct = dev.edgeiam.gateway.AuthorizerEventBytes.read(bytes, 64,
                131_072);
        if (direct == null) {
            return gateway.answer(event).response();
        }
        org.junit.jupiter.api.Assertions.assertEquals(dev.edgeiam.gateway.AuthorizerEventReader.read(event), direct,
                "the bytes reader and the tree reader read the event alike");
        return gateway.answer(direct).response();
    }

    static Map<String, List<String>> query(String... nameValue) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            q.computeIfAbsent(nameValue[i], k -> new java.util.ArrayList<>()).add(nameValue[i + 1]);
        }
        return q;
    }
}
