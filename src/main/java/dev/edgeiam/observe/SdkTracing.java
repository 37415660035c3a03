package dev.edgeiam.observe;

import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.regions.Region;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Turns every AWS SDK call of a client into an X-Ray subsegment ({@link XRaySubsegments}) while the invocation is
 * sampled: registered on each SDK client the function builds (IAM, STS, Amazon Connect, S3, Organizations, API
 * Gateway) with {@code overrideConfiguration(o -> o.addExecutionInterceptor(...))} — explicitly, not through the
 * SDK's class-path interceptor discovery, so the native image needs no reflection for it. One subsegment per API
 * call (retries included), timed from the first attempt to the final answer.
 */
public final class SdkTracing implements ExecutionInterceptor {

    /** What a call remembers from its start: the invocation's trace and when it began (epoch millis). */
    private record Started(TraceHeader trace, long millis) {
    }

    private final XRaySubsegments sender;
    private final Supplier<TraceHeader> trace;
    /**
     * One attribute per interceptor, not a static one: the SDK keeps a process-wide registry of attribute names and
     * refuses a second attribute of the same name, which a static field would make in every class loader that
     * initialises this class (the build-time state checks do). The function makes one interceptor per instance.
     */
    private final ExecutionAttribute<Started> started;

    public SdkTracing(XRaySubsegments sender, Supplier<TraceHeader> trace) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.trace = Objects.requireNonNull(trace, "trace");
        this.started = new ExecutionAttribute<>("edgeiam.xray." + java.util.UUID.randomUUID());
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        TraceHeader t = trace.get();
        if (t.traceable()) {
            attributes.putAttribute(started, new Started(t, System.currentTimeMillis()));
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        String requestId = response instanceof AwsResponse r && r.responseMetadata() != null
                ? r.responseMetadata().requestId() : null;
        finish(attributes, context.httpResponse().statusCode(), requestId, false);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof SdkServiceException e) {
            finish(attributes, e.statusCode(), e.requestId(), e.isThrottlingException());
        } else {
            finish(attributes, context.httpResponse().map(r -> r.statusCode()).orElse(0), null, false);
        }
    }

    private void finish(ExecutionAttributes attributes, int status, String requestId, boolean throttled) {
        Started s = attributes.getAttribute(started);
        if (s == null) {
            return;
        }
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        sender.send(s.trace(), new XRaySubsegments.Call(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), region == null ? null : region.id(),
                requestId, status, throttled, s.millis() / 1000.0, System.currentTimeMillis() / 1000.0));
    }
}
