package dev.edgeiam.gateway;

import dev.edgeiam.cache.BoundedCache;
import dev.edgeiam.authorize.ApiRoute;
import dev.edgeiam.authorize.EdgeAuthorizer;
import dev.edgeiam.authorize.EventFormat;
import dev.edgeiam.authorize.RouteAccess;
import dev.edgeiam.authorize.RouteAuthorization;
import dev.edgeiam.cache.Caches;
import dev.edgeiam.evaluate.Reason;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Turns a decision into the answer API Gateway expects, shaped for how API Gateway will reuse it:
 * <ul>
 * <li>not reused (TTL 0, or an identity source unique per request): a policy for this request's ARN only;</li>
 * <li>reused: a route-level policy ({@link RoutePolicyBuilder}) granting exactly the routes the caller may invoke
 * whatever the inputs the cache key does not pin, plus this request's ARN when its own (already quantified)
 * decision allows;</li>
 * <li>HTTP API simple responses: {@code isAuthorized} is cached as one yes/no for every request with the same
 * identity sources, so when reused it is {@code true} only if the request's {@code routeKey} has no path variable
 * and every route it covers is allowed for every other input (the configuration must put {@code $context.routeKey}
 * in the cache key; {@code lambda.GatewayAuthorizer} refuses it otherwise).</li>
 * </ul>
 * The route-level grants are computed once per caller and API stage (a bounded cache, {@link Caches#bounded}); those
 * of a caller whose policies read resource tags are kept no longer than the tags they read may lag (the tag source's
 * {@code maxAge}, its cache's TTL), and not at all when that is unknown.
 */
public final class DecisionResponder {

    /**
     * The response, as the exact JSON bytes to return (lent by this thread's writer: read them before the thread
     * answers again, {@link WrittenAnswer}), how far a cached copy may be trusted ({@link GatewayPolicy.Scope}, or
     * {@code SIMPLE}), and the decision it answers — the one to log: an HTTP simple response refuses an Allow that
     * API Gateway would reuse for requests it does not hold ({@code input-not-in-cache-key}), and says so.
     */
    public record Shaped(WrittenAnswer answer, String scope, RouteAuthorization answered) {

        /** The response's bytes as an array of their own. */
        public byte[] json() {
            return answer.bytes();
        }
    }

    private final boolean httpSimpleResponses;
    /** Route-level grants by what they depend on and the API stage, prefixed with it (made on a miss only). */
    private final BoundedCache<List<Object>, Kept> grants;
    private final long tagsMaxAgeMillis;
    private final Clock clock;

    /**
     * Grants as kept, made at {@code madeAtMillis} (on the clock, before they were classified): for good, or for the
     * tags' {@code maxAge} when they read resource tags. Whether they did is the decision's
     * ({@code EdgeDecision.routesReadTags}), the same for every decision of one key: the key holds the caller's policy
     * set.
     */
    private record Kept(RoutePolicyBuilder.StagedGrants grants, long madeAtMillis) {
    }

    /**
     * @param tagsMaxAge how far the tag source's tags may lag ({@code ResourceTagSource.maxAge}): how long grants that
     *                   read them are kept; zero keeps none
     * @param clock      the clock that times it
     */
    public DecisionResponder(boolean httpSimpleResponses, int maxGrants, Duration tagsMaxAge, Clock clock) {
        this.httpSimpleResponses = httpSimpleResponses;
        this.grants = Caches.bounded(maxGrants);
        this.tagsMaxAgeMillis = tagsMaxAge.toMillis();
        this.clock = clock;
    }

    /** The answer for a verified caller. */
    public Shaped decided(AuthorizerRequest request, String principalArn, String principalType,
                          EdgeAuthorizer.EdgeDecision d) {
        RouteAuthorization decision = d.decision();
        AnswerContext context = AnswerContext.of(principalArn, decision);
        if (request.format() == EventFormat.HTTP_V2 && httpSimpleResponses) {
            boolean authorized = decision.allowed() && (!d.reused() || routeKeyAllowedForAll(request, d));
            RouteAuthorization answered = decision;
            if (decision.allowed() && !authorized) {
                Reason notInKey = Reason.INPUT_NOT_IN_CACHE_KEY;
                context = context.decided(notInKey.category().wire(), notInKey.label(), notInKey.category().label());
                answered = new RouteAuthorization(notInKey, decision.action(), decision.resourcesEvaluated(), null,
                        null, -1, "the route is not allowed for every request API Gateway would answer from the cache");
            }
            return new Shaped(AuthorizerResponses.simple(authorized, context.shaped(principalType, "SIMPLE")),
                    "SIMPLE", answered);
        }
        GatewayPolicy policy = policy(request, d);
        String scope = policy.scope().name();
        return new Shaped(AuthorizerResponses.policy(principalArn, policy, context.shaped(principalType, scope)),
                scope, decision);
    }

    /**
     * Whether kept grants that read tags are as old as the tags may lag, or the clock has gone back since they were
     * made (then their age is unknown, and the tag cache reads tags again: red-team pass 26, F26d.1).
     */
    private boolean tooOld(Kept k) {
        long age = clock.millis() - k.madeAtMillis();
        return age < 0 || age >= tagsMaxAgeMillis;
    }

    /** The answer for a missing or invalid credential on an HTTP API (REST and WebSocket answer {@code Unauthorized}). */
    public Shaped unauthorizedHttp(AuthorizerRequest request, RouteAuthorization denial) {
        AnswerContext context = AnswerContext.of("anonymous", denial);
        if (httpSimpleResponses) {
            return new Shaped(AuthorizerResponses.simple(false, context), "REQUEST", denial);
        }
        return new Shaped(AuthorizerResponses.policy("anonymous", new GatewayPolicy(List.of(),
                List.of(request.methodArn().arn()), GatewayPolicy.Scope.REQUEST, "", List.of()), context), "REQUEST",
                denial);
    }

    private GatewayPolicy policy(AuthorizerRequest request, EdgeAuthorizer.EdgeDecision d) {
        MethodArn arn = request.methodArn();
        boolean allowed = d.decision().allowed();
        String stagePrefix = arn.stagePrefix();
        if (!d.reused() || d.routes() == null || request.format() == EventFormat.WEBSOCKET_CONNECT) {
            return RoutePolicyBuilder.forRequest(RoutePolicyBuilder.RouteGrants.NONE, stagePrefix, arn, allowed);
        }
        List<Object> key = List.of(d.routesKey(), stagePrefix);
        Kept k = grants.getIfPresent(key);
        if (k == null || (d.routesReadTags() && tooOld(k))) {
            // Grants that read resource tags are kept no longer than the tags may lag: kept longer, they would outlive
            // a re-tagging by more than the tag cache's TTL (red-team pass 26, R26b.1).
            long started = d.routesReadTags() ? clock.millis() : 0;
            RoutePolicyBuilder.StagedGrants g = RoutePolicyBuilder.StagedGrants.of(
                    RoutePolicyBuilder.grants(d.routes().get()), stagePrefix);
            if (d.routesReadTags() && tagsMaxAgeMillis <= 0) {
                return RoutePolicyBuilder.forRequest(g, arn, allowed);
            }
            k = new Kept(g, started);
            grants.put(key, k);
        }
        return RoutePolicyBuilder.forRequest(k.grants(), arn, allowed);
    }

    /**
     * Whether every route the request's API route ({@code routeKey}) covers is allowed for every request API
     * Gateway sends to it. A route key with a path variable never qualifies: the cached {@code true} would also
     * serve label values this function refuses when asked (an ARN naming another account or Region, a
     * percent-encoded, dotted or colon-qualified value), and unlike a policy a simple response cannot carve them
     * out — such routes are answered {@code false} under the cache (use policy responses, or TTL 0).
     */
    private static boolean routeKeyAllowedForAll(AuthorizerRequest request, EdgeAuthorizer.EdgeDecision d) {
        ApiRoute routeKey = routeOf(request.routeKey());
        if (routeKey == null || d.routes() == null || routeKey.pathTemplate().indexOf('{') >= 0) {
            return false;
        }
        for (Map.Entry<ApiRoute, RouteAccess> e : d.routes().get().entrySet()) {
            if (e.getValue() != RouteAccess.ALLOWED_FOR_ALL && e.getKey().overlaps(routeKey)) {
                return false;
            }
        }
        return true;
    }

    /** An HTTP API route key ({@code GET /users/{id}}, {@code ANY /{proxy+}}, {@code $default}), or null. */
    static ApiRoute routeOf(String routeKey) {
        if (routeKey == null) {
            return null;
        }
        if (routeKey.equals("$default")) {
            return new ApiRoute("ANY", "/{proxy+}");
        }
        int space = routeKey.indexOf(' ');
        if (space <= 0 || space + 1 >= routeKey.length() || routeKey.charAt(space + 1) != '/') {
            return null;
        }
        return new ApiRoute(routeKey.substring(0, space), routeKey.substring(space + 1));
    }
}
