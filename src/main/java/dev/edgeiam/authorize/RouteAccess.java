package dev.edgeiam.authorize;

/**
 * How a caller's decision on one route depends on the route's path parameters: allowed for every value,
 * denied for every value, or depending on the values (e.g. an agent may read only her own user).
 */
public enum RouteAccess {
    ALLOWED_FOR_ALL,
    DENIED_FOR_ALL,
    DEPENDS_ON_PARAMETERS
}
