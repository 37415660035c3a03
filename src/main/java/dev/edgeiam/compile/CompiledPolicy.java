package dev.edgeiam.compile;

import dev.edgeiam.policy.PolicyDocument;
import dev.edgeiam.policy.Statement;

import java.util.ArrayList;
import java.util.List;

/** A policy document with every statement compiled. Immutable; compile once, share freely. */
public final class CompiledPolicy {

    private final PolicyDocument document;
    private final List<CompiledStatement> statements;

    private CompiledPolicy(PolicyDocument document) {
        this.document = document;
        List<CompiledStatement> compiled = new ArrayList<>(document.statements().size());
        for (Statement s : document.statements()) {
            compiled.add(new CompiledStatement(document, s));
        }
        this.statements = List.copyOf(compiled);
    }

    public static CompiledPolicy compile(PolicyDocument document) {
        return new CompiledPolicy(document);
    }

    public PolicyDocument document() {
        return document;
    }

    public List<CompiledStatement> statements() {
        return statements;
    }
}
