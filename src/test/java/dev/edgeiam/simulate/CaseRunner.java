package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs evaluation cases in the conformance format (shared/conformance/README.md) through the
 * SimulateCustomPolicy entry point, one dynamic test per case.
 */
final class CaseRunner {

    static final ObjectMapper JSON = new ObjectMapper();

    private CaseRunner() {
    }

    static List<JsonNode> load(String resource) throws IOException {
        List<JsonNode> cases = new ArrayList<>();
        try (InputStream in = CaseRunner.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode c = JSON.readTree(line);
                ((ObjectNode) c).put("_line", resource + ":" + n);
                cases.add(c);
            }
        }
        return cases;
    }

    static List<DynamicTest> tests(List<JsonNode> cases) {
        CustomPolicySimulator simulator = new CustomPolicySimulator();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.path("id").asText(c.path("_line").asText()), () -> run(simulator, c)));
        }
        return tests;
    }

    static ObjectNode request(JsonNode c) {
        ObjectNode body = JSON.createObjectNode();
        body.set("PolicyInputList", policies(c.path("identityPolicies")));
        if (c.has("permissionBoundaries")) {
            body.set("PermissionsBoundaryPolicyInputList", policies(c.get("permissionBoundaries")));
        }
        if (c.has("sessionPolicy")) {
            ArrayNode one = JSON.createArrayNode().add(c.get("sessionPolicy"));
            body.set("SessionPolicyInputList", policies(one));
        }
        if (c.has("scps")) {
            body.set("ServiceControlPolicyInputList", policies(c.get("scps")));
        }
        if (c.has("rcps")) {
            body.set("ResourceControlPolicyInputList", policies(c.get("rcps")));
        }
        if (c.has("resourcePolicy")) {
            JsonNode rp = c.get("resourcePolicy");
            body.put("ResourcePolicy", rp.isTextual() ? rp.asText() : rp.toString());
        }
        if (c.has("resourceOwner")) {
            body.put("ResourceOwner", c.get("resourceOwner").asText());
        }
        body.putArray("ActionNames").add(c.path("action").asText());
        body.putArray("ResourceArns").add(c.path("resource").asText());
        String principal = c.path("principal").isTextual() ? c.get("principal").asText() : null;
        if ("federated-user".equals(c.path("sessionType").asText())
                && (principal == null || !principal.contains(":federated-user/"))) {
            principal = "arn:aws:sts::111122223333:federated-user/case";
        }
        if (principal != null) {
            body.put("CallerArn", principal);
        }
        ArrayNode entries = body.putArray("ContextEntries");
        Iterator<Map.Entry<String, JsonNode>> fields = c.path("context").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            ObjectNode e = entries.addObject();
            e.put("ContextKeyName", f.getKey());
            JsonNode v = f.getValue();
            if (v.isObject()) {
                e.set("ContextKeyValues", v.get("values"));
                e.put("ContextKeyType", v.get("type").asText());
            } else if (v.isArray()) {
                ArrayNode values = e.putArray("ContextKeyValues");
                v.forEach(x -> values.add(x.asText()));
                e.put("ContextKeyType", "stringList");
            } else {
                e.putArray("ContextKeyValues").add(v.asText());
                e.put("ContextKeyType", "string");
            }
        }
        return body;
    }

    private static ArrayNode policies(JsonNode list) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode p : list) {
            out.add(p.isTextual() ? p.asText() : p.toString());
        }
        return out;
    }

    private static void run(CustomPolicySimulator simulator, JsonNode c) {
        ObjectNode response = simulator.simulate(request(c));
        String label = c.path("_line").asText() + " " + c.path("description").asText("");
        if (c.has("expectError")) {
            JsonNode want = c.get("expectError");
            assertEquals(want.path("errorCode").asText(), response.path("errorCode").asText(),
                    label + "\nresponse: " + response.toPrettyString());
            if (want.has("pointer")) {
                assertEquals(want.get("pointer").asText(), response.path("location").path("pointer").asText(),
                        label + "\nresponse: " + response.toPrettyString());
            }
            for (String f : new String[] {"line", "column"}) {
                JsonNode at = want.has(f) ? want.get(f) : c.get(f);
                if (at != null) {
                    assertEquals(at.asInt(), response.path("location").path(f).asInt(),
                            label + " " + f + "\nresponse: " + response.toPrettyString());
                }
            }
            return;
        }
        if (response.has("errorCode")) {
            fail(label + ": unexpected error " + response.toPrettyString());
        }
        JsonNode results = response.path("EvaluationResults");
        assertEquals(1, results.size(), label);
        String expected = switch (c.path("expect").asText()) {
            case "Allowed" -> "allowed";
            case "ExplicitlyDenied" -> "explicitDeny";
            case "ImplicitlyDenied" -> "implicitDeny";
            default -> throw new AssertionError(label + ": unknown expectation " + c.path("expect"));
        };
        assertEquals(expected, results.get(0).path("EvalDecision").asText(),
                label + "\nresponse: " + results.get(0).toPrettyString());
        assertTrue(results.get(0).has("MissingContextValues"));
        if (c.has("expectReason")) {
            assertEquals(c.get("expectReason").asText(), results.get(0).path("Reason").asText(),
                    label + "\nresponse: " + results.get(0).toPrettyString());
        }
    }
}
