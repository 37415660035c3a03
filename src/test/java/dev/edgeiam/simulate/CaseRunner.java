package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.corpus.CorpusCase;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs corpus and conformance cases ({@link CorpusCase}) through the SimulateCustomPolicy entry point, one dynamic
 * test per case: each case becomes a request body, and the response's shape and decision (or error and its
 * location) are checked.
 */
final class CaseRunner {

    static final ObjectMapper JSON = new ObjectMapper();

    private CaseRunner() {
    }

    static List<DynamicTest> tests(List<CorpusCase> cases) {
        CustomPolicySimulator simulator = new CustomPolicySimulator();
        List<DynamicTest> tests = new ArrayList<>();
        for (CorpusCase c : cases) {
            tests.add(DynamicTest.dynamicTest(c.id(), () -> run(simulator, c)));
        }
        return tests;
    }

    static ObjectNode request(CorpusCase c) {
        ObjectNode body = JSON.createObjectNode();
        body.set("PolicyInputList", policies(c.identityPolicies()));
        if (!c.permissionBoundaries().isEmpty()) {
            body.set("PermissionsBoundaryPolicyInputList", policies(c.permissionBoundaries()));
        }
        if (c.sessionPolicy() != null) {
            body.set("SessionPolicyInputList", policies(List.of(c.sessionPolicy())));
        }
        if (!c.serviceControlPolicies().isEmpty()) {
            body.set("ServiceControlPolicyInputList", policies(c.serviceControlPolicies()));
        }
        if (!c.resourceControlPolicies().isEmpty()) {
            body.set("ResourceControlPolicyInputList", policies(c.resourceControlPolicies()));
        }
        if (c.resourcePolicy() != null) {
            body.put("ResourcePolicy", c.resourcePolicy());
        }
        if (c.resourceOwner() != null) {
            body.put("ResourceOwner", c.resourceOwner());
        }
        body.putArray("ActionNames").add(c.action());
        body.putArray("ResourceArns").add(c.resource());
        String principal = c.principal();
        if ("federated-user".equals(c.sessionType()) && (principal == null || !principal.contains(":federated-user/"))) {
            principal = "arn:aws:sts::111122223333:federated-user/case";
        }
        if (principal != null) {
            body.put("CallerArn", principal);
        }
        ArrayNode entries = body.putArray("ContextEntries");
        for (CorpusCase.ContextEntry e : c.context()) {
            ObjectNode entry = entries.addObject();
            entry.put("ContextKeyName", e.name());
            ArrayNode values = entry.putArray("ContextKeyValues");
            e.values().forEach(values::add);
            entry.put("ContextKeyType", e.type());
        }
        return body;
    }

    private static ArrayNode policies(List<String> documents) {
        ArrayNode out = JSON.createArrayNode();
        documents.forEach(out::add);
        return out;
    }

    private static void run(CustomPolicySimulator simulator, CorpusCase c) {
        ObjectNode response = simulator.simulate(request(c));
        String label = c + "\nresponse: " + response.toPrettyString();
        if (c.expectError() != null) {
            CorpusCase.ExpectedError want = c.expectError();
            assertEquals(want.errorCode(), response.path("errorCode").asText(), label);
            if (want.pointer() != null) {
                assertEquals(want.pointer(), response.path("location").path("pointer").asText(), label);
            }
            if (want.line() != null) {
                assertEquals(want.line(), response.path("location").path("line").asInt(), "line, " + label);
            }
            if (want.column() != null) {
                assertEquals(want.column(), response.path("location").path("column").asInt(), "column, " + label);
            }
            return;
        }
        if (response.has("errorCode")) {
            fail(c + ": unexpected error " + response.toPrettyString());
        }
        JsonNode results = response.path("EvaluationResults");
        assertEquals(1, results.size(), label);
        String expected = switch (c.expect()) {
            case Allowed -> "allowed";
            case ExplicitlyDenied -> "explicitDeny";
            case ImplicitlyDenied -> "implicitDeny";
        };
        assertEquals(expected, results.get(0).path("EvalDecision").asText(),
                label + "\nresponse: " + results.get(0).toPrettyString());
        assertEquals(c.action(), results.get(0).path("EvalActionName").asText(), label);
        assertEquals(c.resource(), results.get(0).path("EvalResourceName").asText(), label);
        assertTrue(results.get(0).path("MissingContextValues").isArray(), label);
        if (c.expectReason() != null) {
            assertEquals(c.expectReason(), results.get(0).path("Reason").asText(),
                    label + "\nresponse: " + results.get(0).toPrettyString());
        }
    }
}
