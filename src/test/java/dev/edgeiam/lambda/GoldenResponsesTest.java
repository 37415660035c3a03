package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact response JSON for each deterministic sample event, through the real handler and the mock event server,
 * compared with {@code src/test/resources/golden/<event>.json}. After a deliberate change of a response, rewrite the
 * files with {@code -Dgolden.update=true} and review the diff.
 */
@QuarkusTest
class GoldenResponsesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> EVENTS = List.of("rest-request", "rest-request-full", "rest-token",
            "rest-request-other-agent",
            "rest-request-custom-route", "http-v2-request", "websocket-connect", "simulate-custom-policy",
            "simulate-principal-policy", "validate-policy", "expand-actions");

    @TestFactory
    List<DynamicTest> responsesMatchTheGoldenFiles() {
        return EVENTS.stream().map(name -> DynamicTest.dynamicTest(name, () -> check(name))).toList();
    }

    private static void check(String name) throws IOException {
        String event = Files.readString(Path.of("events", name + ".json"));
        String body = given().contentType("application/json").body(event).when().post("/_lambda_").then()
                .statusCode(200).extract().asString();
        JsonNode actual = JSON.readTree(body);
        Path golden = Path.of("src/test/resources/golden", name + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
        }
        assertTrue(Files.exists(golden), "missing golden file " + golden + " (run with -Dgolden.update=true)");
        assertEquals(JSON.readTree(golden.toFile()), actual, name + ": response differs from " + golden);
    }
}
