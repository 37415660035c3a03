package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * The packaged function started as Lambda starts a SnapStart version: the runtime interface client, with
 * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} and the managed runtime's {@code org.crac} context, runs the
 * function's beforeCheckpoint hooks after the init, asks the Runtime API for {@code restore/next}, runs the
 * afterRestore hooks and only then polls for events. Checked: priming ran through the client's own CRaC context and
 * decided real requests on the authorizer path (a verified token's Allow and an explicit Deny in each format), and the
 * restored function then answers a real request with the live issuer, policy source and caches.
 */
class SnapStartPackagedIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void primingRunsBeforeTheSnapshotAndTheRestoredFunctionAnswers() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (LocalLambdaRuntime runtime = LocalLambdaRuntime.startPackagedWithDevIssuer(
                Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"), output)) {
            Invocation invocation = runtime.invoke(Files.readAllBytes(Path.of("events", "rest-request.json")),
                    Duration.ofSeconds(120));
            String log = text(output);
            assertFalse(invocation.error(), () -> invocation.bodyText() + "\n" + log);
            JsonNode answer = JSON.readTree(invocation.body());
            assertEquals("Allow", answer.path("policyDocument").path("Statement").path(0).path("Effect").asText(),
                    answer.toString());
            assertTrue(runtime.restoreNanos() > 0, "the client asked for restore/next after the hooks\n" + log);
            assertTrue(runtime.restoreNanos() < runtime.firstPollNanos(), "restored before the first poll");
            String priming = primingLine(log);
            for (String decided : new String[] {"AuthorizerPath:REQUEST:Allow:allowed=3",
                    "AuthorizerPath:REQUEST:Deny:explicit-deny=3", "AuthorizerPath:TOKEN:Allow:allowed=3",
                    "AuthorizerPath:HTTP 2.0:Allow:allowed=3", "AuthorizerPath:HTTP 2.0:Deny:explicit-deny=3"}) {
                assertTrue(priming.contains(decided), decided + " in " + priming);
            }
            assertFalse(priming.contains("failed"), priming);
        }
    }

    private static String primingLine(String log) {
        for (String line : log.split("\n")) {
            if (line.contains("SnapStart priming:")) {
                return line;
            }
        }
        throw new AssertionError("no priming line in the runtime's output:\n" + log);
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }
}
