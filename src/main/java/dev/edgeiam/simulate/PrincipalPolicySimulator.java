package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalArn;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.principal.UnknownPrincipalException;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.PrincipalForm;
import dev.edgeiam.request.RequestPrincipal;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Answers an IAM {@code SimulatePrincipalPolicy}-shaped request (IAM API reference,
 * {@code SimulatePrincipalPolicy}), with IAM's {@code CallerArn}, {@code ResourcePolicy} and {@code ResourceOwner}
 * and our {@code ResourceControlPolicyInputList} read as {@link CustomPolicySimulator} reads them: {@code PolicySourceArn} names an IAM user, an IAM role, an assumed-role
 * session or a federated user; its policies (identity, boundary) come from a {@link PrincipalResolver} — usually
 * the {@link dev.edgeiam.principal.PrincipalCache} — and every action × resource pair is evaluated with the
 * {@code ContextEntries} as given plus the principal's own keys ({@code aws:username}, {@code aws:userid},
 * {@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code aws:PrincipalType},
 * {@code aws:PrincipalTag/*}) where the entries do not give them: given entries win. Results have the same
 * shape as {@link CustomPolicySimulator}'s.
 *
 * <p>Never throws: a malformed request answers {@code {"errorCode": "InvalidInput", ...}}, an unknown principal
 * {@code "NoSuchEntity"}, a source that could not load the policies {@code "ServiceFailure"}.
 */
public final class PrincipalPolicySimulator {

    private static final String ROOT = "SimulatePrincipalPolicy";
    private static final Set<String> FIELDS = Set.of("PolicySourceArn", "ActionNames", "ResourceArns",
            "ContextEntries", "CallerArn", "ResourcePolicy", "ResourceOwner", "ResourceControlPolicyInputList");

    private final PrincipalResolver principals;

    public PrincipalPolicySimulator(PrincipalResolver principals) {
        this.principals = Objects.requireNonNull(principals, "principals");
    }

    /** A simulator that loads and compiles the principal on every request (no cache). */
    public static PrincipalPolicySimulator uncached(PolicySource source) {
        return new PrincipalPolicySimulator(PrincipalResolver.uncached(source));
    }

    /**
     * @param body the object under the event's {@code "SimulatePrincipalPolicy"} key
     * @return {@code {"EvaluationResults": [...]}} or {@code {"errorCode", "message", ...}}; never throws
     */
    public ObjectNode simulate(JsonNode body) {
        try {
            return run(body);
        } catch (SimulationInputException e) {
            return SimulationSupport.error("InvalidInput", e.getMessage(), e.pointer());
        } catch (CustomPolicySimulator.PolicyInputException e) {
            return CustomPolicySimulator.policyError(e);
        } catch (RuntimeException e) {
            return SimulationSupport.error("ServiceFailure", "simulation failed: " + e, null);
        }
    }

    private ObjectNode run(JsonNode body) {
        SimulationSupport.checkFields(body, ROOT, FIELDS);
        JsonNode source = body.get("PolicySourceArn");
        String pointer = "/" + ROOT + "/PolicySourceArn";
        if (source == null || !source.isTextual()) {
            throw new SimulationInputException("PolicySourceArn is required and must be a string", pointer);
        }
        String arn = source.asText();
        try {
            PrincipalArn.parse(arn);
        } catch (IllegalArgumentException e) {
            throw new SimulationInputException("PolicySourceArn: " + e.getMessage(), pointer);
        }
        List<String> actions = SimulationSupport.actionNames(body, ROOT);
        List<String> resources = SimulationSupport.resourceArns(body, ROOT, actions);
        List<ContextValue> context = SimulationSupport.contextEntries(body, ROOT);
        String caller = callerArn(body, arn);
        SimulationSupport.samePartition(caller, resources, ROOT);
        int[] rcp = {0};
        SimulationSupport.ResourceSide resourceSide = SimulationSupport.resourceSide(body, ROOT, caller,
                (text, type) -> type == PolicyType.RESOURCE
                        ? CustomPolicySimulator.compile(text, type, "ResourcePolicy")
                        : CustomPolicySimulator.compile(text, PolicyType.SIMULATION,
                                "ResourceControlPolicyInputList." + (++rcp[0])));

        CompiledPrincipal principal;
        try {
            principal = principals.resolve(arn);
        } catch (UnknownPrincipalException e) {
            ObjectNode out = SimulationSupport.error("NoSuchEntity", e.getMessage(), pointer);
            out.put("principalArn", arn);
            return out;
        } catch (PolicySourceException e) {
            return SimulationSupport.error("ServiceFailure", "could not load the policies of " + arn + ": "
                    + e.getMessage(), null);
        }
        return SimulationSupport.evaluateAll(principal.policies(), resourceSide, actions, resources, context,
                principal::addContextKeys);
    }

    /**
     * The simulated caller: {@code CallerArn} when given, else the policy source when it names a caller (an IAM
     * user — IAM: "If you do not specify a CallerArn, it defaults to the ARN of the user that you specify in
     * PolicySourceArn" — or, our extension, an assumed-role or federated-user session); else none (a role ARN: IAM
     * requires CallerArn then if a ResourcePolicy is given).
     */
    private static String callerArn(JsonNode body, String policySource) {
        JsonNode c = body.get("CallerArn");
        if (c != null && !c.isNull()) {
            return SimulationSupport.callerArn(c, "/" + ROOT + "/CallerArn");
        }
        PrincipalForm form = RequestPrincipal.form(RequestPrincipal.AWS,
                RequestPrincipal.canonical(RequestPrincipal.AWS, policySource));
        return form == PrincipalForm.USER || form == PrincipalForm.ROLE_SESSION || form == PrincipalForm.FEDERATED_USER
                ? policySource : null;
    }
}
