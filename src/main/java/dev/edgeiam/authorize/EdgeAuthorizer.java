package dev.edgeiam.authorize;

import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.request.ContextValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides one API Gateway authorizer request so that the answer holds for every request API Gateway will apply it
 * to. Three questions, in order:
 * <ol>
 * <li><b>Is this request allowed?</b> The route, resources and context keys come from what the event shows
 * ({@link EdgeRequest}, {@link EdgeContextKeys}); what it does not show is unknown, and an Allow that an unknown
 * input could change is refused ({@link UnknownInputs}). A non-canonical path is refused first
 * ({@link Reason#NON_CANONICAL_PATH}).</li>
 * <li><b>Does the Allow hold for every request the cached answer will serve?</b> When API Gateway reuses answers
 * ({@link CacheModel#reuses}), the same method ARN will be answered from the cache for other query strings, source
 * addresses, user agents and times within the TTL: the decision is taken again with every input the cache key does
 * not pin taken as unknown, query members included (their resources become identifiers the decision cannot see),
 * and the request time any second of the window. An Allow that does not survive is answered Deny
 * ({@link Reason#INPUT_NOT_IN_CACHE_KEY}, saying which input) — set the TTL to 0, or add the input to the identity
 * sources.</li>
 * <li><b>Does the credential outlive the cached answer?</b> Asked first: API Gateway reuses an answer for the
 * TTL without looking at the credential again, so for a credential expiring within it the answer is a Deny of this
 * request alone, with no route grants ({@link Reason#CREDENTIAL_EXPIRES_WITHIN_TTL}): a client renews its token at
 * least one TTL before expiry.</li>
 * <li><b>Which other routes may the cached answer grant?</b> {@link RouteClassifier} with the same quantification
 * and the request time unknown altogether, computed on demand ({@link EdgeDecision#routes()}).</li>
 * </ol>
 * Thread-safe and stateless apart from its collaborators.
 */
public final class EdgeAuthorizer {

    private final RouteTable routes;
    private final RouteAuthorizer authorizer;
    private final EdgeContextKeys edgeKeys;
    private final RouteClassifier classifier;
    private final ArnContext connect;
    private final CacheModel cache;
    private final Clock clock;

    /** The query member that carries the caller's credential (never remembered in a route match), or null. */
    private final String credentialQuery;

    /**
     * An authorizer for a deployment whose callers may send their credential in the query member
     * {@code credentialQuery} (null: none): a request's query that has it is matched every time, not remembered, so
     * no credential stays in the authorizer's memory after its request.
     */
    public EdgeAuthorizer(RouteTable routes, RouteAuthorizer authorizer, EdgeContextKeys edgeKeys, ArnContext connect,
                          CacheModel cache, Clock clock, String credentialQuery) {
        this(routes, authorizer, edgeKeys, connect, cache, clock, RECENT_MATCHES, credentialQuery);
    }

    /** As the public constructor, remembering {@code recentMatches} route matches (a power of two; tests use 1). */
    EdgeAuthorizer(RouteTable routes, RouteAuthorizer authorizer, EdgeContextKeys edgeKeys, ArnContext connect,
                   CacheModel cache, Clock clock, int recentMatches, String credentialQuery) {
        this.credentialQuery = credentialQuery;
        if (Integer.bitCount(recentMatches) != 1) {
            throw new IllegalArgumentException("recentMatches must be a power of two: " + recentMatches);
        }
        this.recentMatches = new RecentMatch[recentMatches];
        this.routes = Objects.requireNonNull(routes, "routes");
        // every Connect resource is the Connect account's: callers from other accounts are cross-account (issue 12)
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer").ownedBy(connect.account());
        this.edgeKeys = Objects.requireNonNull(edgeKeys, "edgeKeys");
        this.classifier = new RouteClassifier(routes, this.authorizer);
        this.connect = Objects.requireNonNull(connect, "connect");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (EventFormat format : EventFormat.values()) {
            pinsByFormat.put(format, cache.pins(format));
            if (cache.reuses(format)) {
                reusedFormats.add(format);
            }
        }
    }

    /** What the cache key fixes, per event format: a function of the configuration alone, worked out once. */
    private final Map<EventFormat, CacheModel.Pins> pinsByFormat = new java.util.EnumMap<>(EventFormat.class);
    /** The formats whose answers API Gateway reuses ({@link CacheModel#reuses}), worked out once like the pins. */
    private final java.util.Set<EventFormat> reusedFormats = java.util.EnumSet.noneOf(EventFormat.class);

    public CacheModel cache() {
        return cache;
    }

    public RouteTable routes() {
        return routes;
    }

    /**
     * The decision for one request.
     *
     * @param request what the event shows
     * @param caller  the verified caller's policies and keys
     */
    public EdgeDecision decide(EdgeRequest request, EdgeCaller caller) {
        boolean reused = reusedFormats.contains(request.format());
        CacheModel.Pins pins = pinsByFormat.get(request.format());
        String mismatch = cacheKeyMismatch(request);
        if (mismatch != null) {
            return new EdgeDecision(refuse(Reason.CACHE_KEY_MISMATCH, null, mismatch), reused, null, null);
        }
        long reusedUntil = clock.millis() + cache.resultTtl().toMillis() + CacheModel.ANSWER_LATENCY.toMillis();
        if (reused && caller.validUntil().toEpochMilli() < reusedUntil) {
            // API Gateway knows nothing of the credential's expiry: any grant in a cached answer would outlive it,
            // this request's and the route-level grants of a refused request alike. Decide this request alone.
            return new EdgeDecision(expiring(request, caller), true, null, null);
        }
        boolean webSocket = request.format() == EventFormat.WEBSOCKET_CONNECT;
        if (!webSocket) {
            String nonCanonical = RouteTable.nonCanonical(request.path());
            if (nonCanonical != null) {
                RouteAuthorization refused = refuse(Reason.NON_CANONICAL_PATH, null, nonCanonical);
                return reused ? reusedDecision(refused, request, caller, pins)
                        : new EdgeDecision(refused, false, null, null);
            }
        }
        Optional<RouteMatch> match = match(request, request.query());
        EdgeContext edge = edgeKeys.derive(request, connect, match);
        List<ContextValue> keys = keys(caller, edge.keys());
        UnknownInputs unknown = edge.unknown().plus(caller.unknown());
        if (!reused) {
            return new EdgeDecision(authorizer.authorize(match, caller.policies(), keys,
                    unknown.plus(untilAnswered(request))), false, null, null);
        }
        QueryParameters pinned = pinnedQuery(request, pins);
        Optional<RouteMatch> cachedMatch = pinned.equals(request.query()) ? match : match(request, pinned);
        RouteAuthorization everyReuse = null;
        RouteAuthorization fresh = null;
        if (cachedMatch == match) {
            // The same route and keys, with every input a reuse may change unknown: an Allow here holds for every
            // request the cached answer serves — this one among them — so it is this request's answer too.
            everyReuse = authorizer.authorize(match, caller.policies(), keys,
                    unknown.plus(varying(request, pins, true)));
            if (everyReuse.allowed()) {
                fresh = everyReuse;
            }
        }
        if (fresh == null) {
            fresh = authorizer.authorize(match, caller.policies(), keys, unknown);
        }
        RouteAuthorization answer = fresh;
        String customQuery = fresh.allowed() ? unpinnedCustomQuery(match, request, pins) : null;
        if (customQuery != null) {
            answer = refuse(Reason.INPUT_NOT_IN_CACHE_KEY, fresh.action(),
                    "allowed for this request, but API Gateway will "
                    + "reuse the answer for other values of the query member " + customQuery + ", which the custom "
                    + "route's resource names; its back end is not Amazon Connect and may read values this function "
                    + "refuses: set the TTL to 0 (the member in the identity sources does not fix it: a request with"
                    + " the same key may add it under another spelling)");
        } else if (fresh.allowed()) {
            if (everyReuse == null) {
                EdgeContext cachedEdge = edgeKeys.derive(request, connect, cachedMatch);
                UnknownInputs quantified = cachedEdge.unknown().plus(caller.unknown())
                        .plus(varying(request, pins, true));
                everyReuse = authorizer.authorize(cachedMatch, caller.policies(), keys(caller, cachedEdge.keys()),
                        quantified);
            }
            if (!everyReuse.allowed()) {
                answer = refuse(Reason.INPUT_NOT_IN_CACHE_KEY, fresh.action(),
                        "allowed for this request, but API Gateway "
                        + "will reuse the answer for requests whose " + describe(request, pins)
                        + " may differ (TTL " + cache.resultTtl().toSeconds() + " s; identity sources "
                        + cache.identitySources() + "): " + everyReuse.reason() + ": " + everyReuse.detail());
            }
        }
        return reusedDecision(answer, request, caller, pins);
    }

    /**
     * A decision API Gateway will reuse, with the key of its route-level grants and their classification (run only
     * on a route-grant miss); both read the same stable keys, computed once here.
     */
    private EdgeDecision reusedDecision(RouteAuthorization answer, EdgeRequest request, EdgeCaller caller,
                                       CacheModel.Pins pins) {
        int varies = varies(request, pins);
        boolean pinsAny = varies != ALL_VARY; // the key pins the source address, the user agent or the referer
        QueryParameters pinnedQuery = pinnedQuery(request, pins);
        int shape = classificationShape(request, varies);
        CallerRoutes known;
        if (!pinsAny && pinnedQuery.values().isEmpty()) {
            // nothing of the request is pinned: the stable keys and the routes key are the caller's alone (for one
            // shape of request)
            int slot = System.identityHashCode(caller) & (UNPINNED_SLOTS - 1);
            known = unpinned[slot];
            if (known == null || known.caller() != caller || known.shape() != shape) {
                List<ContextValue> stable = stableKeys(request, caller, pins, false);
                known = new CallerRoutes(caller, shape, stable, routesKey(stable, caller, pinnedQuery, shape));
                unpinned[slot] = known;
            }
        } else {
            List<ContextValue> stable = stableKeys(request, caller, pins, pinsAny);
            known = new CallerRoutes(caller, shape, stable, routesKey(stable, caller, pinnedQuery, shape));
        }
        // grants that read resource tags must not outlive the tags they read (red-team pass 26, R26b.1)
        return new EdgeDecision(answer, true, known.routesKey(),
                new RouteClassification(this, known.stable(), request, caller, pins),
                caller.policies().readsResourceTagsOfAnyAction());
    }

    /** How far the resource tags its decisions read may lag ({@link ResourceTagSource#maxAge}). */
    public java.time.Duration tagsMaxAge() {
        return authorizer.tagsMaxAge();
    }

    /** The route classification of one reused decision ({@link #classify}), run each time it is asked for. */
    private static final class RouteClassification implements Supplier<Map<ApiRoute, RouteAccess>> {
        private final EdgeAuthorizer authorizer;
        private final List<ContextValue> stable;
        private final EdgeRequest request;
        private final EdgeCaller caller;
        private final CacheModel.Pins pins;

        RouteClassification(EdgeAuthorizer authorizer, List<ContextValue> stable, EdgeRequest request,
                            EdgeCaller caller, CacheModel.Pins pins) {
            this.authorizer = authorizer;
            this.stable = stable;
            this.request = request;
            this.caller = caller;
            this.pins = pins;
        }

        @Override
        public Map<ApiRoute, RouteAccess> get() {
            return authorizer.classify(stable, request, caller, pins);
        }
    }

    /**
     * The stable keys and routes key of one caller when nothing of the request is pinned, made once per caller
     * instance: both are a function of the (immutable) {@link EdgeCaller} and the deployment alone, and a caller whose
     * policies or keys change is a new instance. Direct-mapped by identity, so a slot is a plain read; entries are
     * immutable, so a racing write loses nothing but the other caller's memo.
     */
    private record CallerRoutes(EdgeCaller caller, int shape, List<ContextValue> stable, RoutesKey routesKey) {
    }

    private static final int UNPINNED_SLOTS = 64;
    private final CallerRoutes[] unpinned = new CallerRoutes[UNPINNED_SLOTS];

    /**
     * What a route classification depends on, as plain data (the key of the responder's route-grants cache), with
     * its hash computed once: the key is looked up on every reused answer.
     */
    public record RoutesKey(List<Object> parts, int hash) {

        static RoutesKey of(List<Object> parts) {
            return new RoutesKey(parts, parts.hashCode());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RoutesKey k && k.hash == hash && k.parts.equals(parts);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The answer for a credential that expires while API Gateway would still reuse the answer: never an Allow. */
    private RouteAuthorization expiring(EdgeRequest request, EdgeCaller caller) {
        Optional<RouteMatch> match = RouteTable.nonCanonical(request.path()) != null
                && request.format() != EventFormat.WEBSOCKET_CONNECT ? Optional.empty() : match(request, request.query());
        String action = match.isPresent() ? match.get().iamAction().orElse(null) : null;
        return refuse(Reason.CREDENTIAL_EXPIRES_WITHIN_TTL, action,
                "the credential " + (caller.validUntil().toEpochMilli() <= clock.millis() + 1_000
                        ? "has no expiry the function can see (or expires now)"
                        : "expires at " + caller.validUntil()) + ", before API Gateway stops reusing this answer (TTL "
                        + cache.resultTtl().toSeconds() + " s): no grant may be cached for it");
    }

    private Optional<RouteMatch> match(EdgeRequest request, QueryParameters query) {
        boolean webSocket = request.format() == EventFormat.WEBSOCKET_CONNECT;
        String method = webSocket ? "WEBSOCKET" : request.method();
        String path = webSocket ? "/$connect" : request.path();
        int hash = (31 * method.hashCode() + path.hashCode()) * 31 + query.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (recentMatches.length - 1);
        RecentMatch recent = recentMatches[slot];
        if (recent != null && recent.method().equals(method) && recent.path().equals(path)
                && sameMembersInOrder(recent.query(), query)) {
            return recent.match();
        }
        Optional<RouteMatch> match = routes.match(method, path, query, connect);
        if (credentialQuery == null || !query.has(credentialQuery)) {
            recentMatches[slot] = new RecentMatch(method, path, query, match);
        }
        return match;
    }

    /**
     * A route match made lately. The route table and the Connect context are this authorizer's and never change, and
     * {@link RouteTable#match} reads nothing else than the method, the path and the query, so a match is a function
     * of these three (and immutable, as are the three).
     */
    private record RecentMatch(String method, String path, QueryParameters query, Optional<RouteMatch> match) {
    }

    /** Whether a remembered route match holds a query with a member of this value (for tests). */
    boolean remembersQueryValue(String value) {
        for (RecentMatch recent : recentMatches) {
            if (recent != null && recent.query().values().values().stream().anyMatch(v -> v.contains(value))) {
                return true;
            }
        }
        return false;
    }

    private static final int RECENT_MATCHES = 256;
    /**
     * The matches of requests asked lately, direct-mapped by their method, path and query; an entry is used only when
     * all three are the same (the query member by member, in order). Shared by the threads that call this authorizer
     * without a lock: an entry is immutable (its fields are final), so a thread sees a whole entry or an older one or
     * none, and a miss only means the route is matched again.
     */
    private final RecentMatch[] recentMatches;

    /** The same members with the same values in the same order: stricter than {@link QueryParameters#equals}. */
    private static boolean sameMembersInOrder(QueryParameters a, QueryParameters b) {
        if (a == b) {
            return true;
        }
        if (a.values().size() != b.values().size()) {
            return false;
        }
        var left = a.values().entrySet().iterator();
        var right = b.values().entrySet().iterator();
        while (left.hasNext()) {
            var l = left.next();
            var r = right.next();
            if (!l.getKey().equals(r.getKey()) || !l.getValue().equals(r.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static List<ContextValue> keys(EdgeCaller caller, List<ContextValue> edge) {
        List<ContextValue> all = new ArrayList<>(edge.size() + caller.keys().size());
        all.addAll(edge);
        all.addAll(caller.keys()); // the caller's own view wins (RequestContext.Builder: later entries replace)
        return all;
    }

    /** A query member a matched custom route's ARN templates read that the cache key does not fix, or null. */
    private String unpinnedCustomQuery(Optional<RouteMatch> match, EdgeRequest request, CacheModel.Pins pins) {
        if (match.isEmpty() || !match.get().custom()) {
            return null;
        }
        for (CustomRouteMapping m : routes.customMappings()) {
            if (!match.get().route().equals(m.method() + " " + m.path().template())) {
                continue;
            }
            for (String member : m.queryMembers()) {
                if (!request.queryKnown() || !request.query().has(member)
                        || !pins.pinsQuery(member, request.query().all(member))) {
                    return member;
                }
            }
        }
        return null;
    }

    /** The query members whose values the cache key fixes. */
    private static QueryParameters pinnedQuery(EdgeRequest request, CacheModel.Pins pins) {
        if (request.query().values().isEmpty()) {
            return QueryParameters.NONE; // most requests: nothing to pin, nothing to build
        }
        Map<String, List<String>> pinned = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> member : request.query().values().entrySet()) {
            if (pins.pinsQuery(member.getKey(), member.getValue())) {
                pinned.put(member.getKey(), member.getValue());
            }
        }
        return new QueryParameters(pinned);
    }

    /**
     * The inputs that may differ between the requests a cached answer serves: source address, user agent and
     * referer unless pinned; the request time over the window ({@code window}) or altogether.
     */
    private UnknownInputs varying(EdgeRequest request, CacheModel.Pins pins, boolean window) {
        int varies = varies(request, pins);
        if (!window) {
            return VARYING_ANY_TIME.get(varies);
        }
        long now = clock.millis();
        return new UnknownInputs(VARYING_KEYS.get(varies), Set.of(), TimeWindow.spanning(
                Math.min(request.requestTimeEpochMillis(), now),
                now + cache.resultTtl().toMillis() + CacheModel.ANSWER_LATENCY.toMillis()));
    }

    /** {@link #varies} when the cache key pins none of them. */
    private static final int ALL_VARY = 7;

    /** Which of source address (1), user agent (2) and referer (4) the cache key does not pin. */
    private static int varies(EdgeRequest request, CacheModel.Pins pins) {
        return (pins.sourceIp() ? 0 : 1)
                | (pins.pinsHeader("user-agent", request.headerValues("user-agent")) ? 0 : 2)
                | (pins.pinsHeader("referer", request.headerValues("referer")) ? 0 : 4);
    }

    /**
     * What of the request, besides the stable keys and the pinned query, the route classification ({@link #classify})
     * reads: whether headers and the source address are known, and which inputs vary ({@link #varies}) — so grants classified for a
     * request that shows its source address are not reused for one that does not (a TOKEN event, a request through a
     * VPC endpoint) on the same stage.
     */
    private static int classificationShape(EdgeRequest request, int varies) {
        return (request.headersKnown() ? 0 : 1) | (request.sourceIp() == null ? 2 : 0) | varies << 2;
    }

    /**
     * The request time of an answer API Gateway does not cache: any second from the event's request time to this
     * answer. The Connect call the answer authorizes cannot come before the answer, and the function may run seconds
     * after API Gateway stamped the request (a cold start, a retry), so a time condition that changes in between is
     * not decided by the request's own second (R12.6). How long the back end waits after the answer before it calls
     * Amazon Connect is not visible to the function and not modelled (SECURITY.md).
     */
    private UnknownInputs untilAnswered(EdgeRequest request) {
        long now = clock.millis();
        long stamped = request.requestTimeEpochMillis();
        if (now == stamped) {
            return UnknownInputs.BODY_ONLY; // answered within the request's own second window: nothing to add
        }
        // a request time later than this clock (API Gateway's clock ahead of the function's) does not move the
        // answer: the window spans both, from the earlier to the later (R13.4)
        return new UnknownInputs(Set.of(), Set.of(),
                TimeWindow.spanning(Math.min(stamped, now), Math.max(stamped, now)));
    }

    /**
     * The keys {@link #varying} names, by which inputs are not pinned (bit 1 source address, 2 user agent,
     * 4 referer); made once, not per request.
     */
    private static final List<Set<String>> VARYING_KEYS = List.of(Set.of(), Set.of("aws:sourceip"),
            Set.of("aws:useragent"), Set.of("aws:sourceip", "aws:useragent"), Set.of("aws:referer"),
            Set.of("aws:sourceip", "aws:referer"), Set.of("aws:useragent", "aws:referer"),
            Set.of("aws:sourceip", "aws:useragent", "aws:referer"));
    /** {@link #VARYING_KEYS} with the request time unknown altogether. */
    private static final List<UnknownInputs> VARYING_ANY_TIME = anyTime(VARYING_KEYS);

    private static List<UnknownInputs> anyTime(List<Set<String>> keys) {
        List<UnknownInputs> out = new ArrayList<>(keys.size());
        for (Set<String> k : keys) {
            out.add(UnknownInputs.of(k, null).withTimeUnknown());
        }
        return List.copyOf(out);
    }

    private static String describe(EdgeRequest request, CacheModel.Pins pins) {
        List<String> parts = new ArrayList<>();
        if (!request.query().isEmpty() || !request.queryKnown()) {
            parts.add("query members");
        }
        if (!pins.sourceIp()) {
            parts.add("source address");
        }
        parts.add("user agent, referer");
        parts.add("request time");
        return String.join(", ", parts);
    }

    /** Every route with the caller's access to it, for every input the cached answer does not pin. */
    private Map<ApiRoute, RouteAccess> classify(List<ContextValue> stable, EdgeRequest request, EdgeCaller caller,
                                                CacheModel.Pins pins) {
        UnknownInputs unknown = caller.unknown().plus(varying(request, pins, false));
        if (!request.headersKnown()) {
            unknown = unknown.plus(UnknownInputs.of(Set.of("aws:useragent", "aws:referer"), null));
        }
        if (request.sourceIp() == null) {
            unknown = unknown.plus(UnknownInputs.of(EdgeContextKeys.SOURCE_KEYS, null));
        }
        return classifier.classify(caller.policies(), connect, stable, pinnedQuery(request, pins), unknown);
    }

    /** The keys every request served by the cached answer shares: the caller's, the deployment's, pinned inputs. */
    private List<ContextValue> stableKeys(EdgeRequest request, EdgeCaller caller, CacheModel.Pins pins,
                                          boolean pinsAny) {
        List<ContextValue> out = new ArrayList<>(edgeKeys.stableKeysOf(connect));
        List<ContextValue> edgeKeysOfRequest = pinsAny ? edgeKeys.derive(request, connect, Optional.empty()).keys()
                : List.of(); // nothing pinned: no request key is shared by every reuse
        for (ContextValue v : edgeKeysOfRequest) {
            String k = v.name().toLowerCase(java.util.Locale.ROOT);
            if ((k.equals("aws:sourceip") && pins.sourceIp()) || (k.equals("aws:useragent")
                    && pins.pinsHeader("user-agent", request.headerValues("user-agent"))) || (k.equals("aws:referer") && pins.pinsHeader("referer", request.headerValues("referer")))) {
                out.add(v);
            }
        }
        out.addAll(caller.keys());
        return java.util.Collections.unmodifiableList(out); // shared by the routes key and the classification
    }

    /** What the route classification depends on, as plain data (for caches). */
    private static RoutesKey routesKey(List<ContextValue> stable, EdgeCaller caller, QueryParameters pinnedQuery,
                                       int shape) {
        List<List<String>> values = new ArrayList<>();
        for (ContextValue v : stable) {
            String name = v.foldedName();
            if (v.size() == 1) {
                values.add(List.of(name, v.value(0)));
            } else {
                List<String> entry = new ArrayList<>(v.size() + 1);
                entry.add(name);
                entry.addAll(v.values());
                values.add(entry);
            }
        }
        return RoutesKey.of(List.of(caller.policies(), values, pinnedQuery.values(), caller.unknown(), shape));
    }

    /**
     * For HTTP API events, which list the identity-source values: every configured HTTP source whose value this
     * function can compute must be among them, or API Gateway's cache key is not the one configured here (a
     * deployment whose cache key pins less than the function assumes would reuse answers unsafely).
     */
    private String cacheKeyMismatch(EdgeRequest request) {
        if (request.format() != EventFormat.HTTP_V2 || request.identitySourceValues() == null) {
            return null;
        }
        // each configured source must have an identitySource value of its own: two sources with one value (a query
        // member sent with the caller's own token as its value) must not both be matched by one entry (R12.2)
        List<String> unmatched = new ArrayList<>(request.identitySourceValues());
        for (String source : cache.identitySources()) {
            CacheModel.Source s = CacheModel.Source.parse(source, EventFormat.HTTP_V2);
            if (s == null) {
                continue;
            }
            String expected = switch (s.kind()) {
                case QUERY_ALL_VALUES -> request.queryKnown() && request.query().has(s.name())
                        ? String.join(",", request.query().all(s.name())) : null;
                case HEADER_ALL_VALUES -> request.headerValues(s.name()).isEmpty() ? null
                        : String.join(",", request.headerValues(s.name()));
                case CONTEXT -> s.name().equals("routeKey") ? request.routeKey()
                        : s.name().equals("identity.sourceIp") ? request.sourceIp() : null;
                default -> null;
            };
            if (expected == null) {
                if (s.kind() == CacheModel.Source.Kind.CONTEXT) {
                    continue; // a context value this function cannot compute: nothing to compare
                }
                return "the identity source " + source + " has no value in this request, yet API Gateway invoked the"
                        + " authorizer: its cache key is not authorizer.cache.identity-sources";
            }
            if (!unmatched.remove(expected)) {
                return "the value of the identity source " + source + " is not among the event's identitySource"
                        + " values: API Gateway's cache key is not authorizer.cache.identity-sources";
            }
        }
        return null;
    }

    private static RouteAuthorization refuse(Reason reason, String action, String detail) {
        return new RouteAuthorization(reason, action, List.of(), null, null, -1, detail);
    }

    /**
     * The decision and, when API Gateway reuses answers, how the caller fares on every route.
     *
     * @param decision  the answer for this request (already quantified over the cached reuse)
     * @param reused    whether API Gateway will apply the answer to other requests
     * @param routesKey what {@code routes} depends on (for caches), or null when not reused
     * @param routes    every route with the caller's access, computed on demand; null when not reused
     * @param routesReadTags whether {@code routes} may depend on resource tags (the caller's policies read them): then
     *                  they may be kept no longer than the tags themselves are ({@link ResourceTagSource#maxAge})
     */
    public record EdgeDecision(RouteAuthorization decision, boolean reused, Object routesKey,
                               Supplier<Map<ApiRoute, RouteAccess>> routes, boolean routesReadTags) {

        /** A decision without route-level grants. */
        public EdgeDecision(RouteAuthorization decision, boolean reused, Object routesKey,
                            Supplier<Map<ApiRoute, RouteAccess>> routes) {
            this(decision, reused, routesKey, routes, false);
        }
    }
}
