package dev.edgeiam.identity;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the identity stage needs to know about an IAM role: its ARN (with path), its unique id ({@code AROA...}),
 * its trust policy document and its tags. Adapting the principal package's policy source to this record takes
 * a few lines.
 *
 * @param roleArn          {@code arn:aws:iam::ACCOUNT:role/path/name}
 * @param roleId           the unique role id, e.g. {@code AROAEXAMPLE123}; becomes the first half of {@code aws:userid}
 * @param trustPolicyText  the role's trust policy (AssumeRolePolicyDocument), JSON text
 * @param tags             the role's tags (become {@code aws:PrincipalTag/*} unless a session tag overrides them)
 */
public record RoleInfo(String roleArn, String roleId, String trustPolicyText, Map<String, String> tags) {

    private static final Pattern ROLE_ARN =
            Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");

    public RoleInfo {
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(roleId, "roleId");
        Objects.requireNonNull(trustPolicyText, "trustPolicyText");
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("not a role ARN: " + roleArn);
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Whether the text is a well-formed role ARN. */
    public static boolean isRoleArn(String text) {
        return text != null && ROLE_ARN.matcher(text).matches();
    }

    public String partition() {
        return part(1);
    }

    public String account() {
        return part(2);
    }

    /** The role name: the last path segment of the ARN. */
    public String roleName() {
        return part(4);
    }

    private String part(int group) {
        var m = ROLE_ARN.matcher(roleArn);
        if (!m.matches()) {
            throw new IllegalStateException();
        }
        return m.group(group);
    }
}
