package dev.edgeiam.observe;

/**
 * The fields an authorizer decision adds to its invocation line (README "Logs"), in the order they are written.
 * A typed value rather than a JSON tree: it is made on every authorizer invocation, and the line is written from
 * it by {@link Telemetry} (each value a JSON string, or {@code null}). Never a token, a signature or a policy.
 *
 * @param format      the event format's label ({@code rest-request}, {@code http-v2}, ...)
 * @param principal   the caller's principal ARN, or null when no caller was established
 * @param action      the Connect action decided, or null
 * @param resource    the first resource ARN evaluated, or null
 * @param decision    {@code Allow} or {@code Deny}
 * @param reason      the reason label
 * @param category    the decision's category label
 * @param cacheScope  what the answer may be reused for ({@code REQUEST}, {@code CALLER}, {@code SIMPLE}, ...)
 * @param viewVersion the version of the account view the caller was compiled from, or null
 */
public record DecisionLogFields(String format, String principal, String action, String resource, String decision,
                                String reason, String category, String cacheScope, String viewVersion) {

    /** The field names, in the order of the components (and of the line). */
    static final String[] NAMES = {"format", "principal", "action", "resource", "decision", "reason", "category",
            "cacheScope", "viewVersion"};

    /** These fields with the account view's version set. */
    public DecisionLogFields withViewVersion(String version) {
        return new DecisionLogFields(format, principal, action, resource, decision, reason, category, cacheScope,
                version);
    }

    /** The value of the field {@code NAMES[i]}. */
    String value(int i) {
        return switch (i) {
            case 0 -> format;
            case 1 -> principal;
            case 2 -> action;
            case 3 -> resource;
            case 4 -> decision;
            case 5 -> reason;
            case 6 -> category;
            case 7 -> cacheScope;
            case 8 -> viewVersion;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }
}
