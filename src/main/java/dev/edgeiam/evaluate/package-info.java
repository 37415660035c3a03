/**
 * IAM's decision logic over a principal's compiled layers ({@code CompiledPolicySet}: identity, boundary, session,
 * SCP levels) and a resource's ({@code ResourcePolicySet}: resource-based policy, RCP levels): explicit deny wins;
 * same account, identity ∪ resource policy by the principal form the grant names; cross account, both sides must
 * allow ([Eval], [Types], [XAcct]). {@code Evaluator.decide} is the hot path; {@code Evaluator.explain} reports
 * matched statements and per-layer outcomes. Owns: how layers combine — written once, in {@code CombinationRule};
 * and the decision vocabulary of the whole function, {@code Reason} (every wire reason and its category, the edge's
 * and the credential's included), placed here so that the core and the outer stages share it without the core
 * importing them.
 */
package dev.edgeiam.evaluate;
