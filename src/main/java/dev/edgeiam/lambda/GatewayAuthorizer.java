package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.EdgeContext;
import dev.edgeiam.authorize.EdgeContextKeys;
import dev.edgeiam.authorize.EdgeRequest;
import dev.edgeiam.authorize.RouteAuthorization;
import dev.edgeiam.authorize.RouteAuthorizer;
import dev.edgeiam.authorize.RouteClassifier;
import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.gateway.AuthorizerEventReader;
import dev.edgeiam.gateway.AuthorizerRequest;
import dev.edgeiam.gateway.AuthorizerResponses;
import dev.edgeiam.gateway.GatewayPolicy;
import dev.edgeiam.gateway.MethodArn;
import dev.edgeiam.gateway.RoutePolicyBuilder;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentityOutcome;
import dev.edgeiam.identity.Session;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.principal.UnknownPrincipalException;
import dev.edgeiam.request.ContextValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Answers API Gateway Lambda authorizer events (pure Java; {@link EventDispatcher} routes them here): who is
 * calling ({@link CallerIdentityResolver}), whose policies apply ({@link PrincipalResolver}, compiled and cached),
 * which Amazon Connect action and resources the route means ({@link RouteTable}), the decision
 * ({@link RouteAuthorizer}) and the response API Gateway expects — a policy that stays correct under the
 * authorizer result cache ({@link RoutePolicyBuilder}) or an HTTP API simple response.
 *
 * <p>Fail closed, by API Gateway's conventions: a missing or invalid credential → {@code Unauthorized} (REST and
 * WebSocket: 401; HTTP API: {@code isAuthorized: false} or a Deny policy); a valid caller without permission → a
 * Deny (403); any failure to load policies → a Deny with the reason. The {@code context} always carries
 * {@code decision}, {@code reason}, {@code action}, {@code resource}, {@code principalArn}, {@code sid}.
 */
public final class GatewayAuthorizer {

    /** Keys whose values change from request to request: a decision that reads them is never cached by route. */
    static final Set<String> PER_REQUEST_KEYS = Set.of("aws:sourceip", "aws:currenttime", "aws:epochtime",
            "aws:useragent", "aws:referer", "aws:securetransport", "aws:multifactorauthage", "aws:vpcsourceip",
            "aws:sourcevpc", "aws:sourcevpce", "aws:tokenissuetime");

    /**
     * @param identityHeader      the header carrying the credential in REQUEST events (default {@code Authorization})
     * @param identityQuery       a query parameter carrying it instead (WebSocket clients), or null
     * @param httpSimpleResponses answer HTTP API 2.0 events with {@code {"isAuthorized", "context"}}
     * @param connect             region and account of the Amazon Connect resources
     */
    public record Settings(String identityHeader, String identityQuery, boolean httpSimpleResponses,
                           ArnContext connect) {
    }

    private final Settings settings;
    private final CallerIdentityResolver identities;
    private final PrincipalResolver principals;
    private final RouteTable routes;
    private final RouteAuthorizer authorizer;
    private final EdgeContextKeys edgeKeys;
    private final RouteClassifier classifier;
    private final Function<String, Optional<String>> managedPolicyText;
    private final Map<Object, CompiledPolicySet> sessionSets = lru(1_000);
    private final Map<Object, RoutePolicyBuilder.RouteGrants> grants = lru(1_000);
    private final Map<CompiledPolicySet, Boolean> perRequestSets = lru(1_000);
    private final VerifiedCredentials verified;

    public GatewayAuthorizer(Settings settings, CallerIdentityResolver identities, PrincipalResolver principals,
                             RouteTable routes, RouteAuthorizer authorizer, EdgeContextKeys edgeKeys,
                             Function<String, Optional<String>> managedPolicyText) {
        this.settings = settings;
        this.identities = identities;
        this.principals = principals;
        this.routes = routes;
        this.authorizer = authorizer;
        this.edgeKeys = edgeKeys;
        this.classifier = new RouteClassifier(routes, authorizer);
        this.managedPolicyText = managedPolicyText;
        this.verified = new VerifiedCredentials(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(5), 10_000);
    }

    /**
     * The authorizer over the default Amazon Connect catalog, with route authorization and edge keys derived from
     * it — the wiring every deployment (and every test or benchmark of the whole path) uses.
     */
    public static GatewayAuthorizer create(Settings settings, CallerIdentityResolver identities,
                                           PrincipalResolver principals, RouteTable routes,
                                           dev.edgeiam.authorize.ResourceTagSource tags,
                                           Function<String, Optional<String>> managedPolicyText) {
        dev.edgeiam.connect.ConnectCatalog catalog = dev.edgeiam.connect.ConnectCatalog.defaultCatalog();
        return new GatewayAuthorizer(settings, identities, principals, routes,
                new RouteAuthorizer(catalog, tags, false), new EdgeContextKeys(catalog, routes), managedPolicyText);
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
        IdentityOutcome identity = verified.resolve(credential(request), identities::resolve);
        if (!(identity instanceof IdentityOutcome.Caller caller)) {
            String reason = identity instanceof IdentityOutcome.Rejected r
                    ? "credential-rejected:" + r.reason().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    : "credential-unverifiable";
            return unauthorized(request, reason);
        }
        Session session = caller.session();
        CompiledPrincipal principal;
        try {
            principal = principals.resolve(session.identityArn());
        } catch (UnknownPrincipalException e) {
            return withViewVersion(decided(request, session, null, deny("unknown-principal", null), null), null);
        } catch (PolicySourceException e) {
            return withViewVersion(decided(request, session, null, deny("policy-source-unavailable", null), null),
                    null);
        }
        session = session.withBaseTags(principal.principal().tags());
        CompiledPolicySet set = effectiveSet(principal, session);
        Map<String, ContextValue> stable = stableKeys(principal, session, settings.connect());

        MethodArn arn = request.methodArn();
        Optional<RouteMatch> match;
        Map<String, String> query = request.queryParameters();
        if (request.format() == AuthorizerRequest.Format.WEBSOCKET_CONNECT) {
            match = routes.match("WEBSOCKET", "/" + arn.verb(), query, settings.connect());
        } else {
            match = routes.match(arn.verb(), arn.path(), query, settings.connect());
        }
        EdgeContext edge = edgeKeys.derive(edgeRequest(request), settings.connect(), match);
        Map<String, ContextValue> keys = new LinkedHashMap<>(stable);
        for (ContextValue v : edge.keys()) {
            keys.putIfAbsent(v.name().toLowerCase(Locale.ROOT), v);
        }
        RouteAuthorization decision = authorizer.authorize(match, set, keys.values());
        return withViewVersion(decided(request, session, set, decision, stable), principal.viewVersion());
    }

    /** The account view version the decision was made with ({@code null} when the source has no versions). */
    private static EventDispatcher.Answer withViewVersion(EventDispatcher.Answer answer, String version) {
        answer.logFields().put("viewVersion", version);
        return answer;
    }

    /** Forgets verified credentials (after IAM changes: a role's trust policy may have changed). */
    public void forgetVerifiedCredentials() {
        verified.clear();
    }

    private String credential(AuthorizerRequest r) {
        if (r.format() == AuthorizerRequest.Format.REST_TOKEN) {
            return r.token();
        }
        String value = settings.identityHeader() == null ? null : r.header(settings.identityHeader());
        if (value == null && settings.identityQuery() != null) {
            value = r.queryParameters().get(settings.identityQuery());
        }
        return value;
    }

    private static EdgeRequest edgeRequest(AuthorizerRequest r) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        r.queryParameters().forEach((k, v) -> query.put(k, List.of(v)));
        long time = r.requestTimeEpochMillis();
        return new EdgeRequest(r.methodArn().verb(), r.methodArn().path().isEmpty() ? "/" : r.methodArn().path(),
                query, r.headers(), r.sourceIp(), r.userAgent(), time, r.secureTransport(), r.methodArn().stage());
    }

    /** The principal's set, with the session layer and kind when the caller is a session (cached per session policy). */
    private CompiledPolicySet effectiveSet(CompiledPrincipal principal, Session session) {
        if (session.kind() == SessionKind.NONE && !session.sessionPolicy().present()) {
            return principal.policies();
        }
        List<Object> key = List.of(principal.policies(), session.kind(), session.sessionPolicy());
        synchronized (sessionSets) {
            CompiledPolicySet cached = sessionSets.get(key);
            if (cached != null) {
                return cached;
            }
        }
        CompiledPolicySet base = principal.policies();
        CompiledPolicySet.Builder b = CompiledPolicySet.builder().sessionKind(session.kind());
        b.identity(base.identity().policies());
        if (base.boundary() != null) {
            base.boundary().policies().forEach(b::boundary);
        }
        for (PolicyLayer level : base.serviceControlLevels()) {
            b.serviceControlLevel(level.policies());
        }
        session.sessionPolicy().addTo(b, managedPolicyText);
        CompiledPolicySet built = b.build();
        synchronized (sessionSets) {
            sessionSets.put(key, built);
        }
        return built;
    }

    /**
     * Keys that hold for every request of this caller: principal and session keys, the Connect region
     * ({@code aws:RequestedRegion}) and {@code aws:SecureTransport} (API Gateway endpoints are HTTPS-only).
     */
    private static Map<String, ContextValue> stableKeys(CompiledPrincipal principal, Session session,
                                                        ArnContext connect) {
        Map<String, ContextValue> keys = new LinkedHashMap<>();
        keys.put("aws:requestedregion", ContextValue.single("aws:RequestedRegion", connect.region()));
        keys.put("aws:securetransport", new ContextValue("aws:SecureTransport", List.of("true"), false,
                dev.edgeiam.request.ContextKeyType.BOOLEAN));
        for (ContextValue v : principal.contextKeys()) {
            keys.put(v.name().toLowerCase(Locale.ROOT), v);
        }
        for (ContextValue v : session.contextValues()) {
            keys.put(v.name().toLowerCase(Locale.ROOT), v); // the session's view wins (tags, userid, type)
        }
        return keys;
    }

    private EventDispatcher.Answer decided(AuthorizerRequest request, Session session, CompiledPolicySet set,
                                           RouteAuthorization decision, Map<String, ContextValue> stable) {
        boolean allowed = decision.allowed();
        Map<String, Object> context = context(session.principalArn(), decision);
        context.put("principalType", session.principalType());
        ObjectNode response;
        String scope = GatewayPolicy.Scope.REQUEST.name();
        if (request.format() == AuthorizerRequest.Format.HTTP_V2 && settings.httpSimpleResponses()) {
            response = AuthorizerResponses.simple(allowed, context);
        } else {
            GatewayPolicy policy = policy(request, set, allowed, stable);
            scope = policy.scope().name();
            context.put("cacheScope", scope);
            response = AuthorizerResponses.policy(session.principalArn(), policy, context);
        }
        return new EventDispatcher.Answer(response, log(request, session.principalArn(), decision, scope), false);
    }

    private GatewayPolicy policy(AuthorizerRequest request, CompiledPolicySet set, boolean allowed,
                                 Map<String, ContextValue> stable) {
        MethodArn arn = request.methodArn();
        if (set == null || request.format() == AuthorizerRequest.Format.WEBSOCKET_CONNECT) {
            return RoutePolicyBuilder.forRequest(new RoutePolicyBuilder.RouteGrants(List.of(), List.of(), List.of(),
                    true), arn.stagePrefix(), arn, allowed, true);
        }
        Boolean known;
        synchronized (perRequestSets) {
            known = perRequestSets.get(set);
        }
        boolean perRequest = known != null ? known : readsPerRequestKeys(set);
        if (known == null) {
            synchronized (perRequestSets) {
                perRequestSets.put(set, perRequest);
            }
        }
        RoutePolicyBuilder.RouteGrants g = null;
        if (!perRequest) {
            List<Object> key = List.of(set, arn.stagePrefix(), valuesOf(stable));
            synchronized (grants) {
                g = grants.get(key);
            }
            if (g == null) {
                g = RoutePolicyBuilder.grants(classifier.classify(set, settings.connect(), stable.values()));
                synchronized (grants) {
                    grants.put(key, g);
                }
            }
        }
        return RoutePolicyBuilder.forRequest(g == null ? new RoutePolicyBuilder.RouteGrants(List.of(), List.of(),
                List.of(), true) : g, arn.stagePrefix(), arn, allowed, perRequest);
    }

    /** The keys' names and values as plain data (ContextValue has identity equality), for cache keys. */
    private static List<List<String>> valuesOf(Map<String, ContextValue> keys) {
        List<List<String>> out = new ArrayList<>(keys.size());
        keys.forEach((name, v) -> {
            List<String> entry = new ArrayList<>(v.size() + 1);
            entry.add(name);
            entry.addAll(v.values());
            out.add(entry);
        });
        return out;
    }

    /** Whether any statement's condition (or variable) reads a key that changes from request to request. */
    static boolean readsPerRequestKeys(CompiledPolicySet set) {
        for (PolicyLayer layer : set.layers()) {
            for (CompiledPolicy p : layer.policies()) {
                for (CompiledStatement s : p.statements()) {
                    for (CompiledCondition c : s.conditions()) {
                        if (PER_REQUEST_KEYS.contains(c.lowerKey())) {
                            return true;
                        }
                        for (String v : c.variables()) {
                            if (PER_REQUEST_KEYS.contains(v.toLowerCase(Locale.ROOT))) {
                                return true;
                            }
                        }
                    }
                }
            }
        }
        return false;
    }

    private EventDispatcher.Answer unauthorized(AuthorizerRequest request, String reason) {
        RouteAuthorization denial = deny(reason, null);
        if (request.format() == AuthorizerRequest.Format.HTTP_V2) {
            Map<String, Object> context = context("anonymous", denial);
            ObjectNode response = settings.httpSimpleResponses() ? AuthorizerResponses.simple(false, context)
                    : AuthorizerResponses.policy("anonymous", new GatewayPolicy(List.of(),
                    List.of(request.methodArn().arn()), GatewayPolicy.Scope.REQUEST, "", List.of()), context);
            return new EventDispatcher.Answer(response, log(request, null, denial, "REQUEST"), false);
        }
        ObjectNode response = EventDispatcher.error("Unauthorized", "Unauthorized", null);
        return new EventDispatcher.Answer(response, log(request, null, denial, "REQUEST"), true);
    }

    private static RouteAuthorization deny(String reason, String action) {
        return new RouteAuthorization(RouteAuthorization.Outcome.DENY, reason, action, List.of(), null, null, -1,
                reason);
    }

    private static Map<String, Object> context(String principalArn, RouteAuthorization d) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("decision", d.allowed() ? "Allow" : "Deny");
        c.put("reason", d.reason());
        c.put("action", d.action() == null ? "" : d.action());
        c.put("resource", d.resourcesEvaluated().isEmpty() ? "" : d.resourcesEvaluated().get(0));
        c.put("principalArn", principalArn);
        c.put("sid", d.sid() == null ? "" : d.sid());
        c.put("policyId", d.policyId() == null ? "" : d.policyId());
        return c;
    }

    private static ObjectNode log(AuthorizerRequest request, String principal, RouteAuthorization d, String scope) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("format", request.format().label());
        line.put("principal", principal);
        line.put("action", d.action());
        line.put("resource", d.resourcesEvaluated().isEmpty() ? null : d.resourcesEvaluated().get(0));
        line.put("decision", d.allowed() ? "Allow" : "Deny");
        line.put("reason", d.reason());
        line.put("cacheScope", scope);
        return line;
    }

    private static <K, V> Map<K, V> lru(int max) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        });
    }
}
