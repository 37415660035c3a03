package dev.edgeiam.lambda;

import java.util.Map;

/**
 * What Lambda says of this initialisation: "AWS_LAMBDA_INITIALIZATION_TYPE – The initialization type of the function,
 * which is on-demand, provisioned-concurrency, or snap-start"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html). The one reader of that variable.
 *
 * <p>The two questions are answered apart, each on the safe side: only exactly {@code snap-start} is an init that will
 * be snapshotted (the runtime interface client checkpoints for that value alone; it is what holds the {@code s3}
 * source's reads), and only the two named non-snapshot types are never snapshotted (a missing variable or a value
 * Lambda may add later still registers the SnapStart hooks).
 */
final class InitializationType {

    static final String VARIABLE = "AWS_LAMBDA_INITIALIZATION_TYPE";

    private InitializationType() {
    }

    /** Whether this is the initialisation of a SnapStart version, which Lambda snapshots after it. */
    static boolean snapshotted(Map<String, String> env) {
        return "snap-start".equals(env.get(VARIABLE));
    }

    /** Whether Lambda never snapshots this initialisation (on-demand or provisioned concurrency). */
    static boolean neverSnapshotted(Map<String, String> env) {
        String type = env.get(VARIABLE);
        return "on-demand".equals(type) || "provisioned-concurrency".equals(type);
    }
}
