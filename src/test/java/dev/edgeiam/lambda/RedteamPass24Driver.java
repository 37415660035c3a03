package dev.edgeiam.lambda;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.ConnectAction;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.connect.ResourceType;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.simulate.CustomPolicySimulator;
import dev.edgeiam.validate.PolicyValidator;

/**
 * Red-team pass 24: the workload of the old-vs-new differential test ({@link RedteamPass24DifferentialTest}). Every
 * method is deterministic in its seed and returns one line per observation; the test runs it once in a class loader
 * over the classes before the changes under attack (javac {@code -XDstringConcat=inline}, the loops that replaced
 * lambdas/streams in RouteTable, RouteTableLoader, ConnectCatalog, ConnectCatalogLoader, ArnParser, CompiledStatement,
 * CompiledPolicy, StatementIndex, SnapshotPolicySource, IdentitySettings, PrincipalCache, LambdaBeans, the REST route
 * key by String.join and the Allow detail table) and once over the classes after them, and compares the lines.
 * Identity hash codes ({@code @1a2b3c}) are blanked, nothing else.
 */
public final class RedteamPass24Driver {

    private RedteamPass24Driver() {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = EdgeHarness.ACCOUNT;
    static final String REGION = EdgeHarness.REGION;
    static final String INSTANCE = EdgeHarness.INSTANCE;
    static final String INSTANCE_B = "99999999-8888-7777-6666-555555555555";
    static final String CONNECT = EdgeHarness.CONNECT;
    static final String CONNECT_B = "arn:aws:connect:" + REGION + ":" + ACCOUNT + ":instance/" + INSTANCE_B;
    static final ArnContext CONTEXT = new ArnContext("aws", REGION, ACCOUNT);
    private static final Pattern IDENTITY = Pattern.compile("@[0-9a-f]{4,8}\\b");
    static final EventDispatcher.EventKind AUTH = EventDispatcher.EventKind.AUTHORIZER;
    static final EventLimits LIMITS = new EventLimits(262_144, 64, 131_072);

    static String norm(Object o) {
        return IDENTITY.matcher(String.valueOf(o)).replaceAll("@#");
    }

    static String attempt(java.util.function.Supplier<?> s) {
        try {
            return norm(s.get());
        } catch (RuntimeException e) {
            return "threw " + norm(e);
        }
    }

    static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    // ---------------------------------------------------------------- values

    static final List<String> IDS = List.of(INSTANCE, INSTANCE, INSTANCE_B, "u-1", "BB", "Aa", "BBBB", "q-1", "x",
            "%2A", "*", "%2F", "a%20b", "arn%3Aaws%3Aconnect%3Aus-east-1%3A111122223333%3Ainstance%2F" + INSTANCE,
            "\u00e9", "${aws:username}", "..", "%2e", "a:b", "?");

    static final List<String> ACTIONS = List.of("connect:*", "connect:Describe*", "connect:DescribeUser",
            "connect:describeuser", "CONNECT:ListQueues", "connect:List*", "connect:Update*", "connect:*User*",
            "connect:?escribeUser", "*", "s3:GetObject", "connect:Search*", "connect:Get*", "con*:Describe*",
            "*:Describe*", "connect:DescribeQueue", "connect:StartOutboundVoiceContact", "connect:Create*",
            "connect:Delete*", "connect:ListUsers", "connect:DescribeContact", "connect:*Contact*",
            "connect:UpdateUserSecurityProfiles", "connect:Associate*", "iam:PassRole", "connect:Tag*");

    static final List<String> RESOURCES = List.of("*", "*", CONNECT, CONNECT + "/*", CONNECT + "/agent/*",
            CONNECT + "/agent/u-1", CONNECT + "/agent/BB", CONNECT + "/queue/*", "arn:aws:connect:*:*:instance/*",
            "arn:aws:connect:" + REGION + ":" + ACCOUNT + ":instance/*/agent/*", CONNECT + "/agent/${aws:userid}",
            CONNECT + "/agent/${aws:PrincipalTag/team}", CONNECT + "/routing-profile/*", CONNECT + "/contact/*",
            "arn:aws:connect:*:*:*", CONNECT + "/queue/?", "arn:aws:s3:::b/*", CONNECT_B + "/*", CONNECT + "*",
            "arn:aws:connect:*:" + ACCOUNT + ":instance/" + INSTANCE + "/*", CONNECT + "/agent/${*}",
            CONNECT + "/security-profile/*", CONNECT + "/transfer-destination/*", "arn:aws:connect:*:*:*/agent/*",
            CONNECT + "/queue/BB", CONNECT + "/*/*");

    static final List<String> CONDITIONS = List.of(
            "{\"StringEquals\":{\"connect:InstanceId\":\"" + INSTANCE + "\"}}",
            "{\"StringNotEquals\":{\"connect:InstanceId\":\"" + INSTANCE_B + "\"}}",
            "{\"StringLike\":{\"aws:UserAgent\":\"*evil*\"}}",
            "{\"StringEquals\":{\"aws:PrincipalTag/team\":\"red\"}}",
            "{\"StringEquals\":{\"aws:PrincipalTag/team\":\"blue\"}}",
            "{\"IpAddress\":{\"aws:SourceIp\":\"198.51.100.0/24\"}}",
            "{\"NotIpAddress\":{\"aws:SourceIp\":[\"203.0.113.0/24\",\"2001:db8::/32\"]}}",
            "{\"DateLessThan\":{\"aws:CurrentTime\":\"2027-01-01T00:00:00Z\"}}",
            "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-12-01T12:30:00Z\"}}",
            "{\"NumericLessThan\":{\"aws:EpochTime\":\"1900000000\"}}",
            "{\"Bool\":{\"aws:SecureTransport\":\"true\"}}",
            "{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}",
            "{\"Null\":{\"aws:PrincipalTag/team\":\"true\"}}",
            "{\"StringEqualsIfExists\":{\"connect:UserId\":\"u-1\"}}",
            "{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"a\",\"b\"]}}",
            "{\"ForAllValues:StringLike\":{\"connect:SearchTag/team\":\"*\"}}",
            "{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::" + ACCOUNT + ":role/Edge*\"}}",
            "{\"StringEquals\":{\"aws:ResourceTag/team\":\"blue\"}}",
            "{\"StringLike\":{\"aws:userid\":\"AROA*\"}}",
            "{\"StringEquals\":{\"aws:RequestedRegion\":\"" + REGION + "\"}}",
            "{\"StringNotLike\":{\"aws:Referer\":[\"BB*\",\"${aws:username}\"]}}",
            "{\"StringEquals\":{\"aws:username\":\"${aws:PrincipalTag/team}\"}}",
            "{\"NumericEquals\":{\"connect:MaxResults\":\"10\"}}",
            "{\"StringEquals\":{\"aws:PrincipalAccount\":\"" + ACCOUNT + "\"}}");

    static String statement(SplittableRandom r) {
        ObjectNode s = JSON.createObjectNode();
        if (r.nextInt(4) == 0) {
            s.put("Sid", "S" + r.nextInt(100));
        }
        s.put("Effect", r.nextInt(3) == 0 ? "Deny" : "Allow");
        String actionKey = r.nextInt(6) == 0 ? "NotAction" : "Action";
        if (r.nextBoolean()) {
            s.put(actionKey, pick(r, ACTIONS));
        } else {
            ArrayNode a = s.putArray(actionKey);
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                a.add(pick(r, ACTIONS));
            }
        }
        String resourceKey = r.nextInt(6) == 0 ? "NotResource" : "Resource";
        if (r.nextBoolean()) {
            s.put(resourceKey, pick(r, RESOURCES));
        } else {
            ArrayNode a = s.putArray(resourceKey);
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                a.add(pick(r, RESOURCES));
            }
        }
        if (r.nextInt(3) == 0) {
            ObjectNode c = s.putObject("Condition");
            for (int i = 1 + r.nextInt(2); i > 0; i--) {
                try {
                    JsonNode one = JSON.readTree(pick(r, CONDITIONS));
                    one.fields().forEachRemaining(e -> {
                        if (!c.has(e.getKey())) {
                            c.set(e.getKey(), e.getValue());
                        }
                    });
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return s.toString();
    }

    public static String policy(SplittableRandom r) {
        StringBuilder b = new StringBuilder("{\"Version\":\"").append(r.nextInt(8) == 0 ? "2008-10-17" : "2012-10-17")
                .append("\",\"Statement\":[");
        int n = 1 + r.nextInt(6);
        String first = null;
        for (int i = 0; i < n; i++) {
            String s = r.nextInt(8) == 0 && first != null ? first.replaceFirst("\"Sid\":\"S[0-9]+\",", "")
                    : statement(r); // duplicate statements too (not duplicate Sids: a malformed policy)
            first = first == null ? s : first;
            b.append(i == 0 ? "" : ",").append(s);
        }
        return b.append("]}").toString();
    }

    // ---------------------------------------------------------------- custom routes

    static final String ARN = "arn:{Partition}:connect:{Region}:{Account}:instance/";

    /** A pool of operator mappings, with overlaps: same path other methods, ANY, label vs literal, label names. */
    static List<CustomRouteMapping> customRoutes(SplittableRandom r) {
        List<String[]> pool = List.of(
                new String[] {"GET", "/v1/agents/{id}", "connect:DescribeUser", ARN + INSTANCE + "/agent/{id}"},
                new String[] {"GET", "/v1/agents/me", "connect:ListUsers", ARN + INSTANCE + "/*"},
                new String[] {"ANY", "/v1/agents/{id}", "connect:UpdateUserIdentityInfo", ARN + INSTANCE + "/agent/{id}"},
                new String[] {"POST", "/v1/agents/{agent}", "connect:DeleteUser", ARN + INSTANCE + "/agent/{agent}"},
                new String[] {"GET", "/v1/{kind}/{id}", "connect:DescribeQueue", ARN + INSTANCE + "/queue/{id}"},
                new String[] {"GET", "/v1/queue-report", "connect:DescribeQueue", ARN + INSTANCE + "/queue/{queueId}"},
                new String[] {"ANY", "/v1/any/{id}", "connect:DescribeUser", ARN + "{inst}/agent/{id}"},
                new String[] {"WEBSOCKET", "/$connect", "connect:DescribeUser", ARN + "{instanceId}/agent/{agentId}"},
                new String[] {"GET", "/users/{InstanceId}/{UserId}", "connect:ListQueues", "*"},
                new String[] {"GET", "/users/{I}/me", "connect:DescribeUser", ARN + "{I}/agent/me"},
                new String[] {"get", "/v1/lower/{x}", "connect:DescribeUser", ARN + INSTANCE + "/agent/{x}"},
                new String[] {"ANY", "/{a}/{b}", "connect:DescribeRoutingProfile", ARN + "{a}/routing-profile/{b}"},
                new String[] {"DELETE", "/v1/agents/{id}", "connect:DeleteUser", ARN + INSTANCE + "/agent/{id}",
                        ARN + INSTANCE + "/queue/{id}"},
                new String[] {"GET", "/v1/agents/{other}", "connect:DescribeUser", ARN + INSTANCE + "/agent/{other}"});
        List<CustomRouteMapping> out = new ArrayList<>();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            String[] m = pick(r, pool);
            String[] arns = java.util.Arrays.copyOfRange(m, 3, m.length);
            out.add(CustomRouteMapping.of(m[0], m[1], m[2], arns));
        }
        return out;
    }

    // ---------------------------------------------------------------- route table and ARN parser

    /** The default table's routes and, for random requests, what the table (with custom mappings) matches. */
    public static List<String> routes(long seed, int requests) {
        List<String> out = new ArrayList<>();
        RouteTable table = RouteTable.defaultTable();
        for (RouteDefinition d : table.routes()) {
            out.add("route " + norm(d));
        }
        for (RouteDefinition d : table.routesWithoutIamAction()) {
            out.add("noAction " + d.route());
        }
        SplittableRandom r = new SplittableRandom(seed);
        RouteTable custom = table;
        for (int i = 0; i < requests; i++) {
            if (i % 50 == 0) {
                try {
                    custom = table.withCustomMappings(customRoutes(r));
                    out.add("custom " + norm(custom.customMappings()));
                } catch (RuntimeException e) {
                    out.add("custom failed " + e);
                    custom = table;
                }
            }
            Req q = request(r, table);
            QueryParameters qp = new QueryParameters(q.query);
            out.add(q.method + " " + q.path + " " + q.query + " -> " + norm(custom.match(q.method, q.path, qp, CONTEXT)));
            out.add("  nonCanonical " + RouteTable.nonCanonical(q.path));
        }
        return out;
    }

    /** Random ARNs of every resource type (and near misses) as the catalog's parser reads them. */
    public static List<String> arns(long seed, int count) {
        List<String> out = new ArrayList<>();
        ConnectCatalog catalog = ConnectCatalog.defaultCatalog();
        List<ResourceType> types = catalog.resourceTypes();
        for (ConnectAction a : catalog.actions()) {
            out.add("action " + norm(a));
        }
        for (ResourceType t : types) {
            out.add("type " + norm(t));
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            ResourceType t = pick(r, types);
            String arn = t.arnTemplate().render(v -> switch (v) {
                case "Partition" -> "aws";
                case "Region" -> r.nextInt(5) == 0 ? "*" : REGION;
                case "Account" -> ACCOUNT;
                default -> r.nextInt(6) == 0 ? pick(r, List.of("*", "a/b", "x:y", "", "?")) : pick(r, IDS);
            });
            if (r.nextInt(5) == 0) {
                arn = arn + pick(r, List.of("/x", "/*", "*", "/"));
            }
            String result;
            try {
                result = norm(catalog.arns().parse(arn));
            } catch (RuntimeException e) {
                result = "threw " + e;
            }
            String candidates;
            try {
                candidates = norm(catalog.arns().parseCandidates(arn));
            } catch (RuntimeException e) {
                candidates = "threw " + e;
            }
            ConnectAction action = pick(r, catalog.actions());
            String finalArn = arn;
            out.add(arn + " -> " + result + " | " + candidates + " | " + action.name() + " "
                    + attempt(() -> catalog.resourceTypeFor(action.iamAction(), finalArn)));
            String pattern = pick(r, ACTIONS);
            out.add("  expand " + attempt(() -> catalog.expandActionPattern(pattern)));
        }
        return out;
    }

    record Req(String method, String path, Map<String, List<String>> query, String template, String operation) {
    }

    static final List<String> GOOD = List.of("u-1", "BB", "Aa", "q-1", "BBBB");

    /** A label's value: mostly a well-formed one (the instance for instance labels), sometimes a hostile one. */
    static String label(SplittableRandom r, String segment) {
        if (r.nextInt(4) == 0) {
            return pick(r, IDS);
        }
        if (segment.toLowerCase(java.util.Locale.ROOT).contains("instance")) {
            return r.nextInt(6) == 0 ? INSTANCE_B : INSTANCE;
        }
        return pick(r, GOOD);
    }

    /** A request: mostly a real route's path filled with random ids, some custom paths, some junk. */
    static Req request(SplittableRandom r, RouteTable table) {
        List<RouteDefinition> routes = table.routes();
        Map<String, List<String>> query = new LinkedHashMap<>();
        int kind = r.nextInt(10);
        if (kind < 7) {
            RouteDefinition d = pick(r, routes);
            StringBuilder p = new StringBuilder();
            for (String seg : d.path().segments()) {
                p.append('/').append(seg.startsWith("{") ? label(r, seg) : seg);
            }
            if (p.isEmpty()) {
                p.append('/');
            }
            for (String wire : d.queryParameters().keySet()) {
                if (r.nextInt(3) != 0) {
                    query.computeIfAbsent(wire, k -> new ArrayList<>()).add(label(r, wire));
                    if (r.nextInt(6) == 0) {
                        query.get(wire).add(pick(r, IDS));
                    }
                }
                if (r.nextInt(15) == 0) {
                    query.computeIfAbsent(wire.toUpperCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add("v");
                }
            }
            String method = r.nextInt(20) == 0 ? pick(r, List.of("GET", "PUT", "POST", "DELETE", "PATCH", "get"))
                    : d.method();
            return new Req(method, p.toString(), query, d.path().template(), d.operation());
        }
        String path = switch (kind) {
            case 7 -> pick(r, List.of("/v1/agents/", "/v1/any/", "/v1/lower/", "/v1/queues/", "/users/" + INSTANCE
                    + "/")) + pick(r, IDS);
            case 8 -> pick(r, List.of("/v1/agents/me", "/v1/queue-report", "/", "/$connect", "/v1//x", "/v1/agents/a/b",
                    "/users/" + INSTANCE + "/me"));
            default -> "/" + pick(r, IDS) + "/" + pick(r, IDS);
        };
        if (r.nextBoolean()) {
            query.put(pick(r, List.of("queueId", "inst", "instanceId", "agentId", "x", "maxResults")),
                    new ArrayList<>(List.of(pick(r, IDS))));
        }
        return new Req(pick(r, List.of("GET", "GET", "POST", "ANY", "DELETE", "PUT")), path, query, "/{proxy+}", null);
    }

    // ---------------------------------------------------------------- simulator and validator

    /** The Allow details of the route authorizer for 0..n resources (read reflectively: private). */
    public static List<String> details(int n) {
        List<String> out = new ArrayList<>();
        try {
            java.lang.reflect.Method m = dev.edgeiam.authorize.RouteAuthorizer.class.getDeclaredMethod("allowedOn",
                    int.class);
            m.setAccessible(true);
            for (int i = 0; i <= n; i++) {
                out.add(i + " " + m.invoke(null, i));
            }
        } catch (NoSuchMethodException e) {
            for (int i = 0; i <= n; i++) { // before the table: the text was made where the Allow was
                out.add(i + " allowed on " + i + " resource(s)");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Random SimulateCustomPolicy bodies through the simulator (the evaluation engine on many actions). */
    public static List<String> simulate(long seed, int count) {
        List<String> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        CustomPolicySimulator sim = new CustomPolicySimulator();
        List<ConnectAction> actions = ConnectCatalog.defaultCatalog().actions();
        for (int i = 0; i < count; i++) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode inputs = body.putArray("PolicyInputList");
            for (int k = 1 + r.nextInt(2); k > 0; k--) {
                inputs.add(policy(r));
            }
            if (r.nextInt(4) == 0) {
                body.putArray("PermissionsBoundaryPolicyInputList").add(policy(r));
            }
            if (r.nextInt(6) == 0) {
                body.putArray("SessionPolicyInputList").add(policy(r));
            }
            if (r.nextInt(8) == 0) {
                body.putArray("ServiceControlPolicyInputList").add(policy(r));
            }
            ArrayNode names = body.putArray("ActionNames");
            for (int k = 1 + r.nextInt(6); k > 0; k--) {
                names.add(r.nextInt(8) == 0 ? pick(r, List.of("s3:GetObject", "connect:describeuser", "connect:Nope"))
                        : pick(r, actions).iamAction());
            }
            if (r.nextInt(4) != 0) {
                ArrayNode arns = body.putArray("ResourceArns");
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    arns.add(pick(r, List.of(CONNECT, CONNECT + "/agent/u-1", CONNECT + "/agent/BB",
                            CONNECT + "/queue/q-1", CONNECT_B + "/agent/u-1", CONNECT + "/contact/c-1", "*",
                            CONNECT + "/routing-profile/rp", CONNECT + "/security-profile/sp")));
                }
            }
            body.put("CallerArn", pick(r, List.of("arn:aws:iam::" + ACCOUNT + ":user/u-1",
                    "arn:aws:sts::" + ACCOUNT + ":assumed-role/EdgeTestRole/s", "arn:aws:iam::" + ACCOUNT
                            + ":role/EdgeTestRole", "arn:aws:sts::" + ACCOUNT + ":federated-user/f")));
            ArrayNode ctx = body.putArray("ContextEntries");
            if (r.nextBoolean()) {
                ctx.addObject().put("ContextKeyName", "aws:username").put("ContextKeyType", "string")
                        .putArray("ContextKeyValues").add(pick(r, IDS));
            }
            if (r.nextBoolean()) {
                ctx.addObject().put("ContextKeyName", "aws:SourceIp").put("ContextKeyType", "ip")
                        .putArray("ContextKeyValues").add(pick(r, List.of("198.51.100.7", "203.0.113.9", "2001:db8::1")));
            }
            if (r.nextBoolean()) {
                ctx.addObject().put("ContextKeyName", "aws:PrincipalTag/team").put("ContextKeyType", "string")
                        .putArray("ContextKeyValues").add(pick(r, List.of("red", "blue")));
            }
            if (r.nextBoolean()) {
                ctx.addObject().put("ContextKeyName", "aws:CurrentTime").put("ContextKeyType", "date")
                        .putArray("ContextKeyValues").add("2026-12-01T12:00:00Z");
            }
            if (r.nextBoolean()) {
                ctx.addObject().put("ContextKeyName", "connect:InstanceId").put("ContextKeyType", "string")
                        .putArray("ContextKeyValues").add(pick(r, List.of(INSTANCE, INSTANCE_B)));
            }
            out.add(norm(sim.simulate(body)));
            if (i % 4 == 0) {
                String text = inputs.get(0).asText();
                out.add("validate " + norm(PolicyValidator.validate(text, pick(r, List.of("IDENTITY_POLICY",
                        "RESOURCE_POLICY", "SERVICE_CONTROL_POLICY")))));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the whole authorizer

    static final List<CacheModel> MODELS = List.of(CacheModel.NOT_CACHED, CacheModel.API_GATEWAY_DEFAULT,
            new CacheModel(Duration.ofSeconds(300), List.of("method.request.header.Authorization",
                    "method.request.header.User-Agent", "context.identity.sourceIp")),
            new CacheModel(Duration.ofSeconds(300), List.of("$request.header.Authorization", "$context.routeKey",
                    "context.resourcePath", "context.httpMethod")),
            new CacheModel(Duration.ofSeconds(300), List.of("method.request.header.Authorization",
                    "method.request.multivaluequerystring.queueId", "route.request.querystring.agentId",
                    "$request.querystring.queueId", "$request.header.Authorization")));

    /**
     * Random harnesses (policies, custom routes, cache model, simple responses) answering random REST REQUEST, REST
     * TOKEN, HTTP API 2.0 and WebSocket events on the warm (bytes) path: the answer bytes, kind, failure and log fields.
     */
    public static List<String> authorize(long seed, int harnesses, int eventsPerHarness) {
        List<String> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        RouteTable table = RouteTable.defaultTable();
        for (int h = 0; h < harnesses; h++) {
            String[] policies = new String[1 + r.nextInt(3)];
            for (int i = 0; i < policies.length; i++) {
                policies[i] = policy(r);
            }
            List<CustomRouteMapping> custom;
            try {
                custom = customRoutes(r);
                table.withCustomMappings(custom);
            } catch (RuntimeException e) {
                out.add("harness " + h + " custom refused: " + e);
                custom = List.of();
            }
            CacheModel model = pick(r, MODELS);
            boolean simple = (model == MODELS.get(0) || model == MODELS.get(3)) && r.nextBoolean();
            EdgeHarness harness = new EdgeHarness(model, simple, custom, arn -> arn.contains("BB")
                    ? Map.of("team", "blue") : Map.of(), policies);
            out.add("harness " + h + " " + String.join(" ", policies) + " " + norm(custom) + " " + norm(model)
                    + " " + simple);
            EventDispatcher warm = new EventDispatcher(Map.of(AUTH, harness.gateway.handler()), LIMITS);
            EventDispatcher.Handler plain = event -> harness.gateway.answer(event);
            EventDispatcher tree = new EventDispatcher(Map.of(AUTH, plain), LIMITS);
            String blue = harness.token("agent-blue", Map.of("team", "blue"));
            String red = harness.token("agent-red", Map.of("team", "red"));
            for (int i = 0; i < eventsPerHarness; i++) {
                if (r.nextInt(10) == 0) {
                    harness.clock.advance(Duration.ofSeconds(r.nextInt(400)));
                }
                byte[] event = event(r, table, harness.clock.millis(), r.nextInt(5) == 0 ? red : blue);
                EventDispatcher.Dispatch d = (r.nextInt(4) == 0 ? tree : warm).dispatch(event);
                out.add(new String(event, StandardCharsets.UTF_8));
                out.add("  read " + attempt(() -> dev.edgeiam.gateway.AuthorizerEventBytes.read(event, 64, 131_072)));
                out.add("  tree " + attempt(() -> {
                    try {
                        return dev.edgeiam.gateway.AuthorizerEventReader.read(JSON.readTree(event));
                    } catch (java.io.IOException x) {
                        throw new IllegalStateException(x);
                    }
                }));
                out.add("  -> " + d.kind() + " " + d.failure() + " " + d.unauthorized() + " "
                        + new String(d.responseJson(), StandardCharsets.UTF_8) + " " + norm(d.logFields()));
            }
        }
        return out;
    }

    /**
     * A random authorizer event (REST REQUEST with or without {@code resource}/{@code httpMethod}, REST TOKEN, HTTP
     * API 2.0, WebSocket $connect) for a random request of {@link #request}, sent at {@code millis}.
     */
    public static byte[] event(SplittableRandom r, RouteTable table, long millis, String token) {
        Req q = request(r, table);
        String stage = r.nextInt(6) == 0 ? "Aa" : "prod";
        String prefix = "arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":k7p2q9x4zd/" + stage;
        String method = q.method().equals("ANY") || q.method().equals("get") ? "GET" : q.method();
        String path = q.path();
        String ua = pick(r, List.of("edge-test/1.0", "x-evil-x", "BB", "Aa"));
        ObjectNode e = JSON.createObjectNode();
        switch (r.nextInt(7)) {
            case 0 -> {
                e.put("type", "TOKEN");
                e.put("authorizationToken", token);
                e.put("methodArn", prefix + "/" + method + path);
            }
            case 1, 2 -> {
                e.put("version", "2.0");
                e.put("type", "REQUEST");
                e.put("routeArn", prefix + "/" + method + path);
                String routeKey = r.nextBoolean() ? "ANY /{proxy+}" : method + " " + q.template();
                e.put("routeKey", routeKey);
                e.put("rawPath", path);
                StringBuilder raw = new StringBuilder();
                q.query().forEach((k, vs) -> vs.forEach(v -> raw.append(raw.isEmpty() ? "" : "&").append(k)
                        .append('=').append(v)));
                e.put("rawQueryString", raw.toString());
                e.putArray("identitySource").add(token);
                e.putObject("headers").put("authorization", token).put("user-agent", ua);
                if (!q.query().isEmpty()) {
                    ObjectNode qs = e.putObject("queryStringParameters");
                    q.query().forEach((k, v) -> qs.put(k, String.join(",", v)));
                }
                ObjectNode ctx = e.putObject("requestContext");
                ctx.put("timeEpoch", millis);
                ctx.put("routeKey", routeKey);
                ctx.put("stage", stage);
                ObjectNode http = ctx.putObject("http");
                http.put("method", method);
                http.put("path", path);
                http.put("sourceIp", pick(r, List.of("198.51.100.23", "203.0.113.9")));
                http.put("userAgent", ua);
            }
            case 3 -> {
                e.put("type", "REQUEST");
                e.put("methodArn", prefix + "/$connect");
                e.putObject("headers").put("Authorization", token).put("User-Agent", ua);
                e.putObject("multiValueHeaders").putArray("Authorization").add(token);
                ObjectNode qs = e.putObject("queryStringParameters");
                qs.put("instanceId", pick(r, List.of(INSTANCE, INSTANCE_B)));
                qs.put("agentId", pick(r, IDS));
                ObjectNode ctx = e.putObject("requestContext");
                ctx.put("eventType", "CONNECT");
                ctx.put("routeKey", "$connect");
                ctx.put("stage", stage);
                ctx.put("requestTimeEpoch", millis);
                ctx.putObject("identity").put("sourceIp", "198.51.100.23").put("userAgent", ua);
            }
            default -> {
                if (r.nextInt(5) == 0) {
                    e.put("version", "1.0"); // HTTP API payload 1.0: the REST shape
                }
                e.put("type", "REQUEST");
                e.put("methodArn", prefix + "/" + method + path);
                if (r.nextInt(6) != 0) {
                    e.put("httpMethod", r.nextInt(12) == 0 ? "POST" : method);
                }
                int res = r.nextInt(4);
                if (res == 0) {
                    e.put("resource", "/{proxy+}");
                    e.putObject("pathParameters").put("proxy", path.length() > 1 ? path.substring(1) : "");
                } else if (res == 1) {
                    e.put("resource", q.template());
                } else if (res == 2) {
                    e.put("resource", path);
                }
                e.put("path", path);
                ObjectNode hd = e.putObject("headers").put("Authorization", token).put("User-Agent", ua);
                ObjectNode mh = e.putObject("multiValueHeaders");
                mh.putArray("Authorization").add(token);
                mh.putArray("User-Agent").add(ua);
                if (r.nextInt(5) == 0) {
                    hd.put("Referer", "BB");
                    mh.putArray("Referer").add("BB");
                }
                EdgeHarness.putQuery(e, q.query());
                ObjectNode ctx = e.putObject("requestContext");
                ctx.put("requestTimeEpoch", millis);
                ctx.put("stage", stage);
                ctx.put("httpMethod", method);
                ctx.put("resourcePath", e.path("resource").asText("/{proxy+}"));
                ctx.putObject("identity").put("sourceIp", pick(r, List.of("198.51.100.23", "203.0.113.9")))
                        .put("userAgent", ua);
            }
        }
        try {
            return JSON.writeValueAsBytes(e);
        } catch (java.io.IOException x) {
            throw new IllegalStateException(x);
        }
    }
}
