package dev.edgeiam.request;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is asking, in the terms a resource-based policy's {@code Principal} element names ([Gram]
 * {@code principal_block}): for each principal type ({@code AWS}, {@code Federated}, {@code Service},
 * {@code CanonicalUser}) the identifiers the caller may be named by. For example a web-identity caller is
 * {@code Federated: ["cognito-identity.amazonaws.com"]} or the OIDC provider ARN; an assumed-role session is
 * {@code AWS: [session ARN, role ARN, account root]}. Identifiers are kept in {@link #canonical} form, so a
 * user's or role's ARN with and without its path are one identifier (IAM user and role names are unique within an
 * account whatever their path — "IAM identifiers"). A caller's account is its root ARN, in the caller's partition;
 * a bare account id in a policy names that root in whichever partition the policy is evaluated
 * ({@code compile.PrincipalMatcher}).
 */
public record RequestPrincipal(Map<String, Set<String>> identifiers) {

    public static final String AWS = "AWS";

    public RequestPrincipal {
        Map<String, Set<String>> copy = new java.util.HashMap<>();
        for (Map.Entry<String, Set<String>> e : identifiers.entrySet()) {
            String type = e.getKey();
            Set<String> canonical = new LinkedHashSet<>();
            for (String id : e.getValue()) {
                canonical.add(canonical(type, id));
            }
            copy.put(type, Set.copyOf(canonical));
        }
        identifiers = Map.copyOf(copy);
    }

    public static RequestPrincipal of(String type, List<String> ids) {
        return new RequestPrincipal(Map.of(type, Set.copyOf(ids)));
    }

    /**
     * The caller a principal ARN names, with every identifier a {@code Principal} element may use for it ("AWS
     * JSON policy elements: Principal"): an IAM user or role ARN and its account; an assumed-role session ARN, the
     * role's ARN ("When you specify a role principal ... the permissions apply to all sessions of the role") and the
     * account; a federated-user session ARN and the account; an account root ARN alone. Other text names itself.
     */
    public static RequestPrincipal ofArn(String arn) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(arn);
        String account = Arns.account(arn);
        String partition = Arns.partition(arn);
        if (account != null && partition != null) {
            String resource = resourcePart(arn);
            if (arn.startsWith("arn:" + partition + ":sts::") && resource.startsWith("assumed-role/")) {
                int slash = resource.indexOf('/', "assumed-role/".length());
                if (slash > 0) {
                    ids.add("arn:" + partition + ":iam::" + account + ":role/"
                            + resource.substring("assumed-role/".length(), slash));
                }
            }
            ids.add("arn:" + partition + ":iam::" + account + ":root");
        }
        return new RequestPrincipal(Map.of(AWS, ids));
    }

    public Set<String> identifiers(String type) {
        return identifiers.getOrDefault(type, Set.of());
    }

    /**
     * The one spelling of an identifier: an IAM user or role ARN loses its path ({@code arn:aws:iam::ID:role/a/b/Name}
     * → {@code arn:aws:iam::ID:role/Name}). A 12-digit account id stays as it is: it names the account's root in the
     * partition the policy is evaluated in ("you can use the account ARN (arn:aws:iam::AWS-account-ID:root), or a
     * shortened form that consists of the AWS: prefix followed by the account ID",
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html — the page's ARN
     * is written for the aws partition), so it cannot become an ARN without knowing which; see {@link #isAccountId}.
     */
    public static String canonical(String type, String id) {
        if (!AWS.equals(type)) {
            return id;
        }
        if (isAccountId(id)) {
            return id;
        }
        String partition = Arns.partition(id);
        if (partition != null && id.startsWith("arn:" + partition + ":iam::")) {
            String resource = resourcePart(id);
            for (String kind : new String[] {"user/", "role/"}) {
                if (resource.startsWith(kind)) {
                    int last = resource.lastIndexOf('/');
                    if (last > kind.length() - 1) {
                        return id.substring(0, id.length() - resource.length()) + kind + resource.substring(last + 1);
                    }
                }
            }
        }
        return id;
    }

    /** Whether the text is an AWS account id: 12 ASCII digits. */
    public static boolean isAccountId(String text) {
        return text.length() == 12 && digits(text);
    }

    /** The account of an account root ARN ({@code arn:<partition>:iam::<account>:root}), or null for any other text. */
    public static String rootAccount(String arn) {
        String partition = Arns.partition(arn);
        if (partition == null || !arn.startsWith("arn:" + partition + ":iam::") || !resourcePart(arn).equals("root")) {
            return null;
        }
        String account = Arns.account(arn);
        return account != null && isAccountId(account) ? account : null;
    }

    /** Whether every char of the text is an ASCII digit. */
    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The form of a canonical identifier of the given principal type. */
    public static PrincipalForm form(String type, String canonicalId) {
        if (!AWS.equals(type)) {
            return PrincipalForm.OTHER;
        }
        if (canonicalId.equals("*")) {
            return PrincipalForm.ANYONE;
        }
        if (isAccountId(canonicalId)) {
            return PrincipalForm.ACCOUNT;
        }
        String partition = Arns.partition(canonicalId);
        if (partition == null || Arns.account(canonicalId) == null) {
            return PrincipalForm.OTHER;
        }
        String resource = resourcePart(canonicalId);
        if (canonicalId.startsWith("arn:" + partition + ":iam::")) {
            if (resource.equals("root")) {
                return PrincipalForm.ACCOUNT;
            }
            if (resource.startsWith("user/")) {
                return PrincipalForm.USER;
            }
            if (resource.startsWith("role/")) {
                return PrincipalForm.ROLE;
            }
        } else if (canonicalId.startsWith("arn:" + partition + ":sts::")) {
            if (resource.startsWith("assumed-role/")) {
                return PrincipalForm.ROLE_SESSION;
            }
            if (resource.startsWith("federated-user/")) {
                return PrincipalForm.FEDERATED_USER;
            }
        }
        return PrincipalForm.OTHER;
    }

    /** Everything after the fifth colon, or "" when there is none. */
    private static String resourcePart(String arn) {
        int colon = -1;
        for (int n = 0; n < 5; n++) {
            colon = arn.indexOf(':', colon + 1);
            if (colon < 0) {
                return "";
            }
        }
        return arn.substring(colon + 1);
    }
}
