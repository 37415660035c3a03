package dev.edgeiam.compile;

import dev.edgeiam.policy.PolicyDocument;

import java.util.List;

/** A policy document with every statement compiled. Immutable; compile once, share freely. */
public final class CompiledPolicy {

    private final PolicyDocument document;
    private final List<CompiledStatement> statements;

    private CompiledPolicy(PolicyDocument document) {
        this.document = document;
        this.statements = document.statements().stream().map(s -> new CompiledStatement(document, s)).toList();
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
