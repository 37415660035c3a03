package dev.edgeiam.policy;

/**
 * A place in a policy document's text: 1-based line and column, and 0-based character offset.
 * The offset is what IAM's simulator reports as {@code StartPosition}/{@code EndPosition}.
 */
public record SourcePosition(int line, int column, long offset) {

    public static final SourcePosition UNKNOWN = new SourcePosition(0, 0, -1);

    @Override
    public String toString() {
        return "line " + line + ", column " + column;
    }
}
