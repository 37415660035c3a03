package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Decision;
import dev.edgeiam.evaluate.Reason;
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
 * policies as JSON strings in {@code PolicyInputList} and {@code PermissionsBoundaryPolicyInputList}, IAM's
 * {@code ResourcePolicy} (one resource-based policy, treated as attached to every simulated resource; needs
 * {@code CallerArn}) and {@code ResourceOwner} ({@code arn:aws:iam::ACCOUNT:root}: the owner of resources whose ARN
 * names no account), plus three extensions — {@code SessionPolicyInputList}, {@code ServiceControlPolicyInputList}
 * and {@code ResourceControlPolicyInputList} (one policy per organization level, root first) — evaluated for every
 * action (outer loop) and resource ARN (inner loop, default {@code "*"}) with the {@code ContextEntries} exactly as
 * given. From {@code CallerArn} come the principal a resource policy's {@code Principal} is matched against, the
 * principal's account (a resource in another account makes the request cross-account) and the session kind (an
 * {@code sts} federated-user ARN has no permissions without a session policy; an assumed-role ARN keeps its
 * role's). IAM accepts only IAM user ARNs as {@code CallerArn}; we also accept the account root and role,
 * assumed-role and federated-user ARNs, so every principal form can be simulated, and refuse anything else and a
 * caller in another partition than the resources ({@code SimulationSupport.callerArn}, {@code samePartition}).
 *
 * <p>Never throws: a malformed policy answers {@code {"errorCode": "MalformedPolicyDocument"|"LimitExceeded",
 * "message", "location"}}, a malformed request {@code "InvalidInput"}.
 */
public final class CustomPolicySimulator {

    private static final String ROOT = "SimulateCustomPolicy";

    private static final Set<String> FIELDS = Set.of("PolicyInputList", "PermissionsBoundaryPolicyInputList",
            "SessionPolicyInputList", "ServiceControlPolicyInputList", "ResourceControlPolicyInputList",
            "ResourcePolicy", "ResourceOwner", "ActionNames", "ResourceArns", "CallerArn", "ContextEntries");
    private static final JsonNodeFactory JSON = SimulationSupport.JSON;

    /**
     * @param body the object under the event's {@code "SimulateCustomPolicy"} key
     * @return {@code {"EvaluationResults": [...]}} or {@code {"errorCode", "message", "location"}}; never throws
     */
    public ObjectNode simulate(JsonNode body) {
        try {
            return run(body);
        } catch (PolicyInputException e) {
            return policyError(e);
        } catch (SimulationInputException e) {
            ObjectNode out = JSON.objectNode();
            out.put("errorCode", "InvalidInput");
            out.put("message", e.getMessage());
            out.putObject("location").put("pointer", e.pointer());
            return out;
        }
    }

    private ObjectNode run(JsonNode body) {
        SimulationSupport.checkFields(body, ROOT, FIELDS);
        List<CompiledPolicy> identity = policies(body, "PolicyInputList", PolicyType.SIMULATION, true);
        List<CompiledPolicy> boundary = policies(body, "PermissionsBoundaryPolicyInputList", PolicyType.SIMULATION,
                false);
        List<CompiledPolicy> session = policies(body, "SessionPolicyInputList", PolicyType.SIMULATION, false);
        List<CompiledPolicy> scps = policies(body, "ServiceControlPolicyInputList", PolicyType.SIMULATION, false);
        List<String> actions = SimulationSupport.actionNames(body, ROOT);
        List<String> resources = SimulationSupport.resourceArns(body, ROOT, actions);
        String caller = null;
        if (body.has("CallerArn")) {
            caller = SimulationSupport.callerArn(body.get("CallerArn"), "/SimulateCustomPolicy/CallerArn");
        }
        SimulationSupport.samePartition(caller, resources, ROOT);

        CompiledPolicySet.Builder set = CompiledPolicySet.builder().identity(identity).sessionKind(sessionKind(caller));
        boundary.forEach(set::boundary);
        session.forEach(set::session);
        for (CompiledPolicy scp : scps) {
            set.serviceControlLevel(List.of(scp));
        }
        List<ContextValue> context = SimulationSupport.contextEntries(body, ROOT);
        int[] rcp = {0};
        SimulationSupport.ResourceSide resourceSide = SimulationSupport.resourceSide(body, ROOT, caller,
                (text, type) -> type == PolicyType.RESOURCE ? compile(text, type, "ResourcePolicy")
                        : compile(text, PolicyType.SIMULATION, "ResourceControlPolicyInputList." + (++rcp[0])));
        return SimulationSupport.evaluateAll(set.build(), resourceSide, actions, resources, context, request -> { });
    }

    /** {@code {"errorCode": "MalformedPolicyDocument"|"LimitExceeded", "message", "location"}} for a policy input. */
    static ObjectNode policyError(PolicyInputException e) {
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
    }

    static CompiledPolicy compile(String text, PolicyType type, String id) {
        try {
            return CompiledPolicy.compile(PolicyParser.parse(text, type, id));
        } catch (PolicyException e) {
            throw new PolicyInputException(id, e);
        }
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

    private static List<CompiledPolicy> policies(JsonNode body, String field, PolicyType type, boolean required) {
        List<String> texts = SimulationSupport.strings(body, field, required, "/" + ROOT + "/" + field);
        List<CompiledPolicy> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(compile(texts.get(i), type, field + "." + (i + 1)));
        }
        return out;
    }

    /** A policy input that failed to parse, with the input's name. */
    static final class PolicyInputException extends RuntimeException {
        final String input;
        final PolicyException cause;

        PolicyInputException(String input, PolicyException cause) {
            super(cause.getMessage(), null, false, false);
            this.input = input;
            this.cause = cause;
        }
    }
}
