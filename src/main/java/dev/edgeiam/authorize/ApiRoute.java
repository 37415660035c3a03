package dev.edgeiam.authorize;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One route of the protected API: an HTTP method ({@code ANY} for every method) and a path template whose
 * {@code {label}} segments match one non-empty path segment and whose {@code {label+}} matches the rest
 * (API Gateway's path-parameter rules).
 *
 * @param method       HTTP method, or {@code ANY}
 * @param pathTemplate e.g. {@code /users/{InstanceId}/{UserId}}
 * @param custom       an operator's route mapping (its back end is not Amazon Connect)
 */
public record ApiRoute(String method, String pathTemplate, boolean custom) {

    public ApiRoute {
        if (!pathTemplate.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + pathTemplate);
        }
    }

    /** A route of the Amazon Connect route table. */
    public ApiRoute(String method, String pathTemplate) {
        this(method, pathTemplate, false);
    }

    /** The template's segments ({@code /} gives none). */
    public List<String> segments() {
        if (pathTemplate.equals("/")) {
            return List.of();
        }
        return List.of(pathTemplate.substring(1).split("/", -1));
    }

    /** Whether a segment of the template is a {@code {label}} or {@code {label+}}. */
    public static boolean isLabel(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** Whether the template has path labels. */
    public boolean hasLabels() {
        return segments().stream().anyMatch(ApiRoute::isLabel);
    }

    /** Literal segments before the first label, for coarser patterns. */
    public List<String> literalPrefix() {
        List<String> out = new ArrayList<>();
        for (String s : segments()) {
            if (isLabel(s)) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    /** Whether this route and an API Gateway route template ({@code ANY}, labels, {@code {proxy+}}) share a request. */
    public boolean overlaps(ApiRoute other) {
        if (!method.equals("ANY") && !other.method.equals("ANY") && !method.equals(other.method)) {
            return false;
        }
        return overlap(segments(), 0, other.segments(), 0);
    }

    /** API Gateway allows a greedy {@code {name+}} only as the last segment; it matches one or more segments. */
    private static boolean overlap(List<String> a, int i, List<String> b, int j) {
        if (i < a.size() && isGreedy(a.get(i))) {
            return j < b.size();
        }
        if (j < b.size() && isGreedy(b.get(j))) {
            return i < a.size();
        }
        if (i == a.size() || j == b.size()) {
            return i == a.size() && j == b.size();
        }
        String x = a.get(i);
        String y = b.get(j);
        boolean compatible = isLabel(x) || isLabel(y) || x.equals(y);
        return compatible && overlap(a, i + 1, b, j + 1);
    }

    private static boolean isGreedy(String segment) {
        return isLabel(segment) && segment.endsWith("+}");
    }

    // Written out rather than generated: a record's own equals/hashCode link through java.lang.runtime.ObjectMethods
    // on first use, several milliseconds of a cold start per record class (BENCHMARKS.md, "Start-up against a bare
    // Quarkus Lambda"). Same meaning as the generated ones: every component, in order.
    @Override
    public boolean equals(Object o) {
        return o instanceof ApiRoute r && custom == r.custom && Objects.equals(method, r.method)
                && pathTemplate.equals(r.pathTemplate);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(method) * 31 + pathTemplate.hashCode()) * 31 + Boolean.hashCode(custom);
    }
}
