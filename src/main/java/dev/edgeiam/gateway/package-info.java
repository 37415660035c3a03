/**
 * API Gateway's side of the authorizer: reading authorizer events of every format into an {@code AuthorizerRequest}
 * (every query value, what the event does not carry left unknown), and shaping decisions into the answer API Gateway
 * expects — route-level policies that stay correct under its result cache ({@code RoutePolicyBuilder},
 * {@code DecisionResponder}) or HTTP API simple responses. Owns: API Gateway's wildcard matching of method ARNs.
 */
package dev.edgeiam.gateway;
