package dev.edgeiam.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.MDC;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.edgeiam.lambda.EventDispatcher.Dispatch;
import dev.edgeiam.observe.Telemetry;

/**
 * The Lambda entry point ({@code quarkus.lambda.handler=authorizer}). JSON bytes in, JSON bytes out, so the response
 * is exactly what {@link EventDispatcher} produced. No exception reaches the Lambda runtime, except the
 * deliberate {@link UnauthorizedException} that tells API Gateway to answer 401 for a missing or invalid
 * credential (its documented convention for Lambda authorizers).
 *
 * <p>Writes two JSON lines per invocation ({@link Telemetry}): the invocation (audit) line on the
 * {@value #INVOCATION_LOG} category — request id, cold start, trace id, event kind, outcome, latency and the
 * decision's fields — and the metrics line (CloudWatch Embedded Metric Format) on {@value #METRICS_LOG}. Never the
 * event, the response body, policy documents or tokens. While the event is answered, the MDC carries
 * {@code coldStart} and {@code traceId} (Quarkus adds {@code AWSRequestId}), so every other log line of the
 * invocation names them too.
 */
@Named("authorizer")
public class AuthorizerFunction implements RequestStreamHandler {

    static final String INVOCATION_LOG = "dev.edgeiam.lambda.invocation";
    static final String METRICS_LOG = "dev.edgeiam.lambda.metrics";

    private final EventDispatcher dispatcher;
    private final Telemetry telemetry;
    private final java.util.logging.Logger invocations;
    private final java.util.logging.Logger metrics;

    @Inject
    public AuthorizerFunction(EventDispatcher dispatcher, Telemetry telemetry) {
        this.dispatcher = dispatcher;
        this.telemetry = telemetry;
        this.invocations = JsonLineHandler.install(INVOCATION_LOG);
        this.metrics = JsonLineHandler.install(METRICS_LOG);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        long started = System.nanoTime();
        Telemetry.Started invocation = telemetry.start(context == null ? null : context.getAwsRequestId());
        MDC.put("coldStart", invocation.coldStart());
        if (invocation.trace().root() != null) {
            MDC.put("traceId", invocation.trace().root());
        }
        try {
            answer(input, output, started, invocation);
        } finally {
            MDC.remove("coldStart");
            MDC.remove("traceId");
        }
    }

    private void answer(InputStream input, OutputStream output, long started, Telemetry.Started invocation) {
        Dispatch dispatch = dispatcher.dispatch(input);
        String outcome = dispatch.outcome();
        String failure = dispatch.failure();
        try {
            dispatch.writeResponse(output); // from the writer's buffer when lent: this thread, before its next answer
            output.flush();
        } catch (IOException | RuntimeException e) {
            // Nothing left to answer with; the runtime reports an empty response, which API Gateway treats as a 500.
            outcome = "ResponseWriteFailed";
            failure = e.getClass().getName();
        }
        long latencyMicros = (System.nanoTime() - started) / 1_000;
        try {
            Telemetry.Lines lines = telemetry.finish(invocation, dispatch.kind().label(), outcome, latencyMicros,
                    failure, dispatch.logFields());
            invocations.info(lines.invocation());
            metrics.info(lines.metrics());
        } catch (RuntimeException e) {
            // The answer is written; a defect in the output must not turn it into an invocation error.
            invocations.severe("{\"logType\":\"invocation\",\"level\":\"ERROR\",\"failure\":\"telemetry: "
                    + e.getClass().getName() + "\"}");
        }
        if (dispatch.unauthorized()) {
            // API Gateway's REST and WebSocket authorizers answer 401 only for an invocation that fails with exactly
            // this message; the one deliberate exception this handler lets reach the runtime.
            throw new UnauthorizedException();
        }
    }

    /** The failure that makes API Gateway answer 401 Unauthorized (message must be exactly "Unauthorized"). */
    public static final class UnauthorizedException extends RuntimeException {
        public UnauthorizedException() {
            super("Unauthorized", null, false, false);
        }
    }
}
