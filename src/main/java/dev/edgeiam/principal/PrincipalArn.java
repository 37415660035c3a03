package dev.edgeiam.principal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A principal ARN taken apart ([ARN] "IAM identifiers"): an IAM user
 * ({@code arn:aws:iam::ACCT:user/path/name}), an IAM role ({@code arn:aws:iam::ACCT:role/path/name}), an
 * assumed-role session ({@code arn:aws:sts::ACCT:assumed-role/ROLE/SESSION}; the role's path is not part of it)
 * or a federated user ({@code arn:aws:sts::ACCT:federated-user/NAME}).
 *
 * @param path        the IAM path with leading and trailing slash ({@code "/"} for sts principals)
 * @param name        the user, role or federated-user name (for a session, the role's name)
 * @param sessionName the role session name, null unless {@link Principal.Kind#ASSUMED_ROLE}
 */
public record PrincipalArn(String arn, String partition, String accountId, Principal.Kind kind, String path,
                           String name, String sessionName) {

    private static final Pattern ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):(iam|sts)::(\\d{12}):([a-z-]+)/(.+)");
    // IAM names: [\w+=,.@-]; session names also allow ':'? No: [\w+=,.@-]{2,64} ([STSAPI] RoleSessionName).
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    /**
     * @throws IllegalArgumentException when the text is not one of the four principal ARN shapes
     */
    /** {@link #parse}, with a text that is not a principal ARN reported as an unknown principal. */
    public static PrincipalArn parseKnown(String arn) throws UnknownPrincipalException {
        try {
            return parse(arn);
        } catch (IllegalArgumentException e) {
            throw new UnknownPrincipalException(arn, e.getMessage());
        }
    }

    public static PrincipalArn parse(String arn) {
        if (arn == null) {
            throw new IllegalArgumentException("principal ARN is missing");
        }
        Matcher m = ARN.matcher(arn);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an IAM user, IAM role, assumed-role or federated-user ARN: "
                    + arn);
        }
        String service = m.group(2);
        String account = m.group(3);
        String type = m.group(4);
        String rest = m.group(5);
        if (service.equals("iam") && (type.equals("user") || type.equals("role"))) {
            int slash = rest.lastIndexOf('/');
            String path = slash < 0 ? "/" : "/" + rest.substring(0, slash + 1);
            String name = rest.substring(slash + 1);
            checkName(arn, name);
            return new PrincipalArn(arn, m.group(1), account,
                    type.equals("user") ? Principal.Kind.USER : Principal.Kind.ROLE, path, name, null);
        }
        if (service.equals("sts") && type.equals("assumed-role")) {
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("an assumed-role ARN ends in assumed-role/ROLE/SESSION: " + arn);
            }
            String role = rest.substring(0, slash);
            String session = rest.substring(slash + 1);
            checkName(arn, role);
            checkName(arn, session);
            return new PrincipalArn(arn, m.group(1), account, Principal.Kind.ASSUMED_ROLE, "/", role, session);
        }
        if (service.equals("sts") && type.equals("federated-user")) {
            checkName(arn, rest);
            return new PrincipalArn(arn, m.group(1), account, Principal.Kind.FEDERATED_USER, "/", rest, null);
        }
        throw new IllegalArgumentException("not an IAM user, IAM role, assumed-role or federated-user ARN: " + arn);
    }

    private static void checkName(String arn, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("malformed name \"" + name + "\" in " + arn);
        }
    }

    /** The ARN of the IAM role a session belongs to, when only its name is known (path {@code /}). */
    public String roleArnWithoutPath() {
        return "arn:" + partition + ":iam::" + accountId + ":role/" + name;
    }
}
