package dev.edgeiam.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Drops API Gateway's cached authorizer results for REST API stages ({@code FlushStageAuthorizersCache}), so the
 * next request of every caller is authorized again with the account view in force. HTTP APIs have no such call:
 * their cached results live until the authorizer's TTL.
 */
public final class StageCacheFlusher {

    /** A REST API stage, written {@code restApiId/stageName}. */
    public record Stage(String restApiId, String stageName) {
        public Stage {
            Objects.requireNonNull(restApiId, "restApiId");
            Objects.requireNonNull(stageName, "stageName");
        }

        /** Reads {@code restApiId/stageName}. */
        public static Stage parse(String text) {
            String t = text.strip();
            int slash = t.indexOf('/');
            if (slash <= 0 || slash == t.length() - 1 || t.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("a REST API stage is written restApiId/stageName, not " + text);
            }
            return new Stage(t.substring(0, slash), t.substring(slash + 1));
        }

        @Override
        public String toString() {
            return restApiId + "/" + stageName;
        }
    }

    /** What one round of flushes did: the stages flushed and those that failed (with why). */
    public record Flushed(List<String> flushed, List<String> failed) {
    }

    private final ApiGatewayClient apiGateway;
    private final List<Stage> stages;

    public StageCacheFlusher(ApiGatewayClient apiGateway, List<Stage> stages) {
        this.apiGateway = apiGateway;
        this.stages = List.copyOf(stages);
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Flushes every stage; a failure is reported, not thrown (the other stages are still flushed). */
    public Flushed flushAll() {
        List<String> flushed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (Stage stage : stages) {
            try {
                apiGateway.flushStageAuthorizersCache(r -> r.restApiId(stage.restApiId()).stageName(stage.stageName()));
                flushed.add(stage.toString());
            } catch (SdkException e) {
                failed.add(stage + ": " + e.getMessage());
            }
        }
        return new Flushed(flushed, failed);
    }
}
