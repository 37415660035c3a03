package dev.edgeiam.request;

/**
 * The two things the engine reads from an ARN's fixed fields ([ARN] "IAM identifiers":
 * {@code arn:partition:service:region:account-id:resource}): the account that owns the resource, and the ARN with
 * its partition, service, region and account fields folded to lower case (for the never-over-grant reading of a
 * Deny written with upper-case fields, see {@code CompiledStatement#matchesResource}).
 */
public final class Arns {

    private Arns() {
    }

    /**
     * The account-id field of an ARN, or null when the text is not an ARN or the field is empty (S3 bucket and
     * object ARNs, {@code "*"}). Whatever the field holds is returned as written: a wildcard account is an account
     * no principal belongs to.
     */
    public static String account(String arn) {
        if (arn == null) {
            return null;
        }
        // the same ARN instances come again request after request (the caller's, the route's resources): their
        // accounts are kept per thread by the ARN's identity, so an instance is the key only while it is held here
        Object[] recent = RECENT_ACCOUNTS.get();
        int slot = 2 * (System.identityHashCode(arn) & (RECENT_SLOTS - 1));
        if (recent[slot] == arn) {
            return (String) recent[slot + 1];
        }
        String account = accountOf(arn);
        recent[slot] = arn;
        recent[slot + 1] = account;
        return account;
    }

    /** The partition field of an ARN ({@code aws}, {@code aws-cn}, ...), or null when the text is not an ARN. */
    public static String partition(String arn) {
        if (!arn.startsWith("arn:")) {
            return null;
        }
        int colon = arn.indexOf(':', 4);
        return colon < 0 ? null : arn.substring(4, colon);
    }

    private static final int RECENT_SLOTS = 16;
    /** Per thread: ARN, its account, ... by the ARN's identity hash (an ARN is immutable: same instance, same field). */
    private static final ThreadLocal<Object[]> RECENT_ACCOUNTS = new ThreadLocal<>() {
        @Override
        protected Object[] initialValue() {
            return new Object[2 * RECENT_SLOTS];
        }
    };

    private static String accountOf(String arn) {
        if (!arn.startsWith("arn:")) {
            return null;
        }
        int colon = 3;
        for (int field = 0; field < 3; field++) {
            colon = arn.indexOf(':', colon + 1);
            if (colon < 0) {
                return null;
            }
        }
        int end = arn.indexOf(':', colon + 1);
        if (end < 0) {
            return null;
        }
        String account = arn.substring(colon + 1, end);
        return account.isEmpty() ? null : account;
    }

    /**
     * The text with A–Z folded to lower case before its fifth colon (partition, service, region, account) and
     * unchanged after it; the same instance when nothing folds. Text inside {@code ${...}} (a policy variable) is
     * left as written.
     */
    public static String foldFixedFields(String arn) {
        StringBuilder out = null;
        int colons = 0;
        boolean inVariable = false;
        for (int i = 0; i < arn.length() && colons < 5; i++) {
            char c = arn.charAt(i);
            if (c == '$' && i + 1 < arn.length() && arn.charAt(i + 1) == '{') {
                inVariable = true;
            } else if (c == '}' && inVariable) {
                inVariable = false;
            } else if (c == ':' && !inVariable) {
                colons++;
            } else if (c >= 'A' && c <= 'Z' && !inVariable) {
                if (out == null) {
                    out = new StringBuilder(arn);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? arn : out.toString();
    }
}
