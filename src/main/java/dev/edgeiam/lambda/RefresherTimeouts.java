package dev.edgeiam.lambda;

import java.time.Duration;
import java.util.Objects;

/**
 * The refresher's AWS call time limits ({@code QUARKUS_LAMBDA_HANDLER=refresher}). Its calls are off the request
 * path and can be large ({@code GetAccountAuthorizationDetails} pages, the account view object), so the limits are
 * wider than the decision path's. The deployed values come from {@link AuthorizerConfig.Refresher}.
 *
 * @param iamAttempt    the most one attempt of an IAM call may take
 * @param iamCall       the most one IAM call may take with its retries (at least {@code iamAttempt})
 * @param s3Attempt     the most one attempt of an S3 call may take (a call: twice that)
 * @param organizations the longest an AWS Organizations call waits for the next bytes of its answer
 * @param apiGateway    the longest an API Gateway cache flush takes, its (at most four) attempts included
 */
public record RefresherTimeouts(Duration iamAttempt, Duration iamCall, Duration s3Attempt, Duration organizations,
                                Duration apiGateway) {

    public RefresherTimeouts {
        positive("authorizer.refresher.iam-attempt-timeout", iamAttempt);
        positive("authorizer.refresher.iam-call-timeout", iamCall);
        positive("authorizer.refresher.s3-attempt-timeout", s3Attempt);
        positive("authorizer.refresher.organizations-timeout", organizations);
        positive("authorizer.refresher.api-gateway-timeout", apiGateway);
        if (iamCall.compareTo(iamAttempt) < 0) {
            throw new IllegalArgumentException("authorizer.refresher.iam-call-timeout (" + iamCall
                    + ") is shorter than one attempt (" + iamAttempt + ")");
        }
    }

    /** {@code value}, or an {@link IllegalArgumentException} naming the setting when it is not positive. */
    static Duration positive(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, not " + value);
        }
        return value;
    }
}
