package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A REST URI template such as {@code /users/{InstanceId}/{UserId}} (Smithy {@code @http} URI with
 * {@code @httpLabel} members; Connect has no greedy labels). Matching is exact per segment: a literal
 * segment must be equal (case-sensitive), a {@code {label}} segment accepts any one non-empty segment.
 * When two templates match, the one with a literal at the first differing position is more specific
 * (standard REST routing precedence).
 */
public final class PathTemplate {

    private final String template;
    private final List<String> segments;
    private final List<String> labels;
    /** Per segment: its label name, or null for a literal segment (so matching neither re-parses nor allocates). */
    private final String[] labelAt;

    private PathTemplate(String template, List<String> segments) {
        this.template = template;
        this.segments = List.copyOf(segments);
        this.labelAt = new String[segments.size()];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labelAt.length; i++) { // a loop, not a stream: every route is built on a cold start
            labelAt[i] = isLabel(segments.get(i)) ? labelName(segments.get(i)) : null;
            if (labelAt[i] != null) {
                names.add(labelAt[i]);
            }
        }
        this.labels = List.copyOf(names);
    }

    /** @throws IllegalArgumentException if the template is not {@code /seg/...} with whole-segment labels */
    public static PathTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/") || template.contains("?") || template.contains("//")) {
            throw new IllegalArgumentException("path template must start with '/' and have no query or empty segment: " + template);
        }
        List<String> segments = splitPath(template);
        for (String s : segments) {
            if ((s.contains("{") || s.contains("}")) && !isLabel(s)) {
                throw new IllegalArgumentException("label must be a whole segment {Name}: '" + s + "' in " + template);
            }
        }
        return new PathTemplate(template, segments);
    }

    /** Splits a path on {@code /} after the leading one; {@code "/"} gives no segments. */
    static List<String> splitPath(String path) {
        String body = path.substring(1);
        if (body.isEmpty()) {
            return List.of();
        }
        return List.of(body.split("/", -1));
    }

    static boolean isLabel(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")
                && segment.indexOf('{', 1) < 0 && segment.indexOf('}') == segment.length() - 1;
    }

    static String labelName(String segment) {
        String name = segment.substring(1, segment.length() - 1);
        return name.endsWith("+") ? name.substring(0, name.length() - 1) : name;
    }

    /** @return the template text */
    public String template() {
        return template;
    }

    /** @return the segments (literals and {@code {label}}s) */
    public List<String> segments() {
        return segments;
    }

    /** @return label names in order */
    public List<String> labels() {
        return labels;
    }

    /**
     * @param concrete decoded path segments
     * @return label bindings, or null if the path does not match
     */
    public Map<String, String> match(List<String> concrete) {
        if (concrete.size() != segments.size()) {
            return null;
        }
        for (int i = 0; i < segments.size(); i++) { // reject on literals first: most candidates fail there
            String c = concrete.get(i);
            if (labelAt[i] != null ? c.isEmpty() : !segments.get(i).equals(c)) {
                return null;
            }
        }
        Map<String, String> bound = new LinkedHashMap<>();
        for (int i = 0; i < labelAt.length; i++) {
            if (labelAt[i] != null) {
                bound.put(labelAt[i], concrete.get(i));
            }
        }
        return Collections.unmodifiableMap(bound);
    }

    /**
     * Orders more specific templates first: at the first position where one has a literal and the
     * other a label, the literal wins; otherwise by template text (deterministic).
     */
    public static int mostSpecificFirst(PathTemplate a, PathTemplate b) {
        int literals = literalsFirst(a, b);
        return literals != 0 ? literals : a.template.compareTo(b.template);
    }

    /**
     * The specificity part of {@link #mostSpecificFirst} alone: 0 when neither template has a literal where the
     * other has a label (label names do not matter).
     */
    public static int literalsFirst(PathTemplate a, PathTemplate b) {
        int n = Math.min(a.segments.size(), b.segments.size());
        for (int i = 0; i < n; i++) {
            boolean la = isLabel(a.segments.get(i));
            boolean lb = isLabel(b.segments.get(i));
            if (la != lb) {
                return la ? 1 : -1;
            }
        }
        return 0;
    }

    /**
     * Substitutes label values (e.g. from an API Gateway {@code pathParameters} map) into a template
     * path; a greedy {@code {name+}} value is split on {@code /}. Values are taken as already decoded.
     *
     * @throws IllegalArgumentException if a label has no value
     */
    static List<String> substitute(String templatePath, Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (String s : splitPath(templatePath)) {
            if (isLabel(s)) {
                String v = values.get(labelName(s));
                if (v == null) {
                    throw new IllegalArgumentException("no value for path parameter " + labelName(s) + " of " + templatePath);
                }
                if (s.endsWith("+}")) {
                    out.addAll(List.of(v.split("/", -1)));
                } else {
                    out.add(v);
                }
            } else {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathTemplate p && p.template.equals(template);
    }

    @Override
    public int hashCode() {
        return template.hashCode();
    }

    @Override
    public String toString() {
        return template;
    }
}
