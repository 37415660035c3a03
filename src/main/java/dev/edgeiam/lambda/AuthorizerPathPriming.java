package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.BearerTokenVerifier;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.JwksCache;
import dev.edgeiam.identity.JwksFetcher;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.identity.WebIdentityFederation;
import dev.edgeiam.principal.PrincipalCache;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The authorizer's whole decision path, run before a SnapStart snapshot on a throwaway copy of it, so the first
 * requests after a restore find its classes loaded and its code compiled: bearer-token verification (an RS256
 * signature), web-identity federation into a role (its trust policy parsed, compiled and evaluated, session tags),
 * the role's policies read from an account snapshot and compiled, the route's decision, the cached answer's
 * route-level policy over every route, and the answer written in each event format.
 *
 * <p>Nothing here is the live function's: the issuer ({@value #ISSUER}, a name under the {@code .invalid} domain that
 * no real issuer can have, RFC 2606 §2) signs with a key pair made for this run and trusted only by this copy's own
 * verifier; the account is a one-role snapshot held in memory; the principal cache, role directory, verified
 * credentials and remembered route grants are new objects that are dropped when priming returns; resource tags are
 * never read and no network call is made. The live verifier, caches and policy source are not touched, so nothing
 * priming decided can answer a real request, and nothing per instance (credentials, connections, random seeds) is
 * made here. Only content-keyed memos the whole process shares (parsed ARNs, case-folded names) see priming's inputs,
 * and those give the same answer for the same text whoever asks.
 */
final class AuthorizerPathPriming {

    /** The priming issuer: {@code .invalid} is reserved, so no deployment's issuer can be this one. */
    static final String ISSUER = "https://edgeiam-priming.invalid";
    static final String AUDIENCE = "edgeiam-priming";
    private static final String HOST = "edgeiam-priming.invalid";
    private static final String KEY_ID = "edgeiam-priming";
    private static final String INSTANCE = "00000000-0000-4000-8000-000000000000";
    private static final String USER = "edgeiam-priming-user";
    private static final String API = "edgeiampriming";
    private static final long TOKEN_LIFETIME_SECONDS = 7_200;
    /** A documentation address (RFC 5737). */
    private static final String SOURCE_IP = "192.0.2.1";
    private static final String PLACEHOLDER = "edgeiam-priming";
    private static final String HEADER_SOURCE = "$request.header.";
    private static final String QUERY_SOURCE = "$request.querystring.";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What was sent and answered: one label per event ({@code format:decision:reason}, e.g.
     * {@code REQUEST:Allow:allowed}). */
    record Run(List<String> answers) {
    }

    private AuthorizerPathPriming() {
    }

    /**
     * Builds the throwaway copy with the deployment's gateway settings (identity source, HTTP API response form, cache
     * model), routes and event limits, and sends it each event format {@code rounds} times: a route the role may call
     * (an Allow), one an explicit Deny refuses, and the WebSocket {@code $connect} route.
     */
    static Run run(GatewayAuthorizer.Settings gatewaySettings, RouteTable routes, EventLimits limits, Clock clock,
                   int rounds) throws GeneralSecurityException, IOException {
        ArnContext connect = gatewaySettings.connect();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        String role = "arn:" + connect.partition() + ":iam::" + connect.account() + ":role/edgeiam-priming/"
                + "edgeiam-priming";

        SnapshotPolicySource account = SnapshotPolicySource.fromJson(JSON.readTree(
                snapshot(connect, role).getBytes(StandardCharsets.UTF_8)));
        PrincipalCache principals = new PrincipalCache(account, PrincipalCache.Settings.DEFAULTS, clock,
                InCallerThread.INSTANCE);
        PolicySourceDirectory roles = new PolicySourceDirectory(account, connect.account(), clock,
                Duration.ofMinutes(5));
        IdentitySettings identity = IdentitySettings.defaults().withToken(URI.create(ISSUER + "/jwks"), ISSUER,
                Set.of(AUDIENCE));
        BearerTokenVerifier verifier = new BearerTokenVerifier(new JwksCache(new InMemoryJwks(jwks(keys)), clock,
                identity.jwksTtl(), identity.jwksMinRefreshInterval(), identity.jwksMaxKeys()), ISSUER,
                Set.of(AUDIENCE), identity.clockSkew(), identity.maxTokenBytes(), clock);
        CallerIdentityResolver identities = new CallerIdentityResolver(verifier,
                new WebIdentityFederation(identity, roles), null, null);
        GatewayAuthorizer gateway = GatewayAuthorizer.create(gatewaySettings, identities, principals, routes,
                ResourceTagSource.UNAVAILABLE, NoManagedPolicies.INSTANCE, clock, GatewayAuthorizer.Limits.DEFAULTS);
        Map<EventDispatcher.EventKind, EventDispatcher.Handler> handlers =
                new EnumMap<>(EventDispatcher.EventKind.class);
        handlers.put(EventDispatcher.EventKind.AUTHORIZER, gateway.handler());
        EventDispatcher dispatcher = new EventDispatcher(handlers, limits);

        String token = "Bearer " + token(keys, role, clock);
        List<ObjectNode> events = events(connect, gatewaySettings, token, clock.millis());
        List<String> answers = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (ObjectNode event : events) {
                EventDispatcher.Dispatch d = dispatcher.dispatch(event.toString().getBytes(StandardCharsets.UTF_8));
                answers.add(label(d));
            }
        }
        return new Run(List.copyOf(answers));
    }

    private static String label(EventDispatcher.Dispatch d) {
        if (d.failure() != null) {
            return "failure:" + d.failure();
        }
        if (d.unauthorized()) {
            return "Unauthorized";
        }
        if (d.logFields() == null) {
            return "?:" + d.outcome();
        }
        return d.logFields().format() + ":" + d.logFields().decision() + ":" + d.logFields().reason();
    }

    /** One role trusted by the priming issuer: a few Connect reads allowed, every delete denied. */
    private static String snapshot(ArnContext connect, String role) {
        String instance = "arn:" + connect.partition() + ":connect:" + connect.region() + ":" + connect.account()
                + ":instance/" + INSTANCE;
        String provider = "arn:" + connect.partition() + ":iam::" + connect.account() + ":oidc-provider/" + HOST;
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putArray("UserDetailList");
        root.putArray("GroupDetailList");
        root.putArray("Policies");
        ObjectNode r = root.putArray("RoleDetailList").addObject();
        r.put("Path", "/edgeiam-priming/").put("RoleName", "edgeiam-priming").put("RoleId", "AROAEDGEIAMPRIMING000")
                .put("Arn", role).put("CreateDate", "2026-01-01T00:00:00+00:00");
        ObjectNode trust = r.putObject("AssumeRolePolicyDocument").put("Version", "2012-10-17");
        ObjectNode t = trust.putArray("Statement").addObject().put("Effect", "Allow");
        t.putObject("Principal").put("Federated", provider);
        t.putArray("Action").add("sts:AssumeRoleWithWebIdentity").add("sts:TagSession");
        t.putObject("Condition").putObject("StringEquals").put(HOST + ":aud", AUDIENCE);
        ObjectNode inline = r.putArray("RolePolicyList").addObject().put("PolicyName", "edgeiam-priming");
        ArrayNode statements = inline.putObject("PolicyDocument").put("Version", "2012-10-17")
                .putArray("Statement");
        // users everywhere for sessions of the priming team; queues of the one instance only
        ObjectNode users = statements.addObject().put("Effect", "Allow").put("Action", "connect:DescribeUser")
                .put("Resource", "*");
        users.putObject("Condition").putObject("StringEquals").put("aws:PrincipalTag/team", "edgeiam-priming");
        ObjectNode queues = statements.addObject().put("Effect", "Allow");
        queues.putArray("Action").add("connect:ListQueues").add("connect:DescribeQueue");
        queues.putArray("Resource").add(instance).add(instance + "/queue/*");
        statements.addObject().put("Effect", "Deny").put("Action", "connect:Delete*").put("Resource", "*");
        r.putArray("InstanceProfileList");
        r.putArray("AttachedManagedPolicies");
        r.putArray("Tags").addObject().put("Key", "team").put("Value", "edgeiam-priming");
        return root.toString();
    }

    private static String jwks(KeyPair keys) {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.putArray("keys").addObject().put("kty", "RSA").put("kid", KEY_ID).put("use", "sig").put("alg", "RS256")
                .put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
        return root.toString();
    }

    /** A JWK integer: its unsigned big-endian bytes in base64url (RFC 7518 §6.3.1.1). */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * An RS256 token for the role with a session tag the policy reads, valid for two hours: longer than any result
     * TTL API Gateway allows (3,600 s), or every answer would be the Deny for a credential that expires while cached.
     */
    private static String token(KeyPair keys, String role, Clock clock) throws GeneralSecurityException {
        long now = clock.instant().getEpochSecond();
        ObjectNode header = JsonNodeFactory.instance.objectNode().put("alg", "RS256").put("kid", KEY_ID)
                .put("typ", "JWT");
        ObjectNode claims = JsonNodeFactory.instance.objectNode().put("iss", ISSUER).put("aud", AUDIENCE)
                .put("sub", "edgeiam-priming").put("iat", now - 60).put("nbf", now - 60).put("exp", now + TOKEN_LIFETIME_SECONDS)
                .put(IdentitySettings.DEFAULT_ROLE_CLAIM, role);
        claims.putObject("https://aws.amazon.com/tags").putObject("principal_tags").putArray("team")
                .add("edgeiam-priming");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(keys.getPrivate());
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(signature.sign());
    }

    /** Each format API Gateway sends, for an allowed route, a denied one and (WebSocket) {@code $connect}. */
    private static List<ObjectNode> events(ArnContext connect, GatewayAuthorizer.Settings settings, String token,
                                           long nowMillis) {
        String arnPrefix = "arn:" + connect.partition() + ":execute-api:" + connect.region() + ":"
                + connect.account() + ":" + API + "/prod/";
        String path = "/users/" + INSTANCE + "/" + USER;
        List<ObjectNode> events = new ArrayList<>();
        events.add(restRequest(arnPrefix, "GET", path, settings, token, nowMillis));
        events.add(restRequest(arnPrefix, "DELETE", path, settings, token, nowMillis));
        JsonNodeFactory f = JsonNodeFactory.instance;
        events.add(f.objectNode().put("type", "TOKEN").put("authorizationToken", token)
                .put("methodArn", arnPrefix + "GET" + path));
        events.add(httpApi(connect, "GET", path, "/users/{InstanceId}/{UserId}", settings, token, nowMillis));
        events.add(httpApi(connect, "DELETE", path, "/users/{InstanceId}/{UserId}", settings, token, nowMillis));
        ObjectNode ws = f.objectNode().put("type", "REQUEST").put("methodArn", arnPrefix + "$connect");
        identity(ws.putObject("headers"), ws.putObject("queryStringParameters"), settings, token);
        ObjectNode wsContext = ws.putObject("requestContext").put("routeKey", "$connect").put("eventType", "CONNECT")
                .put("stage", "prod").put("requestTimeEpoch", nowMillis).put("apiId", API)
                .put("connectionId", "edgeiam-priming");
        wsContext.putObject("identity").put("sourceIp", SOURCE_IP);
        events.add(ws);
        return events;
    }

    private static ObjectNode restRequest(String arnPrefix, String method, String path,
                                          GatewayAuthorizer.Settings settings, String token, long nowMillis) {
        ObjectNode e = JsonNodeFactory.instance.objectNode().put("type", "REQUEST")
                .put("methodArn", arnPrefix + method + path).put("resource", "/users/{InstanceId}/{UserId}")
                .put("path", path).put("httpMethod", method);
        ObjectNode query = JsonNodeFactory.instance.objectNode();
        identity(e.putObject("headers"), query, settings, token);
        e.set("queryStringParameters", query.isEmpty() ? null : query);
        e.putObject("pathParameters").put("InstanceId", INSTANCE).put("UserId", USER);
        ObjectNode context = e.putObject("requestContext").put("resourcePath", "/users/{InstanceId}/{UserId}")
                .put("httpMethod", method).put("path", "/prod" + path).put("stage", "prod")
                .put("requestTimeEpoch", nowMillis).put("apiId", API);
        context.putObject("identity").put("sourceIp", SOURCE_IP);
        return e;
    }

    /**
     * An HTTP API event whose {@code identitySource} lists a value for each configured identity source, in order, as
     * API Gateway sends it (the function refuses an event whose list does not match its cache model): the credential
     * for its own header or query member, the route key, the source address, and a placeholder value (also sent as
     * the header or query member) for any other source.
     */
    private static ObjectNode httpApi(ArnContext connect, String method, String path, String template,
                                      GatewayAuthorizer.Settings settings, String token, long nowMillis) {
        String routeKey = method + " " + template;
        ObjectNode e = JsonNodeFactory.instance.objectNode().put("version", "2.0").put("type", "REQUEST")
                .put("routeArn", "arn:" + connect.partition() + ":execute-api:" + connect.region() + ":"
                        + connect.account() + ":" + API + "/$default/" + method + path)
                .put("routeKey", routeKey).put("rawPath", path);
        ObjectNode headers = e.putObject("headers");
        Map<String, String> query = new LinkedHashMap<>();
        if (settings.identityHeader() != null) {
            headers.put(settings.identityHeader().toLowerCase(Locale.ROOT), token);
        } else if (settings.identityQuery() != null) {
            query.put(settings.identityQuery(), token);
        }
        ArrayNode sources = e.putArray("identitySource");
        if (settings.cache().identitySources().isEmpty()) {
            sources.add(token);
        }
        for (String source : settings.cache().identitySources()) {
            String value;
            if (source.startsWith(HEADER_SOURCE)) {
                String name = source.substring(HEADER_SOURCE.length()).toLowerCase(Locale.ROOT);
                value = headers.has(name) ? headers.get(name).asText() : PLACEHOLDER;
                headers.put(name, value);
            } else if (source.startsWith(QUERY_SOURCE)) {
                String name = source.substring(QUERY_SOURCE.length());
                value = query.getOrDefault(name, PLACEHOLDER);
                query.put(name, value);
            } else if (source.equals("$context.routeKey")) {
                value = routeKey;
            } else if (source.equals("$context.identity.sourceIp")) {
                value = SOURCE_IP;
            } else {
                value = PLACEHOLDER;
            }
            sources.add(value);
        }
        StringBuilder raw = new StringBuilder();
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> member : query.entrySet()) {
            raw.append(raw.isEmpty() ? "" : "&").append(encoded(member.getKey())).append('=')
                    .append(encoded(member.getValue()));
            parameters.put(member.getKey(), member.getValue());
        }
        e.put("rawQueryString", raw.toString());
        if (!query.isEmpty()) {
            e.set("queryStringParameters", parameters);
        }
        ObjectNode context = e.putObject("requestContext").put("routeKey", routeKey).put("stage", "$default")
                .put("timeEpoch", nowMillis).put("apiId", API);
        context.putObject("http").put("method", method).put("path", path).put("sourceIp", SOURCE_IP);
        return e;
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The credential where the deployment reads it: its identity header, else its query parameter. */
    private static void identity(ObjectNode headers, ObjectNode query, GatewayAuthorizer.Settings settings,
                                 String token) {
        if (settings.identityHeader() != null) {
            headers.put(settings.identityHeader(), token);
        } else if (settings.identityQuery() != null) {
            query.put(settings.identityQuery(), token);
        }
    }

    /** The priming key set, served from memory: the copy's verifier never fetches anything. */
    private static final class InMemoryJwks implements JwksFetcher {
        private final String text;

        InMemoryJwks(String text) {
            this.text = text;
        }

        @Override
        public String fetch() {
            return text;
        }
    }

    /** The one-role account attaches no managed policy, and a session policy naming one is not primed. */
    private static final class NoManagedPolicies implements Function<String, Optional<String>> {
        static final NoManagedPolicies INSTANCE = new NoManagedPolicies();

        @Override
        public Optional<String> apply(String arn) {
            return Optional.empty();
        }
    }

    /** Background refreshes of the throwaway cache run at once on the caller's thread: priming starts no thread. */
    private static final class InCallerThread implements Executor {
        static final InCallerThread INSTANCE = new InCallerThread();

        @Override
        public void execute(Runnable task) {
            task.run();
        }
    }
}
