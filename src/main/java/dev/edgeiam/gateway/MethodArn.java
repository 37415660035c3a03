package dev.edgeiam.gateway;

/**
 * An API Gateway method or route ARN as an authorizer receives it:
 * {@code arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<VERB>/<path>} — the path is the actual
 * request path without the stage — or, for a WebSocket {@code $connect}, {@code .../<apiId>/<stage>/$connect}.
 * (API Gateway Developer Guide, "Input to an API Gateway Lambda authorizer".)
 */
public record MethodArn(String partition, String region, String account, String apiId, String stage, String verb,
                        String path) {

    /**
     * Parses a method ARN; throws {@link IllegalArgumentException} with the reason when it is not one. The same string
     * instance as the thread's last one parsed (the event reader hands out the ARN texts it made lately) is the same
     * ARN: its parse is handed out again.
     */
    public static MethodArn parse(String arn) {
        Object[] last = LAST_PARSED.get();
        if (arn != null && arn == last[0]) {
            return (MethodArn) last[1];
        }
        MethodArn parsed = parsed(arn);
        last[0] = arn;
        last[1] = parsed;
        last[2] = null;
        return parsed;
    }

    private static MethodArn parsed(String arn) {
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
        RecentTexts fields = FIELDS.get();
        String partition = fields.substring(arn, c1 + 1, c2);
        String region = fields.substring(arn, c3 + 1, c4);
        String account = fields.substring(arn, c4 + 1, c5);
        String apiId = fields.substring(arn, c5 + 1, a);
        String stage = fields.substring(arn, a + 1, b);
        int tail = b + 1;
        if (arn.startsWith("$", tail)) {
            String route = fields.substring(arn, tail, arn.length());
            if (route.equals("$connect") || route.equals("$disconnect") || route.equals("$default")) {
                return new MethodArn(partition, region, account, apiId, stage, route, "");
            }
        }
        int c = arn.indexOf('/', tail);
        if (c <= tail) {
            throw new IllegalArgumentException("execute-api ARN lacks a path after the verb");
        }
        return new MethodArn(partition, region, account, apiId, stage, fields.substring(arn, tail, c),
                fields.substring(arn, c, arn.length()));
    }

    /** Per thread, the fields of the method ARNs parsed lately: the same API, stage and verbs come again. */
    private static final ThreadLocal<RecentTexts> FIELDS = new ThreadLocal<>() {
        @Override
        protected RecentTexts initialValue() {
            return new RecentTexts(256);
        }
    };
    /** Per thread, the last stage prefix made and the five fields it was made of (partition .. stage). */
    private static final ThreadLocal<String[]> LAST_PREFIX = new ThreadLocal<>() {
        @Override
        protected String[] initialValue() {
            return new String[6];
        }
    };

    /** {@code arn:...:apiId/stage} — the prefix every resource of this API stage shares. */
    public String stagePrefix() {
        String[] last = LAST_PREFIX.get();
        // the same five string instances (parse hands out the ones it made lately) make the same prefix; equal
        // strings that are other instances only miss this memo
        if (last[0] == partition && last[1] == region && last[2] == account && last[3] == apiId && last[4] == stage
                && last[5] != null) {
            return last[5];
        }
        String prefix = "arn:" + partition + ":execute-api:" + region + ":" + account + ":" + apiId + "/" + stage;
        last[0] = partition;
        last[1] = region;
        last[2] = account;
        last[3] = apiId;
        last[4] = stage;
        last[5] = prefix;
        return prefix;
    }

    /**
     * Per thread, the last ARN text parsed, its parse and (once asked) its {@link #verbAndPath()}. Its text is the
     * one {@link #arn()} makes: parse takes each field at its place in the text, between the separators
     * {@link #arn()} puts back.
     */
    private static final ThreadLocal<Object[]> LAST_PARSED = new ThreadLocal<>() {
        @Override
        protected Object[] initialValue() {
            return new Object[3];
        }
    };

    /** The ARN text again (the text it was parsed from, when it is the thread's last parse). */
    public String arn() {
        Object[] last = LAST_PARSED.get();
        if (last[1] == this) {
            return (String) last[0];
        }
        return stagePrefix() + "/" + verb + path;
    }

    /** The verb and path, {@code GET/users/...}: the part of the ARN after the stage and its slash. */
    public String verbAndPath() {
        Object[] last = LAST_PARSED.get();
        if (last[1] == this) {
            if (last[2] == null) {
                last[2] = verb + path;
            }
            return (String) last[2];
        }
        return verb + path;
    }

    public boolean webSocket() {
        return path.isEmpty();
    }
}
