/**
 * The IAM JSON policy grammar as immutable records ({@code PolicyDocument}, {@code Statement}, {@code Condition}, ...)
 * and the parser that produces them with located errors (JSON pointer and line:column) and IAM's size quotas.
 * Owns: what a valid policy document is ([Gram], [Ver], [Sid], [Stmt], [Quota]; see docs/iam-sources.md). Knows
 * nothing of requests, Quarkus or the AWS SDK.
 */
package dev.edgeiam.policy;
