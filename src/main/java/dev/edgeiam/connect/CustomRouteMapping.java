package dev.edgeiam.connect;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An operator-supplied route mapping that takes precedence over the generated Connect route table:
 * {@code method + path template → IAM action + resource ARN templates}. ARN templates use
 * {@code {name}} placeholders, resolved from the path labels, then — for {@code {Partition}}, {@code {Region}},
 * {@code {Account}} — the {@link ArnContext} only, then for other names the query member of that name; a
 * placeholder without a value becomes {@code *} in a {@link NotVisibleResource}. A template {@code "*"} stands
 * for all resources.
 *
 * @param method       HTTP method (stored upper-case), one of {@link #METHODS}
 * @param path         path template, e.g. {@code /test-cases/{InstanceId}}
 * @param iamAction    {@code service:Action}
 * @param arnTemplates e.g. {@code arn:{Partition}:connect:{Region}:{Account}:instance/{InstanceId}}
 */
public record CustomRouteMapping(String method, PathTemplate path, String iamAction, List<String> arnTemplates) {

    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9]+");

    /**
     * The methods a route may have: API Gateway's HTTP methods and {@code ANY}
     * (https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html), and {@code WEBSOCKET} for a WebSocket
     * API's {@code $connect}.
     */
    public static final java.util.Set<String> METHODS = java.util.Set.of("GET", "POST", "PUT", "DELETE", "PATCH",
            "HEAD", "OPTIONS", "ANY", "WEBSOCKET");
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");

    public CustomRouteMapping {
        Objects.requireNonNull(method, "method");
        if (method.isBlank()) {
            throw new IllegalArgumentException("method is blank");
        }
        method = method.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            // "*" (an execute-api ARN's any-method) matched no request yet counted as a method of its own in the
            // cached route grants (red-team pass 29, R29.1)
            throw new IllegalArgumentException("method must be one of " + METHODS + " (ANY for every method): '"
                    + method + "'");
        }
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(iamAction, "iamAction");
        if (!ACTION.matcher(iamAction).matches()) {
            throw new IllegalArgumentException("IAM action must be service:Action without wildcards: '" + iamAction + "'");
        }
        arnTemplates = List.copyOf(arnTemplates);
        for (String t : arnTemplates) {
            if (!t.equals("*") && !t.startsWith("arn:")) {
                throw new IllegalArgumentException("ARN template must start with 'arn:' or be '*': '" + t + "'");
            }
        }
    }

    /**
     * The query members this mapping reads: placeholders that are neither path labels nor {@code Partition},
     * {@code Region} or {@code Account} (which come from configuration only).
     */
    public java.util.Set<String> queryMembers() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String t : arnTemplates) {
            java.util.regex.Matcher m = PLACEHOLDER.matcher(t);
            while (m.find()) {
                String name = m.group(1);
                if (!path.labels().contains(name) && !name.equals(ArnTemplate.PARTITION)
                        && !name.equals(ArnTemplate.REGION) && !name.equals(ArnTemplate.ACCOUNT)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** Convenience factory parsing the path template. */
    public static CustomRouteMapping of(String method, String pathTemplate, String iamAction, String... arnTemplates) {
        return new CustomRouteMapping(method, PathTemplate.parse(pathTemplate), iamAction, List.of(arnTemplates));
    }
}
