package dev.edgeiam.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgeiam.lambda.EventDispatcher.Dispatch;

/**
 * The Lambda entry point ({@code quarkus.lambda.handler=authorizer}). JSON bytes in, JSON bytes out, so the response
 * is exactly what {@link EventDispatcher} produced. No exception reaches the Lambda runtime, except the
 * deliberate {@link UnauthorizedException} that tells API Gateway to answer 401 for a missing or invalid
 * credential (its documented convention for Lambda authorizers).
 *
 * <p>Writes one JSON line per invocation to the {@value #INVOCATION_LOG} category: request id, event kind, outcome
 * and latency. Never the event, the response body, policy documents or tokens.
 */
@Named("authorizer")
public class AuthorizerFunction implements RequestStreamHandler {

    static final String INVOCATION_LOG = "dev.edgeiam.lambda.invocation";
    private static final Logger LOG = Logger.getLogger(INVOCATION_LOG);

    private final EventDispatcher dispatcher;

    @Inject
    public AuthorizerFunction(EventDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        long started = System.nanoTime();
        Dispatch dispatch = dispatcher.dispatch(input);
        String outcome = dispatch.outcome();
        String failure = dispatch.failure();
        try {
            output.write(dispatch.responseJson());
            output.flush();
        } catch (IOException | RuntimeException e) {
            // Nothing left to answer with; the runtime reports an empty response, which API Gateway treats as a 500.
            outcome = "ResponseWriteFailed";
            failure = e.getClass().getName();
        }
        long latencyMicros = (System.nanoTime() - started) / 1_000;
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("requestId", context == null ? null : context.getAwsRequestId());
        line.put("eventKind", dispatch.kind().label());
        line.put("outcome", outcome);
        line.put("latencyMicros", latencyMicros);
        if (failure != null) {
            line.put("failure", failure);
        }
        if (dispatch.logFields() != null) {
            line.setAll(dispatch.logFields());
        }
        LOG.info(line.toString());
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
