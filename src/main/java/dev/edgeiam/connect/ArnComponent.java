package dev.edgeiam.connect;

/**
 * The colon-separated components of an ARN, in order (IAM User Guide, "ARN format":
 * {@code arn:partition:service:region:account-id:resource}).
 */
public enum ArnComponent {
    /** the literal {@code arn} prefix */
    PREFIX,
    /** {@code aws}, {@code aws-cn}, {@code aws-us-gov}, ... */
    PARTITION,
    /** service namespace, {@code connect} for Amazon Connect resources */
    SERVICE,
    /** AWS Region code; Connect resources are regional */
    REGION,
    /** 12-digit account ID ({@code aws} for AWS-managed views) */
    ACCOUNT,
    /** the resource part, whose shape identifies the resource type */
    RESOURCE
}
