package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Decision;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.LayerResult;
import dev.edgeiam.evaluate.MatchedStatement;
import dev.edgeiam.evaluate.ResourcePolicySet;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.Arns;
import dev.edgeiam.request.RequestPrincipal;
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
import java.util.function.Consumer;

/**
 * What the simulate entry points share: reading the request fields common to {@code SimulateCustomPolicy} and
 * {@code SimulatePrincipalPolicy} ({@code ActionNames}, {@code ResourceArns}, {@code ContextEntries},
 * {@code CallerArn}, {@code ResourcePolicy}, {@code ResourceOwner}, {@code ResourceControlPolicyInputList}), running
 * every action × resource pair, and writing each result in one shape.
 */
final class SimulationSupport {

    /** The most action × resource pairs one request may ask for. */
    static final int MAX_RESULTS = 1_000;

    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static final Set<String> ENTRY_FIELDS = Set.of("ContextKeyName", "ContextKeyValues", "ContextKeyType");

    private SimulationSupport() {
    }

    /** {@code {"errorCode", "message"}} plus, when given, {@code "location": {"pointer"}}. */
    static ObjectNode error(String errorCode, String message, String pointer) {
        ObjectNode out = JSON.objectNode();
        out.put("errorCode", errorCode);
        out.put("message", message);
        if (pointer != null) {
            out.putObject("location").put("pointer", pointer);
        }
        return out;
    }

    /** Rejects a body that is not an object or names a field outside {@code fields}. */
    static void checkFields(JsonNode body, String root, Set<String> fields) {
        if (body == null || !body.isObject()) {
            throw new SimulationInputException(root + " must be a JSON object", "/" + root);
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new SimulationInputException("unsupported field \"" + name + "\" (supported: "
                        + String.join(", ", fields.stream().sorted().toList()) + ")", "/" + root + "/" + name);
            }
        }
    }

    /** {@code ActionNames}: required, at least one. */
    static List<String> actionNames(JsonNode body, String root) {
        List<String> actions = strings(body, "ActionNames", true, "/" + root + "/ActionNames");
        if (actions.isEmpty()) {
            throw new SimulationInputException("ActionNames must list at least one action",
                    "/" + root + "/ActionNames");
        }
        return actions;
    }

    /** {@code ResourceArns}: default {@code ["*"]}; bounded together with the actions. */
    static List<String> resourceArns(JsonNode body, String root, List<String> actions) {
        List<String> resources = body.has("ResourceArns")
                ? strings(body, "ResourceArns", true, "/" + root + "/ResourceArns") : List.of("*");
        if (resources.isEmpty()) {
            resources = List.of("*");
        }
        if ((long) actions.size() * resources.size() > MAX_RESULTS) {
            throw new SimulationInputException("at most " + MAX_RESULTS + " action × resource pairs per request",
                    "/" + root + "/ActionNames");
        }
        return resources;
    }

    /**
     * Evaluates every action (outer loop) and resource (inner loop) with the given context entries, then lets
     * {@code extraKeys} add what is still missing (it should use {@code putIfAbsent}, so given entries win).
     */
    static ObjectNode evaluateAll(CompiledPolicySet compiled, ResourceSide resourceSide, List<String> actions,
                                  List<String> resources, List<ContextValue> context,
                                  Consumer<RequestContext.Builder> extraKeys) {
        ObjectNode out = JSON.objectNode();
        ArrayNode results = out.putArray("EvaluationResults");
        for (String action : actions) {
            for (String resource : resources) {
                RequestContext.Builder request = RequestContext.builder(action, resource);
                context.forEach(request::put);
                extraKeys.accept(request);
                resourceSide.applyTo(request);
                Decision decision = Evaluator.explain(compiled, resourceSide.policies(), request.build());
                results.add(result(action, resource, decision, compiled.boundary() != null));
            }
        }
        return out;
    }

    static ObjectNode result(String action, String resource, Decision decision, boolean hasBoundary) {
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
                            && l.decision() == Reason.Category.ALLOWED);
            r.putObject("PermissionsBoundaryDecisionDetail").put("AllowedByPermissionsBoundary", allowedByBoundary);
        }
        r.put("Reason", decision.reason().label());
        ArrayNode layers = r.putArray("LayerDecisions");
        for (LayerResult l : decision.layers()) {
            ObjectNode o = layers.addObject();
            o.put("Layer", l.layer().simulatorName());
            if (l.layer() == PolicyLayer.Kind.SERVICE_CONTROL || l.layer() == PolicyLayer.Kind.RESOURCE_CONTROL) {
                o.put("Level", l.level());
            }
            o.put("Decision", l.decision().simulatorName());
        }
        return r;
    }

    private static void position(ObjectNode node, SourcePosition p) {
        node.put("Line", p.line());
        node.put("Column", p.column());
    }

    /**
     * The resource's side of a simulation and who is asking: {@code CallerArn} (the principal a resource policy's
     * {@code Principal} is matched against, and the principal's account), {@code ResourceOwner} (the account of
     * resources whose ARN names none), the {@code ResourcePolicy} and the {@code ResourceControlPolicyInputList}.
     */
    record ResourceSide(ResourcePolicySet policies, String caller, String ownerAccount) {

        static final ResourceSide NONE = new ResourceSide(ResourcePolicySet.NONE, null, null);

        void applyTo(RequestContext.Builder request) {
            if (caller != null) {
                request.principal(RequestPrincipal.ofArn(caller));
                String account = Arns.account(caller);
                if (account != null) {
                    request.principalAccount(account);
                }
            }
            if (ownerAccount != null) {
                request.resourceOwner(ownerAccount);
            }
        }
    }

    private static final java.util.regex.Pattern ACCOUNT_ROOT =
            java.util.regex.Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):root");

    /** An IAM or STS principal ARN: the account root, a user, a role, an assumed-role or federated-user session. */
    private static final java.util.regex.Pattern PRINCIPAL_ARN = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:(iam::\\d{12}:(root|(user|role)/.+)|sts::\\d{12}:(assumed-role|federated-user)/.+)");

    /**
     * {@code CallerArn}: a principal ARN. IAM takes "only the ARN of an IAM user" (IAM API Reference,
     * SimulateCustomPolicy, https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html); the
     * account root, role, assumed-role and federated-user ARNs are accepted too, so every principal form can be
     * simulated. Anything else (a bare account id, free text, another service's ARN) is refused: a resource policy's {@code Principal} could not be
     * matched against it as IAM would.
     */
    static String callerArn(JsonNode node, String pointer) {
        if (!node.isTextual()) {
            throw new SimulationInputException("CallerArn must be a string", pointer);
        }
        String arn = node.asText();
        if (!PRINCIPAL_ARN.matcher(arn).matches()) {
            throw new SimulationInputException("CallerArn must be a principal ARN: arn:PARTITION:iam::ACCOUNT-ID:user/"
                    + "NAME (or a role, assumed-role or federated-user ARN)", pointer);
        }
        return arn;
    }

    /**
     * Refuses a request whose caller and resources (or {@code ResourceOwner}) are in different partitions: AWS
     * partitions are separate, so no IAM decision exists for such a request, and an account id in a policy names an
     * account of one partition only ("AWS JSON policy elements: Principal",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
     */
    static void samePartition(String caller, List<String> resources, String root) {
        if (caller == null) {
            return;
        }
        String partition = Arns.partition(caller);
        for (int i = 0; i < resources.size(); i++) {
            String resource = resources.get(i);
            if (resource.startsWith("arn:") && !partition.equals(Arns.partition(resource))) {
                throw new SimulationInputException("ResourceArns must be in the partition of CallerArn (" + partition
                        + "): partitions do not share principals or resources", "/" + root + "/ResourceArns/" + i);
            }
        }
    }


    /**
     * Reads {@code ResourcePolicy}, {@code ResourceOwner} and {@code ResourceControlPolicyInputList} with IAM's
     * validation ("SimulateCustomPolicy" / "SimulatePrincipalPolicy", IAM API Reference): "CallerArn is required
     * if you include a ResourcePolicy so that the policy's Principal element has a value to use in evaluating the
     * policy"; {@code ResourceOwner} is an account ARN {@code arn:aws:iam::ACCOUNT:root}, and without it "the owner
     * of the resources and the resource policy defaults to the account of the identity provided in CallerArn".
     *
     * @param caller the simulated caller, or null when the request names none
     */
    static ResourceSide resourceSide(JsonNode body, String root, String caller,
                                     java.util.function.BiFunction<String, PolicyType, CompiledPolicy> compile) {
        ResourcePolicySet.Builder policies = ResourcePolicySet.builder();
        JsonNode policy = body.get("ResourcePolicy");
        if (policy != null && !policy.isNull()) {
            if (!policy.isTextual()) {
                throw new SimulationInputException("ResourcePolicy must be a string (one policy document)",
                        "/" + root + "/ResourcePolicy");
            }
            if (caller == null) {
                throw new SimulationInputException("CallerArn is required if you include a ResourcePolicy, so that "
                        + "the policy's Principal element has a value to use in evaluating the policy",
                        "/" + root + "/CallerArn");
            }
            policies.resourcePolicy(compile.apply(policy.asText(), PolicyType.RESOURCE));
        }
        JsonNode rcps = body.get("ResourceControlPolicyInputList");
        if (rcps != null && !rcps.isNull()) {
            List<String> texts = strings(body, "ResourceControlPolicyInputList", false,
                    "/" + root + "/ResourceControlPolicyInputList");
            for (int i = 0; i < texts.size(); i++) {
                policies.resourceControlLevel(List.of(compile.apply(texts.get(i), null)));
            }
        }
        String owner = null;
        JsonNode ownerNode = body.get("ResourceOwner");
        if (ownerNode != null && !ownerNode.isNull()) {
            java.util.regex.Matcher m = ownerNode.isTextual() ? ACCOUNT_ROOT.matcher(ownerNode.asText()) : null;
            if (m == null || !m.matches()) {
                throw new SimulationInputException("ResourceOwner must be an account ARN, arn:aws:iam::ACCOUNT-ID:root",
                        "/" + root + "/ResourceOwner");
            }
            if (caller != null && !m.group(1).equals(Arns.partition(caller))) {
                throw new SimulationInputException("ResourceOwner must be in the partition of CallerArn ("
                        + Arns.partition(caller) + "): partitions do not share principals or resources",
                        "/" + root + "/ResourceOwner");
            }
            owner = m.group(2);
        }
        return new ResourceSide(policies.build(), caller, owner);
    }

    /** An optional or required array of strings; {@code pointer} names the field in errors. */
    static List<String> strings(JsonNode body, String field, boolean required, String pointer) {
        JsonNode node = body.get(field);
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

    /** {@code ContextEntries} as IAM's simulator takes them: typed, values checked against their type. */
    static List<ContextValue> contextEntries(JsonNode body, String root) {
        JsonNode node = body.get("ContextEntries");
        if (node == null || node.isNull()) {
            return List.of();
        }
        String base = "/" + root + "/ContextEntries";
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
                if (!ENTRY_FIELDS.contains(f)) {
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
            List<String> values = strings(entry, "ContextKeyValues", true, pointer + "/ContextKeyValues");
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
}
