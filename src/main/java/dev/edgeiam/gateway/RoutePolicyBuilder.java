package dev.edgeiam.gateway;

import dev.edgeiam.authorize.ApiRoute;
import dev.edgeiam.authorize.RouteAccess;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an authorizer policy that stays correct under API Gateway's result cache (API Gateway Developer
 * Guide, "Use API Gateway Lambda authorizers": with caching on, the returned policy is applied to every later
 * request with the same identity sources, so it must cover all methods of the API).
 *
 * <p>Every route is classified ({@link RouteAccess}); each route allowed for all values gets the coarsest
 * pattern — {@code *}, {@code VERB/*}, {@code VERB/literal/prefix/*}, or the route's own pattern with {@code *}
 * per label — that overlaps no route that is not allowed for all values (overlap decided exactly by
 * {@link RouteShape}, since {@code *} also matches {@code /}). Where a route's own pattern still reaches into a
 * refused route (e.g. {@code GET/users/* /*} reaching {@code /users/{a}/{b}/proficiencies}), that route is
 * listed under {@code Deny} with its own pattern, provided the Deny touches no allowed route. Anything that
 * cannot be expressed exactly degrades to fewer grants, never more.
 *
 * <p>A wildcard also reaches paths that are not in canonical form: a trailing {@code /}, an empty or dot segment,
 * a percent-encoded character. How API Gateway routes those, and whether their method ARN is written raw or
 * decoded, is not documented; the authorizer refuses them when asked ({@code non-canonical-path}) and, whenever the
 * policy grants a wildcard, carves all of them out with {@link #NON_CANONICAL_CARVE_OUTS}, so they are denied under
 * every reading. The same carve-outs deny any path with a colon, raw or encoded (an ARN-valued label in any case,
 * or a value refused as an identifier): a label naming a resource elsewhere is refused when evaluated, and a
 * wildcard cannot tell such a label from an identifier. Requests of those shapes are decided per request and granted for their exact ARN only.
 *
 * <p>When the route-by-route grants of a caller allowed almost everywhere would not fit in the 8 KB result (a caller
 * with {@code connect:*} on {@code *}: 225 patterns, ~20,000 characters), each method where it is cheaper is granted
 * whole ({@code GET/*}) but each of its refused routes' own pattern instead, if the result is smaller
 * ({@link #perMethod}).
 */
public final class RoutePolicyBuilder {

    /** Authorizer results are limited to 8 KB in all; leave room for principalId and context. */
    public static final int MAX_POLICY_CHARACTERS = 6_000;

    /**
     * Denied whenever a wildcard is granted, after the stage prefix: any percent-encoding, any colon (an ARN-valued
     * label whatever its case, {@code ARN:...}, and any other value the authorizer refuses as an identifier, such as
     * {@code x:y}; qualified identifiers such as a view's {@code id:$SAVED} are then granted per request), a
     * segment starting with a dot ({@code /./}, {@code /../}, {@code /.} at the end, ...), an empty segment, a
     * trailing slash (the API root {@code VERB/} itself is not matched).
     */
    public static final List<String> NON_CANONICAL_CARVE_OUTS = List.of("*%*", "*:*", "*/.*", "*//*", "*/*/");

    private RoutePolicyBuilder() {
    }

    /**
     * @param stagePrefix    {@code arn:...:execute-api:region:account:apiId/stage}
     * @param routes         each route of the API with the caller's access to it
     * @param current        this request's method ARN
     * @param currentRoute   the route this request matched (null when none)
     * @param currentAllowed the fresh decision for this request (holding for every request it will be applied to)
     */
    public static GatewayPolicy build(String stagePrefix, Map<ApiRoute, RouteAccess> routes, MethodArn current,
                                      ApiRoute currentRoute, boolean currentAllowed) {
        return forRequest(grants(routes), stagePrefix, current, currentAllowed);
    }

    /**
     * The request-independent part, computed once per principal and API: which patterns grant exactly the
     * routes allowed for every parameter value, and which routes need carving out with a Deny.
     */
    public static RouteGrants grants(Map<ApiRoute, RouteAccess> routes) {
        List<RouteShape> refused = new ArrayList<>();
        List<RouteShape> allowed = new ArrayList<>();
        List<ApiRoute> allowedRoutes = new ArrayList<>();
        List<ApiRoute> refusedRoutes = new ArrayList<>();
        boolean depends = false;
        for (Map.Entry<ApiRoute, RouteAccess> e : routes.entrySet()) {
            if (e.getValue() == RouteAccess.ALLOWED_FOR_ALL) {
                allowed.add(shape(e.getKey()));
                allowedRoutes.add(e.getKey());
            } else {
                refused.add(shape(e.getKey()));
                refusedRoutes.add(e.getKey());
                depends |= e.getValue() == RouteAccess.DEPENDS_ON_PARAMETERS;
            }
        }
        Set<String> allowPatterns = new LinkedHashSet<>();
        Set<String> denyPatterns = new LinkedHashSet<>();
        List<String> narrowed = new ArrayList<>();
        for (ApiRoute route : allowedRoutes) {
            String chosen = null;
            for (String candidate : candidates(route)) {
                if (touchesNone(candidate, refused)) {
                    chosen = candidate;
                    break;
                }
            }
            if (chosen == null) {
                String own = pattern(route);
                List<String> denies = new ArrayList<>();
                boolean ok = true;
                for (int i = 0; i < refused.size(); i++) {
                    if (refused.get(i).overlaps(own)) {
                        String deny = pattern(refusedRoutes.get(i));
                        if (!touchesNone(deny, allowed)) {
                            ok = false;
                            break;
                        }
                        denies.add(deny);
                    }
                }
                if (!ok) {
                    narrowed.add(route.method() + " " + route.pathTemplate()); // left out: fewer grants, never more
                    continue;
                }
                denyPatterns.addAll(denies);
                chosen = own;
            }
            allowPatterns.add(chosen);
        }
        List<String> allow = prune(allowPatterns);
        if (anyWildcard(allow)) {
            denyPatterns.addAll(NON_CANONICAL_CARVE_OUTS);
        }
        RouteGrants grants = new RouteGrants(allow, List.copyOf(denyPatterns), narrowed, depends);
        if (estimatedCharacters(grants) <= MAX_POLICY_CHARACTERS || allowedRoutes.isEmpty()) {
            return grants;
        }
        for (ApiRoute r : routes.keySet()) {
            if (!LITERAL_METHOD.matcher(r.method()).matches() || r.method().equals("ANY")) {
                // a pattern of an ANY route (or of a method with a wildcard, which configuration refuses: red-team
                // pass 29, R29.1) spans methods: no method can be decided alone
                return grants;
            }
        }
        RouteGrants perMethod = perMethod(allowPatterns, denyPatterns, narrowed, allowedRoutes, allowed,
                refusedRoutes, depends);
        return estimatedCharacters(perMethod) < estimatedCharacters(grants) ? perMethod : grants;
    }

    /** A method that names one method: upper-case letters only (no {@code *} or {@code ?}). */
    private static final java.util.regex.Pattern LITERAL_METHOD = java.util.regex.Pattern.compile("[A-Z]+");

    /** A stage prefix of typical length ({@code arn:aws:execute-api:us-east-1:123456789012:abcdefghij/prod}) plus a slash. */
    private static final int TYPICAL_STAGE_PREFIX = 60;

    /** The grants' size in a policy with a stage prefix of typical length ({@link #cost}). */
    static int estimatedCharacters(RouteGrants grants) {
        return cost(grants.allow()) + cost(grants.deny());
    }

    /**
     * For each method, the cheaper of two grants: the route-by-route patterns of its routes (with their Denies and the
     * routes they leave out), or every path of the method ({@code GET/*}) with a Deny of each of its refused routes' own
     * pattern — for callers allowed on most routes of a method, whose route-by-route grants would not fit in the result
     * ({@code connect:*} on {@code *}: 225 patterns, ~20,000 characters). Each pattern starts with its method (an
     * {@code ANY} route's would not: then this is not used), so the methods are independent. Every request of a refused
     * route matches its own pattern, so none is granted; a Deny that also reaches an allowed route of the method (since
     * {@code *} matches {@code /}, {@code GET/a/* /b} reaches {@code /a/{x}/{y}/b}) refuses some of its requests: such
     * a route is listed as narrowed, and what is refused of it is decided when asked — fewer grants, never more. A
     * method no route has is never granted, and {@link #OWN_PATTERN_ONLY} methods ({@code HEAD}, {@code OPTIONS}) are
     * always granted route by route.
     */
    private static RouteGrants perMethod(Set<String> routeAllows, Set<String> routeDenies, List<String> routeNarrowed,
                                         List<ApiRoute> allowedRoutes, List<RouteShape> allowed,
                                         List<ApiRoute> refusedRoutes, boolean depends) {
        Set<String> methods = new LinkedHashSet<>();
        for (ApiRoute r : allowedRoutes) {
            methods.add(r.method());
        }
        Set<String> allow = new LinkedHashSet<>();
        Set<String> deny = new LinkedHashSet<>();
        List<String> narrowed = new ArrayList<>();
        for (String method : methods) {
            String verbPrefix = method + "/";
            List<String> byRouteAllow = startingWith(routeAllows, verbPrefix);
            List<String> byRouteDeny = startingWith(routeDenies, verbPrefix);
            Set<String> wholeDeny = new LinkedHashSet<>();
            for (ApiRoute r : refusedRoutes) {
                if (r.method().equals(method)) {
                    wholeDeny.add(pattern(r));
                }
            }
            if (!OWN_PATTERN_ONLY.contains(method)
                    && cost(List.of(verbPrefix + "*")) + cost(wholeDeny) < cost(byRouteAllow) + cost(byRouteDeny)) {
                allow.add(verbPrefix + "*");
                deny.addAll(wholeDeny);
                for (int i = 0; i < allowedRoutes.size(); i++) {
                    if (allowedRoutes.get(i).method().equals(method)) {
                        for (String d : wholeDeny) {
                            if (allowed.get(i).overlaps(d)) {
                                narrowed.add(method + " " + allowedRoutes.get(i).pathTemplate());
                                break;
                            }
                        }
                    }
                }
            } else {
                allow.addAll(byRouteAllow);
                deny.addAll(byRouteDeny);
                for (String n : routeNarrowed) {
                    if (n.startsWith(method + " ")) {
                        narrowed.add(n);
                    }
                }
            }
        }
        List<String> pruned = prune(allow);
        if (anyWildcard(pruned)) {
            deny.addAll(NON_CANONICAL_CARVE_OUTS);
        }
        return new RouteGrants(pruned, List.copyOf(deny), narrowed, depends);
    }

    private static List<String> startingWith(Set<String> patterns, String prefix) {
        List<String> out = new ArrayList<>();
        for (String p : patterns) {
            if (p.startsWith(prefix)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The patterns' size in a policy with a stage prefix of typical length ({@link StagedGrants#characters}). */
    private static int cost(java.util.Collection<String> patterns) {
        int size = 0;
        for (String s : patterns) {
            size += TYPICAL_STAGE_PREFIX + s.length() + 3;
        }
        return size;
    }

    /** Completes the grants for one request (see {@link #build}). */
    public static GatewayPolicy forRequest(RouteGrants grants, String stagePrefix, MethodArn current,
                                           boolean currentAllowed) {
        if (grants == RouteGrants.NONE) {
            return single(current, currentAllowed, "API Gateway does not reuse this answer for other requests");
        }
        return forRequest(StagedGrants.of(grants, stagePrefix), current, currentAllowed);
    }

    /**
     * The policy for one request from grants already prefixed with the request's stage (what the responder keeps
     * per principal and stage): the stage's patterns are shared, not rebuilt, unless this request's own ARN must be
     * added to them.
     */
    public static GatewayPolicy forRequest(StagedGrants staged, MethodArn current, boolean currentAllowed) {
        RouteGrants grants = staged.grants();
        if (grants == RouteGrants.NONE) {
            return single(current, currentAllowed, "API Gateway does not reuse this answer for other requests");
        }
        String currentPath = current.verbAndPath();
        if (currentAllowed && dev.edgeiam.request.Wildcards.hasWildcard(currentPath)) {
            return single(current, true, "the request path contains wildcard characters");
        }
        boolean inAllow = covered(currentPath, grants.allow());
        boolean inDeny = covered(currentPath, grants.deny());
        List<String> allow = staged.allow();
        int size = staged.characters();
        if (currentAllowed && !(inAllow && !inDeny)) {
            if (inDeny) {
                return single(current, true, "this request's route cannot be granted beside the route denials");
            }
            // the request's own ARN, which is the current ARN's text when the stage prefixes are the same
            String own = staged.stagePrefix().equals(current.stagePrefix()) ? current.arn()
                    : staged.stagePrefix() + "/" + currentPath;
            List<String> withOwn = new ArrayList<>(allow.size() + 1);
            withOwn.addAll(allow);
            withOwn.add(own);
            allow = withOwn;
            size += own.length() + 3;
        }
        if (!currentAllowed && inAllow && !inDeny) {
            // The route classification and the fresh decision disagree: trust the fresh decision alone.
            return single(current, false, "route classification disagrees with this request's decision");
        }
        if (size > MAX_POLICY_CHARACTERS) {
            return single(current, currentAllowed, "the route-level policy would exceed the 8 KB result limit");
        }
        List<String> narrowed = grants.narrowedRoutes();
        boolean exceptions = grants.dependsOnParameters() || !narrowed.isEmpty();
        GatewayPolicy.Scope scope = exceptions ? GatewayPolicy.Scope.ROUTES_WITH_EXCEPTIONS : GatewayPolicy.Scope.ROUTES;
        String note = staged.note();
        return new GatewayPolicy(allow, staged.deny(), scope, note, narrowed);
    }

    /**
     * {@link RouteGrants} for one API stage: the patterns prefixed with {@code stagePrefix} (as the policy's
     * resources), their size as the policy counts it, and the note; request-independent, so made once per grants
     * and stage.
     */
    public record StagedGrants(RouteGrants grants, String stagePrefix, List<String> allow, List<String> deny,
                               int characters, String note) {

        public StagedGrants {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
        }

        public static StagedGrants of(RouteGrants grants, String stagePrefix) {
            List<String> allow = prefix(stagePrefix, grants.allow());
            List<String> deny = prefix(stagePrefix, grants.deny());
            int size = 0;
            for (String s : allow) {
                size += s.length() + 3;
            }
            for (String s : deny) {
                size += s.length() + 3;
            }
            String note = grants.dependsOnParameters() ? "routes whose decision depends on parameter values are "
                    + "granted only for this request's ARN" : "";
            if (!grants.narrowedRoutes().isEmpty()) {
                note = (note.isEmpty() ? "" : note + "; ") + grants.narrowedRoutes().size()
                        + " allowed route(s) cannot be granted in full beside route denials: what the answer does not"
                        + " grant of them is decided per request";
            }
            return new StagedGrants(grants, stagePrefix, allow, deny, size, note);
        }
    }

    /** The request-independent grants of one principal on one API (see {@link #grants}). */
    public record RouteGrants(List<String> allow, List<String> deny, List<String> narrowedRoutes,
                              boolean dependsOnParameters) {

        /** No route-level grants: the answer covers this request's ARN only. */
        public static final RouteGrants NONE = new RouteGrants(List.of(), List.of(), List.of(), false);

        public RouteGrants {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
            narrowedRoutes = List.copyOf(narrowedRoutes);
        }
    }

    private static GatewayPolicy single(MethodArn current, boolean allowed, String note) {
        List<String> one = List.of(current.arn());
        return allowed ? new GatewayPolicy(one, List.of(), GatewayPolicy.Scope.REQUEST, note, List.of())
                : new GatewayPolicy(List.of(), one, GatewayPolicy.Scope.REQUEST, note, List.of());
    }

    /**
     * Methods granted by their routes' own patterns only, never by a pattern over other paths: HEAD asks for what GET
     * would answer (RFC 9110, https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2) and OPTIONS for what a resource
     * supports, so a proxying back end may serve either on any route's path (red-team pass 30, R30.1).
     */
    static final Set<String> OWN_PATTERN_ONLY = Set.of("HEAD", "OPTIONS");

    /** Coarse to fine: everything, the verb, each literal path prefix, the route itself. */
    static List<String> candidates(ApiRoute route) {
        if (OWN_PATTERN_ONLY.contains(route.method())) {
            return List.of(pattern(route));
        }
        List<String> out = new ArrayList<>();
        out.add("*");
        String verb = route.method().equals("ANY") ? "*" : route.method();
        out.add(verb + "/*");
        StringBuilder prefix = new StringBuilder(verb);
        List<String> literals = route.literalPrefix();
        int segments = route.pathTemplate().equals("/") ? 0 : route.pathTemplate().substring(1).split("/", -1).length;
        for (int i = 0; i < literals.size() && i < segments - 1; i++) {
            prefix.append('/').append(literals.get(i));
            out.add(prefix + "/*");
        }
        out.add(pattern(route));
        return out;
    }

    /** The route as a pattern over {@code VERB/path} text, for overlap checks. */
    static RouteShape shape(ApiRoute route) {
        RouteShape.Builder shape = new RouteShape.Builder();
        if (route.method().equals("ANY")) {
            shape.segment();
        } else {
            shape.literals(route.method());
        }
        if (route.pathTemplate().equals("/")) {
            shape.literal('/');
        }
        for (String s : route.segments()) {
            shape.literal('/');
            if (ApiRoute.isLabel(s) && s.endsWith("+}")) {
                shape.rest();
            } else if (ApiRoute.isLabel(s)) {
                shape.segment();
            } else {
                shape.literals(s);
            }
        }
        return shape.build();
    }

    /** The per-route policy pattern: each label becomes {@code *}. */
    static String pattern(ApiRoute route) {
        StringBuilder b = new StringBuilder(route.method().equals("ANY") ? "*" : route.method());
        if (route.pathTemplate().equals("/")) {
            return b.append('/').toString();
        }
        for (String s : route.segments()) {
            b.append('/').append(ApiRoute.isLabel(s) ? "*" : s);
        }
        return b.toString();
    }

    private static boolean touchesNone(String pattern, List<RouteShape> routes) {
        for (RouteShape r : routes) {
            if (r.overlaps(pattern)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a concrete {@code VERB/path} matches any of the patterns. */
    static boolean covered(String concrete, Iterable<String> patterns) {
        for (String p : patterns) {
            if (globMatches(p, concrete)) {
                return true;
            }
        }
        return false;
    }

    /** API Gateway policy glob: {@code *} any run (including {@code /}), {@code ?} one character, case-sensitive. */
    static boolean globMatches(String pattern, String text) {
        return dev.edgeiam.request.Wildcards.matches(pattern, text);
    }

    /** Whether any of the patterns has a {@code *} or a {@code ?}. */
    private static boolean anyWildcard(List<String> patterns) {
        for (String p : patterns) {
            if (dev.edgeiam.request.Wildcards.hasWildcard(p)) {
                return true;
            }
        }
        return false;
    }

    /** Drops patterns that a coarser chosen pattern already covers. */
    private static List<String> prune(java.util.Collection<String> patterns) {
        List<String> out = new ArrayList<>();
        for (String p : patterns) {
            boolean redundant = false;
            for (String q : patterns) {
                if (!q.equals(p) && q.endsWith("*") && p.startsWith(q.substring(0, q.length() - 1))) {
                    redundant = true;
                    break;
                }
            }
            if (!redundant) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> prefix(String stagePrefix, List<String> patterns) {
        List<String> out = new ArrayList<>(patterns.size());
        for (String p : patterns) {
            out.add(stagePrefix + "/" + p);
        }
        return out;
    }
}
