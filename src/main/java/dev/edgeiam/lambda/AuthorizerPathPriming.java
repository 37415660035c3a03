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
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * <p>Nothing here is the live function's: the token comes from an issuer ({@value #ISSUER}, a name under the
 * {@code .invalid} domain that no real issuer can have, RFC 2606 §2) whose key only this copy's own verifier trusts,
 * and whose private half no longer exists (see {@link #TOKEN}); the account is a one-role snapshot held in memory; the principal cache, role directory, verified
 * credentials and remembered route grants are new objects that are dropped when priming returns; resource tags are
 * never read and no network call is made. The live verifier, caches and policy source are not touched, so nothing
 * priming decided can answer a real request, and nothing per instance (credentials, connections, random seeds) is
 * made here: no key is generated either, so priming draws no random number. Only content-keyed memos the whole process shares (parsed ARNs, case-folded names) see priming's inputs,
 * and those give the same answer for the same text whoever asks.
 */
final class AuthorizerPathPriming {

    /** The priming issuer: {@code .invalid} is reserved, so no deployment's issuer can be this one. */
    static final String ISSUER = "https://edgeiam-priming.invalid";
    static final String AUDIENCE = "edgeiam-priming";
    private static final String HOST = "edgeiam-priming.invalid";
    static final String KEY_ID = "edgeiam-priming";
    /** The priming role's name (its ARN is in the deployment's partition and account) and the token's session tag. */
    private static final String ROLE_NAME = "edgeiam-priming";
    static final String TEAM = "edgeiam-priming";
    private static final String INSTANCE = "00000000-0000-4000-8000-000000000000";
    private static final String USER = "edgeiam-priming-user";
    private static final String API = "edgeiampriming";
    /** A documentation address (RFC 5737). */
    private static final String SOURCE_IP = "192.0.2.1";
    private static final String PLACEHOLDER = "edgeiam-priming";
    private static final String HEADER_SOURCE = "$request.header.";
    private static final String QUERY_SOURCE = "$request.querystring.";
    private static final ObjectMapper JSON = new ObjectMapper();

    // Made once by PrimingTokenMaker (test sources): the public half of a 2048-bit RSA key pair whose private half was
    // never stored, and one RS256 token it signed for ISSUER and AUDIENCE, naming no role, with the session tag team=TEAM,
    // valid from 2025-12-01 to 2100-01-01 (longer than any result TTL, or each answer would be the Deny for a credential
    // that expires while cached). No one can sign another token for this key; only this copy's verifier trusts it.
    static final String JWKS = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"edgeiam-priming\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\"xJBTOrgxP2Q_fhoGbhdyR7l"
            + "FhoS9Cq_wwvDz4gyr_D95XiFzjEbG87z9fsnKlkMBD1GeWbuq80m_d9evhL6arWk56Dn18QJvGKnzBW8REUW3G3-XdkQlQrw0StJ"
            + "RqITUFIb01UX4QQXruA3YM9yibS3wBkQWIE_poBwadss6stQSxHLMj84lNk5hxDGiiu6LbK7HBTpNCUZISQmbuGEkDGjGA5kUoW0"
            + "fXg_BLAVUuVNcNMpbqb9ugnnua4sasX5tPwQKFR23y5lObvFtxyTueGzAGj1Fi_KgFLNDeOcmLKAnZGQe_NF9X-b9ITeI5erWffh"
            + "fk9SWc2FJb88wUaCDXw\",\"e\":\"AQAB\"}]}";
    static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImVkZ2VpYW0tcHJpbWluZyIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2VkZ2VpYW0"
            + "tcHJpbWluZy5pbnZhbGlkIiwiYXVkIjoiZWRnZWlhbS1wcmltaW5nIiwic3ViIjoiZWRnZWlhbS1wcmltaW5nIiwiaWF0IjoxNzY"
            + "0NTQ3MjAwLCJuYmYiOjE3NjQ1NDcyMDAsImV4cCI6NDEwMjQ0NDgwMCwiaHR0cHM6Ly9hd3MuYW1hem9uLmNvbS90YWdzIjp7InB"
            + "yaW5jaXBhbF90YWdzIjp7InRlYW0iOlsiZWRnZWlhbS1wcmltaW5nIl19fX0.q_juFP066ta0bouUvo1SIHvP1BcQd11eYpDBbGU"
            + "ygvKuG40NXtgdPtAHdy0km61nJBd5JMD4QsDXHHKJVkQIdknKnESgog5WrgtxGtR9XFN3EpC-57TTsx9_Og8RvIUaB_HgV5UzzNc"
            + "H-MMLLsrbg-26WrR6nB-izOyRMoH6l97qAnOk8ACQ0W8rcBazhEJCBGvpUp-aanQaF_rDa2TjHvSY8aWfgcXWhgWRoNbA6LfBdRj"
            + "n9-pEbdgbyTBmXI8iyvvgVAdS-3kiNGaskfFIp9QztZlXFOmaqG4NU1yJApevEQR6WmfWkKRiZ_Gq7-V1TBQiUN6HMJnWzgyJ8RR"
            + "ydA";

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
                   int rounds) throws IOException {
        ArnContext connect = gatewaySettings.connect();
        String role = "arn:" + connect.partition() + ":iam::" + connect.account() + ":role/" + ROLE_NAME;

        SnapshotPolicySource account = SnapshotPolicySource.fromJson(JSON.readTree(
                snapshot(connect, role).getBytes(StandardCharsets.UTF_8)));
        PrincipalCache principals = new PrincipalCache(account, PrincipalCache.Settings.DEFAULTS, clock,
                new InCallerThread());
        PolicySourceDirectory roles = new PolicySourceDirectory(account, connect.account(), clock,
                Duration.ofMinutes(5));
        // the token names no role: the deployment's partition and account are known only here
        IdentitySettings identity = IdentitySettings.defaults().withToken(URI.create(ISSUER + "/jwks"), ISSUER,
                Set.of(AUDIENCE)).withDefaultRole(role);
        BearerTokenVerifier verifier = new BearerTokenVerifier(new JwksCache(new InMemoryJwks(JWKS), clock,
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

        String token = "Bearer " + TOKEN;
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
        r.put("Path", "/").put("RoleName", ROLE_NAME).put("RoleId", "AROAEDGEIAMPRIMING000")
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
        users.putObject("Condition").putObject("StringEquals").put("aws:PrincipalTag/team", TEAM);
        ObjectNode queues = statements.addObject().put("Effect", "Allow");
        queues.putArray("Action").add("connect:ListQueues").add("connect:DescribeQueue");
        queues.putArray("Resource").add(instance).add(instance + "/queue/*");
        statements.addObject().put("Effect", "Deny").put("Action", "connect:Delete*").put("Resource", "*");
        r.putArray("InstanceProfileList");
        r.putArray("AttachedManagedPolicies");
        r.putArray("Tags").addObject().put("Key", "team").put("Value", TEAM);
        return root.toString();
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
        @Override
        public void execute(Runnable task) {
            task.run();
        }
    }
}
