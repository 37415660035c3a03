package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledStatement;

/**
 * The hot-path answer: its {@link Reason} (which says the decision) and the first deciding statement (null for an
 * implicit deny). Cheap to make; {@link Evaluator#explain} gives the full {@link Decision}.
 */
public record Verdict(Reason reason, CompiledStatement deciding) {

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

    public String decidingSid() {
        return deciding == null ? null : deciding.source().sid();
    }
}
