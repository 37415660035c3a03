package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.aws.AccountViewPublisher;
import dev.edgeiam.aws.FaultyEndpoint;
import dev.edgeiam.aws.MotoServer;
import dev.edgeiam.aws.StageCacheFlusher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import dev.edgeiam.aws.SignedAwsCall;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refresher's event handling: the view is written (moto's IAM and S3), then API Gateway's authorizer caches are
 * flushed for every configured REST API stage, and once more after the instances' staleness bound.
 * {@code FlushStageAuthorizersCache} is not implemented by moto 5.2.1 (its server answers 404 for
 * {@code DELETE /restapis/{id}/stages/{stage}/cache/authorizers}), so API Gateway is a scripted loopback endpoint
 * ({@link FaultyEndpoint}) answering 202 as API Gateway does, or failing on demand; everything else is moto.
 */
class ViewRefresherTest {

    static final String BUCKET = "edgeiam-account-view";
    static final String KEY = "account-view.json";
    static final Duration MAX_STALE = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    static MotoServer moto;
    FaultyEndpoint apiGateway;
    S3Client s3;
    IamClient iam;
    SignedAwsCall apiGatewayClient;
    final List<Duration> slept = new ArrayList<>();
    final MotoServer.CallCounter iamCalls = new MotoServer.CallCounter();
    ViewRefresher refresher;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        moto.reset();
        s3 = moto.s3();
        s3.createBucket(r -> r.bucket(BUCKET));
        s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        iam = moto.iam(iamCalls);
        iam.createUser(r -> r.userName("carol"));
        apiGateway = new FaultyEndpoint(action -> FaultyEndpoint.status(202, "application/json", ""));
        apiGatewayClient = new SignedAwsCall("apigateway", "API Gateway", Region.EU_WEST_2, apiGateway.uri(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")),
                Duration.ofSeconds(5), SignedAwsCall.Retries.NONE, UnaryOperator.identity());
        AccountViewPublisher publisher = new AccountViewPublisher(iam, s3, null,
                new AccountViewPublisher.Settings(BUCKET, KEY, "123456789012", null, 5));
        StageCacheFlusher flusher = new StageCacheFlusher(apiGatewayClient,
                List.of(StageCacheFlusher.Stage.parse("a1b2c3/prod"), StageCacheFlusher.Stage.parse("d4e5f6/live")));
        refresher = new ViewRefresher(publisher, flusher, MAX_STALE, slept::add);
        iamCalls.take();
    }

    @AfterEach
    void tearDown() {
        apiGateway.close();
        apiGatewayClient.close();
    }

    static JsonNode event(String name) throws IOException {
        return JSON.readTree(Files.readString(Path.of("events", name)));
    }

    static JsonNode iamChange(String eventName, String errorCode) throws IOException {
        ObjectNode e = (ObjectNode) event("iam-change.json");
        ObjectNode detail = (ObjectNode) e.get("detail");
        detail.put("eventName", eventName);
        if (errorCode != null) {
            detail.put("errorCode", errorCode);
        }
        return e;
    }

    @Test
    void aWrittenViewIsFollowedByAFlushOfEveryStageAndAnotherAfterTheStalenessBound() throws Exception {
        ViewRefresher.Outcome first = refresher.refresh(event("iam-change.json"));
        assertFalse(first.failed());
        assertEquals("WRITTEN", first.answer().get("status").asText(), first.answer().toString());
        assertEquals(List.of(
                "DELETE /restapis/a1b2c3/stages/prod/cache/authorizers",
                "DELETE /restapis/d4e5f6/stages/live/cache/authorizers",
                "DELETE /restapis/a1b2c3/stages/prod/cache/authorizers",
                "DELETE /restapis/d4e5f6/stages/live/cache/authorizers"), apiGateway.requestLines());
        assertEquals(List.of(MAX_STALE), slept, "the second flush waits for the instances' max-stale");
        assertEquals("[\"a1b2c3/prod\",\"d4e5f6/live\"]", first.answer().get("reflushed").toString());
        assertEquals(Map.of("GetAccountAuthorizationDetails", 1, "ListOpenIDConnectProviders", 1), iamCalls.take());

        // The same event again: the account did not change, nothing is written and nothing flushed.
        ViewRefresher.Outcome again = refresher.refresh(event("iam-change.json"));
        assertEquals("UNCHANGED", again.answer().get("status").asText());
        assertEquals(4, apiGateway.requests());
    }

    @Test
    void aReadOrAFailedCallIsAcknowledgedWithoutAnyWork() throws Exception {
        for (JsonNode e : List.of(iamChange("GetUser", null), iamChange("AttachUserPolicy", "AccessDenied"))) {
            ViewRefresher.Outcome outcome = refresher.refresh(e);
            assertEquals("IGNORED", outcome.answer().get("status").asText());
        }
        assertEquals(0, iamCalls.total());
        assertEquals(0, apiGateway.requests());
        assertEquals(0, s3.listObjectVersions(r -> r.bucket(BUCKET)).versions().size());
    }

    @Test
    void aFailingFlushIsReportedButTheViewStaysWritten() throws Exception {
        apiGateway.failEverything(FaultyEndpoint.status(500, "application/json",
                "{\"message\":\"Internal server error\"}"));
        ViewRefresher.Outcome outcome = refresher.refresh(event("scheduled-refresh.json"));
        assertFalse(outcome.failed());
        assertEquals("WRITTEN", outcome.answer().get("status").asText());
        assertEquals(2, outcome.answer().get("flushFailures").size());
        assertTrue(outcome.answer().get("flushFailures").get(0).asText().startsWith("a1b2c3/prod: "));
    }

    @Test
    void aRefreshThatCannotWriteFailsTheInvocationSoLambdaRetriesIt() throws Exception {
        s3.deleteBucket(r -> r.bucket(BUCKET));
        ViewRefresher.Outcome outcome = refresher.refresh(event("scheduled-refresh.json"));
        assertTrue(outcome.failed());
        assertEquals("RefreshFailed", outcome.answer().get("errorCode").asText());
        assertEquals(0, apiGateway.requests());
    }

    @Test
    void otherEventsAreNotTheRefreshersBusiness() throws Exception {
        ViewRefresher.Outcome outcome = refresher.refresh(event("rest-request.json"));
        assertEquals("UnrecognizedEvent", outcome.answer().get("errorCode").asText());
        assertFalse(outcome.failed());
        assertEquals(0, iamCalls.total());
    }
}
