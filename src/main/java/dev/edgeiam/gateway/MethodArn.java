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
        // apiId/stage/verb[/path], found by position in the ARN itself (no intermediate substrings)
        int a = arn.indexOf('/', c5 + 1);
        int b = a < 0 ? -1 : arn.indexOf('/', a + 1);
        if (a <= c5 + 1 || b <= a + 1) {
            throw new IllegalArgumentException("execute-api ARN lacks apiId/stage/verb");
        }
        String partition = arn.substring(c1 + 1, c2);
        String region = arn.substring(c3 + 1, c4);
        String account = arn.substring(c4 + 1, c5);
        String apiId = arn.substring(c5 + 1, a);
        String stage = arn.substring(a + 1, b);
        int tail = b + 1;
        if (arn.startsWith("$", tail)) {
            String route = arn.substring(tail);
            if (route.equals("$connect") || route.equals("$disconnect") || route.equals("$default")) {
                return new MethodArn(partition, region, account, apiId, stage, route, "");
            }
        }
        int c = arn.indexOf('/', tail);
        if (c <= tail) {
            throw new IllegalArgumentException("execute-api ARN lacks a path after the verb");
        }
        return new MethodArn(partition, region, account, apiId, stage, arn.substring(tail, c), arn.substring(c));
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
