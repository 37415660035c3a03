package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledStatement;

/**
 * The hot-path answer: the decision, its reason (see {@link Decision}) and the first deciding statement
 * (null for an implicit deny). Cheap to make; {@link Evaluator#explain} gives the full {@link Decision}.
 */
public record Verdict(EvalDecision decision, String reason, CompiledStatement deciding) {

    public boolean allowed() {
        return decision == EvalDecision.ALLOWED;
    }

    public String decidingSid() {
        return deciding == null ? null : deciding.source().sid();
    }
}
