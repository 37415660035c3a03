package dev.edgeiam.aws;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Drops API Gateway's cached authorizer results for REST API stages ({@code FlushStageAuthorizersCache}), so the
 * next request of every caller is authorized again with the account view in force. HTTP APIs have no such call:
 * their cached results live until the authorizer's TTL. The call
 * ({@code DELETE /restapis/{restapi_id}/stages/{stage_name}/cache/authorizers},
 * https://docs.aws.amazon.com/apigateway/latest/api/API_FlushStageAuthorizersCache.html) is signed and sent by
 * {@link SignedAwsCall}, not the AWS SDK's API Gateway module (3 MB on the class path for this one call); any 2xx
 * answer is a flush, anything else a failure.
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

    private final SignedAwsCall apiGateway;
    private final List<Stage> stages;

    public StageCacheFlusher(SignedAwsCall apiGateway, List<Stage> stages) {
        this.apiGateway = Objects.requireNonNull(apiGateway, "apiGateway");
        this.stages = List.copyOf(stages);
    }

    /**
     * The signed {@code FlushStageAuthorizersCache} call for the API Gateway endpoint of {@code region}.
     *
     * @param endpointOverride null for the AWS endpoint (FIPS or dual-stack as the SDK's settings ask,
     *                         {@link ServiceEndpoint})
     * @param timeout          the whole call's deadline (the SDK's default, legacy, retries inside it: the client this
     *                         replaced had them)
     * @param wrap             a last say on the HTTP client (X-Ray); identity for none
     */
    public static SignedAwsCall client(Region region, URI endpointOverride, AwsCredentialsProvider credentials,
                                       Duration timeout, java.util.function.UnaryOperator<SdkHttpClient> wrap) {
        return new SignedAwsCall("apigateway", "API Gateway", region,
                ServiceEndpoint.API_GATEWAY.resolve(region, endpointOverride,
                        ServiceEndpoint.Variant.fromSdkSettings()), credentials, timeout,
                SignedAwsCall.Retries.LEGACY, wrap);
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
                SignedAwsCall.Answer answer = apiGateway.send(SdkHttpMethod.DELETE, "/restapis/"
                        + SdkHttpUtils.urlEncode(stage.restApiId()) + "/stages/"
                        + SdkHttpUtils.urlEncode(stage.stageName()) + "/cache/authorizers");
                if (answer.status() / 100 == 2) {
                    flushed.add(stage.toString());
                } else {
                    failed.add(stage + ": HTTP " + answer.status()
                            + (answer.errorType() != null ? " " + answer.errorType() : ""));
                }
            } catch (IOException e) {
                failed.add(stage + ": " + e.getMessage());
            }
        }
        return new Flushed(flushed, failed);
    }
}
