/**
 * Wiring only: the Quarkus Lambda handler, event dispatch, configuration ({@code AuthorizerConfig}) and the assembly of
 * the stages ({@code LambdaBeans}, {@code GatewayAuthorizer}); the one place that catches everything and answers.
 */
package dev.edgeiam.lambda;
