package dev.edgeiam.identity;

import java.util.regex.Pattern;

/** STS's rules for the names a session carries ([Quota]; AssumeRole {@code RoleSessionName}, {@code SourceIdentity}). */
public final class SessionNames {

    /** {@code RoleSessionName}: 2–64 characters of {@code [\w+=,.@-]}. */
    public static final Pattern ROLE_SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    /** GetFederationToken {@code Name}: 2–32 characters of {@code [\w+=,.@-]}. */
    public static final Pattern FEDERATED_USER_NAME = Pattern.compile("[\\w+=,.@-]{2,32}");
    /** {@code SourceIdentity}: 2–64 characters of {@code [\w+=,.@-]}, not starting with {@code aws:}. */
    public static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");

    private static final Pattern NOT_ALLOWED = Pattern.compile("[^\\w+=,.@-]");

    private SessionNames() {
    }

    /**
     * A role session name made from a claim value: every character STS does not allow becomes {@code -}, and the
     * result is cut to 64 characters. Null when fewer than 2 characters remain. (Distinct values can map to the
     * same name — as in AWS, where the caller chooses the session name freely — so policies should not treat
     * the session name as a unique identity.)
     */
    public static String sanitizeRoleSessionName(String value) {
        if (value == null) {
            return null;
        }
        String s = NOT_ALLOWED.matcher(value).replaceAll("-");
        if (s.length() > 64) {
            s = s.substring(0, 64);
        }
        return s.length() < 2 ? null : s;
    }
}
