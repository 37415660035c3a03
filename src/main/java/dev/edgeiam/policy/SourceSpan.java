package dev.edgeiam.policy;

/** The text range an element occupies in its policy document (start inclusive, end exclusive). */
public record SourceSpan(SourcePosition start, SourcePosition end) {
}
