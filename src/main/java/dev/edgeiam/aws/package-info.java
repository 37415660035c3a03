/**
 * The AWS SDK-backed pieces: {@link dev.edgeiam.aws.IamPolicySource} reads one principal's policies live from
 * IAM; {@link dev.edgeiam.aws.SnapshotPolicySource} serves a whole account from
 * {@code GetAccountAuthorizationDetails} (live, or a file as {@code aws iam get-account-authorization-details}
 * prints it). Both implement {@link dev.edgeiam.principal.PolicySource}; nothing here knows Quarkus.
 *
 * <p>Only the synchronous SDK clients are used, with a small fixed thread pool for concurrent calls, so the
 * module stays friendly to native images and the {@code url-connection-client} HTTP client.
 */
package dev.edgeiam.aws;
