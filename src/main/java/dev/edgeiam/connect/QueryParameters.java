package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query string of a request as the back end receives it: every member with <em>all</em> its values, in the order
 * they were sent. API Gateway's single-valued views lose values — a REST event's {@code queryStringParameters} keeps
 * only the last one and an HTTP API's comma-joins them — so the reader fills this from
 * {@code multiValueQueryStringParameters} or {@code rawQueryString} instead.
 *
 * <p>Amazon Connect reads a list member (see {@link RouteDefinition#listQueryParameters()}) from every repetition;
 * a single-valued member sent twice has no one meaning, and the request is refused as ambiguous.
 *
 * @param values member wire name → values in order (never empty lists)
 */
public record QueryParameters(Map<String, List<String>> values) {

    /** No query string. */
    public static final QueryParameters NONE = new QueryParameters(Map.of());

    public QueryParameters {
        if (values.isEmpty()) {
            values = Map.of(); // an empty query (most requests): no map built
        } else {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            values.forEach((k, v) -> {
                if (v != null && !v.isEmpty()) {
                    copy.put(k, List.copyOf(v));
                }
            });
            values = Collections.unmodifiableMap(copy);
        }
    }

    /** One value per member (tests and single-valued sources). */
    public static QueryParameters single(Map<String, String> single) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        single.forEach((k, v) -> m.put(k, List.of(v)));
        return new QueryParameters(m);
    }

    /** Builds the parameters from {@code name=value} pairs in order. */
    public static QueryParameters of(List<Map.Entry<String, String>> pairs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : pairs) {
            m.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue());
        }
        return new QueryParameters(m);
    }

    /** All values of a member (case-sensitive wire name, as Connect binds it), empty when absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** Whether the member was sent at least once. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Whether the member was sent more than once. */
    public boolean repeated(String name) {
        return all(name).size() > 1;
    }

    /** The only value of a member, or null when absent or sent more than once. */
    public String only(String name) {
        List<String> v = all(name);
        return v.size() == 1 ? v.get(0) : null;
    }

    /** These parameters restricted to the given members. */
    public QueryParameters restrictedTo(java.util.Collection<String> names) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String n : names) {
            if (values.containsKey(n)) {
                m.put(n, values.get(n));
            }
        }
        return new QueryParameters(m);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    // Written out rather than generated: a record's own equals/hashCode link through java.lang.runtime.ObjectMethods
    // on first use, several milliseconds of a cold start per record class (BENCHMARKS.md, "Start-up against a bare
    // Quarkus Lambda"). Same meaning as the generated ones: every component, in order.
    @Override
    public boolean equals(Object o) {
        return o instanceof QueryParameters q && values.equals(q.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }
}
