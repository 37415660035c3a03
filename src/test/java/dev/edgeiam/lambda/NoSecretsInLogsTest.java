package dev.edgeiam.lambda;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every sample event (tokens, a malformed token, policy documents) goes through the real handler while every log
 * record of the application is captured; no record may contain a token, a signature or a policy document.
 */
@QuarkusTest
class NoSecretsInLogsTest {

    private final List<String> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (records) {
                records.add(r.getMessage() + " " + (r.getParameters() == null ? "" : List.of(r.getParameters()))
                        + " " + (r.getThrown() == null ? "" : r.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void attach() {
        Logger.getLogger("").addHandler(capture);
        // the invocation line has its own handler and does not reach the root's
        Logger.getLogger(AuthorizerFunction.INVOCATION_LOG).addHandler(capture);
        Logger.getLogger(AuthorizerFunction.METRICS_LOG).addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger(AuthorizerFunction.INVOCATION_LOG).removeHandler(capture);
        Logger.getLogger(AuthorizerFunction.METRICS_LOG).removeHandler(capture);
    }

    @Test
    void noTokenSignatureOrPolicyDocumentIsLogged() throws IOException {
        List<String> secrets = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            for (Path file : files.sorted().toList()) {
                String event = Files.readString(file);
                given().contentType("application/json").body(event).when().post("/_lambda_");
                for (String token : tokensIn(event)) {
                    secrets.add(token);
                    secrets.add(token.substring(token.lastIndexOf('.') + 1)); // the signature alone
                }
            }
        }
        // a tampered token (rejected) and a policy document must not be echoed either
        String forged = secrets.get(0).substring(0, secrets.get(0).length() - 4) + "AAAA";
        given().contentType("application/json").body("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer " + forged
                + "\",\"methodArn\":\"arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/GET/x\"}")
                .when().post("/_lambda_");
        secrets.add(forged);
        secrets.add("\"Statement\"");
        secrets.add("OwnAgentRecord\",\"Effect");
        List<String> logged;
        synchronized (records) {
            logged = List.copyOf(records);
        }
        assertTrue(logged.stream().anyMatch(l -> l.contains("\"eventKind\":\"Authorizer\"")),
                "the invocation lines were captured: " + logged.size() + " records");
        assertTrue(logged.stream().anyMatch(l -> l.contains("\"_aws\"") && l.contains("\"Decisions\":1")),
                "the metrics lines were captured: " + logged.size() + " records");
        for (String secret : secrets) {
            for (String line : logged) {
                assertFalse(line.contains(secret), "a log record contains a secret: " + line);
            }
        }
    }

    /** The JWTs carried by an event (three base64url parts starting with eyJ). */
    private static List<String> tokensIn(String text) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")
                .matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
