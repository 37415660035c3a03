package dev.edgeiam.gateway;

import java.util.List;

/**
 * The {@code execute-api:Invoke} statements an authorizer returns, and how far a cached copy may be trusted:
 * <ul>
 * <li>{@code ROUTES}: the lists grant exactly the routes the caller may invoke for every parameter value —
 * a cached copy answers every route of the API as a fresh evaluation would;</li>
 * <li>{@code ROUTES_WITH_EXCEPTIONS}: as above, except routes whose decision depends on their parameter values
 * and allowed routes that cannot be granted without reaching a refused one ({@code narrowedRoutes}), which are
 * granted only for the concrete ARN of this request (a cached copy may refuse other values that a
 * fresh evaluation would allow, never the reverse);</li>
 * <li>{@code REQUEST}: only this request's method ARN — because the decision depends on per-request keys (such
 * as {@code aws:SourceIp} or the time), or because no exact route-level policy fits the 8 KB result limit.
 * Use an authorizer result TTL of 0, or identity sources that vary per request, for such callers.</li>
 * </ul>
 */
public record GatewayPolicy(List<String> allow, List<String> deny, Scope scope, String note,
                            List<String> narrowedRoutes) {

    public enum Scope { ROUTES, ROUTES_WITH_EXCEPTIONS, REQUEST }

    public GatewayPolicy {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        narrowedRoutes = List.copyOf(narrowedRoutes);
    }
}
