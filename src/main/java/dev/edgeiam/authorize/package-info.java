/**
 * From a matched Amazon Connect route to a decision: {@link dev.edgeiam.authorize.RouteAuthorizer} evaluates the
 * route's IAM action against every resource it targets — including, soundly, resources whose identifier only the
 * request body carries — and {@link dev.edgeiam.authorize.EdgeContextKeys} derives the request context keys an
 * API Gateway authorizer can know. Pure Java: resource tags come through the {@link
 * dev.edgeiam.authorize.ResourceTagSource} interface, implemented with the AWS SDK in {@code dev.edgeiam.aws}.
 */
package dev.edgeiam.authorize;
