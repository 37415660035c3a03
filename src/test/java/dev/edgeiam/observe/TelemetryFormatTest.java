package dev.edgeiam.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact bytes of the lines (golden strings: a change of name, order or unit is a change of the documented
 * format and must be deliberate), the trace header, the bounds on dimension values, and the X-Ray subsegment
 * document as the daemon receives it over UDP.
 */
class TelemetryFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T06:00:00Z"), ZoneOffset.UTC);
    private static final String HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

    private final AtomicReference<Telemetry.Counters> counters = new AtomicReference<>(
            new Telemetry.Counters(10, 2, 1, 5, 5, 0));

    private Telemetry telemetry(long viewAge) {
        return new Telemetry("EdgeIam/Authorizer", "edgeiam-authorizer", counters::get, () -> viewAge,
                () -> TraceHeader.parse(HEADER), CLOCK);
    }

    @Test
    void anAuthorizerDecisionWritesExactlyTheseTwoLines() {
        Telemetry t = telemetry(-1);
        Telemetry.Started s = t.start("8f3e0c1a-0000-4000-8000-000000000001");
        counters.set(new Telemetry.Counters(11, 2, 1, 6, 5, 0)); // this invocation: one hit in each cache
        DecisionLogFields decision = new DecisionLogFields("rest-request",
                "arn:aws:sts::111122223333:assumed-role/ConnectAgentWebRole/carol", "connect:DescribeUser",
                "arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/carol", "Allow", "allowed", "allowed",
                "ROUTE", "v-42");
        Telemetry.Lines lines = t.finish(s, "Authorizer", "ok", 412, null, decision);
        assertEquals("{\"requestId\":\"8f3e0c1a-0000-4000-8000-000000000001\",\"timestamp\":\"2026-12-05T06:00:00Z\","
                + "\"level\":\"INFO\",\"logType\":\"invocation\",\"coldStart\":true,"
                + "\"traceId\":\"1-5759e988-bd862e3fe1be46a994272793\",\"eventKind\":\"Authorizer\",\"outcome\":\"ok\","
                + "\"latencyMicros\":412,\"format\":\"rest-request\","
                + "\"principal\":\"arn:aws:sts::111122223333:assumed-role/ConnectAgentWebRole/carol\","
                + "\"action\":\"connect:DescribeUser\","
                + "\"resource\":\"arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/carol\","
                + "\"decision\":\"Allow\",\"reason\":\"allowed\",\"category\":\"allowed\",\"cacheScope\":\"ROUTE\","
                + "\"viewVersion\":\"v-42\"}",
                lines.invocation());
        assertEquals("{\"_aws\":{\"Timestamp\":1796450400000,\"CloudWatchMetrics\":["
                + "{\"Namespace\":\"EdgeIam/Authorizer\",\"Dimensions\":[[\"FunctionName\",\"EventKind\"]],"
                + "\"Metrics\":[{\"Name\":\"Invocations\",\"Unit\":\"Count\"},{\"Name\":\"Latency\",\"Unit\":\"Microseconds\"}]},"
                + "{\"Namespace\":\"EdgeIam/Authorizer\",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":["
                + "{\"Name\":\"PrincipalCacheHits\",\"Unit\":\"Count\"},{\"Name\":\"PrincipalCacheMisses\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"CredentialCacheHits\",\"Unit\":\"Count\"},{\"Name\":\"CredentialCacheMisses\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"PolicySourceFailures\",\"Unit\":\"Count\"},{\"Name\":\"TagLookupFailures\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"UnrecognizedEvents\",\"Unit\":\"Count\"},{\"Name\":\"InternalErrors\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"UnauthorizedAnswers\",\"Unit\":\"Count\"}]},"
                + "{\"Namespace\":\"EdgeIam/Authorizer\",\"Dimensions\":[[\"FunctionName\",\"Decision\"],"
                + "[\"FunctionName\",\"Decision\",\"Reason\"]],\"Metrics\":[{\"Name\":\"Decisions\",\"Unit\":\"Count\"}]}]},"
                + "\"logType\":\"metrics\",\"requestId\":\"8f3e0c1a-0000-4000-8000-000000000001\","
                + "\"FunctionName\":\"edgeiam-authorizer\",\"EventKind\":\"Authorizer\",\"Invocations\":1,\"Latency\":412,"
                + "\"PrincipalCacheHits\":1,\"PrincipalCacheMisses\":0,\"CredentialCacheHits\":1,"
                + "\"CredentialCacheMisses\":0,\"PolicySourceFailures\":0,\"TagLookupFailures\":0,"
                + "\"UnrecognizedEvents\":0,\"InternalErrors\":0,\"UnauthorizedAnswers\":0,\"Decision\":\"Allow\",\"Reason\":\"allowed\","
                + "\"Decisions\":1}", lines.metrics());
    }

    @Test
    void anUnrecognizedEventWithAnAccountViewWritesExactlyThese() {
        Telemetry t = telemetry(61_500);
        t.start("warm-up");
        Telemetry.Started s = t.start("req-2");
        Telemetry.Lines lines = t.finish(s, "Unrecognized", "UnrecognizedEvent", 35, null, null);
        assertEquals("{\"requestId\":\"req-2\",\"timestamp\":\"2026-12-05T06:00:00Z\",\"level\":\"INFO\","
                + "\"logType\":\"invocation\",\"coldStart\":false,\"traceId\":\"1-5759e988-bd862e3fe1be46a994272793\","
                + "\"eventKind\":\"Unrecognized\",\"outcome\":\"UnrecognizedEvent\",\"latencyMicros\":35}",
                lines.invocation());
        assertEquals("{\"_aws\":{\"Timestamp\":1796450400000,\"CloudWatchMetrics\":["
                + "{\"Namespace\":\"EdgeIam/Authorizer\",\"Dimensions\":[[\"FunctionName\",\"EventKind\"]],"
                + "\"Metrics\":[{\"Name\":\"Invocations\",\"Unit\":\"Count\"},{\"Name\":\"Latency\",\"Unit\":\"Microseconds\"}]},"
                + "{\"Namespace\":\"EdgeIam/Authorizer\",\"Dimensions\":[[\"FunctionName\"]],\"Metrics\":["
                + "{\"Name\":\"PrincipalCacheHits\",\"Unit\":\"Count\"},{\"Name\":\"PrincipalCacheMisses\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"CredentialCacheHits\",\"Unit\":\"Count\"},{\"Name\":\"CredentialCacheMisses\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"PolicySourceFailures\",\"Unit\":\"Count\"},{\"Name\":\"TagLookupFailures\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"UnrecognizedEvents\",\"Unit\":\"Count\"},{\"Name\":\"InternalErrors\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"UnauthorizedAnswers\",\"Unit\":\"Count\"}]},"
                + "{\"Namespace\":\"EdgeIam/Authorizer\",\"Dimensions\":[[\"FunctionName\"]],"
                + "\"Metrics\":[{\"Name\":\"AccountViewAge\",\"Unit\":\"Seconds\"}]}]},"
                + "\"logType\":\"metrics\",\"requestId\":\"req-2\",\"FunctionName\":\"edgeiam-authorizer\","
                + "\"EventKind\":\"Unrecognized\",\"Invocations\":1,\"Latency\":35,\"PrincipalCacheHits\":0,"
                + "\"PrincipalCacheMisses\":0,\"CredentialCacheHits\":0,\"CredentialCacheMisses\":0,"
                + "\"PolicySourceFailures\":0,\"TagLookupFailures\":0,\"UnrecognizedEvents\":1,\"InternalErrors\":0,\"UnauthorizedAnswers\":0,"
                + "\"AccountViewAge\":61.5}", lines.metrics());
    }

    @Test
    void anInternalErrorIsAnErrorLineAndCounted() throws Exception {
        Telemetry t = telemetry(-1);
        Telemetry.Lines lines = t.finish(t.start("r"), "Authorizer", "InternalError", 9,
                "java.lang.IllegalStateException", null);
        JsonNode inv = JSON.readTree(lines.invocation());
        assertEquals("ERROR", inv.path("level").asText());
        assertEquals("java.lang.IllegalStateException", inv.path("failure").asText());
        JsonNode m = JSON.readTree(lines.metrics());
        assertEquals(1, m.path("InternalErrors").asInt());
        assertFalse(m.has("Decision"), "no decision was made");
    }

    @Test
    void valuesAreEscapedSoEachLineStaysOneJsonObject() throws Exception {
        Telemetry t = telemetry(-1);
        String odd = "a\"b\\c\nd\u0001\u2028";
        DecisionLogFields decision = new DecisionLogFields(odd, odd, odd, odd, "Deny", "explicit-deny", odd, odd, odd);
        Telemetry.Lines lines = t.finish(t.start(odd), odd, odd, 1, odd, decision);
        for (String line : new String[]{lines.invocation(), lines.metrics()}) {
            assertFalse(line.contains("\n"), line);
            JsonNode parsed = JSON.readTree(line);
            assertEquals(odd, parsed.path("requestId").asText());
        }
        JsonNode invocation = JSON.readTree(lines.invocation());
        for (String field : List.of("format", "principal", "action", "resource", "category", "cacheScope",
                "viewVersion")) {
            assertEquals(odd, invocation.path(field).asText(), field);
        }
        assertEquals(odd, JSON.readTree(lines.metrics()).path("EventKind").asText());
    }

    @Test
    void reasonDimensionsAreLabelsOrOther() {
        assertEquals("policy-source-unavailable", Telemetry.reasonDimension("policy-source-unavailable"));
        assertEquals("credential-rejected:role-not-found",
                Telemetry.reasonDimension("credential-rejected:role-not-found"));
        assertEquals("other", Telemetry.reasonDimension("arn:aws:iam::111122223333:role/x"));
        assertEquals("other", Telemetry.reasonDimension("Bearer eyJhbGciOi"));
        assertEquals("other", Telemetry.reasonDimension(null));
        assertEquals("other", Telemetry.reasonDimension("a".repeat(49)));
        Random random = new Random(3);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(40);
            for (int j = 0; j < n; j++) {
                b.append((char) (32 + random.nextInt(95)));
            }
            String d = Telemetry.reasonDimension(b.toString());
            assertTrue(d.equals("other") || d.equals(b.toString()) && d.matches("[a-z][a-z0-9:-]*"), d);
        }
    }

    /** The directives as a Jackson tree would write them: the form they were made in before they were hand-written. */
    private static String jacksonDirectives(String namespace, List<Emf.Directive> directives) {
        com.fasterxml.jackson.databind.node.ArrayNode all =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (Emf.Directive d : directives) {
            com.fasterxml.jackson.databind.node.ObjectNode directive = all.addObject();
            directive.put("Namespace", namespace);
            com.fasterxml.jackson.databind.node.ArrayNode sets = directive.putArray("Dimensions");
            d.dimensionSets().forEach(set -> set.forEach(sets.addArray()::add));
            com.fasterxml.jackson.databind.node.ArrayNode metrics = directive.putArray("Metrics");
            d.metrics().forEach(m -> metrics.addObject().put("Name", m.name()).put("Unit", m.unit().label()));
        }
        return all.toString();
    }

    @Test
    void directivesAreWhatAJacksonTreeWrites() {
        Random random = new Random(12_06);
        String letters = "ABCabcXYZxyz019";
        for (int i = 0; i < 500; i++) {
            List<Emf.Directive> directives = new java.util.ArrayList<>();
            for (int d = 1 + random.nextInt(4); d > 0; d--) {
                List<List<String>> sets = new java.util.ArrayList<>();
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    List<String> set = new java.util.ArrayList<>();
                    for (int n = 1 + random.nextInt(4); n > 0; n--) {
                        set.add("D" + letters.charAt(random.nextInt(letters.length())) + n);
                    }
                    sets.add(set);
                }
                List<Emf.Metric> metrics = new java.util.ArrayList<>();
                for (int n = 1 + random.nextInt(5); n > 0; n--) {
                    metrics.add(new Emf.Metric("M" + letters.charAt(random.nextInt(letters.length())) + n,
                            Emf.Unit.values()[random.nextInt(Emf.Unit.values().length)]));
                }
                directives.add(new Emf.Directive(sets, metrics));
            }
            String namespace = List.of("EdgeIam/Authorizer", "a.b-c_d/e#f:g", "N").get(random.nextInt(3));
            assertEquals(jacksonDirectives(namespace, directives), Emf.directivesJson(namespace, directives));
        }
    }

    @Test
    void theNamespaceAndNamesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Telemetry("AWS/Lambda", "f",
                () -> Telemetry.Counters.ZERO, () -> -1, () -> TraceHeader.parse(null), CLOCK));
        assertThrows(IllegalArgumentException.class, () -> new Emf.Metric("has space", Emf.Unit.COUNT));
    }

    @Test
    void traceHeadersAreParsedAndMalformedPartsDropped() {
        TraceHeader h = TraceHeader.parse(HEADER);
        assertEquals("1-5759e988-bd862e3fe1be46a994272793", h.root());
        assertEquals("53995c3f42cd8ad8", h.parent());
        assertTrue(h.sampled() && h.traceable());
        assertFalse(TraceHeader.parse(HEADER.replace("Sampled=1", "Sampled=0")).traceable());
        assertFalse(TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793").traceable());
        assertNull(TraceHeader.parse("Root=\"><script>;Parent=53995c3f42cd8ad8;Sampled=1").root());
        assertNull(TraceHeader.parse(null).root());
        assertNull(TraceHeader.parse("garbage").root());
    }

    @Test
    void daemonAddressesInBothDocumentedForms() {
        assertEquals(InetSocketAddress.createUnresolved("169.254.79.129", 2000),
                XRaySubsegments.udpAddress("169.254.79.129:2000"));
        assertEquals(InetSocketAddress.createUnresolved("127.0.0.2", 2001),
                XRaySubsegments.udpAddress("tcp:127.0.0.1:2000 udp:127.0.0.2:2001"));
        assertTrue(XRaySubsegments.udpAddress("xray.example.invalid:2000").isUnresolved(), "no look-up at start-up");
        assertNull(XRaySubsegments.udpAddress(null));
        assertNull(XRaySubsegments.udpAddress("tcp:127.0.0.1:2000"));
        assertNull(XRaySubsegments.udpAddress("localhost:99999"));
        assertNull(XRaySubsegments.fromEnvironment(name -> null), "tracing off without the daemon address");
    }

    @Test
    void aSubsegmentReachesTheDaemonAsAnIndependentSubsegmentDocument() throws Exception {
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            daemon.setSoTimeout(5_000);
            XRaySubsegments sender = XRaySubsegments.fromEnvironment(
                    name -> name.equals(XRaySubsegments.DAEMON_ADDRESS) ? "127.0.0.1:" + daemon.getLocalPort() : null);
            // no socket until a traced call: a SnapStart snapshot, taken after the init, holds none (red-team pass 32)
            assertFalse(sender.opened(), "made with the function's services, before any invocation");
            sender.send(TraceHeader.parse(HEADER.replace("Sampled=1", "Sampled=0")), call(200, false));
            assertFalse(sender.opened(), "an unsampled trace opens nothing");
            sender.send(TraceHeader.parse(HEADER), call(429, true));
            assertTrue(sender.opened());
            byte[] buffer = new byte[65_536];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            daemon.receive(packet); // the unsampled one was not sent: this is the throttled call
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("{\"format\":\"json\",\"version\":1}\n"), text);
            JsonNode doc = JSON.readTree(text.substring(text.indexOf('\n') + 1));
            assertEquals("Iam", doc.path("name").asText());
            assertTrue(doc.path("id").asText().matches("[0-9a-f]{16}"), doc.toString());
            assertEquals("1-5759e988-bd862e3fe1be46a994272793", doc.path("trace_id").asText());
            assertEquals("53995c3f42cd8ad8", doc.path("parent_id").asText());
            assertEquals("subsegment", doc.path("type").asText());
            assertEquals("aws", doc.path("namespace").asText());
            assertEquals(1796450400.25, doc.path("start_time").asDouble());
            assertEquals(1796450400.5, doc.path("end_time").asDouble());
            assertEquals("GetRole", doc.path("aws").path("operation").asText());
            assertEquals("aws-global", doc.path("aws").path("region").asText());
            assertEquals("req-1", doc.path("aws").path("request_id").asText());
            assertEquals(429, doc.path("http").path("response").path("status").asInt());
            assertTrue(doc.path("error").asBoolean() && doc.path("throttle").asBoolean());
            assertFalse(doc.has("fault"));
            sender.close();
        }
    }

    @Test
    void faultsAndErrorsFollowTheStatus() throws Exception {
        TraceHeader h = TraceHeader.parse(HEADER);
        assertTrue(JSON.readTree(XRaySubsegments.document(h, call(503, false), "0000000000000001")).path("fault")
                .asBoolean());
        assertTrue(JSON.readTree(XRaySubsegments.document(h, call(0, false), "0000000000000001")).path("fault")
                .asBoolean(), "no response at all is a fault");
        JsonNode forbidden = JSON.readTree(XRaySubsegments.document(h, call(403, false), "0000000000000001"));
        assertTrue(forbidden.path("error").asBoolean() && !forbidden.has("fault") && !forbidden.has("throttle"));
        JsonNode ok = JSON.readTree(XRaySubsegments.document(h, call(200, false), "0000000000000001"));
        assertFalse(ok.has("error") || ok.has("fault") || ok.has("throttle"));
    }

    private static XRaySubsegments.Call call(int status, boolean throttled) {
        return new XRaySubsegments.Call("Iam", "GetRole", "aws-global", "req-1", status, throttled, 1796450400.25,
                1796450400.5);
    }
}
