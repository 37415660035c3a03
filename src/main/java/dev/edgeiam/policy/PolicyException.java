package dev.edgeiam.policy;

/**
 * The project's one documented error type for a policy document that IAM would refuse.
 *
 * <p>It carries IAM's error code ({@code MalformedPolicyDocument} or {@code LimitExceeded}), a message that
 * names the problem, an RFC 6901 JSON pointer to the offending element, and its line and column.
 */
public final class PolicyException extends RuntimeException {

    public static final String MALFORMED = "MalformedPolicyDocument";
    public static final String LIMIT_EXCEEDED = "LimitExceeded";

    private final String errorCode;
    private final String pointer;
    private final SourcePosition position;

    public PolicyException(String errorCode, String problem, String pointer, SourcePosition position) {
        super(problem, null, false, false);
        this.errorCode = errorCode;
        this.pointer = pointer;
        this.position = position;
    }

    static PolicyException malformed(String problem, String pointer, SourcePosition position) {
        return new PolicyException(MALFORMED, problem, pointer, position);
    }

    public String errorCode() {
        return errorCode;
    }

    /** The problem alone, without location. */
    public String problem() {
        return super.getMessage();
    }

    /** RFC 6901 pointer to the offending element ({@code ""} for the document itself). */
    public String pointer() {
        return pointer;
    }

    public SourcePosition position() {
        return position;
    }

    /** "line L, column C (pointer /x/y)". */
    public String location() {
        String where = position.line() > 0 ? position.toString() : "unknown position";
        return where + " (pointer " + (pointer.isEmpty() ? "\"\"" : pointer) + ")";
    }

    @Override
    public String getMessage() {
        return problem() + " at " + location();
    }
}
