package dev.edgeiam.gateway;

import dev.edgeiam.authorize.ApiRoute;
import dev.edgeiam.authorize.RouteAccess;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays a route-level authorizer policy, as API Gateway's cache would, against concrete instances of every
 * route of a Connect-shaped API (all 397 Amazon Connect REST routes) and checks it grants exactly what fresh
 * evaluations grant — or, for routes whose decision depends on parameter values, never more.
 */
class RoutePolicyReplayTest {

    private static final String STAGE = "arn:aws:execute-api:eu-west-2:111122223333:k7p2q9x4zd/prod";
    private static final List<ApiRoute> ROUTES = RouteTable.defaultTable().routes().stream()
            .map(RouteDefinition::route).distinct()
            .map(r -> new ApiRoute(r.substring(0, r.indexOf(' ')), r.substring(r.indexOf(' ') + 1))).toList();

    private static String instance(ApiRoute route, Random random) {
        StringBuilder b = new StringBuilder(route.method());
        if (route.pathTemplate().equals("/")) {
            return b.append('/').toString();
        }
        for (String s : route.pathTemplate().substring(1).split("/", -1)) {
            b.append('/').append(s.startsWith("{") ? "id" + Long.toHexString(random.nextLong()) : s);
        }
        return b.toString();
    }

    private static boolean cachedAllows(GatewayPolicy policy, String concrete) {
        String arn = STAGE + "/" + concrete;
        return RoutePolicyBuilder.covered(arn, policy.allow()) && !RoutePolicyBuilder.covered(arn, policy.deny());
    }

    private int narrowedTotal;

    /** @return the number of allowed routes the policy had to leave to per-request decisions */
    private static int replay(Map<ApiRoute, RouteAccess> access, long seed) {
        Random random = new Random(seed);
        ApiRoute currentRoute = ROUTES.get(random.nextInt(ROUTES.size()));
        String currentConcrete = instance(currentRoute, random);
        boolean currentAllowed = access.get(currentRoute) == RouteAccess.ALLOWED_FOR_ALL
                || (access.get(currentRoute) == RouteAccess.DEPENDS_ON_PARAMETERS && random.nextBoolean());
        MethodArn current = MethodArn.parse(STAGE + "/" + currentConcrete);
        GatewayPolicy policy = RoutePolicyBuilder.build(STAGE, access, current, currentRoute, currentAllowed);
        int size = String.join("", policy.allow()).length() + String.join("", policy.deny()).length();
        assertTrue(size <= RoutePolicyBuilder.MAX_POLICY_CHARACTERS, "seed " + seed + " size " + size);
        assertEquals(currentAllowed, cachedAllows(policy, currentConcrete), "seed " + seed + ": this request");
        for (ApiRoute route : ROUTES) {
            for (int k = 0; k < 3; k++) {
                String concrete = instance(route, random);
                boolean cached = cachedAllows(policy, concrete);
                RouteAccess a = access.get(route);
                boolean narrowed = policy.narrowedRoutes().contains(route.method() + " " + route.pathTemplate());
                if (narrowed && a == RouteAccess.ALLOWED_FOR_ALL && policy.scope() != GatewayPolicy.Scope.REQUEST) {
                    // granted in part at most (a route denial reaches some of its values): never more than fresh
                    continue;
                }
                if (policy.scope() == GatewayPolicy.Scope.REQUEST || a == RouteAccess.DEPENDS_ON_PARAMETERS
                        || narrowed) {
                    if (cached) {
                        assertEquals(currentConcrete, concrete, "seed " + seed + ": " + route + " granted beyond "
                                + "this request " + policy);
                    }
                } else {
                    assertEquals(a == RouteAccess.ALLOWED_FOR_ALL, cached, "seed " + seed + ": " + route + " "
                            + concrete + " scope " + policy.scope());
                }
            }
        }
        return policy.narrowedRoutes().size();
    }

    private static Map<ApiRoute, RouteAccess> classify(Function<ApiRoute, RouteAccess> f) {
        Map<ApiRoute, RouteAccess> m = new LinkedHashMap<>();
        ROUTES.forEach(r -> m.put(r, f.apply(r)));
        return m;
    }

    @Test
    void connectHasAllRoutes() {
        assertTrue(ROUTES.size() > 380, "routes: " + ROUTES.size());
    }

    @Test
    void everythingAllowedIsOneWildcard() {
        GatewayPolicy p = RoutePolicyBuilder.build(STAGE, classify(r -> RouteAccess.ALLOWED_FOR_ALL),
                MethodArn.parse(STAGE + "/GET/users/i/u"), ROUTES.get(0), true);
        assertEquals(List.of(STAGE + "/*"), p.allow());
        assertEquals(GatewayPolicy.Scope.ROUTES, p.scope());
        replay(classify(r -> RouteAccess.ALLOWED_FOR_ALL), 1);
    }

    @Test
    void aCallerAllowedAlmostEverywhereIsGrantedEverythingButTheRefusedRoutes() {
        // route by route, such a caller's grants would not fit in the 8 KB result: everything but the refused routes
        java.util.Set<ApiRoute> refused = new java.util.HashSet<>();
        Random pick = new Random(7);
        for (int i = 0; i < 25; i++) {
            refused.add(ROUTES.get(pick.nextInt(ROUTES.size())));
        }
        Map<ApiRoute, RouteAccess> almostAll = classify(r -> refused.contains(r) ? RouteAccess.DENIED_FOR_ALL
                : RouteAccess.ALLOWED_FOR_ALL);
        RoutePolicyBuilder.RouteGrants grants = RoutePolicyBuilder.grants(almostAll);
        // each method of the allowed routes, not every method (HEAD, OPTIONS, PATCH are no route of the API)
        assertEquals(java.util.Set.of("GET/*", "POST/*", "PUT/*", "DELETE/*"), java.util.Set.copyOf(grants.allow()));
        for (ApiRoute r : refused) {
            assertTrue(grants.deny().contains(RoutePolicyBuilder.pattern(r)), r.toString());
        }
        assertTrue(grants.deny().containsAll(RoutePolicyBuilder.NON_CANONICAL_CARVE_OUTS));
        for (long seed = 0; seed < 20; seed++) {
            replay(almostAll, seed);
        }
        // and every refused route's instances are refused by the cached answer, whatever the label values
        GatewayPolicy p = RoutePolicyBuilder.build(STAGE, almostAll, MethodArn.parse(STAGE + "/GET/instance"),
                new ApiRoute("GET", "/instance"), true);
        assertTrue(p.scope() != GatewayPolicy.Scope.REQUEST, p.toString());
        for (String method : List.of("HEAD", "OPTIONS", "PATCH")) {
            assertFalse(cachedAllows(p, method + "/instance"), method);
        }
        for (ApiRoute r : refused) {
            for (String value : List.of("x", "associate-hours", "a/b", "")) {
                String concrete = RoutePolicyBuilder.pattern(r).replace("*", value);
                assertFalse(cachedAllows(p, concrete), concrete);
            }
        }
    }

    @Test
    void readOnlyCallerIsExactUnderTheCache() {
        Map<ApiRoute, RouteAccess> readOnly = classify(r -> r.method().equals("GET") ? RouteAccess.ALLOWED_FOR_ALL
                : RouteAccess.DENIED_FOR_ALL);
        for (long seed = 0; seed < 20; seed++) {
            replay(readOnly, seed);
        }
        GatewayPolicy p = RoutePolicyBuilder.build(STAGE, readOnly, MethodArn.parse(STAGE + "/GET/users/i/u"),
                new ApiRoute("GET", "/users/{InstanceId}/{UserId}"), true);
        assertEquals(List.of(STAGE + "/GET/*"), p.allow());
    }

    @Test
    void randomClassificationsNeverGrantMoreThanFreshEvaluation() {
        for (long seed = 100; seed < 160; seed++) {
            Random random = new Random(seed);
            double deny = random.nextDouble();
            double depends = random.nextDouble() * 0.2;
            narrowedTotal += replay(classify(r -> {
                double x = random.nextDouble();
                return x < depends ? RouteAccess.DEPENDS_ON_PARAMETERS
                        : x < depends + deny ? RouteAccess.DENIED_FOR_ALL : RouteAccess.ALLOWED_FOR_ALL;
            }), seed);
        }
        // random classifications are adversarial: a few allowed routes may be left to per-request decisions
        System.out.println("routes left to per-request decisions over 60 random classifications: " + narrowedTotal);
    }

    @Test
    void anAnswerNotReusedCoversTheMethodArnOnly() {
        MethodArn arn = MethodArn.parse(STAGE + "/GET/users/i/u");
        GatewayPolicy p = RoutePolicyBuilder.forRequest(RoutePolicyBuilder.RouteGrants.NONE, STAGE, arn, true);
        assertEquals(GatewayPolicy.Scope.REQUEST, p.scope());
        assertEquals(List.of(arn.arn()), p.allow());
        assertFalse(p.note().isEmpty());
    }

    @Test
    void wildcardGrantsCarveOutNonCanonicalAndArnValuedPaths() {
        GatewayPolicy p = RoutePolicyBuilder.build(STAGE, classify(r -> RouteAccess.ALLOWED_FOR_ALL),
                MethodArn.parse(STAGE + "/GET/users/i/u"), ROUTES.get(0), true);
        for (String path : List.of("GET/users/i/u/", "GET/users/i//u", "GET/users/i/./u", "GET/users/i/u/..",
                "GET/users/%69/u", "GET/users/arn:aws:connect:eu-west-1:999999999999:instance%2Fx/u")) {
            assertFalse(cachedAllows(p, path), path);
        }
        assertTrue(cachedAllows(p, "GET/users/i/u"));
        assertTrue(cachedAllows(p, "GET/"), "the API root is not a trailing slash");
    }

    @Test
    void overlappingDeeperRouteIsDeniedExplicitly() {
        Map<ApiRoute, RouteAccess> m = new LinkedHashMap<>();
        ApiRoute user = new ApiRoute("GET", "/users/{InstanceId}/{UserId}");
        ApiRoute proficiencies = new ApiRoute("GET", "/users/{InstanceId}/{UserId}/proficiencies");
        ApiRoute search = new ApiRoute("GET", "/users/search");
        m.put(user, RouteAccess.ALLOWED_FOR_ALL);
        m.put(proficiencies, RouteAccess.DENIED_FOR_ALL);
        m.put(search, RouteAccess.ALLOWED_FOR_ALL);
        GatewayPolicy p = RoutePolicyBuilder.build(STAGE, m, MethodArn.parse(STAGE + "/GET/users/i/u"), user, true);
        assertEquals(List.of(STAGE + "/GET/users/*/*", STAGE + "/GET/users/search"), p.allow());
        assertEquals(STAGE + "/GET/users/*/*/proficiencies", p.deny().get(0));
        assertEquals(RoutePolicyBuilder.NON_CANONICAL_CARVE_OUTS.stream().map(c -> STAGE + "/" + c).toList(),
                p.deny().subList(1, p.deny().size()));
    }

    @Test
    void overlapIsExact() {
        RouteShape shape = RoutePolicyBuilder.shape(new ApiRoute("GET", "/users/{InstanceId}/{UserId}"));
        assertTrue(shape.overlaps("GET/users/*"));
        assertTrue(shape.overlaps("*"));
        assertTrue(shape.overlaps("GET/users/a/b"));
        assertFalse(shape.overlaps("GET/users/a"));
        assertFalse(shape.overlaps("GET/users/a/b/c"));
        assertFalse(shape.overlaps("POST/*"));
        assertTrue(shape.overlaps("G?T/users/?/*"));
        assertFalse(shape.overlaps("GET/users//b"));
        assertTrue(RoutePolicyBuilder.shape(new ApiRoute("ANY", "/{proxy+}")).overlaps("DELETE/x/y/z"));
    }
}
