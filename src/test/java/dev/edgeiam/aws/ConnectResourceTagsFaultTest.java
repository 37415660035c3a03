package dev.edgeiam.aws;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.principal.MutableClock;

import dev.edgeiam.authorize.RouteAuthorization;
import dev.edgeiam.authorize.RouteAuthorizer;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConnectResourceTags} (client as production builds it: the signed call, three attempts, a short
 * call timeout) under {@link RouteAuthorizer}, while a loopback endpoint plays Amazon Connect's
 * {@code ListTagsForResource} and fails in scripted ways. The policy denies on a tag value, so a lookup that failed
 * silently would allow: every fault must be a Deny {@code resource-tags-unavailable} within the deadline, no
 * exception, and nothing cached — after recovery the next decision asks Connect again and is allowed.
 */
class ConnectResourceTagsFaultTest {

    static final String ACCOUNT = "123456789012";
    static final String INSTANCE_ID = "a1b2c3d4-5678-90ab-cdef-example11111";
    static final Duration TIMEOUT = Duration.ofMillis(700);
    static final Duration DEADLINE = Duration.ofMillis(2500);
    static final Duration TEST_BOUND = Duration.ofSeconds(20);
    static final List<ContextValue> KEYS = List.of(ContextValue.single("aws:RequestedRegion", "us-east-1"));
    static final CompiledPolicySet DENY_BLUE = CompiledPolicySet.builder().identity(CompiledPolicy.compile(
            PolicyParser.parse("""
                    {"Version":"2012-10-17","Statement":[
                      {"Effect":"Allow","Action":"connect:*","Resource":"*"},
                      {"Effect":"Deny","Action":"connect:*","Resource":"*",
                       "Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}}]}""",
                    PolicyType.MANAGED, "p"))).build();

    FaultyEndpoint connect;
    SignedAwsCall client;
    ConnectResourceTags tags;
    RouteAuthorizer authorizer;
    Optional<RouteMatch> describeInstance;

    @BeforeEach
    void wire() throws IOException {
        connect = new FaultyEndpoint(action -> FaultyEndpoint.status(200, "application/json",
                "{\"tags\":{\"team\":\"red\"}}"));
        client = ConnectResourceTags.client(Region.US_EAST_1, connect.uri(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")), true, TIMEOUT);
        tags = new ConnectResourceTags(client, new MutableClock(), Duration.ofMinutes(5), 100);
        authorizer = new RouteAuthorizer(ConnectCatalog.defaultCatalog(), tags, false);
        describeInstance = RouteTable.defaultTable().match("GET", "/instance/" + INSTANCE_ID, Map.of(),
                ArnContext.of("us-east-1", ACCOUNT));
    }

    @AfterEach
    void close() {
        client.close();
        connect.close();
    }

    record Timed(RouteAuthorization decision, long millis) {
    }

    Timed decide() {
        long start = System.nanoTime();
        RouteAuthorization r = authorizer.authorize(describeInstance, DENY_BLUE, KEYS);
        return new Timed(r, (System.nanoTime() - start) / 1_000_000);
    }

    void deniedInTime(String fault) {
        Timed t = decide();
        System.out.printf("[connect-fault] %-22s allowed=%s %s in %d ms%n", fault, t.decision().allowed(),
                t.decision().reason(), t.millis());
        assertEquals(false, t.decision().allowed(), fault);
        assertEquals(Reason.RESOURCE_TAGS_UNAVAILABLE, t.decision().reason(), fault);
        assertTrue(t.millis() < DEADLINE.toMillis(), fault + " took " + t.millis() + " ms");
    }

    void recovers(String fault) {
        int before = connect.requests();
        assertTrue(decide().decision().allowed(), fault + ": after recovery");
        assertEquals(before + 1, connect.requests(), fault + ": the failed lookup was not cached");
        assertTrue(decide().decision().allowed());
        assertEquals(before + 1, connect.requests(), fault + ": the good lookup is cached");
        assertEquals(1, tags.cachedEntries());
    }

    void faultThenRecovery(String name, FaultyEndpoint.Reply fault) {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            connect.failEverything(fault);
            deniedInTime(name);
            deniedInTime(name + " (again)");
            assertEquals(0, tags.cachedEntries(), name + ": nothing cached");
            connect.healthy();
            recovers(name);
        });
    }

    static FaultyEndpoint.Reply jsonError(int status, String type) {
        return ex -> {
            ex.getResponseHeaders().set("x-amzn-ErrorType", type);
            FaultyEndpoint.write(ex, status, "application/json", "{\"message\":\"" + type + "\"}");
        };
    }

    @Test
    void healthyLookupAllowsOnceAndIsCached() {
        assertTimeoutPreemptively(TEST_BOUND, () -> recovers("healthy"));
    }

    @Test
    void throttling() {
        faultThenRecovery("Throttling 429", jsonError(429, "ThrottlingException"));
    }

    @Test
    void serverError500() {
        faultThenRecovery("500", jsonError(500, "InternalServiceException"));
    }

    @Test
    void unavailable503() {
        faultThenRecovery("503", jsonError(503, "ServiceUnavailableException"));
    }

    @Test
    void malformedJson() {
        faultThenRecovery("malformed JSON", FaultyEndpoint.status(200, "application/json", "{\"tags\":{\"team\":"));
    }

    @Test
    void wrongShape() {
        faultThenRecovery("tags not an object", FaultyEndpoint.status(200, "application/json", "{\"tags\":[1,2]}"));
    }

    @Test
    void duplicateTagKey() {
        // two readings of one tag: a parser keeping either value could let a Deny on the other pass
        faultThenRecovery("duplicate tag key", FaultyEndpoint.status(200, "application/json",
                "{\"tags\":{\"team\":\"red\",\"team\":\"blue\"}}"));
    }

    @Test
    void duplicateTagsMember() {
        faultThenRecovery("duplicate tags member", FaultyEndpoint.status(200, "application/json",
                "{\"tags\":{\"team\":\"red\"},\"tags\":{\"team\":\"blue\"}}"));
    }

    @Test
    void contentAfterTheAnswer() {
        faultThenRecovery("trailing content", FaultyEndpoint.status(200, "application/json",
                "{\"tags\":{\"team\":\"red\"}} {\"tags\":{\"team\":\"blue\"}}"));
    }

    @Test
    void tagValueNotAString() {
        faultThenRecovery("tag value a number", FaultyEndpoint.status(200, "application/json",
                "{\"tags\":{\"team\":7}}"));
    }

    @Test
    void tagsNull() {
        faultThenRecovery("tags null", FaultyEndpoint.status(200, "application/json", "{\"tags\":null}"));
    }

    @Test
    void answerNotAnObject() {
        faultThenRecovery("answer an array", FaultyEndpoint.status(200, "application/json", "[]"));
    }

    @Test
    void emptyAnswer() {
        faultThenRecovery("empty 200", FaultyEndpoint.status(200, "application/json", ""));
    }

    @Test
    void accessDenied() {
        faultThenRecovery("403 AccessDenied", jsonError(403, "AccessDeniedException"));
    }

    @Test
    void resourceNotFound() {
        faultThenRecovery("404 ResourceNotFound", jsonError(404, "ResourceNotFoundException"));
    }

    @Test
    void otherSuccessStatus() {
        faultThenRecovery("204 without body", FaultyEndpoint.status(204, "application/json", ""));
    }

    @Test
    void truncatedBody() {
        faultThenRecovery("truncated body", FaultyEndpoint.truncated(200, "application/json",
                "{\"tags\":{\"team\":\"red\",\"cost\":\"center-1\"}}"));
    }

    @Test
    void slowBeyondTheDeadline() {
        faultThenRecovery("slow (4 s)", FaultyEndpoint.slow(Duration.ofSeconds(4),
                FaultyEndpoint.status(200, "application/json", "{\"tags\":{}}")));
    }

    @Test
    void connectDown() {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            connect.down();
            deniedInTime("down (closed port)");
            deniedInTime("down (closed port, again)");
            assertEquals(0, tags.cachedEntries());
            connect.up();
            recovers("down");
        });
    }
}
