package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.authorize.EdgeAuthorizer;
import dev.edgeiam.authorize.EdgeCaller;
import dev.edgeiam.authorize.EdgeContextKeys;
import dev.edgeiam.authorize.EdgeRequest;
import dev.edgeiam.authorize.EventFormat;
import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.authorize.RouteAuthorization;
import dev.edgeiam.authorize.RouteAuthorizer;
import dev.edgeiam.authorize.UnknownInputs;
import dev.edgeiam.cache.GenerationGuard;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.gateway.AuthorizerEventReader;
import dev.edgeiam.gateway.AuthorizerRequest;
import dev.edgeiam.gateway.DecisionResponder;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentityOutcome;
import dev.edgeiam.identity.Session;
import dev.edgeiam.identity.SessionPolicySets;
import dev.edgeiam.observe.DecisionLogFields;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.principal.UnknownPrincipalException;

import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers API Gateway Lambda authorizer events: wiring only, each stage passed once, in order —
 * event reader ({@link AuthorizerEventReader}) → edge request ({@link EdgeRequest}) → caller identity
 * ({@link CallerIdentityResolver}) → principal and session policy set ({@link PrincipalResolver},
 * {@link SessionPolicySets}) → decision ({@link EdgeAuthorizer}) → response ({@link DecisionResponder}).
 *
 * <p>Fail closed, by API Gateway's conventions: a missing or invalid credential → {@code Unauthorized} (REST and
 * WebSocket: 401; HTTP API: {@code isAuthorized: false} or a Deny policy); a valid caller without permission → a
 * Deny (403); any failure to load policies → a Deny with the reason. The {@code context} always carries
 * {@code decision}, {@code reason}, {@code category} ({@link Reason.Category}: a source outage or an unseen input is
 * {@code indeterminate}, not a decided deny), {@code action}, {@code resource}, {@code principalArn}, {@code sid}.
 */
public final class GatewayAuthorizer {

    /**
     * @param identityHeader      the header carrying the credential in REQUEST events (default {@code Authorization})
     * @param identityQuery       a query parameter carrying it instead (WebSocket clients), or null
     * @param httpSimpleResponses answer HTTP API 2.0 events with {@code {"isAuthorized", "context"}}
     * @param connect             region and account of the Amazon Connect resources
     * @param cache               how API Gateway caches the answers (TTL and identity sources)
     */
    public record Settings(String identityHeader, String identityQuery, boolean httpSimpleResponses,
                           ArnContext connect, CacheModel cache) {

        /** Settings under API Gateway's default cache (TTL 300 s, keyed on the credential only). */
        public Settings(String identityHeader, String identityQuery, boolean httpSimpleResponses, ArnContext connect) {
            this(identityHeader, identityQuery, httpSimpleResponses, connect, CacheModel.API_GATEWAY_DEFAULT);
        }

        public Settings {
            if (cache == null) {
                cache = CacheModel.API_GATEWAY_DEFAULT;
            }
            if (httpSimpleResponses && cache.reuses(EventFormat.HTTP_V2) && !cache.pins(EventFormat.HTTP_V2).route()) {
                // A cached isAuthorized is one yes/no for every route and parameter value sharing the identity sources.
                throw new IllegalArgumentException("HTTP API simple responses are cached as one yes/no for every request"
                        + " with the same identity sources: set the authorizer result TTL to 0, or add $context.routeKey"
                        + " to the identity sources and to authorizer.cache.identity-sources");
            }
        }
    }

    private final Settings settings;
    private final CallerIdentityResolver identities;
    private final PrincipalResolver principals;
    private final EdgeAuthorizer edge;
    private final SessionPolicySets sessions;
    private final DecisionResponder responder;
    private final VerifiedCredentials verified;
    private final Clock clock;

    /**
     * The bounds of the authorizer's own caches ({@code authorizer.cache.*} in {@code AuthorizerConfig}).
     *
     * @param credentialTtl      the longest a verified credential is remembered (default 5 minutes)
     * @param credentialMaxSize  the most verified credentials remembered (default 10,000)
     * @param sessionSetsMaxSize the most compiled session policy sets kept (default 1,000)
     * @param routeGrantsMaxSize the most route-level grants kept (default 1,000)
     */
    public record Limits(Duration credentialTtl, int credentialMaxSize, int sessionSetsMaxSize,
                         int routeGrantsMaxSize) {

        public static final Limits DEFAULTS = new Limits(Duration.ofMinutes(5), 10_000, 1_000, 1_000);
    }

    public GatewayAuthorizer(Settings settings, CallerIdentityResolver identities, PrincipalResolver principals,
                             EdgeAuthorizer edge, Function<String, Optional<String>> managedPolicyText, Clock clock) {
        this(settings, identities, principals, edge, managedPolicyText, clock, Limits.DEFAULTS);
    }

    public GatewayAuthorizer(Settings settings, CallerIdentityResolver identities, PrincipalResolver principals,
                             EdgeAuthorizer edge, Function<String, Optional<String>> managedPolicyText, Clock clock,
                             Limits limits) {
        this.settings = settings;
        this.identities = identities;
        this.principals = principals;
        this.edge = edge;
        this.sessions = new SessionPolicySets(managedPolicyText, limits.sessionSetsMaxSize());
        this.responder = new DecisionResponder(settings.httpSimpleResponses(), limits.routeGrantsMaxSize(),
                edge.tagsMaxAge(), clock);
        this.clock = clock;
        this.verified = new VerifiedCredentials(clock, limits.credentialTtl(), limits.credentialMaxSize());
        this.maxCallerViews = limits.credentialMaxSize();
        this.identityHeaderKey = settings.identityHeader() == null ? null
                : settings.identityHeader().toLowerCase(java.util.Locale.ROOT);
    }

    /** The identity header's name as the event's headers are keyed (lower case), made once, not per request. */
    private final String identityHeaderKey;

    /**
     * The authorizer over the default Amazon Connect catalog, with route authorization and edge keys derived from
     * it — the wiring every deployment (and every test or benchmark of the whole path) uses.
     */
    public static GatewayAuthorizer create(Settings settings, CallerIdentityResolver identities,
                                           PrincipalResolver principals, RouteTable routes, ResourceTagSource tags,
                                           Function<String, Optional<String>> managedPolicyText, Clock clock) {
        return create(settings, identities, principals, routes, tags, managedPolicyText, clock, Limits.DEFAULTS);
    }

    /** As above, with the bounds of the authorizer's own caches. */
    public static GatewayAuthorizer create(Settings settings, CallerIdentityResolver identities,
                                           PrincipalResolver principals, RouteTable routes, ResourceTagSource tags,
                                           Function<String, Optional<String>> managedPolicyText, Clock clock,
                                           Limits limits) {
        ConnectCatalog catalog = ConnectCatalog.defaultCatalog();
        EdgeAuthorizer edge = new EdgeAuthorizer(routes, new RouteAuthorizer(catalog, tags, true),
                new EdgeContextKeys(catalog, routes), settings.connect(), settings.cache(), clock, settings.identityQuery());
        return new GatewayAuthorizer(settings, identities, principals, edge, managedPolicyText, clock, limits);
    }

    /**
     * This authorizer as the dispatcher's handler of authorizer events: events it reads from their bytes
     * ({@code AuthorizerEventBytes}) come to {@link #answer(AuthorizerRequest)}, the others as trees to
     * {@link #answer(JsonNode)}.
     */
    public EventDispatcher.AuthorizerHandler handler() {
        return new EventDispatcher.AuthorizerHandler() {
            @Override
            public EventDispatcher.Answer answer(JsonNode event) {
                return GatewayAuthorizer.this.answer(event);
            }

            @Override
            public EventDispatcher.Answer answer(AuthorizerRequest request) {
                return GatewayAuthorizer.this.answer(request);
            }
        };
    }

    /** Answers one authorizer event. Throws only on programming errors (the dispatcher turns those into errors). */
    public EventDispatcher.Answer answer(JsonNode event) {
        AuthorizerRequest request;
        try {
            request = AuthorizerEventReader.read(event);
        } catch (IllegalArgumentException e) {
            return EventDispatcher.Answer.of(EventDispatcher.error("InvalidInput",
                    "invalid authorizer event: " + e.getMessage(), null));
        }
        return answer(request);
    }

    /** Answers one authorizer event already read. Throws only on programming errors. */
    public EventDispatcher.Answer answer(AuthorizerRequest request) {
        CharSequence credential = credential(request);
        forgetCredentials(request, credential);
        // a verification remembered from a view past its staleness bound is forgotten before it is used: the view is
        // confirmed (or replaced, which forgets verifications) first (R14.1)
        principals.confirmCurrentView();
        IdentityOutcome identity = verified.resolve(credential, new ResolveIdentity(identities));
        if (identity instanceof IdentityOutcome.Unavailable u && u.reason() == Reason.POLICY_SOURCE_UNAVAILABLE) {
            // The role or issuing user could not be looked up: "could not decide", a Deny like any source outage.
            return decided(request, null, deny(u.reason()));
        }
        if (identity instanceof IdentityOutcome.Unavailable u) {
            return unauthorized(request, u.reason());
        }
        if (identity instanceof IdentityOutcome.Rejected r) {
            return unauthorized(request, r.reason());
        }
        IdentityOutcome.Caller caller = (IdentityOutcome.Caller) identity;
        Session session = caller.session();
        CompiledPrincipal principal;
        try {
            principal = principals.resolve(session.identityArn());
        } catch (UnknownPrincipalException e) {
            return decided(request, session, deny(Reason.UNKNOWN_PRINCIPAL));
        } catch (PolicySourceException e) {
            return decided(request, session, deny(Reason.POLICY_SOURCE_UNAVAILABLE));
        }
        CallerView view;
        try {
            view = callerView(principal, session);
        } catch (PolicySourceException e) {
            // a managed session policy could not be read: its Deny statements cannot be left out
            return decided(request, session, deny(Reason.POLICY_SOURCE_UNAVAILABLE));
        }
        session = view.session();
        EdgeCaller edgeCaller = view.caller() != null ? view.caller()
                : new EdgeCaller(view.policies(), view.keys(), view.unknown(), clock.instant());
        EdgeRequest edgeRequest = request.toEdgeRequest(clock.millis());
        EdgeAuthorizer.EdgeDecision decision = edge.decide(edgeRequest, edgeCaller);
        DecisionResponder.Shaped shaped = responder.decided(request, session.principalArn(), session.principalType(),
                decision);
        DecisionLogFields line = log(request, session.principalArn(), shaped.answered(), shaped.scope())
                .withViewVersion(principal.viewVersion());
        return EventDispatcher.Answer.written(shaped.answer(), line);
    }

    /**
     * What a verified session and its loaded principal contribute to every request — derived once, not per request:
     * the session with the principal's tags, its policy set, its keys and unknown keys, and (when the credential's
     * expiry is known) the whole {@link EdgeCaller}. Valid while the principal is the same loaded instance.
     */
    private record CallerView(CompiledPrincipal principal, Session session, CompiledPolicySet policies,
                              List<ContextValue> keys, UnknownInputs unknown, EdgeCaller caller) {
    }

    /**
     * Views per verified session (the same instance comes back from the verified-credential memory), bounded like it.
     * Keyed by identity, so hand-made rather than a {@code BoundedCache}: a session record's value equality would hash
     * the whole session (tags, keys, policies) on every request, which is what the view is there to avoid. Guarded
     * by its own lock (an {@link IdentityHashMap} is not thread-safe), taken inside the generation guard's.
     */
    private final Map<Session, CallerView> views = new IdentityHashMap<>();
    private final int maxCallerViews;
    /** Moved on when the views are cleared: a view derived across a clear is not kept ({@link GenerationGuard}). */
    private final GenerationGuard viewGeneration = new GenerationGuard();

    private CallerView callerView(CompiledPrincipal principal, Session verified) throws PolicySourceException {
        long started = viewGeneration.current();
        synchronized (views) {
            CallerView view = views.get(verified);
            if (view != null && view.principal() == principal) {
                return view;
            }
        }
        Session session = verified.withBaseTags(principal.principal().tags());
        CompiledPolicySet set = sessions.policies(principal, session);
        List<ContextValue> keys = List.copyOf(SessionPolicySets.callerKeys(principal, session));
        UnknownInputs unknown = UnknownInputs.of(session.unknownContextKeys(), null);
        EdgeCaller caller = session.expiryKnown() ? new EdgeCaller(set, keys, unknown, session.expiresAt()) : null;
        CallerView view = new CallerView(principal, session, set, keys, unknown, caller);
        // if IAM changed while this view was derived: answer with it, do not remember it
        viewGeneration.putIfUnchanged(started, new RememberView(views, maxCallerViews, verified, view));
        return view;
    }

    /** Verifies a credential with the caller identity resolver (which must exist). */
    private static final class ResolveIdentity implements Function<String, IdentityOutcome> {
        private final CallerIdentityResolver identities;

        ResolveIdentity(CallerIdentityResolver identities) {
            this.identities = java.util.Objects.requireNonNull(identities);
        }

        @Override
        public IdentityOutcome apply(String credential) {
            return identities.resolve(credential);
        }
    }

    /** Remembers a caller view for its verified session, under the views' lock and within their bound. */
    private static final class RememberView implements Runnable {
        private final Map<Session, CallerView> views;
        private final int maxCallerViews;
        private final Session verified;
        private final CallerView view;

        RememberView(Map<Session, CallerView> views, int maxCallerViews, Session verified, CallerView view) {
            this.views = views;
            this.maxCallerViews = maxCallerViews;
            this.verified = verified;
            this.view = view;
        }

        @Override
        public void run() {
            synchronized (views) {
                if (views.size() >= maxCallerViews) {
                    views.clear(); // bounded; a view is derived again on the next request of its caller
                }
                views.put(verified, view);
            }
        }
    }

    /** Credentials answered from the verified-credential cache so far (for the metrics). */
    public long credentialCacheHits() {
        return verified.hits();
    }

    /** Credentials verified afresh so far (for the metrics). */
    public long credentialCacheMisses() {
        return verified.misses();
    }

    /**
     * Forgets verified credentials and compiled session layers (after IAM changes: a role's trust policy may have
     * changed, and so may a managed session policy, which drops no principal: it is attached to none).
     */
    public void forgetVerifiedCredentials() {
        // A caller view is derived from a verified session and a compiled session set: it is forgotten after both,
        // so a view derived after its generation moved on was derived from inputs already forgotten (R11.2: with the
        // session sets cleared last, a view derived in between took the old set and was kept in the new generation).
        sessions.clear();
        identities.forgetRememberedAnswers(); // a deactivated access key's presigned URL is asked about again (R11.3)
        verified.clear();
        viewGeneration.invalidate(() -> {
            synchronized (views) {
                views.clear();
            }
        });
    }

    /**
     * A short credential is not kept in the reading thread's recent values (a long one never is): the credential
     * taken, every value of the identity header and query member (REST's single-value maps keep the last of them) and
     * HTTP API's identity source. A value still in the event's bytes is not made to be forgotten.
     */
    private void forgetCredentials(AuthorizerRequest r, CharSequence credential) {
        dev.edgeiam.gateway.AuthorizerEventBytes.forgetValue(credential);
        if (identityHeaderKey != null) {
            Object held = r.headers() instanceof dev.edgeiam.request.NameMap<List<String>> map ? map.held(identityHeaderKey)
                    : r.headers().get(identityHeaderKey);
            if (held instanceof List<?> values) {
                for (Object value : values) {
                    if (value instanceof CharSequence text) {
                        dev.edgeiam.gateway.AuthorizerEventBytes.forgetValue(text);
                    }
                }
            }
        }
        if (settings.identityQuery() != null && r.query() != null) {
            for (String value : r.query().all(settings.identityQuery())) {
                dev.edgeiam.gateway.AuthorizerEventBytes.forgetValue(value);
            }
        }
        if (r.identitySourceValues() != null) {
            for (String value : r.identitySourceValues()) {
                dev.edgeiam.gateway.AuthorizerEventBytes.forgetValue(value);
            }
        }
    }

    /** The caller's credential; a long header value may still be in the event's bytes (only its digest is needed). */
    private CharSequence credential(AuthorizerRequest r) {
        if (r.format() == EventFormat.REST_TOKEN) {
            return r.token();
        }
        CharSequence value = identityHeaderKey == null ? null : r.headerText(identityHeaderKey);
        if (value == null && settings.identityQuery() != null) {
            value = r.credentialQuery().get(settings.identityQuery());
        }
        return value;
    }

    /**
     * A decision made before the edge stage (the caller's policies could not be loaded); {@code session} is null
     * when not even the caller's session could be established (its role could not be looked up).
     */
    private EventDispatcher.Answer decided(AuthorizerRequest request, Session session, RouteAuthorization denial) {
        String principal = session == null ? "anonymous" : session.principalArn();
        DecisionResponder.Shaped shaped = responder.decided(request, principal,
                session == null ? null : session.principalType(),
                new EdgeAuthorizer.EdgeDecision(denial, false, null, null));
        DecisionLogFields line = log(request, session == null ? null : principal, denial, shaped.scope());
        return EventDispatcher.Answer.written(shaped.answer(), line);
    }

    private EventDispatcher.Answer unauthorized(AuthorizerRequest request, Reason reason) {
        RouteAuthorization denial = deny(reason);
        if (request.format() == EventFormat.HTTP_V2) {
            DecisionResponder.Shaped shaped = responder.unauthorizedHttp(request, denial);
            return EventDispatcher.Answer.written(shaped.answer(), log(request, null, denial, shaped.scope()));
        }
        ObjectNode response = EventDispatcher.error("Unauthorized", "Unauthorized", null);
        return new EventDispatcher.Answer(response, log(request, null, denial, "REQUEST"), true);
    }

    private static RouteAuthorization deny(Reason reason) {
        return new RouteAuthorization(reason, null, List.of(), null, null, -1, reason.label());
    }

    /** The decision's fields of the invocation line; the view version is set by a decision an account view made. */
    private static DecisionLogFields log(AuthorizerRequest request, String principal, RouteAuthorization d,
                                         String scope) {
        return new DecisionLogFields(request.format().label(), principal, d.action(),
                d.resourcesEvaluated().isEmpty() ? null : d.resourcesEvaluated().get(0), d.decision().wire(),
                d.reason().label(), d.decision().label(), scope, null);
    }
}
