package dev.edgeiam.authorize;

import dev.edgeiam.evaluate.Reason;

import java.util.List;
import java.util.Objects;

/**
 * The authorizer's answer for one route: its {@link Reason} (which says the decision), the IAM action, the resources
 * evaluated (ARNs; for a resource the request does not show, its ARN pattern with {@code *} for the unseen
 * identifier) and, when a statement decided, its policy id and Sid. {@code detail} is a short human-readable
 * explanation (which resource, which problem).
 *
 * <p>Reasons: {@link Reason#ALLOWED}, the route's ({@link Reason#UNMAPPED_ROUTE},
 * {@link Reason#INVALID_RESOURCE_IDENTIFIER}, {@link Reason#RESOURCE_NOT_VISIBLE}, ...), the edge's and the
 * evaluator's own ({@link Reason#CROSS_ACCOUNT_NO_RESOURCE_POLICY} for a caller from another account than the
 * Connect account).
 *
 * @param reason             why, and so the decision ({@link #decision()})
 * @param action             the IAM action, or null for an unmapped route
 * @param resourcesEvaluated ARNs and ARN patterns in evaluation order
 * @param policyId           the deciding statement's policy id, or null
 * @param sid                the deciding statement's Sid, or null (also null when the statement has none)
 * @param statementIndex     the deciding statement's 0-based index in its policy, or -1
 * @param detail             explanation, never null
 */
public record RouteAuthorization(Reason reason, String action, List<String> resourcesEvaluated,
                                 String policyId, String sid, int statementIndex, String detail) {

    public RouteAuthorization {
        Objects.requireNonNull(reason, "reason");
        resourcesEvaluated = List.copyOf(resourcesEvaluated);
        detail = detail == null ? "" : detail;
    }

    /** The decision: its reason's category (Allow only for {@link Reason.Category#ALLOWED}). */
    public Reason.Category decision() {
        return reason.category();
    }

    public boolean allowed() {
        return reason.allowed();
    }
}
