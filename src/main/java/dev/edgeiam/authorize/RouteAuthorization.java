package dev.edgeiam.authorize;

import java.util.List;
import java.util.Objects;

/**
 * The authorizer's answer for one route: the decision, a machine-readable reason, the IAM action, the resources
 * evaluated (ARNs; for a resource the request does not show, its ARN pattern with {@code *} for the unseen
 * identifier) and, when a statement decided, its policy id and Sid. {@code detail} is a short human-readable
 * explanation (which resource, which problem).
 *
 * <p>Reasons: {@value RouteAuthorizer#ALLOWED}, {@value RouteAuthorizer#UNMAPPED_ROUTE},
 * {@value RouteAuthorizer#INVALID_RESOURCE_IDENTIFIER}, {@value RouteAuthorizer#RESOURCE_NOT_VISIBLE},
 * {@value RouteAuthorizer#RESOURCE_TAGS_UNAVAILABLE}, and the evaluator's own ({@code explicit-deny},
 * {@code no-identity-allow}, {@code boundary-implicit-deny}, {@code session-implicit-deny},
 * {@code federated-user-without-session-policy}, {@code scp-implicit-deny},
 * {@code cross-account-no-resource-policy} — a caller from another account than the Connect account).
 *
 * @param decision           {@link Outcome#ALLOW} or {@link Outcome#DENY}
 * @param reason             why
 * @param action             the IAM action, or null for an unmapped route
 * @param resourcesEvaluated ARNs and ARN patterns in evaluation order
 * @param policyId           the deciding statement's policy id, or null
 * @param sid                the deciding statement's Sid, or null (also null when the statement has none)
 * @param statementIndex     the deciding statement's 0-based index in its policy, or -1
 * @param detail             explanation, never null
 */
public record RouteAuthorization(Outcome decision, String reason, String action, List<String> resourcesEvaluated,
                                 String policyId, String sid, int statementIndex, String detail) {

    /** The two answers an authorizer gives. */
    public enum Outcome { ALLOW, DENY }

    public RouteAuthorization {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(reason, "reason");
        resourcesEvaluated = List.copyOf(resourcesEvaluated);
        detail = detail == null ? "" : detail;
    }

    public boolean allowed() {
        return decision == Outcome.ALLOW;
    }
}
