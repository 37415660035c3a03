package dev.edgeiam.authorize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an API Gateway authorizer knows about a request, independent of the event shape (REST, HTTP API,
 * WebSocket): method, raw path, multi-valued query parameters, headers, caller address, user agent, request time,
 * whether it arrived over TLS, and the stage. The body is never available to an authorizer.
 *
 * @param method                 HTTP method
 * @param path                   raw path without the stage prefix, e.g. {@code /users/i-1/u-9}
 * @param query                  query parameters by wire name, each with its values in order
 * @param headers                headers (names compared case-insensitively)
 * @param sourceIp               caller address as API Gateway saw it ({@code requestContext.identity.sourceIp})
 * @param userAgent              {@code requestContext.identity.userAgent}, or null (then the User-Agent header)
 * @param requestTimeEpochMillis {@code requestContext.requestTimeEpoch}
 * @param https                  whether the request used TLS (API Gateway endpoints are HTTPS-only: true)
 * @param stage                  the API Gateway stage (not a context key; kept for logging)
 */
public record EdgeRequest(String method, String path, Map<String, List<String>> query, Map<String, String> headers,
                          String sourceIp, String userAgent, long requestTimeEpochMillis, boolean https, String stage) {

    public EdgeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (query != null) {
            query.forEach((k, v) -> q.put(k, v == null ? List.of() : List.copyOf(v)));
        }
        query = Collections.unmodifiableMap(q);
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A header value, name compared case-insensitively; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The first value of each query parameter, as {@link dev.edgeiam.connect.RouteTable#match} takes them. */
    public Map<String, String> singleValuedQuery() {
        Map<String, String> out = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v.get(0));
            }
        });
        return out;
    }
}
