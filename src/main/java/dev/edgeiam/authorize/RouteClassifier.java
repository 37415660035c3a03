package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.NotVisibleResource;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.connect.TargetResource;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Says, for every route of the API and one principal, whether the principal may call it whatever its path
 * parameters are, may call it for no parameters, or it depends — the input of a cache-correct authorizer
 * policy. Each path parameter is treated as an identifier the authorizer has not seen: the route's resources
 * become ARN patterns ({@code .../agent/*}) judged exactly like body-only resources ({@link UnseenResource}: an
 * Allow must cover every identifier and no Deny may possibly apply). "Denied for all" needs proof that no
 * identity-policy Allow statement names the action; everything unproven is "depends", which the policy builder
 * only ever grants per request. Keys given here must be the same for every request the answer will be applied to
 * (principal keys, Region, inputs in API Gateway's cache key); every other input is passed as unknown, so "allowed
 * for all" holds whatever its value. Routes of operator mappings with path labels or query placeholders are always
 * "depends": their back ends are not Amazon Connect, so a value the authorizer refuses (a wildcard character,
 * say) may mean something there, and a route grant cannot exclude such values.
 */
public final class RouteClassifier {

    private static final String SENTINEL = "edgeiamunseen";

    private final RouteTable routes;
    private final RouteAuthorizer authorizer;

    public RouteClassifier(RouteTable routes, RouteAuthorizer authorizer) {
        this.routes = routes;
        this.authorizer = authorizer;
    }

    /** Every route of the table (custom mappings included) with the principal's access to it. */
    public Map<ApiRoute, RouteAccess> classify(CompiledPolicySet set, ArnContext context,
                                               Collection<ContextValue> stableKeys) {
        return classify(set, context, stableKeys, QueryParameters.NONE, UnknownInputs.BODY_ONLY);
    }

    /**
     * Every route of the table (custom mappings included) with the principal's access to it, for every value of
     * the path labels, of the query members not in {@code pinnedQuery} and of the {@code unknown} inputs.
     *
     * @param stableKeys  keys that are the same for every request the answer applies to
     * @param pinnedQuery query members whose values are the same for every such request (API Gateway cache key)
     * @param unknown     inputs that may differ between those requests, or that the function cannot see
     */
    public Map<ApiRoute, RouteAccess> classify(CompiledPolicySet set, ArnContext context,
                                               Collection<ContextValue> stableKeys, QueryParameters pinnedQuery,
                                               UnknownInputs unknown) {
        Map<ApiRoute, RouteAccess> out = new LinkedHashMap<>();
        for (CustomRouteMapping m : routes.customMappings()) {
            ApiRoute route = new ApiRoute(m.method(), m.path().template(), true);
            out.putIfAbsent(route, m.path().labels().isEmpty() && m.queryMembers().isEmpty()
                    ? classify(m.method(), m.path().template(), m.path().labels(), Optional.of(m.iamAction()), set,
                            context, stableKeys, pinnedQuery, unknown)
                    : anyAllowNames(set, m.iamAction()) ? RouteAccess.DEPENDS_ON_PARAMETERS : RouteAccess.DENIED_FOR_ALL);
        }
        for (RouteDefinition r : routes.routes()) {
            out.putIfAbsent(new ApiRoute(r.method(), r.path().template()),
                    classify(r.method(), r.path().template(), r.path().labels(), r.iamAction(), set, context,
                            stableKeys, pinnedQuery, unknown));
        }
        return out;
    }

    private RouteAccess classify(String method, String template, List<String> labels, Optional<String> action,
                                 CompiledPolicySet set, ArnContext context, Collection<ContextValue> keys,
                                 QueryParameters pinnedQuery, UnknownInputs unknown) {
        if (action.isEmpty()) {
            return RouteAccess.DENIED_FOR_ALL; // the authorizer refuses routes without an IAM action
        }
        if (!anyAllowNames(set, action.get())) {
            return RouteAccess.DENIED_FOR_ALL;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            params.put(labels.get(i), SENTINEL + i);
        }
        Optional<RouteMatch> probe;
        try {
            probe = routes.matchTemplate(method, template, params, pinnedQuery, context);
        } catch (RuntimeException e) {
            return RouteAccess.DEPENDS_ON_PARAMETERS;
        }
        if (probe.isEmpty() || !probe.get().problems().isEmpty() || !probe.get().ambiguities().isEmpty()
                || !probe.get().route().equals(method + " " + template)) {
            return RouteAccess.DEPENDS_ON_PARAMETERS;
        }
        RouteMatch m = probe.get();
        List<TargetResource> visible = new ArrayList<>();
        List<NotVisibleResource> hidden = new ArrayList<>();
        for (NotVisibleResource nv : m.notVisible()) {
            // a body- or query-named resource's pattern carries the labels' stand-ins too (its instance, say): they
            // stand for any value, so they are wildcards there as well — left in, a Deny naming a real instance
            // would look as if it could never apply
            hidden.add(new NotVisibleResource(nv.resourceType(), nv.required(),
                    nv.arnPattern().replaceAll(SENTINEL + "[0-9]+", "*"), nv.unseenVariables()));
        }
        for (TargetResource r : m.resources()) {
            if (r.arn().contains(SENTINEL)) {
                hidden.add(new NotVisibleResource(r.resourceType(), true,
                        r.arn().replaceAll(SENTINEL + "[0-9]+", "*"), List.of()));
            } else {
                visible.add(r);
            }
        }
        RouteMatch unseen = m.withResources(visible, hidden);
        RouteAuthorization a = authorizer.authorize(Optional.of(unseen), set, keys, unknown);
        return a.allowed() ? RouteAccess.ALLOWED_FOR_ALL
                : RouteAccess.DEPENDS_ON_PARAMETERS;
    }

    /** Whether any identity-policy Allow statement's Action/NotAction matches the action (any resource). */
    private static boolean anyAllowNames(CompiledPolicySet set, String action) {
        RequestContext probe = RequestContext.builder(action, "*").build();
        for (CompiledPolicy p : set.identity().policies()) {
            for (CompiledStatement s : p.statements()) {
                if (s.effect() == Effect.ALLOW && s.matchesAction(probe)) {
                    return true;
                }
            }
        }
        return false;
    }
}
