package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * The packaged {@code target/function.zip}, run by the AWS Lambda Runtime Interface Client exactly as
 * {@code run-local.sh} runs it: a missing class, a wrong handler name or a lost configuration fails here.
 */
class PackagedFunctionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ByteArrayOutputStream RUNTIME_OUTPUT = new ByteArrayOutputStream();
    private static LocalLambdaRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = LocalLambdaRuntime.start(
                Path.of(System.getProperty("lambda.function.zip", "target/function.zip")),
                Path.of(System.getProperty("lambda.ric.dir", "target/lambda-ric")),
                RUNTIME_OUTPUT);
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static JsonNode invoke(String event) throws Exception {
        Invocation invocation;
        try {
            invocation = runtime.invoke(event.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\nruntime output:\n" + runtimeOutput(), e);
        }
        assertFalse(invocation.error(), () -> "function error: " + invocation.bodyText());
        return JSON.readTree(invocation.body());
    }

    private static String runtimeOutput() {
        synchronized (RUNTIME_OUTPUT) {
            return RUNTIME_OUTPUT.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void unrecognizedEventIsAnsweredByThePackagedHandler() throws Exception {
        JsonNode response = invoke("{\"type\": \"UNKNOWN\"}");

        assertEquals("UnrecognizedEvent", response.path("errorCode").asText(), response.toString());
    }

    @Test
    void invalidJsonIsAnsweredNotThrown() throws Exception {
        JsonNode response = invoke("{\"SimulateCustomPolicy\": ");

        assertEquals("InvalidInput", response.path("errorCode").asText(), response.toString());
    }

    @Test
    void simulateCustomPolicyIsRoutedToTheSimulator() throws Exception {
        JsonNode response = invoke("{\"SimulateCustomPolicy\": {\"PolicyInputList\": [], \"ActionNames\": []}}");

        // Routed (not UnrecognizedEvent) and answered as data; what the simulator decides is tested elsewhere.
        assertTrue(response.has("EvaluationResults") || response.has("errorCode"), response.toString());
        assertFalse("UnrecognizedEvent".equals(response.path("errorCode").asText()), response.toString());
    }

    @Test
    void eachInvocationLogsOneJsonLine() throws Exception {
        invoke("{\"type\": \"LOG-CHECK\"}");

        String logged = runtimeOutput();
        assertTrue(logged.lines().anyMatch(line -> line.startsWith("{\"requestId\":")
                        && line.contains("\"eventKind\":\"Unrecognized\"") && line.contains("\"latencyMicros\":")),
                () -> "no invocation log line in:\n" + logged);
    }

    @Test
    void everyLineTheFunctionWritesIsOneJsonObjectAndTheMetricsLineIsEmf() throws Exception {
        invoke(java.nio.file.Files.readString(Path.of("events/rest-request.json")));
        String logged = runtimeOutput();
        java.util.List<String> lines = logged.lines().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(line);
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON line: " + line + "\nall output:\n" + logged, e);
            }
            assertTrue(parsed.isObject(), line);
        }
        assertFalse(logged.contains("__  ____  __"), "no banner");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"_aws\":") && l.contains("\"Decision\":\"Allow\"")
                && l.contains("\"Decisions\":1")), () -> "no EMF line for the decision in:\n" + logged);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"loggerName\":") && l.contains("\"level\":")),
                () -> "framework lines are JSON-formatted:\n" + logged);
    }

    @Test
    void restRequestSampleIsAllowedFromTheEmbeddedAccount() throws Exception {
        JsonNode response = invoke(java.nio.file.Files.readString(Path.of("events/rest-request.json")));

        assertEquals("Allow", response.at("/context/decision").asText(), response.toString());
        assertEquals("connect:DescribeUser", response.at("/context/action").asText(), response.toString());
        assertEquals("Allow", response.at("/policyDocument/Statement/0/Effect").asText(), response.toString());
    }

    @Test
    void simulatePrincipalPolicyReadsTheEmbeddedAccount() throws Exception {
        JsonNode response = invoke(java.nio.file.Files.readString(Path.of("events/simulate-principal-policy.json")));

        assertEquals("allowed", response.at("/EvaluationResults/0/EvalDecision").asText(), response.toString());
    }
}
