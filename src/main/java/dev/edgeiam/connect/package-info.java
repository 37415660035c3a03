/**
 * Amazon Connect service model for the IAM authorizer: the Service Authorization Reference (SAR)
 * facts for the {@code connect} service prefix ({@link dev.edgeiam.connect.ConnectCatalog}), the
 * Connect resource ARN model ({@link dev.edgeiam.connect.ConnectArn},
 * {@link dev.edgeiam.connect.ArnParser}) and the mapping of Connect REST routes to IAM actions and
 * resource ARNs ({@link dev.edgeiam.connect.RouteTable}).
 *
 * <p>Pure Java: no Quarkus or AWS SDK types. Data comes from the class-path resources under
 * {@code /connect/} (see {@code SOURCE.md} there for provenance).
 */
package dev.edgeiam.connect;
