package dev.edgeiam.identity;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the identity stage needs to know about an IAM user that issues federated-user sessions
 * ({@code GetFederationToken}): its ARN, unique id ({@code AIDA...}) and tags.
 */
public record IamUserInfo(String userArn, String userId, Map<String, String> tags) {

    private static final Pattern USER_ARN =
            Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):user/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]{1,64})");

    public IamUserInfo {
        Objects.requireNonNull(userArn, "userArn");
        Objects.requireNonNull(userId, "userId");
        if (!USER_ARN.matcher(userArn).matches()) {
            throw new IllegalArgumentException("not an IAM user ARN: " + userArn);
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public String partition() {
        return part(1);
    }

    public String account() {
        return part(2);
    }

    public String userName() {
        return part(4);
    }

    private String part(int group) {
        var m = USER_ARN.matcher(userArn);
        if (!m.matches()) {
            throw new IllegalStateException();
        }
        return m.group(group);
    }
}
