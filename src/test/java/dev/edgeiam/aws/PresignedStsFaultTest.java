package dev.edgeiam.aws;

import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentityOutcome;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.Presign;
import dev.edgeiam.identity.PresignedStsAuthenticator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presigned {@code GetCallerIdentity} ({@link StsCallerIdentityClient} → {@link PresignedStsAuthenticator} →
 * {@link CallerIdentityResolver}) while a loopback endpoint plays STS and fails in scripted ways. Every fault must
 * give a refusal within the deadline — {@code Unavailable} (or {@code Rejected} for STS's 4xx answers), never a
 * {@code Caller}, never an exception — and a failed answer must not be cached: after recovery the same URL is sent
 * to STS again (counted at the endpoint) and accepted, and the accepted answer is then cached.
 */
class PresignedStsFaultTest {

    static final String OK = """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn>
                <UserId>AIDAALICE</UserId><Account>123456789012</Account></GetCallerIdentityResult>
              <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>""";
    static final String THROTTLING = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
            <Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>""";

    static final Duration TIMEOUT = Duration.ofMillis(700);
    static final Duration DEADLINE = Duration.ofMillis(2500);
    static final Duration TEST_BOUND = Duration.ofSeconds(20);

    FaultyEndpoint sts;
    CallerIdentityResolver resolver;
    String url;

    @BeforeEach
    void wire() throws IOException {
        sts = new FaultyEndpoint(action -> FaultyEndpoint.xml(200, OK));
        StsCallerIdentityClient client = StsCallerIdentityClient.create(TIMEOUT,
                Map.of("AWS_ENDPOINT_URL_STS", sts.uri().toString())::get);
        resolver = new CallerIdentityResolver(null, null, null, new PresignedStsAuthenticator(
                IdentitySettings.defaults(), client, null, Clock.systemUTC()));
        url = Presign.fake("https://sts.amazonaws.com", Instant.now(), Duration.ofSeconds(300));
    }

    @AfterEach
    void close() {
        sts.close();
    }

    record Timed(IdentityOutcome outcome, long millis) {
    }

    Timed resolve() {
        long start = System.nanoTime();
        IdentityOutcome outcome = resolver.resolve(url);
        return new Timed(outcome, (System.nanoTime() - start) / 1_000_000);
    }

    Timed refusedInTime(String fault, Class<? extends IdentityOutcome> expected) {
        Timed t = resolve();
        System.out.printf("[sts-fault] %-24s %s in %d ms%n", fault, t.outcome(), t.millis());
        assertInstanceOf(expected, t.outcome(), fault);
        assertTrue(t.millis() < DEADLINE.toMillis(), fault + " took " + t.millis() + " ms");
        return t;
    }

    void recovers(String fault) {
        int before = sts.requests();
        assertInstanceOf(IdentityOutcome.Caller.class, resolve().outcome(), fault + ": after recovery");
        assertEquals(before + 1, sts.requests(), fault + ": the failed answer was not cached");
        assertInstanceOf(IdentityOutcome.Caller.class, resolve().outcome());
        assertEquals(before + 1, sts.requests(), fault + ": the good answer is cached");
    }

    void faultThenRecovery(String name, FaultyEndpoint.Reply fault, Class<? extends IdentityOutcome> expected) {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            sts.failEverything(fault);
            refusedInTime(name, expected);
            int n = sts.requests();
            refusedInTime(name + " (again)", expected);
            assertEquals(n + 1, sts.requests(), name + ": asked again, not answered from a cache");
            sts.healthy();
            recovers(name);
        });
    }

    @Test
    void throttling() {
        // STS throttles with HTTP 400: the client maps every 4xx to a rejection (401), not to Unavailable.
        faultThenRecovery("Throttling 400", FaultyEndpoint.xml(400, THROTTLING), IdentityOutcome.Rejected.class);
    }

    @Test
    void serverError500() {
        faultThenRecovery("500", FaultyEndpoint.xml(500, ""), IdentityOutcome.Unavailable.class);
    }

    @Test
    void unavailable503() {
        faultThenRecovery("503", FaultyEndpoint.xml(503, "<ErrorResponse/>"), IdentityOutcome.Unavailable.class);
    }

    @Test
    void malformedXml() {
        faultThenRecovery("malformed XML", FaultyEndpoint.xml(200, "<GetCallerIdentityResponse><Arn>"),
                IdentityOutcome.Unavailable.class);
    }

    @Test
    void truncatedBody() {
        faultThenRecovery("truncated body", FaultyEndpoint.truncated(200, "text/xml", OK),
                IdentityOutcome.Unavailable.class);
    }

    @Test
    void slowBeyondTheDeadline() {
        faultThenRecovery("slow (4 s)", FaultyEndpoint.slow(Duration.ofSeconds(4), FaultyEndpoint.xml(200, OK)),
                IdentityOutcome.Unavailable.class);
    }

    @Test
    void slowDripBody() {
        // Each byte arrives within the socket timeout, the whole answer does not arrive within the deadline.
        FaultyEndpoint.Reply drip = ex -> {
            byte[] bytes = OK.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/xml");
            ex.sendResponseHeaders(200, bytes.length);
            OutputStream out = ex.getResponseBody();
            long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            try {
                for (int i = 0; i < bytes.length && System.nanoTime() < until; i++) {
                    out.write(bytes[i]);
                    out.flush();
                    Thread.sleep(TIMEOUT.toMillis() / 2);
                }
            } catch (InterruptedException | IOException e) {
                return;
            }
        };
        faultThenRecovery("slow drip", drip, IdentityOutcome.Unavailable.class);
    }

    @Test
    void stsDown() {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            sts.down();
            refusedInTime("down (closed port)", IdentityOutcome.Unavailable.class);
            refusedInTime("down (closed port, again)", IdentityOutcome.Unavailable.class);
            sts.up();
            recovers("down");
        });
    }
}
