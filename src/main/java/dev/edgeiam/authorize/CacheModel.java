package dev.edgeiam.authorize;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How API Gateway caches this function's answers, as the operator configured the authorizer: the result TTL
 * ({@code authorizerResultTtlInSeconds}; 0 turns caching off) and the identity sources, which make the cache key.
 * A cached answer is applied, without calling the function, to every later request of the stage whose identity
 * sources have the same values — on any route, with any other query string, header, source address and time — so
 * an Allow may rest on an input only when the cache key fixes it ("pins" it); every other input must be taken as
 * unknown ({@link UnknownInputs}). API Gateway Developer Guide, "Use API Gateway Lambda authorizers":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 *
 * <p>Identity sources are written as API Gateway writes them — REST {@code method.request.header.X},
 * {@code method.request.querystring.X}, {@code method.request.multivaluequerystring.X},
 * {@code method.request.multivalueheader.X}, {@code context.X}, {@code stageVariables.X}; WebSocket
 * {@code route.request.header.X}, {@code route.request.querystring.X}; HTTP API {@code $request.header.X},
 * {@code $request.querystring.X}, {@code $context.X}, {@code $stageVariables.X} — or in the short form
 * {@code header.X}, {@code querystring.X}, {@code context.X}, which means the source of that kind in whatever
 * format the event has. A source written for one API kind is read for that kind's events only ({@code method.request.…}
 * REST, {@code route.request.…} WebSocket, {@code $…} HTTP), so one configuration can serve several APIs. What each pins, safe under every reading where API Gateway does not document the key:
 * <ul>
 * <li>HTTP API {@code $request.querystring.X} / {@code $request.header.X}: every value (API Gateway comma-joins a
 * repeated member, so the key differs whenever the values do) — unless a value itself contains a comma, when
 * {@code a=x,y} and {@code a=x&a=y} share a key and the member counts as not pinned;</li>
 * <li>REST/WebSocket {@code querystring.X} / {@code header.X}: nothing. A REST request with a repeated member keys
 * the cache on one of its values while the back end receives all of them; {@code multivaluequerystring.X} /
 * {@code multivalueheader.X} pin every value;</li>
 * <li>{@code context.identity.sourceIp}: the source address; {@code $context.routeKey} (HTTP) and REST
 * {@code context.resourcePath} with {@code context.httpMethod}: the API route (template), so a cached answer is
 * only applied to requests of the same route; {@code context.requestId} / {@code context.extendedRequestId}:
 * every request (nothing is ever reused);</li>
 * <li>HTTP API payload 1.0 (a REST-shaped event): {@code $request.querystring.X} / {@code $request.header.X}
 * nothing, REST {@code method.request.…} sources nothing (they belong to another API), no route pin;
 * {@code $context.identity.sourceIp} and {@code $context.requestId} as above;</li>
 * <li>anything else: nothing (the cache key is finer than assumed, which is safe).</li>
 * </ul>
 *
 * @param resultTtl       the authorizer result TTL (zero: nothing is cached)
 * @param identitySources the identity sources as configured, in order
 */
public record CacheModel(Duration resultTtl, List<String> identitySources) {

    /** API Gateway's default: TTL 300 s, the credential the only identity source. */
    public static final CacheModel API_GATEWAY_DEFAULT = new CacheModel(Duration.ofSeconds(300), List.of());

    /** No caching: every answer is used for its own request only. */
    public static final CacheModel NOT_CACHED = new CacheModel(Duration.ZERO, List.of());

    /**
     * How long after this function answers a cached copy may still be applied to a new request: the cache entry
     * is written when API Gateway receives the answer, so allow for the invocation's own latency (API Gateway
     * gives an authorizer at most 30 s, including retries).
     */
    public static final Duration ANSWER_LATENCY = Duration.ofSeconds(30);

    public CacheModel {
        Objects.requireNonNull(resultTtl, "resultTtl");
        if (resultTtl.isNegative() || resultTtl.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("the authorizer result TTL is 0 to 3600 seconds, not " + resultTtl);
        }
        identitySources = List.copyOf(identitySources);
        for (String s : identitySources) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("an identity source is blank");
            }
        }
    }

    /** Parses the comma-separated configuration value. */
    public static CacheModel of(Duration resultTtl, String identitySources) {
        List<String> sources = new ArrayList<>();
        if (identitySources != null) {
            for (String s : identitySources.split(",")) {
                if (!s.isBlank()) {
                    sources.add(s.trim());
                }
            }
        }
        return new CacheModel(resultTtl, sources);
    }

    /** What the cache key fixes for events of one format. */
    public record Pins(Set<String> queryMembers, Set<String> headers, boolean sourceIp, boolean route,
                       boolean everyRequest) {

        public Pins {
            queryMembers = Set.copyOf(queryMembers);
            headers = Set.copyOf(headers);
        }

        /**
         * Whether a query member's values are fixed by the key for every request the answer serves: never. The key
         * holds the member's own values, but a request with the same key may also carry the member under another
         * spelling ({@code ContactId} beside {@code contactId}) with any value, and whether the back end reads
         * query names ignoring case is not documented — a fresh request like that is refused as ambiguous
         * ({@code RouteTable}), so a cached answer cannot rest on the pinned value either (R12.3). Query members in
         * the identity sources still make API Gateway key answers apart, which only narrows reuse.
         */
        public boolean pinsQuery(String member, List<String> values) {
            return false;
        }

        /**
         * Whether a header (lower-case name) with these values is fixed by the key: one value without a comma (API
         * Gateway joins a repeated header's values with commas, so {@code a,b} keys {@code [a, b]} and
         * {@code [a,b]} alike).
         */
        public boolean pinsHeader(String lowerName, List<String> values) {
            return headers.contains(lowerName) && values.size() == 1 && values.get(0).indexOf(',') < 0;
        }
    }

    /** Whether API Gateway reuses answers at all: a TTL above zero and no identity source unique per request. */
    public boolean reuses(EventFormat format) {
        return !resultTtl.isZero() && !pins(format).everyRequest();
    }

    /** What this configuration's identity sources fix for events of the format. */
    public Pins pins(EventFormat format) {
        Set<String> query = new LinkedHashSet<>();
        Set<String> headers = new LinkedHashSet<>();
        boolean sourceIp = false;
        boolean resourcePath = false;
        boolean httpMethod = false;
        boolean routeKey = false;
        boolean every = false;
        for (String raw : identitySources) {
            Source s = Source.parse(raw, format);
            if (s == null) {
                continue;
            }
            switch (s.kind()) {
                case QUERY_ALL_VALUES -> query.add(s.name());
                case HEADER_ALL_VALUES -> headers.add(s.name().toLowerCase(Locale.ROOT));
                case CONTEXT -> {
                    switch (s.name()) {
                        case "identity.sourceIp" -> sourceIp = true;
                        case "routeKey" -> routeKey = true;
                        case "resourcePath" -> resourcePath = true;
                        case "httpMethod" -> httpMethod = true;
                        case "requestId", "extendedRequestId" -> every = true;
                        default -> { }
                    }
                }
                default -> { }
            }
        }
        // HTTP API payload 1.0: its request fields are read with REST rules, so no route template is compared
        boolean route = format == EventFormat.HTTP_V1 ? false : format.httpApi() ? routeKey : resourcePath && httpMethod;
        return new Pins(query, headers, sourceIp, route, every);
    }

    /** One identity source, read for an event format; null when it belongs to another format. */
    record Source(Kind kind, String name) {

        enum Kind { QUERY_ALL_VALUES, QUERY_ONE_VALUE, HEADER_ALL_VALUES, HEADER_ONE_VALUE, CONTEXT, STAGE_VARIABLE }

        static Source parse(String text, EventFormat format) {
            if (format == EventFormat.HTTP_V1) {
                // An HTTP API's own sources only (a REST method.request.… source of a shared configuration is not
                // in its key). How API Gateway keys a repeated member for payload 1.0 is not documented, and the
                // event's query views are read with REST rules: its query and header sources pin nothing.
                if (text.startsWith("method.request.") || text.startsWith("route.request.")) {
                    return null;
                }
                return shortForm(text.startsWith("$") ? text.substring(1).replaceFirst("^request\\.", "") : text,
                        false);
            }
            boolean http = format.httpApi();
            if (text.startsWith("$")) {
                if (!http) {
                    return null;
                }
                return shortForm(text.substring(1).replaceFirst("^request\\.", ""), true);
            }
            if (text.startsWith("method.request.") || text.startsWith("route.request.")) {
                // REST sources belong to REST events, WebSocket sources to $connect events: a configuration shared
                // by a REST and a WebSocket API must not read one API's cache key for the other's events
                boolean webSocketSource = text.startsWith("route.request.");
                if (http || webSocketSource != (format == EventFormat.WEBSOCKET_CONNECT)) {
                    return null;
                }
                String rest = text.substring(text.indexOf(".request.") + ".request.".length());
                if (rest.startsWith("multivaluequerystring.")) {
                    return new Source(Kind.QUERY_ALL_VALUES, rest.substring("multivaluequerystring.".length()));
                }
                if (rest.startsWith("multivalueheader.")) {
                    return new Source(Kind.HEADER_ALL_VALUES, rest.substring("multivalueheader.".length()));
                }
                return shortForm(rest, false);
            }
            return shortForm(text, http);
        }

        private static Source shortForm(String text, boolean http) {
            if (text.startsWith("querystring.")) {
                return new Source(http ? Kind.QUERY_ALL_VALUES : Kind.QUERY_ONE_VALUE,
                        text.substring("querystring.".length()));
            }
            if (text.startsWith("header.")) {
                return new Source(http ? Kind.HEADER_ALL_VALUES : Kind.HEADER_ONE_VALUE, text.substring("header.".length()));
            }
            if (text.startsWith("context.")) {
                return new Source(Kind.CONTEXT, text.substring("context.".length()));
            }
            if (text.startsWith("stageVariables.")) {
                return new Source(Kind.STAGE_VARIABLE, text.substring("stageVariables.".length()));
            }
            return null;
        }
    }
}
