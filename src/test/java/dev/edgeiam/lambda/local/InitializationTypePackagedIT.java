package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * The packaged function answers every sample event the same whatever {@code AWS_LAMBDA_INITIALIZATION_TYPE} says
 * (red-team pass 33): the SnapStart hooks are registered in every init but {@code on-demand} and
 * {@code provisioned-concurrency} ({@code InitializationType.neverSnapshotted}), and only a {@code snap-start} init runs
 * them — the runtime interface client's checkpoint, priming, restore — before the first event. Each event is sent twice
 * (cold, then through the caches); the answers are compared byte for byte with the {@code on-demand} start's.
 */
class InitializationTypePackagedIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void everyInitializationTypeAnswersAlike() throws Exception {
        Map<String, byte[]> events = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            for (Path f : files.sorted().toList()) {
                events.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertTrue(events.size() >= 10, "the sample events: " + events.keySet());
        List<String> reference = null;
        for (String type : new String[] {"on-demand", LocalLambdaRuntime.UNSET, "provisioned-concurrency",
                "snap-start", "lambda-managed-instances", ""}) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            List<String> answers = new ArrayList<>();
            long restored;
            try (LocalLambdaRuntime runtime = LocalLambdaRuntime.startPackagedWithDevIssuer(
                    Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", type), log)) {
                for (int round = 0; round < 2; round++) {
                    for (Map.Entry<String, byte[]> e : events.entrySet()) {
                        Invocation i = runtime.invoke(e.getValue(), TIMEOUT);
                        answers.add(round + " " + e.getKey() + " " + (i.error() ? "ERROR " + i.errorType() + " " : "")
                                + i.bodyText().replaceAll("\"requestId\":\"[^\"]*\"", "\"requestId\":\"-\""));
                    }
                }
                restored = runtime.restoreNanos();
            }
            String name = LocalLambdaRuntime.UNSET.equals(type) ? "(unset)" : "'" + type + "'";
            boolean primed = log.toString(StandardCharsets.UTF_8).contains("SnapStart priming");
            if (type.equals("snap-start")) {
                assertTrue(primed && restored != 0, "a snap-start init is primed and restored before the first event");
            } else {
                assertFalse(primed || restored != 0, name + ": no checkpoint, so no priming and no restore");
            }
            if (reference == null) {
                reference = answers;
            } else {
                for (int k = 0; k < answers.size(); k++) {
                    assertEquals(reference.get(k), answers.get(k), name + " answers as an on-demand start does");
                }
            }
        }
    }
}
