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
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * RED TEAM pass 31 (commit 7c3b6cd, AuthorizerPathPriming). Differential: a live pipeline (development issuer) whose
 * account holds a role literally named like priming's ({@code role/edgeiam-priming}, same session
 * tag, but NO permission for the primed actions) answers priming's exact events (same method/route ARNs, API id,
 * stage, instance, user, source IP, identity sources; only the token is the live issuer's) before and after
 * AuthorizerPathPriming.run on the same thread with the very same Settings and RouteTable objects. Any difference, or
 * any Allow, would mean priming state leaked into live decisions.
 */
class RedteamPass31PrimingIsolationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final EventLimits LIMITS = new EventLimits(262_144, 64, 131_072);
    static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    record Variant(String name, GatewayAuthorizer.Settings settings, RouteTable routes) {
    }

    static List<Variant> variants() {
        ArnContext aws = new ArnContext("aws", "us-east-1", "111122223333");
        ArnContext gov = new ArnContext("aws-us-gov", "us-gov-west-1", "210987654321");
        ArnContext cn = new ArnContext("aws-cn", "cn-north-1", "123456789012");
        RouteTable custom = RouteTable.defaultTable().withCustomMappings(List.of(CustomRouteMapping.of("GET",
                "/edgeiam/{InstanceId}/x", "connect:DescribeInstance", "arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}")));
        List<Variant> v = new ArrayList<>();
        v.add(new Variant("header-default", new GatewayAuthorizer.Settings("Authorization", null, false, aws),
                RouteTable.defaultTable()));
        v.add(new Variant("query-gov-1h", new GatewayAuthorizer.Settings(null, "access_token", false, gov,
                CacheModel.of(Duration.ofHours(1), "$request.querystring.access_token,$context.routeKey")),
                RouteTable.defaultTable()));
        v.add(new Variant("simple-notcached", new GatewayAuthorizer.Settings("X-Edge-Token", null, true, aws,
                CacheModel.NOT_CACHED), RouteTable.defaultTable()));
        v.add(new Variant("simple-route-pinned-cn", new GatewayAuthorizer.Settings("Authorization", null, true, cn,
                CacheModel.of(Duration.ofSeconds(300), "$request.header.Authorization,$context.routeKey")),
                RouteTable.defaultTable()));
        v.add(new Variant("sourceip-pinned", new GatewayAuthorizer.Settings("Authorization", null, false, aws,
                CacheModel.of(Duration.ofSeconds(300),
                        "$request.header.Authorization,$context.identity.sourceIp,$request.header.X-Other")),
                RouteTable.defaultTable()));
        v.add(new Variant("custom-routes", new GatewayAuthorizer.Settings("Authorization", null, false, aws),
                custom));
        return v;
    }

    /** The live account: the priming-named role (and a plain one), trusted by the development issuer. */
    static JsonNode account(ArnContext c, String policy) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("UserDetailList");
        root.putArray("GroupDetailList");
        root.putArray("Policies");
        ArrayNode roles = root.putArray("RoleDetailList");
        for (String[] r : new String[][]{{"/", "edgeiam-priming"}, {"/", "PlainRole"}}) {
            ObjectNode role = roles.addObject();
            role.put("Path", r[0]).put("RoleName", r[1]).put("RoleId", "AROA" + r[1].toUpperCase().replace("-", ""))
                    .put("Arn", "arn:" + c.partition() + ":iam::" + c.account() + ":role" + r[0] + r[1])
                    .put("CreateDate", "2026-01-01T00:00:00+00:00");
            role.set("AssumeRolePolicyDocument", devIssuerTrust(c));
            ObjectNode p = role.putArray("RolePolicyList").addObject();
            p.put("PolicyName", "edgeiam-priming");
            p.set("PolicyDocument", JSON.readTree(policy));
            role.putArray("AttachedManagedPolicies");
            role.putArray("InstanceProfileList");
            role.putArray("Tags").addObject().put("Key", "team").put("Value", "edgeiam-priming");
        }
        return root;
    }

    /** A fresh live pipeline, wired as LambdaBeans wires a snapshot deployment. */
    static EventDispatcher live(Variant v, JsonNode account, Clock clock) {
        SnapshotPolicySource source = SnapshotPolicySource.fromJson(account);
        PrincipalCache principals = new PrincipalCache(source, PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        PolicySourceDirectory directory = new PolicySourceDirectory(source, v.settings().connect().account(), clock,
                Duration.ofMinutes(5));
        CallerIdentityResolver identities = CallerIdentityResolver.create(DevTokens.identitySettings(), clock,
                directory, principals, null);
        GatewayAuthorizer gateway = GatewayAuthorizer.create(v.settings(), identities, principals, v.routes(),
                arn -> Map.of(), source::managedPolicyText, clock);
        Map<EventDispatcher.EventKind, EventDispatcher.Handler> handlers = new EnumMap<>(EventDispatcher.EventKind.class);
        handlers.put(EventDispatcher.EventKind.AUTHORIZER, gateway.handler());
        return new EventDispatcher(handlers, LIMITS);
    }

    static String token(ArnContext c, String rolePath, String team) {
        JwtClaims claims = DevTokens.claims(NOW, "edgeiam-priming");
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(NOW.getEpochSecond() + 7_200));
        claims.setClaim("https://aws.amazon.com/role", "arn:" + c.partition() + ":iam::" + c.account() + ":role"
                + rolePath);
        if (team != null) {
            claims.setClaim("https://aws.amazon.com/tags", Map.of("principal_tags", Map.of("team",
                    List.of(team))));
        }
        return "Bearer " + DevTokens.sign(claims);
    }

    @SuppressWarnings("unchecked")
    static List<ObjectNode> primingEvents(GatewayAuthorizer.Settings s, String token, long millis) throws Exception {
        Method m = AuthorizerPathPriming.class.getDeclaredMethod("events", ArnContext.class,
                GatewayAuthorizer.Settings.class, String.class, long.class);
        m.setAccessible(true);
        return (List<ObjectNode>) m.invoke(null, s.connect(), s, token, millis);
    }

    static String answer(EventDispatcher d, ObjectNode e) {
        EventDispatcher.Dispatch r = d.dispatch(e.toString().getBytes(StandardCharsets.UTF_8));
        String label = r.logFields() == null ? "-" : r.logFields().decision() + ":" + r.logFields().reason();
        return (r.unauthorized() ? "401 " : "") + label + " " + new String(r.responseJson(), StandardCharsets.UTF_8);
    }

    static List<String> battery(EventDispatcher live, Variant v) throws Exception {
        ArnContext c = v.settings().connect();
        List<String> out = new ArrayList<>();
        for (String rolePath : List.of("/edgeiam-priming/edgeiam-priming", "/PlainRole")) {
            for (String team : new String[]{"edgeiam-priming", null, "other-team"}) {
                String t = token(c, rolePath, team);
                for (ObjectNode e : primingEvents(v.settings(), t, NOW.toEpochMilli())) {
                    String first = answer(live, e);
                    out.add(rolePath + "|" + team + "|" + first);
                    out.add(rolePath + "|" + team + "|" + answer(live, e)); // again: the caches' second answer
                }
            }
        }
        return out;
    }

    /** No permissions for the primed actions: only a Connect action on another instance. */
    static final String LIVE_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:ListQueues",
             "Resource":"arn:*:connect:*:*:instance/99999999-9999-4999-8999-999999999999"}]}""";

    @Test
    void primingChangesNoLiveAnswerAndNoLiveAnswerIsAnAllow() throws Exception {
        Clock clock = new MutableClock(NOW);
        StringBuilder report = new StringBuilder();
        int compared = 0;
        for (Variant v : variants()) {
            JsonNode account = account(v.settings().connect(), LIVE_POLICY);
            EventDispatcher a = live(v, account, clock);
            List<String> before = battery(a, v);
            AuthorizerPathPriming.Run run = AuthorizerPathPriming.run(v.settings(), v.routes(), LIMITS,
                    Clock.systemUTC(), 3);
            report.append(v.name()).append(": priming ").append(run.answers().subList(0, 6)).append('\n');
            List<String> afterSame = battery(a, v);
            EventDispatcher b = live(v, account, clock);
            List<String> afterFresh = battery(b, v);
            assertEquals(before, afterSame, v.name());
            assertEquals(before, afterFresh, v.name());
            for (String s : before) {
                assertFalse(s.contains("\"Allow\"") || s.contains("\"isAuthorized\":true") || s.contains("|Allow:"),
                        v.name() + ": " + s);
            }
            compared += before.size();
            report.append(v.name()).append(": live ").append(before.stream().map(s -> s.substring(0,
                    Math.min(60, s.length()))).distinct().toList()).append('\n');
        }
        System.out.println("RP31 compared " + compared + " answers x3\n" + report);
    }

    /**
     * The live account holds priming's own role (same path, name, RoleId, inline policy text, role tag) trusted by
     * the live issuer. The caller ARN, policy text and method ARNs equal priming's; only the session tag decides.
     * IAM: team=other-team -> no DescribeUser allow; team=edgeiam-priming or no session tag (role tag) -> Allow GET.
     */
    @Test
    void primingsTwinRoleInTheLiveAccountIsDecidedByItsOwnTags() throws Exception {
        Clock clock = new MutableClock(NOW);
        int compared = 0;
        StringBuilder report = new StringBuilder();
        for (Variant v : variants()) {
            ArnContext c = v.settings().connect();
            String roleArn = "arn:" + c.partition() + ":iam::" + c.account() + ":role/edgeiam-priming";
            Method snap = AuthorizerPathPriming.class.getDeclaredMethod("snapshot", ArnContext.class, String.class);
            snap.setAccessible(true);
            ObjectNode twin = (ObjectNode) JSON.readTree((String) snap.invoke(null, c, roleArn));
            ObjectNode role = (ObjectNode) twin.get("RoleDetailList").get(0);
            role.set("AssumeRolePolicyDocument", devIssuerTrust(c));
            ObjectNode plain = ((ArrayNode) twin.get("RoleDetailList")).addObject();
            plain.setAll(role.deepCopy());
            plain.put("Path", "/").put("RoleName", "PlainRole").put("RoleId", "AROAPLAINROLE0000001")
                    .put("Arn", "arn:" + c.partition() + ":iam::" + c.account() + ":role/PlainRole");
            plain.putArray("RolePolicyList").addObject().put("PolicyName", "p").set("PolicyDocument",
                    JSON.readTree(LIVE_POLICY));
            EventDispatcher a = live(v, twin, clock);
            List<String> before = battery(a, v);
            AuthorizerPathPriming.run(v.settings(), v.routes(), LIMITS, Clock.systemUTC(), 3);
            List<String> afterSame = battery(a, v);
            List<String> afterFresh = battery(live(v, twin, clock), v);
            assertEquals(before, afterSame, v.name());
            assertEquals(before, afterFresh, v.name());
            for (String s : before) {
                if (s.contains("|other-team|") || s.startsWith("/PlainRole")) {
                    assertFalse(s.contains("|Allow:"), v.name() + ": " + s);
                }
            }
            compared += before.size();
            report.append(v.name()).append(": ").append(before.stream().map(s -> s.substring(0,
                    Math.min(s.indexOf(' ') + 1, s.length()))).distinct().toList()).append('\n');
        }
        System.out.println("RP31 twin compared " + compared + " answers x3\n" + report);
    }

    /** The same, with priming run from another thread and events interleaved with live ones. */
    @Test
    void primingOnAnotherThreadInterleavedChangesNothing() throws Exception {
        Clock clock = new MutableClock(NOW);
        for (Variant v : variants()) {
            JsonNode account = account(v.settings().connect(), LIVE_POLICY);
            EventDispatcher a = live(v, account, clock);
            List<String> before = battery(a, v);
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < 5; i++) {
                        AuthorizerPathPriming.run(v.settings(), v.routes(), LIMITS, Clock.systemUTC(), 2);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            List<List<String>> during = new ArrayList<>();
            while (t.isAlive()) {
                during.add(battery(a, v));
            }
            t.join();
            during.add(battery(a, v));
            for (List<String> d : during) {
                assertEquals(before, d, v.name());
            }
            System.out.println("RP31 " + v.name() + " interleaved batteries: " + during.size());
        }
    }

    /** A trust policy for the live (development) issuer's web identities, in the variant's partition and account. */
    private static JsonNode devIssuerTrust(ArnContext c) throws Exception {
        return JSON.readTree("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"arn:%s:iam::%s:oidc-provider/issuer.dev.edgeiam.test"},
                 "Action":["sts:AssumeRoleWithWebIdentity","sts:TagSession"],
                 "Condition":{"StringEquals":{"issuer.dev.edgeiam.test:aud":"connect-authorizer-dev"}}}]}"""
                .formatted(c.partition(), c.account()));
    }
}
