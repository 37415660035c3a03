package dev.edgeiam.gateway;

/**
 * An API Gateway method or route ARN as an authorizer receives it:
 * {@code arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>} — the path is the actual
 * request path without the stage — or, for a WebSocket {@code $connect}, {@code .../<apiId>/<stage>/$connect}.
 * (API Gateway Developer Guide, "Input to an API Gateway Lambda authorizer".)
 */
public record MethodArn(String partition, String region, String account, String apiId, String stage, String verb,
                        String path) {

    /** Parses a method ARN; throws {@link IllegalArgumentException} with the reason when it is not one. */
    public static MethodArn parse(String arn) {
        if (arn == null || arn.length() > 1600) {
            throw new IllegalArgumentException("methodArn is missing or longer than 1600 characters");
        }
        // the five ':' before the resource, as arn.split(":", 6) would take them (the resource keeps any later ':')
        int c1 = arn.indexOf(':');
        int c2 = c1 < 0 ? -1 : arn.indexOf(':', c1 + 1);
        int c3 = c2 < 0 ? -1 : arn.indexOf(':', c2 + 1);
        int c4 = c3 < 0 ? -1 : arn.indexOf(':', c3 + 1);
        int c5 = c4 < 0 ? -1 : arn.indexOf(':', c4 + 1);
        if (c5 < 0 || c1 != 3 || !arn.startsWith("arn") || c2 == c1 + 1 || c3 - c2 - 1 != "execute-api".length()
                || !arn.startsWith("execute-api", c2 + 1) || c4 == c3 + 1 || c5 == c4 + 1) {
            throw new IllegalArgumentException("not an execute-api ARN");
        }
        String[] parts = {null, arn.substring(c1 + 1, c2), null, arn.substring(c3 + 1, c4), arn.substring(c4 + 1, c5)};
        String rest = arn.substring(c5 + 1);
        int a = rest.indexOf('/');
        int b = a < 0 ? -1 : rest.indexOf('/', a + 1);
        if (a <= 0 || b <= a + 1) {
            throw new IllegalArgumentException("execute-api ARN lacks apiId/stage/verb");
        }
        String apiId = rest.substring(0, a);
        String stage = rest.substring(a + 1, b);
        String tail = rest.substring(b + 1);
        if (tail.equals("$connect") || tail.equals("$disconnect") || tail.equals("$default")) {
            return new MethodArn(parts[1], parts[3], parts[4], apiId, stage, tail, "");
        }
        int c = tail.indexOf('/');
        if (c <= 0) {
            throw new IllegalArgumentException("execute-api ARN lacks a path after the verb");
        }
        return new MethodArn(parts[1], parts[3], parts[4], apiId, stage, tail.substring(0, c), tail.substring(c));
    }

    /** {@code arn:...:apiId/stage} — the prefix every resource of this API stage shares. */
    public String stagePrefix() {
        return "arn:" + partition + ":execute-api:" + region + ":" + account + ":" + apiId + "/" + stage;
    }

    /** The ARN text again. */
    public String arn() {
        return stagePrefix() + "/" + verb + path;
    }

    public boolean webSocket() {
        return path.isEmpty();
    }
}
