package dev.edgeiam.authorize;

import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.request.NameMap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an API Gateway authorizer knows about a request, independent of the event shape, with where each value
 * came from. A value the event does not carry is <em>unknown</em>, never empty: a REST {@code TOKEN} event carries
 * the token and the method ARN only, so its query, headers and source address are unknown and its time is the
 * function's own clock. The body is never available to an authorizer.
 *
 * @param format                 the event format
 * @param method                 HTTP method, from the method/route ARN (what API Gateway matches a cached policy to)
 * @param path                   raw path from the method ARN, without the stage, e.g. {@code /users/i-1/u-9}
 * @param query                  every query member with all its values in order (empty when unknown)
 * @param queryKnown             whether the event carries the query string
 * @param headers                headers by lower-case name, each with its values (empty when unknown)
 * @param headersKnown           whether the event carries the headers
 * @param sourceIp               the caller's address as API Gateway saw it; null when the event does not say
 * @param userAgent              {@code requestContext.identity.userAgent} / {@code http.userAgent}, or null
 * @param requestTimeEpochMillis when the request arrived ({@code requestTimeEpoch}), or the function's clock
 * @param timeFromEvent          whether the time came from the event (false: the function's clock)
 * @param stage                  the API Gateway stage
 * @param routeKey               the API route that matched ({@code GET /users/{InstanceId}/{UserId}}, {@code $default}),
 *                               or null when the event does not say
 * @param identitySourceValues   the values of the authorizer's identity sources as the event lists them (HTTP API
 *                               2.0 {@code identitySource}), or null when the event does not list them
 */
public record EdgeRequest(EventFormat format, String method, String path, QueryParameters query, boolean queryKnown,
                          Map<String, List<String>> headers, boolean headersKnown, String sourceIp, String userAgent,
                          long requestTimeEpochMillis, boolean timeFromEvent, String stage, String routeKey,
                          List<String> identitySourceValues) {

    public EdgeRequest {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? QueryParameters.NONE : query;
        headers = headers == null ? Map.of() : normalized(headers);
        identitySourceValues = identitySourceValues == null ? null : List.copyOf(identitySourceValues);
    }

    /**
     * Header names in lower case, case variants' values joined in order, every list immutable. Headers an event
     * reader already normalized (lower-case names, immutable lists) are kept as they are, in an immutable map.
     */
    private static Map<String, List<String>> normalized(Map<String, List<String>> headers) {
        if (headers instanceof NameMap<List<String>> read && normal(read)) {
            return read; // immutable, as the bytes reader makes it
        }
        boolean normal = true;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String k = e.getKey();
            List<String> v = e.getValue();
            if (k == null || v == null || !normal(k, v)) {
                normal = false;
                break;
            }
        }
        if (normal) {
            return Map.copyOf(headers); // no copy when the map is immutable already
        }
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.merge(k.toLowerCase(Locale.ROOT), v == null ? List.of() : List.copyOf(v),
                (a, b) -> {
                    java.util.List<String> all = new java.util.ArrayList<>(a);
                    all.addAll(b);
                    return List.copyOf(all);
                }));
        return Collections.unmodifiableMap(h);
    }

    /**
     * Whether every name is in lower case and every list immutable (a NameMap holds no nulls; a value it makes when
     * read is immutable by {@link NameMap.Deferred}'s contract, so it is not made here).
     */
    private static boolean normal(NameMap<List<String>> headers) {
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            boolean normal = headers.held(i) instanceof NameMap.Deferred<?>
                    ? name.equals(name.toLowerCase(Locale.ROOT)) : normal(name, headers.value(i));
            if (!normal) {
                return false;
            }
        }
        return true;
    }

    /** One header as a reader normalizes it: a lower-case name, an immutable list. */
    private static boolean normal(String name, List<String> values) {
        return name.equals(name.toLowerCase(Locale.ROOT)) && List.copyOf(values) == values;
    }

    /** A simple request whose every input is known (tests, local tools). */
    public static EdgeRequest of(String method, String path, QueryParameters query, Map<String, String> headers,
                                 String sourceIp, long requestTimeEpochMillis) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> h.put(k, List.of(v)));
        }
        return new EdgeRequest(EventFormat.REST_REQUEST, method, path, query, true, h, true, sourceIp, null,
                requestTimeEpochMillis, true, "prod", null, null);
    }

    /** The first value of a header (name compared case-insensitively), or null when absent or unknown. */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** All values of a header (name compared case-insensitively), empty when absent or unknown. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
