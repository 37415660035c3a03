package dev.edgeiam.evaluate;

import java.util.List;

/**
 * The full answer for one request: its {@link Reason} (which says the decision), the statements that
 * decided (the applying Deny statements for an explicit deny; the applying Allow statements of every layer
 * for an allow; none for an implicit deny), each layer's own outcome, and the condition keys that applying
 * statements needed but the request did not carry.
 *
 * <p>Reasons: {@link Reason#ALLOWED}, {@link Reason#EXPLICIT_DENY} and the implicit denies of
 * {@link CombinationRule}.
 */
public record Decision(Reason reason, List<MatchedStatement> matchedStatements,
                       List<LayerResult> layers, List<String> missingContextKeys) {

    public Decision {
        matchedStatements = List.copyOf(matchedStatements);
        layers = List.copyOf(layers);
        missingContextKeys = List.copyOf(missingContextKeys);
    }

    /**
     * The decision: {@link Reason.Category#ALLOWED}, {@link Reason.Category#EXPLICIT_DENY} or {@link
     * Reason.Category#IMPLICIT_DENY}.
     */
    public Reason.Category decision() {
        return reason.category();
    }

    public boolean allowed() {
        return reason.allowed();
    }

    /** The Sid of the first deciding statement, or null. */
    public String decidingSid() {
        return matchedStatements.isEmpty() ? null : matchedStatements.get(0).sid();
    }
}
