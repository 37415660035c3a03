/**
 * The IAM simulator entry points ({@code SimulateCustomPolicy}, {@code SimulatePrincipalPolicy} events) with IAM's
 * request and result shapes ([Sim]): input validation, per-action and per-resource results, matched statements.
 */
package dev.edgeiam.simulate;
