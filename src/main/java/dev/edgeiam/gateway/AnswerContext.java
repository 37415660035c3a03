package dev.edgeiam.gateway;

import dev.edgeiam.authorize.RouteAuthorization;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code context} of an authorizer answer: what the back end receives about the decision (README "What the
 * back end receives"). API Gateway passes on only string, number and boolean values
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html); every
 * value here is a string, written in the order of the components, and a null one is left out.
 *
 * @param decision      {@code Allow} or {@code Deny}
 * @param reason        the reason label
 * @param category      the decision's category label
 * @param action        the Connect action decided, or empty
 * @param resource      the first resource ARN evaluated, or empty
 * @param principalArn  the caller's principal ARN, or {@code anonymous}
 * @param sid           the deciding statement's {@code Sid}, or empty
 * @param policyId      the deciding policy, or empty
 * @param principalType the caller's principal type, or null (left out)
 * @param cacheScope    how far a cached copy may be trusted, or null (left out)
 */
public record AnswerContext(String decision, String reason, String category, String action, String resource,
                            String principalArn, String sid, String policyId, String principalType,
                            String cacheScope) {

    /** The context every answer carries for a decision; the principal type and cache scope are not set yet. */
    public static AnswerContext of(String principalArn, RouteAuthorization d) {
        return new AnswerContext(d.decision().wire(), d.reason().label(), d.decision().label(),
                d.action() == null ? "" : d.action(),
                d.resourcesEvaluated().isEmpty() ? "" : d.resourcesEvaluated().get(0), principalArn,
                d.sid() == null ? "" : d.sid(), d.policyId() == null ? "" : d.policyId(), null, null);
    }

    /** This context with the principal type and the cache scope set. */
    public AnswerContext shaped(String type, String scope) {
        return new AnswerContext(decision, reason, category, action, resource, principalArn, sid, policyId, type,
                scope);
    }

    /** This context with the decision, reason and category replaced (their places in the context kept). */
    public AnswerContext decided(String newDecision, String newReason, String newCategory) {
        return new AnswerContext(newDecision, newReason, newCategory, action, resource, principalArn, sid, policyId,
                principalType, cacheScope);
    }

    /** The members' names, in the order of the components (and of the answer). */
    private static final String[] NAMES = {"decision", "reason", "category", "action", "resource", "principalArn",
            "sid", "policyId", "principalType", "cacheScope"};

    /** The members as written, in order, the null ones left out. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (value(i) != null) {
                m.put(NAMES[i], value(i));
            }
        }
        return m;
    }

    /** Writes the {@code context} member. */
    void write(AnswerBytes w) {
        w.name("context").startObject();
        for (int i = 0; i < NAMES.length; i++) {
            String v = value(i);
            if (v != null) {
                w.name(NAMES[i]).string(v);
            }
        }
        w.endObject();
    }

    private String value(int i) {
        return switch (i) {
            case 0 -> decision;
            case 1 -> reason;
            case 2 -> category;
            case 3 -> action;
            case 4 -> resource;
            case 5 -> principalArn;
            case 6 -> sid;
            case 7 -> policyId;
            case 8 -> principalType;
            case 9 -> cacheScope;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }
}
