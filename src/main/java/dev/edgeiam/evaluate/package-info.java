/**
 * IAM's decision logic over a principal's compiled layers ({@code CompiledPolicySet}: identity, boundary, session,
 * SCP levels) and a resource's ({@code ResourcePolicySet}: resource-based policy, RCP levels): explicit deny wins;
 * same account, identity ∪ resource policy by the principal form the grant names; cross account, both sides must
 * allow ([Eval], [Types], [XAcct]). {@code Evaluator.decide} is the hot path; {@code Evaluator.explain} reports
 * matched statements and per-layer outcomes. Owns: how layers combine — written once, in {@code CombinationRule}.
 */
package dev.edgeiam.evaluate;
