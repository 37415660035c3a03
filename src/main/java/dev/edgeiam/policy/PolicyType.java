package dev.edgeiam.policy;

import java.util.OptionalInt;

/**
 * The kinds of policy document the engine reads, with the size quota IAM applies to each.
 *
 * <p>Quotas from the IAM User Guide, "IAM and AWS STS quotas": customer managed policy 6,144 characters;
 * inline policies 2,048 (user), 5,120 (group), 10,240 (role) characters; session policies 2,048 characters;
 * role trust policy 2,048 by default; SCPs 5,120 (AWS Organizations quotas). White space is not counted.
 * Policies passed to {@code SimulateCustomPolicy} are bounded only by that API's 131,072-character input
 * limit. AWS managed policies are written by AWS and exceed the customer quota, so they carry no limit here.
 * Whether {@code Principal} is required or forbidden also depends on the kind.
 */
public enum PolicyType {
    /** A customer managed policy attached to a user, group or role. */
    MANAGED(6_144, false),
    /** An AWS managed policy (no customer quota applies). */
    AWS_MANAGED(-1, false),
    /** A user's inline policy. The 2,048 quota is per user in aggregate; a single document cannot exceed it. */
    INLINE_USER(2_048, false),
    /** A group's inline policy (aggregate quota 5,120). */
    INLINE_GROUP(5_120, false),
    /** A role's inline policy (aggregate quota 10,240). */
    INLINE_ROLE(10_240, false),
    /** A permissions boundary: always a managed policy. */
    PERMISSIONS_BOUNDARY(6_144, false),
    /** A session policy passed to AssumeRole*, GetFederationToken (plaintext quota 2,048). */
    SESSION(2_048, false),
    /** An AWS Organizations service control policy. */
    SERVICE_CONTROL(5_120, false),
    /** A role trust policy (a resource-based policy: {@code Principal} is required, {@code Resource} optional). */
    TRUST(2_048, true),
    /**
     * A resource-based policy (S3 bucket policy, SQS queue policy, ...): {@code Principal} or {@code NotPrincipal}
     * required in every statement. Quotas differ by service (S3 20 KB, SQS 8 KB, ...); here bounded by the
     * SimulateCustomPolicy input limit, like {@link #SIMULATION}.
     */
    RESOURCE(131_072, true),
    /** A document given to the simulator; bounded by the SimulateCustomPolicy input limit. */
    SIMULATION(131_072, false);

    private final int maxCharacters;
    private final boolean resourceBased;

    PolicyType(int maxCharacters, boolean resourceBased) {
        this.maxCharacters = maxCharacters;
        this.resourceBased = resourceBased;
    }

    /** The quota in non-white-space characters, empty when none applies. */
    public OptionalInt maxCharacters() {
        return maxCharacters < 0 ? OptionalInt.empty() : OptionalInt.of(maxCharacters);
    }

    /** Resource-based policies name a {@code Principal}; identity-based ones must not. */
    public boolean resourceBased() {
        return resourceBased;
    }
}
