package dev.edgeiam.connect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Maps HTTP requests of the Amazon Connect REST API (restJson1, {@code connect.{Region}.amazonaws.com})
 * to the operation, its IAM action ({@code connect:<Operation>}, per the SAR) and the resource ARNs it
 * targets, using {@code connect-api-routes.json}.
 *
 * <p>Matching is exact per path segment and deterministic: operator {@link CustomRouteMapping}s are
 * tried first, then the generated table; within each, among the templates with the request's method
 * and segment count, the most specific (literal before label at the first difference,
 * {@link PathTemplate#mostSpecificFirst}) wins. An unknown route gives {@link Optional#empty()}, which
 * the caller turns into a deny ({@code unmapped-route}). Operations without an IAM action in the SAR
 * data still match (so they cannot fall through to another template) but carry an empty
 * {@link RouteMatch#iamAction()}; {@link #routesWithoutIamAction()} lists them.
 */
public final class RouteTable {

    /** Class-path resource holding the route data. */
    public static final String ROUTES_RESOURCE = "/connect/connect-api-routes.json";

    private static final class DefaultHolder {
        static final RouteTable INSTANCE = load(ConnectCatalog.defaultCatalog());
    }

    private final ConnectCatalog catalog;
    private final List<RouteDefinition> routes;
    private final List<CustomRouteMapping> customMappings;
    /** The routes by method and segment count, most specific first, narrowed by the first segment ({@link FirstSegment}). */
    private final Map<String, FirstSegment> routesByFirstSegment;
    private final Map<String, List<CustomRouteMapping>> customIndex;
    /** Operation → its first route in table order (what {@link #route} answers). */
    private final Map<String, RouteDefinition> byOperation;
    private final RouteResourceResolver resolver;
    private final CustomMappingResolver customResolver;

    private RouteTable(ConnectCatalog catalog, List<RouteDefinition> routes, List<CustomRouteMapping> customMappings) {
        this.catalog = catalog;
        this.routes = List.copyOf(routes);
        this.customMappings = List.copyOf(customMappings);
        List<Filed<CustomRouteMapping>> custom = new ArrayList<>(this.customMappings.size());
        for (CustomRouteMapping m : this.customMappings) {
            custom.add(new Filed<>(m, m.method(), m.path()));
        }
        this.customIndex = index(custom);
        List<Filed<RouteDefinition>> generated = new ArrayList<>(this.routes.size());
        for (RouteDefinition r : this.routes) {
            generated.add(new Filed<>(r, r.method(), r.path()));
        }
        Map<String, FirstSegment> narrowed = new HashMap<>();
        for (Map.Entry<String, List<RouteDefinition>> bucket : index(generated).entrySet()) {
            narrowed.put(bucket.getKey(), FirstSegment.of(bucket.getValue()));
        }
        this.routesByFirstSegment = Map.copyOf(narrowed);
        Map<String, RouteDefinition> operations = new HashMap<>();
        for (RouteDefinition r : this.routes) {
            operations.putIfAbsent(r.operation(), r);
        }
        this.byOperation = Map.copyOf(operations);
        this.resolver = new RouteResourceResolver(catalog.arns());
        this.customResolver = new CustomMappingResolver(catalog);
    }

    /** A route or custom mapping with the method and path template it is indexed under. */
    private record Filed<T>(T entry, String method, PathTemplate path) {
    }

    /** Orders filed entries by {@link PathTemplate#mostSpecificFirst} on their paths. */
    private static final class MostSpecificFirst implements Comparator<Filed<?>> {
        static final MostSpecificFirst INSTANCE = new MostSpecificFirst();

        @Override
        public int compare(Filed<?> a, Filed<?> b) {
            return PathTemplate.mostSpecificFirst(a.path(), b.path());
        }
    }

    /**
     * The entries by method and segment count ({@link #key}), each bucket most specific path first (a stable sort,
     * so entries with equal paths keep their order).
     *
     * @throws IllegalArgumentException if two entries have the same method and path template
     */
    private static <T> Map<String, List<T>> index(List<Filed<T>> entries) {
        Map<String, List<Filed<T>>> buckets = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Filed<T> e : entries) {
            String route = e.method() + " " + e.path().template();
            if (!seen.add(route)) {
                throw new IllegalArgumentException("duplicate route " + route);
            }
            String key = key(e.method(), e.path().segments().size());
            List<Filed<T>> bucket = buckets.get(key);
            if (bucket == null) {
                bucket = new ArrayList<>();
                buckets.put(key, bucket);
            }
            bucket.add(e);
        }
        Map<String, List<T>> index = new HashMap<>();
        for (Map.Entry<String, List<Filed<T>>> bucket : buckets.entrySet()) {
            List<Filed<T>> filed = bucket.getValue();
            filed.sort(MostSpecificFirst.INSTANCE);
            List<T> sorted = new ArrayList<>(filed.size());
            for (Filed<T> f : filed) {
                sorted.add(f.entry());
            }
            index.put(bucket.getKey(), List.copyOf(sorted));
        }
        return Map.copyOf(index);
    }

    /**
     * A query member sent under another spelling of a name the route reads ({@code ContactId} beside
     * {@code contactId}): whether the back end reads names ignoring case is not documented, so which value it uses is
     * not known.
     */
    private static void caseVariants(String wire, QueryParameters q, List<String> ambiguous) {
        for (String sent : q.values().keySet()) {
            if (!sent.equals(wire) && sent.equalsIgnoreCase(wire)) {
                ambiguous.add("query member " + sent + " differs from " + wire + " only in case");
            }
        }
    }

    /**
     * The custom mappings a request with this method and segment count may match: the method's own and those with
     * method {@code ANY}, most specific path first, the method's own before {@code ANY} on equal paths (API
     * Gateway: "routes with a specific method take precedence over ANY routes for the same path", and the most
     * specific path wins, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
     */
    private List<CustomRouteMapping> customCandidates(String methodKey, int segments) {
        List<CustomRouteMapping> own = customIndex.getOrDefault(methodKey, List.of());
        List<CustomRouteMapping> any = methodKey.startsWith("ANY#") ? List.of()
                : customIndex.getOrDefault(key("ANY", segments), List.of());
        if (any.isEmpty()) {
            return own;
        }
        List<CustomRouteMapping> merged = new ArrayList<>(own);
        merged.addAll(any);
        merged.sort(Comparator.comparing(CustomRouteMapping::path, PathTemplate::literalsFirst)); // stable: own first
        return merged;
    }

    /**
     * One bucket of routes (same method and segment count, most specific first) split by the first segment: a
     * template whose first segment is a literal can match only a path whose first segment equals it, so for each
     * such literal the candidates are the templates with that literal or a label there, in the bucket's order; a
     * path whose first segment is no template's literal has only the label-first templates. Matching the narrowed
     * list finds the same first match as matching the whole bucket ({@code RouteTableFirstSegmentTest}).
     */
    record FirstSegment(List<RouteDefinition> all, Map<String, List<RouteDefinition>> byLiteral,
                                List<RouteDefinition> labelFirst) {

        static FirstSegment of(List<RouteDefinition> bucket) {
            List<RouteDefinition> labelFirst = new ArrayList<>();
            Set<String> literals = new java.util.LinkedHashSet<>();
            for (RouteDefinition r : bucket) {
                if (r.path().segments().isEmpty()) {
                    continue;
                }
                String first = r.path().segments().get(0);
                if (PathTemplate.isLabel(first)) {
                    labelFirst.add(r);
                } else {
                    literals.add(first);
                }
            }
            Map<String, List<RouteDefinition>> byLiteral = new HashMap<>();
            for (String literal : literals) {
                List<RouteDefinition> candidates = new ArrayList<>();
                for (RouteDefinition r : bucket) {
                    String first = r.path().segments().get(0);
                    if (first.equals(literal) || PathTemplate.isLabel(first)) {
                        candidates.add(r);
                    }
                }
                byLiteral.put(literal, List.copyOf(candidates));
            }
            return new FirstSegment(bucket, Map.copyOf(byLiteral), List.copyOf(labelFirst));
        }

        List<RouteDefinition> candidates(List<String> segments) {
            return segments.isEmpty() ? all : byLiteral.getOrDefault(segments.get(0), labelFirst);
        }
    }

    private static String key(String method, int segments) {
        return method + "#" + segments;
    }

    /** @return the table for the default catalog without custom mappings (loaded once) */
    public static RouteTable defaultTable() {
        return DefaultHolder.INSTANCE;
    }

    /**
     * Loads {@value #ROUTES_RESOURCE} against the given catalog (from the compact form the build makes of it,
     * {@code ConnectModelForm}, when the class path has it).
     */
    public static RouteTable load(ConnectCatalog catalog) {
        Objects.requireNonNull(catalog, "catalog");
        return new RouteTable(catalog, RouteTableLoader.build(RouteTableLoader.defaultRows(), catalog), List.of());
    }

    /** @return a table with these operator mappings, which take precedence over the generated routes */
    public RouteTable withCustomMappings(List<CustomRouteMapping> mappings) {
        if (mappings.isEmpty() && customMappings.isEmpty()) {
            return this; // the same routes, still without mappings: nothing to re-index (a cold start's common case)
        }
        return new RouteTable(catalog, routes, mappings);
    }

    /** @return all generated routes in data order */
    public List<RouteDefinition> routes() {
        return routes;
    }

    /** @return the operator mappings */
    public List<CustomRouteMapping> customMappings() {
        return customMappings;
    }

    /** @return the route of an operation (exact name) */
    public Optional<RouteDefinition> route(String operation) {
        return Optional.ofNullable(byOperation.get(operation));
    }

    /**
     * @return routes whose IAM action is not in the Service Authorization Reference data (the data only
     *         presumes a name, see {@link RouteDefinition#presumedIamAction()} and {@link RouteDefinition#note()})
     */
    public List<RouteDefinition> routesWithoutIamAction() {
        return routes.stream().filter(r -> r.iamAction().isEmpty()).toList();
    }

    /**
     * Matches a raw request path such as {@code /users/inst-1/u-9} with single-valued query parameters (a
     * convenience for {@link #match(String, String, QueryParameters, ArnContext)}).
     */
    public Optional<RouteMatch> match(String method, String rawPath, Map<String, String> query, ArnContext context) {
        return match(method, rawPath, query == null ? QueryParameters.NONE : QueryParameters.single(query), context);
    }

    /**
     * Matches a raw request path such as {@code /users/inst-1/u-9}. Each segment is percent-decoded
     * (so an URL-encoded ARN stays one segment); a path with an invalid escape or without a leading
     * {@code /} matches nothing. Callers refuse non-canonical paths first ({@link #nonCanonical}).
     *
     * @param query every query member with all its values, as the back end receives them
     */
    public Optional<RouteMatch> match(String method, String rawPath, QueryParameters query, ArnContext context) {
        if (method == null || rawPath == null || !rawPath.startsWith("/")) {
            return Optional.empty();
        }
        List<String> segments = decodedSegments(rawPath);
        return segments == null ? Optional.empty() : matchSegments(method, segments, query, context);
    }

    /**
     * The path's segments after the leading {@code /} (none for {@code "/"}), each percent-decoded, in one pass over
     * the text; null when a segment has an invalid escape. The same list as {@code PathTemplate.splitPath} with
     * {@link #percentDecode} applied to each ({@code RouteTablePathScanTest}).
     */
    static List<String> decodedSegments(String rawPath) {
        int n = rawPath.length();
        if (n == 1) {
            return List.of();
        }
        List<String> segments = new ArrayList<>(8);
        int start = 1;
        while (true) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? n : slash;
            String decoded = percentDecode(rawPath.substring(start, end));
            if (decoded == null) {
                return null;
            }
            segments.add(decoded);
            if (slash < 0) {
                return segments;
            }
            start = slash + 1;
        }
    }

    /**
     * Matches a resource template with its parameters, as an API Gateway REST authorizer receives them
     * ({@code resource} {@code /users/{InstanceId}/{UserId}} + {@code pathParameters}). The parameter
     * values are substituted (greedy {@code {proxy+}} values are split on {@code /}) and the concrete
     * segments are matched, so the operator's label names need not equal the Connect ones.
     *
     * @throws IllegalArgumentException if a label of the template has no value
     */
    public Optional<RouteMatch> matchTemplate(String method, String pathTemplate, Map<String, String> pathParameters,
                                              Map<String, String> query, ArnContext context) {
        return matchTemplate(method, pathTemplate, pathParameters,
                query == null ? QueryParameters.NONE : QueryParameters.single(query), context);
    }

    /** As {@link #matchTemplate(String, String, Map, Map, ArnContext)}, with every query value. */
    public Optional<RouteMatch> matchTemplate(String method, String pathTemplate, Map<String, String> pathParameters,
                                              QueryParameters query, ArnContext context) {
        if (method == null || pathTemplate == null || !pathTemplate.startsWith("/")) {
            return Optional.empty();
        }
        return matchSegments(method, PathTemplate.substitute(pathTemplate, pathParameters), query, context);
    }

    private Optional<RouteMatch> matchSegments(String method, List<String> segments, QueryParameters query,
                                               ArnContext context) {
        Objects.requireNonNull(context, "context");
        if (!method.equals(method.toUpperCase(Locale.ROOT))) {
            return Optional.empty(); // "the method token is case-sensitive" (RFC 9110 §9.1): `get` is not GET
        }
        QueryParameters q = query == null ? QueryParameters.NONE : query;
        String k = key(method.toUpperCase(Locale.ROOT), segments.size());
        for (CustomRouteMapping m : customCandidates(k, segments.size())) {
            Map<String, String> bound = m.path().match(segments);
            if (bound != null) {
                RouteResourceResolver.Resolution res = customResolver.resolve(m, bound, q, context);
                String route = m.method() + " " + m.path().template();
                List<String> caseAmbiguities = new ArrayList<>();
                for (String member : m.queryMembers()) {
                    caseVariants(member, q, caseAmbiguities);
                }
                if (!caseAmbiguities.isEmpty()) {
                    List<String> all = new ArrayList<>(res.ambiguities());
                    all.addAll(caseAmbiguities);
                    return Optional.of(new RouteMatch(route, route, Optional.of(m.iamAction()), bound,
                            res.resources(), res.notVisible(), res.problems(), true, all,
                            q.restrictedTo(m.queryMembers())));
                }
                return Optional.of(new RouteMatch(route, route, Optional.of(m.iamAction()), bound,
                        res.resources(), res.notVisible(), res.problems(), true, res.ambiguities(),
                        q.restrictedTo(m.queryMembers())));
            }
        }
        FirstSegment bucket = routesByFirstSegment.get(k);
        for (RouteDefinition r : bucket == null ? List.<RouteDefinition>of() : bucket.candidates(segments)) {
            Map<String, String> bound = r.path().match(segments);
            if (bound != null) {
                RouteResourceResolver.Resolution res = resolver.resolve(r, bound, q, context);
                List<String> ambiguous = new ArrayList<>();
                for (String wire : r.queryParameters().keySet()) {
                    if (!r.listQueryParameters().contains(wire) && q.repeated(wire)) {
                        ambiguous.add("query member " + wire + " is single-valued but sent " + q.all(wire).size()
                                + " times");
                    }
                    caseVariants(wire, q, ambiguous);
                }
                return Optional.of(new RouteMatch(r.operation(), r.route(), r.iamAction(), bound,
                        res.resources(), res.notVisible(), res.problems(), false, ambiguous,
                        q.restrictedTo(r.queryParameters().keySet())));
            }
        }
        return Optional.empty();
    }

    /**
     * Why a raw path is not in canonical form, or null when it is. Canonical: starts with {@code /}; no empty
     * segment (so no {@code //} and no trailing {@code /}, except the root {@code /} itself); no dot segment
     * ({@code .} or {@code ..}, raw or percent-encoded); every {@code %} starts a valid escape; no escape of an
     * unreserved character (RFC 3986 section 2.3: {@code A-Z a-z 0-9 - . _ ~} are never encoded by a conforming
     * client, https://www.rfc-editor.org/rfc/rfc3986#section-2.3). How API Gateway routes and writes the method
     * ARN of other forms is not documented; the authorizer refuses them, so no reading of such a path can be
     * allowed (and cached policies carve them out, see {@code gateway.RoutePolicyBuilder}).
     */
    public static String nonCanonical(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return "the path does not start with '/'";
        }
        if (rawPath.equals("/")) {
            return null;
        }
        int n = rawPath.length();
        int start = 1; // each segment is [start, end) of the path: scanned in place, not split out
        while (start <= n) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? n : slash;
            if (end == start) {
                return "the path has an empty segment (a '//' or a trailing '/')";
            }
            for (int i = start; i < end; i++) {
                if (rawPath.charAt(i) != '%') {
                    continue;
                }
                if (i + 2 >= end || Character.digit(rawPath.charAt(i + 1), 16) < 0
                        || Character.digit(rawPath.charAt(i + 2), 16) < 0) {
                    return "the path has an invalid percent-escape";
                }
                int c = Character.digit(rawPath.charAt(i + 1), 16) * 16 + Character.digit(rawPath.charAt(i + 2), 16);
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '.' || c == '_' || c == '~') {
                    return "the path percent-encodes the unreserved character '" + (char) c + "'";
                }
            }
            int length = end - start;
            if ((length == 1 || length == 2) && rawPath.charAt(start) == '.'
                    && (length == 1 || rawPath.charAt(start + 1) == '.')) {
                return "the path has a dot segment";
            }
            start = end + 1;
        }
        return null;
    }

    /**
     * RFC 3986 percent-decoding of one path segment or query name/value as UTF-8 ({@code +} stays literal, as API
     * Gateway's raw query string keeps it); null if invalid.
     */
    public static String percentDecode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = segment.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%') {
                if (i + 2 >= raw.length) {
                    return null;
                }
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
