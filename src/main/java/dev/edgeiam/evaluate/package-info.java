/**
 * IAM's decision logic over a principal's compiled layers ({@code CompiledPolicySet}: identity, boundary, session,
 * SCP levels): explicit deny wins, allow needs every layer ([Eval], [Types]). {@code Evaluator.decide} is the hot
 * path; {@code Evaluator.explain} reports matched statements and per-layer outcomes. Owns: how layers combine.
 */
package dev.edgeiam.evaluate;
