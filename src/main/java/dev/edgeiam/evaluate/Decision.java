package dev.edgeiam.evaluate;

import java.util.List;

/**
 * The full answer for one request: the decision, a short machine-readable reason, the statements that
 * decided (the applying Deny statements for an explicit deny; the applying Allow statements of every layer
 * for an allow; none for an implicit deny), each layer's own outcome, and the condition keys that applying
 * statements needed but the request did not carry.
 *
 * <p>Reasons: {@code allowed}, {@code explicit-deny}, {@code no-identity-allow},
 * {@code boundary-implicit-deny}, {@code session-implicit-deny}, {@code federated-user-without-session-policy},
 * {@code scp-implicit-deny}, {@code rcp-implicit-deny}, {@code cross-account-no-resource-policy},
 * {@code no-resource-policy-allow} (see {@link CombinationRule}).
 */
public record Decision(EvalDecision decision, String reason, List<MatchedStatement> matchedStatements,
                       List<LayerResult> layers, List<String> missingContextKeys) {

    public Decision {
        matchedStatements = List.copyOf(matchedStatements);
        layers = List.copyOf(layers);
        missingContextKeys = List.copyOf(missingContextKeys);
    }

    public boolean allowed() {
        return decision == EvalDecision.ALLOWED;
    }

    /** The Sid of the first deciding statement, or null. */
    public String decidingSid() {
        return matchedStatements.isEmpty() ? null : matchedStatements.get(0).sid();
    }
}
