package dev.edgeiam.lambda;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart hooks through the CRaC API: the function registers them with {@code org.crac.Core.getGlobalContext()}
 * at start-up, and {@code org.crac.Core.checkpointRestore()} runs them as Lambda does before a snapshot and after a
 * restore. A JDK without CRaC makes that context inert, so the test classpath carries a small {@code jdk.crac}
 * (test-only, {@code src/test/java/jdk/crac}) that notifies resources the way a CRaC JDK does without checkpointing
 * the process. Checked: priming loads and decides the bundled account's principals through the real dispatcher
 * without an error, the restore drops what must be fresh per instance, and the function then answers a real event.
 */
@QuarkusTest
class SnapStartPrimingTest {

    @Inject
    SnapStartPriming priming;

    @Inject
    LambdaBeans.AuthorizerServices services;

    @Test
    void hooksRunThroughTheGlobalContextAndLeaveTheFunctionAnswering() throws Exception {
        assertTrue(jdk.crac.Core.registered() >= 1, "registered with org.crac.Core.getGlobalContext() at start-up");

        long credentialMisses = services.gateway().credentialCacheMisses();
        long credentialHits = services.gateway().credentialCacheHits();
        SnapStartPriming.Report report = priming.prime();
        assertTrue(report.principals() >= 4, "every principal of the bundled account: " + report);
        // 5 events through the dispatcher besides the principals', and 6 events x 3 rounds through the authorizer path
        assertEquals(report.principals() + 5 + 18, report.events(), report.toString());
        assertEquals(3, report.outcomes().get(SnapStartPriming.AUTHORIZER_PATH + "REQUEST:Allow:allowed"),
                report.toString());
        assertEquals(3, report.outcomes().get(SnapStartPriming.AUTHORIZER_PATH + "REQUEST:Deny:explicit-deny"),
                report.toString());
        assertEquals(3, report.outcomes().get(SnapStartPriming.AUTHORIZER_PATH + "TOKEN:Allow:allowed"),
                report.toString());
        // the authorizer path ran on a copy of its own: the live function saw only the three malformed credentials
        // priming sends it (each looked up once), none of the 18 tokens the copy verified
        int live = report.outcomes().getOrDefault("Authorizer:Unauthorized", 0)
                + report.outcomes().getOrDefault("Authorizer:ok", 0);
        assertEquals(3, live, report.toString());
        assertEquals(credentialMisses + live, services.gateway().credentialCacheMisses());
        assertEquals(credentialHits, services.gateway().credentialCacheHits());
        assertFalse(report.outcomes().keySet().stream().anyMatch(k -> k.contains("InternalError")
                || k.contains("ConfigurationError")), report.toString());
        assertTrue(services.cache().size() >= report.principals(), "principals compiled into the cache");

        org.crac.Core.checkpointRestore(); // beforeCheckpoint (primes again), then afterRestore
        assertEquals(0, services.cache().size(), "nothing cached before the snapshot decides after the restore");

        String event = Files.readString(Path.of("events", "rest-request.json"));
        given().contentType("application/json").body(event).when().post("/_lambda_").then()
                .using().defaultParser(Parser.JSON).statusCode(200)
                .body("policyDocument.Statement[0].Effect", equalTo("Allow"));
    }

    /**
     * What must not outlive a snapshot is dropped by the restore: a credential verified before it is verified
     * again after it (the verified-credential cache), and the Amazon Connect tag source — its cached tags and its
     * client — is created anew on the next look-up.
     */
    @Test
    void theRestoreForgetsVerifiedCredentialsAndTheTagSource() throws Exception {
        String event = Files.readString(Path.of("events", "rest-request.json"));
        GatewayAuthorizer gateway = services.gateway();
        invokeAllowed(event);
        long hits = gateway.credentialCacheHits();
        invokeAllowed(event);
        assertEquals(hits + 1, gateway.credentialCacheHits(), "the second request reuses the verified credential");
        services.tags().source(); // the tag source and its client exist (no call made)
        assertTrue(services.tags().created());

        org.crac.Core.checkpointRestore();
        assertFalse(services.tags().created(), "the tag source, its cache and its client are dropped");
        long misses = gateway.credentialCacheMisses();
        invokeAllowed(event);
        assertEquals(hits + 1, gateway.credentialCacheHits(), "not answered from before the snapshot");
        assertEquals(misses + 1, gateway.credentialCacheMisses(), "verified again after the restore");
    }

    private static void invokeAllowed(String event) {
        given().contentType("application/json").body(event).when().post("/_lambda_").then()
                .using().defaultParser(Parser.JSON).statusCode(200)
                .body("policyDocument.Statement[0].Effect", equalTo("Allow"));
    }

    @Test
    void primingWritesNoInvocationLine() {
        // the dispatcher is called directly: no invocation line (and so no audit record) for events no client sent
        java.util.List<String> lines = new java.util.ArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                synchronized (lines) {
                    lines.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger invocations = java.util.logging.Logger.getLogger(AuthorizerFunction.INVOCATION_LOG);
        invocations.addHandler(capture);
        try {
            SnapStartPriming.Report report = priming.prime();
            assertTrue(report.outcomes().keySet().stream().anyMatch(k -> k.startsWith("Authorizer")), report.toString());
        } finally {
            invocations.removeHandler(capture);
        }
        synchronized (lines) {
            assertEquals(java.util.List.of(), lines);
        }
    }
}
