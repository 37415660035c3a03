package dev.edgeiam.lambda.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs after the whole unit suite (failsafe, {@code verify}) and scans everything it printed —
 * {@code target/surefire-reports/*-output.txt}, one file per test class that wrote anything, application logs
 * included — for secrets: signed tokens (the sample events' and every token the tests mint), presigned URL
 * signatures, private keys and policy documents in the authorizer's log lines.
 */
class LogScanIT {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{20,}");

    @Test
    void theSuiteLogsNoTokenSignatureKeyOrPolicyDocument() throws IOException {
        Path reports = Path.of("target/surefire-reports");
        assertTrue(Files.isDirectory(reports), "run after the unit tests (mvn verify)");
        List<Path> outputs;
        try (Stream<Path> files = Files.list(reports)) {
            outputs = files.filter(p -> p.getFileName().toString().endsWith("-output.txt")).sorted().toList();
        }
        assertFalse(outputs.isEmpty(), "no test output was captured in " + reports);
        List<String> problems = new ArrayList<>();
        long lines = 0;
        long invocationLines = 0;
        for (Path file : outputs) {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < all.size(); i++) {
                String line = all.get(i);
                lines++;
                if (line.contains("\"logType\":\"invocation\"") && line.contains("\"eventKind\":\"Authorizer\"")) {
                    invocationLines++;
                }
                Matcher jwt = JWT.matcher(line);
                if (jwt.find()) {
                    problems.add(file.getFileName() + ":" + (i + 1) + " a signed token");
                }
                if (line.contains("X-Amz-Signature=")) {
                    problems.add(file.getFileName() + ":" + (i + 1) + " a presigned URL signature");
                }
                if (line.contains("PRIVATE KEY")) {
                    problems.add(file.getFileName() + ":" + (i + 1) + " a private key");
                }
                if (line.contains("\"eventKind\"") && line.contains("\"Statement\"")) {
                    problems.add(file.getFileName() + ":" + (i + 1) + " a policy document in an invocation line");
                }
            }
        }
        assertTrue(lines > 100, "too little output to be the whole suite: " + lines + " lines");
        // not met by fuzzing or library output alone: the function itself answered authorizer events through the
        // Quarkus harness, and its audit lines were among what was scanned
        assertTrue(invocationLines >= 20, "too few of the function's own authorizer invocation lines were scanned ("
                + invocationLines + "): the scan would not see a secret the handler logs");
        assertTrue(problems.isEmpty(), problems.size() + " secrets in the suite's output, e.g. "
                + problems.subList(0, Math.min(10, problems.size())));
    }
}
