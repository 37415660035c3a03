package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.DevTokens;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.observe.Telemetry;
import dev.edgeiam.observe.TraceHeader;
import dev.edgeiam.principal.PrincipalCache;
import dev.edgeiam.simulate.CustomPolicySimulator;
import dev.edgeiam.simulate.PrincipalPolicySimulator;
import dev.edgeiam.validate.PolicyValidator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two lines of every event kind, from the real dispatcher wired as {@code LambdaBeans} wires a snapshot
 * deployment (bundled sample account, TEST-ONLY development issuer): each sample event of {@code events/} (and an
 * unrecognised and an unreadable one) is answered, its invocation and metrics lines are parsed and checked field by
 * field against the response, the metrics line against the Embedded Metric Format rules, and neither line may
 * contain a token, a signature or a policy document. A run of many events must add up: the {@code Decisions}
 * counted by decision equal the decisions made, the cache metrics the caches' own counts.
 */
class ObservedLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    /** The event kind each sample is recognised as. */
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("expand-actions.json", "ExpandActions"), Map.entry("http-v2-request.json", "Authorizer"),
            Map.entry("iam-change.json", "EventBridge"), Map.entry("rest-request-custom-route.json", "Authorizer"),
            Map.entry("rest-request-other-agent.json", "Authorizer"), Map.entry("rest-request.json", "Authorizer"),
            Map.entry("rest-request-full.json", "Authorizer"),
            Map.entry("rest-token-missing.json", "Authorizer"), Map.entry("rest-token.json", "Authorizer"),
            Map.entry("scheduled-refresh.json", "EventBridge"),
            Map.entry("simulate-custom-policy.json", "SimulateCustomPolicy"),
            Map.entry("simulate-principal-policy.json", "SimulatePrincipalPolicy"),
            Map.entry("validate-policy.json", "ValidatePolicy"), Map.entry("websocket-connect.json", "Authorizer"));

    /** The decision fields of the audit line, in README "Logs" order. */
    private static final List<String> DECISION_FIELDS = List.of("format", "principal", "action", "resource",
            "decision", "reason", "category", "cacheScope", "viewVersion");

    private final PrincipalCache cache;
    private final GatewayAuthorizer gateway;
    private final EventDispatcher dispatcher;
    private final Telemetry telemetry;

    ObservedLinesTest() {
        Clock clock = Clock.systemUTC();
        ArnContext connect = new ArnContext("aws", "us-east-1", "111122223333");
        SnapshotPolicySource source = SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json");
        RefreshablePolicySource refreshable = new RefreshablePolicySource(() -> source);
        cache = PrincipalCache.create(refreshable, PrincipalCache.Settings.DEFAULTS, java.time.Clock.systemUTC());
        PolicySourceDirectory directory = new PolicySourceDirectory(refreshable, connect.account(), clock,
                Duration.ofMinutes(5));
        CallerIdentityResolver identities = CallerIdentityResolver.create(DevTokens.identitySettings(), clock,
                directory, cache, null);
        gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null, false, connect),
                identities, cache, RouteTable.defaultTable(), arn -> Map.of(), source::managedPolicyText, java.time.Clock.systemUTC());
        RefreshHandler refresh = new RefreshHandler(refreshable, cache, directory, true,
                gateway::forgetVerifiedCredentials);
        CustomPolicySimulator custom = new CustomPolicySimulator();
        PrincipalPolicySimulator principal = new PrincipalPolicySimulator(cache);
        Map<EventDispatcher.EventKind, EventDispatcher.Handler> handlers = new HashMap<>();
        handlers.put(EventDispatcher.EventKind.AUTHORIZER, gateway.handler());
        handlers.put(EventDispatcher.EventKind.EVENTBRIDGE, refresh::answer);
        handlers.put(EventDispatcher.EventKind.SIMULATE_CUSTOM_POLICY, b -> EventDispatcher.Answer.of(custom.simulate(b)));
        handlers.put(EventDispatcher.EventKind.SIMULATE_PRINCIPAL_POLICY,
                b -> EventDispatcher.Answer.of(principal.simulate(b)));
        handlers.put(EventDispatcher.EventKind.VALIDATE_POLICY, b -> EventDispatcher.Answer.of(PolicyValidator.validate(
                b.path("policyDocument").asText(null), b.path("policyType").asText("IDENTITY_POLICY"))));
        handlers.put(EventDispatcher.EventKind.EXPAND_ACTIONS, b -> EventDispatcher.Answer.of(
                PolicyValidator.expandActions(b.path("pattern").asText(""))));
        dispatcher = new EventDispatcher(handlers, new EventLimits(262_144, 64, 131_072));
        telemetry = new Telemetry("EdgeIam/Test", "edgeiam-authorizer-test", () -> {
            PrincipalCache.Stats s = cache.stats();
            return new Telemetry.Counters(s.hits() + s.staleHits(), s.misses(), s.failedLoads(),
                    gateway.credentialCacheHits(), gateway.credentialCacheMisses(), 0);
        }, () -> -1, () -> TraceHeader.parse(TRACE), clock);
    }

    /** One invocation as {@link AuthorizerFunction} makes it: the response and both lines, parsed. */
    private record Observed(EventDispatcher.Dispatch dispatch, JsonNode invocation, JsonNode metrics,
                            String invocationText, String metricsText) {
    }

    private Observed invoke(byte[] event, String requestId) throws IOException {
        Telemetry.Started started = telemetry.start(requestId);
        EventDispatcher.Dispatch d = dispatcher.dispatch(event);
        Telemetry.Lines lines = telemetry.finish(started, d.kind().label(), d.outcome(), 123, d.failure(),
                d.logFields());
        assertFalse(lines.invocation().contains("\n") || lines.metrics().contains("\n"), "one line each");
        return new Observed(d, JSON.readTree(lines.invocation()), JSON.readTree(lines.metrics()), lines.invocation(),
                lines.metrics());
    }

    @TestFactory
    Stream<DynamicTest> eachEventKindWritesItsTwoLines() throws IOException {
        Map<String, byte[]> events = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            for (Path f : files.sorted().toList()) {
                events.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertEquals(KINDS.keySet(), events.keySet(), "every sample event has its expected kind here");
        events.put("unrecognized", "{\"type\":\"UNKNOWN\"}".getBytes(StandardCharsets.UTF_8));
        events.put("unreadable", "{\"SimulateCustomPolicy\": ".getBytes(StandardCharsets.UTF_8));
        List<DynamicTest> tests = new ArrayList<>();
        boolean[] first = {true};
        for (Map.Entry<String, byte[]> e : events.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                boolean cold = first[0];
                first[0] = false;
                Observed o = invoke(e.getValue(), "req-" + e.getKey());
                String kind = KINDS.getOrDefault(e.getKey(), e.getKey().equals("unrecognized") ? "Unrecognized"
                        : "Unreadable");
                checkInvocationLine(o, "req-" + e.getKey(), kind, cold);
                checkMetricsLine(o, "req-" + e.getKey(), kind);
                checkNoSecret(new String(e.getValue(), StandardCharsets.UTF_8), o);
            }));
        }
        return tests.stream();
    }

    private static void checkInvocationLine(Observed o, String requestId, String kind, boolean cold) {
        JsonNode line = o.invocation();
        assertEquals(requestId, line.path("requestId").asText());
        assertTrue(line.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"),
                line.toString());
        assertEquals(o.dispatch().failure() == null ? "INFO" : "ERROR", line.path("level").asText());
        assertEquals("invocation", line.path("logType").asText());
        assertEquals(cold, line.path("coldStart").asBoolean(), "coldStart only on the first invocation");
        assertTrue(line.path("coldStart").isBoolean());
        assertEquals("1-5759e988-bd862e3fe1be46a994272793", line.path("traceId").asText());
        assertEquals(kind, line.path("eventKind").asText());
        assertEquals(o.dispatch().outcome(), line.path("outcome").asText());
        assertEquals(123, line.path("latencyMicros").asLong());
        Set<String> expected = new TreeSet<>(List.of("requestId", "timestamp", "level", "logType", "coldStart",
                "traceId", "eventKind", "outcome", "latencyMicros"));
        if (kind.equals("Authorizer")) {
            expected.addAll(DECISION_FIELDS);
            JsonNode response = o.dispatch().response();
            if (o.dispatch().unauthorized()) {
                assertEquals("Deny", line.path("decision").asText());
                assertTrue(line.path("reason").asText().startsWith("credential-"), line.toString());
                assertTrue(line.path("principal").isNull(), "no principal without a credential");
            } else {
                JsonNode context = response.path("context");
                assertEquals(context.path("decision").asText(), line.path("decision").asText(), line.toString());
                assertEquals(context.path("reason").asText(), line.path("reason").asText());
                assertEquals(context.path("action").asText(), line.path("action").asText(""));
                assertEquals(response.path("principalId").asText(), line.path("principal").asText());
            }
            assertTrue(line.path("format").isTextual(), line.toString());
            assertTrue(line.has("viewVersion"), line.toString());
        }
        assertEquals(expected, fieldNames(line), "exactly the documented fields");
    }

    private static void checkMetricsLine(Observed o, String requestId, String kind) {
        JsonNode line = o.metrics();
        JsonNode aws = line.path("_aws");
        assertTrue(aws.path("Timestamp").isIntegralNumber(), line.toString());
        Set<String> metricNames = new TreeSet<>();
        Set<String> dimensionNames = new TreeSet<>();
        for (JsonNode directive : aws.path("CloudWatchMetrics")) {
            assertEquals("EdgeIam/Test", directive.path("Namespace").asText());
            assertEquals(Set.of("Namespace", "Dimensions", "Metrics"), fieldNames(directive));
            for (JsonNode set : directive.path("Dimensions")) {
                assertTrue(set.size() >= 1 && set.size() <= 30);
                set.forEach(d -> dimensionNames.add(d.asText()));
            }
            for (JsonNode m : directive.path("Metrics")) {
                assertEquals(Set.of("Name", "Unit"), fieldNames(m));
                metricNames.add(m.path("Name").asText());
                assertTrue(line.path(m.path("Name").asText()).isNumber(), "metric value at the root: " + m);
            }
        }
        for (String d : dimensionNames) {
            assertTrue(line.path(d).isTextual(), "dimension value at the root: " + d);
        }
        boolean decided = kind.equals("Authorizer");
        assertEquals(decided ? Set.of("FunctionName", "EventKind", "Decision", "Reason")
                : Set.of("FunctionName", "EventKind"), dimensionNames, "only these low-cardinality dimensions");
        Set<String> expectedMetrics = new TreeSet<>(List.of("Invocations", "Latency", "PrincipalCacheHits",
                "PrincipalCacheMisses", "CredentialCacheHits", "CredentialCacheMisses", "PolicySourceFailures",
                "TagLookupFailures", "UnrecognizedEvents", "InternalErrors", "UnauthorizedAnswers"));
        if (decided) {
            expectedMetrics.add("Decisions");
            assertEquals(o.invocation().path("decision").asText(), line.path("Decision").asText());
            assertEquals(Telemetry.reasonDimension(o.invocation().path("reason").asText()),
                    line.path("Reason").asText());
            assertEquals(1, line.path("Decisions").asInt());
        }
        assertEquals(expectedMetrics, metricNames);
        assertEquals("edgeiam-authorizer-test", line.path("FunctionName").asText());
        assertEquals(kind, line.path("EventKind").asText());
        assertEquals(requestId, line.path("requestId").asText());
        assertEquals("metrics", line.path("logType").asText());
        assertEquals(1, line.path("Invocations").asInt());
        assertEquals(123, line.path("Latency").asLong());
        assertEquals(kind.equals("Unrecognized") ? 1 : 0, line.path("UnrecognizedEvents").asInt());
        assertEquals(o.dispatch().failure() == null ? 0 : 1, line.path("InternalErrors").asInt());
        assertEquals(o.dispatch().unauthorized() ? 1 : 0, line.path("UnauthorizedAnswers").asInt());
    }

    /** Neither line carries a token, a signature, an Authorization header value or a policy document. */
    private static void checkNoSecret(String event, Observed o) {
        List<String> secrets = new ArrayList<>();
        Matcher jwt = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.([A-Za-z0-9_-]+)").matcher(event);
        while (jwt.find()) {
            secrets.add(jwt.group());
            secrets.add(jwt.group(1));
        }
        secrets.addAll(List.of("Bearer", "\"Statement\"", "Statement\\\"", "\"Effect\"", "PolicyInputList",
                "authorizationToken", "Authorization"));
        for (String secret : secrets) {
            assertFalse(o.invocationText().contains(secret), "the invocation line contains " + secret);
            assertFalse(o.metricsText().contains(secret), "the metrics line contains " + secret);
        }
    }

    @Test
    void theMetricsOfARunAddUpToTheDecisionsMade() throws IOException {
        List<byte[]> run = new ArrayList<>();
        List<String> names = List.of("rest-request.json", "rest-request-other-agent.json", "rest-token.json",
                "rest-token-missing.json", "http-v2-request.json", "websocket-connect.json",
                "rest-request-custom-route.json", "validate-policy.json", "expand-actions.json");
        Random random = new Random(17);
        for (int i = 0; i < 200; i++) {
            run.add(Files.readAllBytes(Path.of("events", names.get(random.nextInt(names.size())))));
        }
        run.add("{\"type\":\"UNKNOWN\"}".getBytes(StandardCharsets.UTF_8));
        PrincipalCache.Stats cacheBefore = cache.stats();
        long credentialsBefore = gateway.credentialCacheHits() + gateway.credentialCacheMisses();
        Map<String, Long> decisionsByOutcome = new HashMap<>();
        Map<String, Long> metricDecisions = new HashMap<>();
        long authorizerEvents = 0;
        long invocations = 0;
        long principalLookups = 0;
        long credentialLookups = 0;
        long unrecognized = 0;
        int i = 0;
        for (byte[] event : run) {
            Observed o = invoke(event, "run-" + i++);
            if (o.dispatch().kind() == EventDispatcher.EventKind.AUTHORIZER) {
                authorizerEvents++;
                String made = o.dispatch().unauthorized() ? "Deny"
                        : o.dispatch().response().path("context").path("decision").asText();
                decisionsByOutcome.merge(made, 1L, Long::sum);
            }
            JsonNode m = o.metrics();
            invocations += m.path("Invocations").asLong();
            if (m.has("Decisions")) {
                metricDecisions.merge(m.path("Decision").asText(), m.path("Decisions").asLong(), Long::sum);
            }
            principalLookups += m.path("PrincipalCacheHits").asLong() + m.path("PrincipalCacheMisses").asLong();
            credentialLookups += m.path("CredentialCacheHits").asLong() + m.path("CredentialCacheMisses").asLong();
            unrecognized += m.path("UnrecognizedEvents").asLong();
        }
        assertEquals(run.size(), invocations);
        assertEquals(decisionsByOutcome, metricDecisions, "Decisions by outcome = the decisions made");
        assertEquals(authorizerEvents, metricDecisions.values().stream().mapToLong(Long::longValue).sum());
        assertTrue(decisionsByOutcome.getOrDefault("Allow", 0L) > 0 && decisionsByOutcome.getOrDefault("Deny", 0L) > 0,
                "the run has both outcomes: " + decisionsByOutcome);
        PrincipalCache.Stats after = cache.stats();
        assertEquals(after.hits() + after.staleHits() + after.misses() - cacheBefore.hits() - cacheBefore.staleHits()
                - cacheBefore.misses(), principalLookups, "principal cache hits + misses = the cache's own count");
        assertTrue(principalLookups > 0);
        assertEquals(gateway.credentialCacheHits() + gateway.credentialCacheMisses() - credentialsBefore,
                credentialLookups, "verified-credential hits + misses = the cache's own count");
        assertTrue(credentialLookups > 0);
        assertEquals(1, unrecognized);
    }

    @Test
    void coldStartIsTrueOnlyOnce() throws IOException {
        byte[] event = "{\"ExpandActions\":{\"pattern\":\"connect:DescribeUser\"}}".getBytes(StandardCharsets.UTF_8);
        assertTrue(invoke(event, "a").invocation().path("coldStart").asBoolean());
        assertFalse(invoke(event, "b").invocation().path("coldStart").asBoolean());
        assertNotNull(invoke(event, "c").invocation().get("coldStart"));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
