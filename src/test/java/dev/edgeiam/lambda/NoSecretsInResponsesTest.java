package dev.edgeiam.lambda;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SECURITY.md's claim about responses, tested: what the function answers (authorizer policies and their context,
 * simulator and validator results, errors — including the {@code Unauthorized} failure) never carries a token, a
 * signature or a policy document, for every sample event and a tampered token, through the real handler.
 */
@QuarkusTest
class NoSecretsInResponsesTest {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    @Test
    void noTokenSignatureOrPolicyDocumentIsAnswered() throws IOException {
        List<String> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("events"))) {
            for (Path file : files.sorted().toList()) {
                events.add(Files.readString(file));
            }
        }
        List<String> tokens = new ArrayList<>();
        events.forEach(e -> {
            Matcher m = JWT.matcher(e);
            while (m.find()) {
                tokens.add(m.group());
            }
        });
        assertTrue(tokens.size() >= 2, "the sample events carry tokens: " + tokens.size());
        String forged = tokens.get(0).substring(0, tokens.get(0).length() - 4) + "AAAA";
        events.add("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer " + forged
                + "\",\"methodArn\":\"arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/GET/x\"}");
        List<String> secrets = new ArrayList<>();
        for (String token : tokens) {
            secrets.add(token);
            secrets.add(token.substring(token.lastIndexOf('.') + 1));
        }
        secrets.add(forged);
        // an IAM policy document (the caller's, or one given to the simulator or validator): an authorizer's own
        // policy names only execute-api:Invoke and has no condition
        secrets.add("\"Action\":\"connect:");
        secrets.add("\"Action\":[\"connect:");
        secrets.add("\"Condition\"");
        secrets.add("\\\"Action\\\""); // the same, inside a JSON string (a policy passed as text)
        secrets.add("\\\"Statement\\\"");
        int answered = 0;
        for (String event : events) {
            String body = given().contentType("application/json").body(event).when().post("/_lambda_").then()
                    .extract().asString();
            answered += body.isEmpty() ? 0 : 1;
            for (String secret : secrets) {
                assertFalse(body.contains(secret), "a response carries a secret: " + body);
            }
        }
        assertTrue(answered >= events.size() - 1, "every event was answered (" + answered + "/" + events.size() + ")");
    }
}
