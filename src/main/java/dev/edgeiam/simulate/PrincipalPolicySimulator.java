package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalArn;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.principal.UnknownPrincipalException;
import dev.edgeiam.request.ContextValue;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Answers an IAM {@code SimulatePrincipalPolicy}-shaped request (IAM API reference,
 * {@code SimulatePrincipalPolicy}): {@code PolicySourceArn} names an IAM user, an IAM role, an assumed-role
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
            "ContextEntries");

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
        return SimulationSupport.evaluateAll(principal.policies(), actions, resources, context,
                principal::addContextKeys);
    }
}
