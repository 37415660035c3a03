package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Decision;
import dev.edgeiam.evaluate.EvalDecision;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.LayerResult;
import dev.edgeiam.evaluate.MatchedStatement;
import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.policy.PolicyDocument;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.policy.SourcePosition;
import dev.edgeiam.policy.value.CidrBlock;
import dev.edgeiam.policy.value.IamBinary;
import dev.edgeiam.policy.value.IamBoolean;
import dev.edgeiam.policy.value.IamDate;
import dev.edgeiam.policy.value.IamNumber;
import dev.edgeiam.request.ContextKeyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Answers an IAM {@code SimulateCustomPolicy}-shaped request (IAM API reference, {@code SimulateCustomPolicy}):
 * policies as JSON strings in {@code PolicyInputList} and {@code PermissionsBoundaryPolicyInputList}, plus two
 * extensions — {@code SessionPolicyInputList} and {@code ServiceControlPolicyInputList} (one policy per
 * organization level, root first) — evaluated for every action (outer loop) and resource ARN (inner loop,
 * default {@code "*"}) with the {@code ContextEntries} exactly as given: nothing is derived from
 * {@code CallerArn} except the session kind it names (an {@code sts} federated-user ARN has no permissions
 * without a session policy; an assumed-role ARN keeps its role's).
 *
 * <p>Never throws: a malformed policy answers {@code {"errorCode": "MalformedPolicyDocument"|"LimitExceeded",
 * "message", "location"}}, a malformed request {@code "InvalidInput"}.
 */
public final class CustomPolicySimulator {

    /** IAM's SimulateCustomPolicy accepts policy strings up to 131,072 characters. */
    static final int MAX_RESULTS = 1_000;

    private static final Set<String> FIELDS = Set.of("PolicyInputList", "PermissionsBoundaryPolicyInputList",
            "SessionPolicyInputList", "ServiceControlPolicyInputList", "ActionNames", "ResourceArns", "CallerArn",
            "ContextEntries");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * @param body the object under the event's {@code "SimulateCustomPolicy"} key
     * @return {@code {"EvaluationResults": [...]}} or {@code {"errorCode", "message", "location"}}; never throws
     */
    public ObjectNode simulate(JsonNode body) {
        try {
            return run(body);
        } catch (PolicyInputException e) {
            PolicyException p = e.cause;
            ObjectNode out = JSON.objectNode();
            out.put("errorCode", p.errorCode());
            out.put("message", e.input + ": " + p.getMessage());
            ObjectNode location = out.putObject("location");
            location.put("policyInput", e.input);
            location.put("pointer", p.pointer());
            location.put("line", p.position().line());
            location.put("column", p.position().column());
            return out;
        } catch (SimulationInputException e) {
            ObjectNode out = JSON.objectNode();
            out.put("errorCode", "InvalidInput");
            out.put("message", e.getMessage());
            out.putObject("location").put("pointer", e.pointer());
            return out;
        }
    }

    private ObjectNode run(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new SimulationInputException("SimulateCustomPolicy must be a JSON object", "/SimulateCustomPolicy");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new SimulationInputException("unsupported field \"" + name + "\" (supported: "
                        + String.join(", ", FIELDS.stream().sorted().toList()) + ")", "/SimulateCustomPolicy/" + name);
            }
        }
        List<CompiledPolicy> identity = policies(body, "PolicyInputList", PolicyType.SIMULATION, true);
        List<CompiledPolicy> boundary = policies(body, "PermissionsBoundaryPolicyInputList", PolicyType.SIMULATION,
                false);
        List<CompiledPolicy> session = policies(body, "SessionPolicyInputList", PolicyType.SIMULATION, false);
        List<CompiledPolicy> scps = policies(body, "ServiceControlPolicyInputList", PolicyType.SIMULATION, false);
        List<String> actions = strings(body, "ActionNames", true);
        if (actions.isEmpty()) {
            throw new SimulationInputException("ActionNames must list at least one action",
                    "/SimulateCustomPolicy/ActionNames");
        }
        List<String> resources = body.has("ResourceArns") ? strings(body, "ResourceArns", true) : List.of("*");
        if (resources.isEmpty()) {
            resources = List.of("*");
        }
        if ((long) actions.size() * resources.size() > MAX_RESULTS) {
            throw new SimulationInputException("at most " + MAX_RESULTS + " action × resource pairs per request",
                    "/SimulateCustomPolicy/ActionNames");
        }
        String caller = null;
        if (body.has("CallerArn")) {
            JsonNode c = body.get("CallerArn");
            if (!c.isTextual()) {
                throw new SimulationInputException("CallerArn must be a string", "/SimulateCustomPolicy/CallerArn");
            }
            caller = c.asText();
        }

        CompiledPolicySet.Builder set = CompiledPolicySet.builder().identity(identity).sessionKind(sessionKind(caller));
        boundary.forEach(set::boundary);
        session.forEach(set::session);
        for (CompiledPolicy scp : scps) {
            set.serviceControlLevel(List.of(scp));
        }
        CompiledPolicySet compiled = set.build();
        List<ContextValue> context = contextEntries(body);

        ObjectNode out = JSON.objectNode();
        ArrayNode results = out.putArray("EvaluationResults");
        for (String action : actions) {
            for (String resource : resources) {
                RequestContext.Builder request = RequestContext.builder(action, resource);
                context.forEach(request::put);
                Decision decision = Evaluator.explain(compiled, request.build());
                results.add(result(action, resource, decision, compiled.boundary() != null));
            }
        }
        return out;
    }

    static SessionKind sessionKind(String callerArn) {
        if (callerArn == null) {
            return SessionKind.NONE;
        }
        if (callerArn.startsWith("arn:") && callerArn.contains(":sts::")) {
            int colon = callerArn.indexOf(':', callerArn.indexOf(":sts::") + 6);
            String resource = colon < 0 ? "" : callerArn.substring(colon + 1);
            if (resource.startsWith("federated-user/")) {
                return SessionKind.FEDERATED_USER;
            }
            if (resource.startsWith("assumed-role/")) {
                return SessionKind.ROLE_SESSION;
            }
        }
        return SessionKind.NONE;
    }

    private static ObjectNode result(String action, String resource, Decision decision, boolean hasBoundary) {
        ObjectNode r = JSON.objectNode();
        r.put("EvalActionName", action);
        r.put("EvalResourceName", resource);
        r.put("EvalDecision", decision.decision().simulatorName());
        ArrayNode matched = r.putArray("MatchedStatements");
        for (MatchedStatement m : decision.matchedStatements()) {
            ObjectNode s = matched.addObject();
            s.put("SourcePolicyId", m.policyId());
            s.put("SourcePolicyType", m.layer().simulatorName());
            position(s.putObject("StartPosition"), m.start());
            position(s.putObject("EndPosition"), m.end());
            if (m.sid() != null) {
                s.put("Sid", m.sid());
            }
            s.put("StatementIndex", m.statementIndex());
            s.put("Effect", m.effect().text());
        }
        ArrayNode missing = r.putArray("MissingContextValues");
        decision.missingContextKeys().forEach(missing::add);
        if (hasBoundary) {
            boolean allowedByBoundary = decision.layers().stream()
                    .anyMatch(l -> l.layer() == PolicyLayer.Kind.PERMISSIONS_BOUNDARY
                            && l.outcome() == EvalDecision.ALLOWED);
            r.putObject("PermissionsBoundaryDecisionDetail").put("AllowedByPermissionsBoundary", allowedByBoundary);
        }
        r.put("Reason", decision.reason());
        ArrayNode layers = r.putArray("LayerDecisions");
        for (LayerResult l : decision.layers()) {
            ObjectNode o = layers.addObject();
            o.put("Layer", l.layer().simulatorName());
            if (l.layer() == PolicyLayer.Kind.SERVICE_CONTROL) {
                o.put("Level", l.level());
            }
            o.put("Decision", l.outcome().simulatorName());
        }
        return r;
    }

    private static void position(ObjectNode node, SourcePosition p) {
        node.put("Line", p.line());
        node.put("Column", p.column());
    }

    private static List<CompiledPolicy> policies(JsonNode body, String field, PolicyType type, boolean required) {
        List<String> texts = strings(body, field, required);
        List<CompiledPolicy> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String id = field + "." + (i + 1);
            try {
                PolicyDocument doc = PolicyParser.parse(texts.get(i), type, id);
                out.add(CompiledPolicy.compile(doc));
            } catch (PolicyException e) {
                throw new PolicyInputException(id, e);
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        String pointer = "/SimulateCustomPolicy/" + field;
        if (node == null || node.isNull()) {
            if (required) {
                throw new SimulationInputException(field + " is required", pointer);
            }
            return List.of();
        }
        if (!node.isArray()) {
            throw new SimulationInputException(field + " must be an array of strings", pointer);
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new SimulationInputException(field + " must contain only strings", pointer + "/" + i);
            }
            out.add(item.asText());
        }
        return out;
    }

    private static List<ContextValue> contextEntries(JsonNode body) {
        JsonNode node = body.get("ContextEntries");
        if (node == null || node.isNull()) {
            return List.of();
        }
        String base = "/SimulateCustomPolicy/ContextEntries";
        if (!node.isArray()) {
            throw new SimulationInputException("ContextEntries must be an array", base);
        }
        List<ContextValue> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String pointer = base + "/" + i;
            if (!entry.isObject()) {
                throw new SimulationInputException("each context entry must be an object", pointer);
            }
            Iterator<String> fields = entry.fieldNames();
            while (fields.hasNext()) {
                String f = fields.next();
                if (!Set.of("ContextKeyName", "ContextKeyValues", "ContextKeyType").contains(f)) {
                    throw new SimulationInputException("unknown context entry field \"" + f + "\"", pointer + "/" + f);
                }
            }
            JsonNode name = entry.get("ContextKeyName");
            if (name == null || !name.isTextual() || name.asText().isEmpty() || name.asText().length() > 256) {
                throw new SimulationInputException("ContextKeyName must be a non-empty string of at most 256 "
                        + "characters", pointer + "/ContextKeyName");
            }
            JsonNode typeNode = entry.get("ContextKeyType");
            ContextKeyType type = typeNode != null && typeNode.isTextual()
                    ? ContextKeyType.fromApiName(typeNode.asText()) : null;
            if (type == null) {
                throw new SimulationInputException("ContextKeyType must be one of string, stringList, numeric, "
                        + "numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList",
                        pointer + "/ContextKeyType");
            }
            List<String> values = strings(entry, "ContextKeyValues", true).stream().toList();
            if (!type.multivalued() && values.size() != 1) {
                throw new SimulationInputException("a " + type.apiName() + " key takes exactly one value",
                        pointer + "/ContextKeyValues");
            }
            for (int v = 0; v < values.size(); v++) {
                String problem = typeProblem(type, values.get(v));
                if (problem != null) {
                    throw new SimulationInputException("value \"" + values.get(v) + "\" of " + name.asText() + " "
                            + problem, pointer + "/ContextKeyValues/" + v);
                }
            }
            out.add(new ContextValue(name.asText(), values, type.multivalued(), type));
        }
        return out;
    }

    private static String typeProblem(ContextKeyType type, String value) {
        return switch (type) {
            case NUMERIC, NUMERIC_LIST -> IamNumber.parse(value) == null ? "is not a number" : null;
            case BOOLEAN, BOOLEAN_LIST -> IamBoolean.parse(value) == null ? "is not true or false" : null;
            case IP, IP_LIST -> CidrBlock.parse(value) == null ? "is not an IP address" : null;
            case BINARY, BINARY_LIST -> IamBinary.parse(value) == null ? "is not base64" : null;
            case DATE, DATE_LIST -> IamDate.isValid(value) ? null : "is not an ISO 8601 date or epoch seconds";
            default -> null;
        };
    }

    /** A policy input that failed to parse, with the input's name. */
    private static final class PolicyInputException extends RuntimeException {
        final String input;
        final PolicyException cause;

        PolicyInputException(String input, PolicyException cause) {
            super(cause.getMessage(), null, false, false);
            this.input = input;
            this.cause = cause;
        }
    }
}
