package dev.edgeiam.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The refresher's Lambda entry point: the same artifact as the authorizer, deployed as a second function with
 * {@code QUARKUS_LAMBDA_HANDLER=refresher}, wired to the EventBridge schedule and to IAM changes recorded by
 * CloudTrail ({@link ViewRefresher}). One JSON line per invocation on {@value AuthorizerFunction#INVOCATION_LOG}.
 *
 * <p>Unlike the authorizer, a refresh that failed (IAM, Organizations or S3 unreachable, every write lost to another
 * refresher) fails the invocation: EventBridge invokes Lambda asynchronously, and Lambda retries failed asynchronous
 * invocations (twice by default), so the change is not dropped. Authorizer instances meanwhile keep the last good view
 * within their staleness bound.
 */
@Named("refresher")
public class RefresherFunction implements RequestStreamHandler {

    private static final int MAX_EVENT_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final LambdaBeans.RefresherServices services;
    private final java.util.logging.Logger log;

    @Inject
    public RefresherFunction(LambdaBeans.RefresherServices services) {
        this.services = services;
        this.log = JsonLineHandler.install(AuthorizerFunction.INVOCATION_LOG);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        long started = System.nanoTime();
        ViewRefresher.Outcome outcome;
        try {
            byte[] bytes = input.readNBytes(MAX_EVENT_BYTES + 1);
            if (bytes.length > MAX_EVENT_BYTES) {
                outcome = new ViewRefresher.Outcome(EventDispatcher.error("InvalidInput",
                        "event larger than " + MAX_EVENT_BYTES + " bytes", null), false);
            } else if (services.refresher() == null) {
                outcome = new ViewRefresher.Outcome(EventDispatcher.error("ConfigurationError",
                        "the refresher's configuration is unusable (" + services.problem() + ")", null), true);
            } else {
                JsonNode event = JSON.readTree(bytes);
                outcome = services.refresher().refresh(event == null ? JsonNodeFactory.instance.objectNode() : event);
            }
        } catch (IOException e) {
            outcome = new ViewRefresher.Outcome(EventDispatcher.error("InvalidInput",
                    "the event is not JSON", null), false);
        }
        output.write(outcome.answer().toString().getBytes(StandardCharsets.UTF_8));
        output.flush();
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("requestId", context == null ? null : context.getAwsRequestId());
        line.put("eventKind", "refresh");
        line.put("latencyMicros", (System.nanoTime() - started) / 1_000);
        line.setAll(outcome.answer());
        log.info(line.toString());
        if (outcome.failed()) {
            throw new IllegalStateException(outcome.answer().path("message").asText("refresh failed"));
        }
    }
}
