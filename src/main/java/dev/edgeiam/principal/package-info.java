/**
 * Principals and their policies: who is asking ({@link dev.edgeiam.principal.Principal}), the policy documents
 * that apply to them by layer ({@link dev.edgeiam.principal.PrincipalPolicies}), the compiled form evaluated on
 * the request path ({@link dev.edgeiam.principal.CompiledPrincipal}, carrying the principal context keys of the
 * IAM User Guide's "AWS global condition context keys" page), where policies come from
 * ({@link dev.edgeiam.principal.PolicySource}) and the cache in front of it
 * ({@link dev.edgeiam.principal.PrincipalCache}).
 *
 * <p>Pure Java: no Quarkus or AWS SDK types. The SDK-backed sources live in {@code dev.edgeiam.aws}.
 */
package dev.edgeiam.principal;
