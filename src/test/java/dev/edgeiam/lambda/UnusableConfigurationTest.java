package dev.edgeiam.lambda;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.parsing.Parser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * SECURITY.md's claim, tested: a configuration the function cannot use (here the {@code s3} policy source without
 * its bucket) does not crash the function or loop on start-up — every event that needs the authorizer's services is
 * answered {@code ConfigurationError}, through the real handler and Quarkus' mock Lambda event server, while events
 * that need none (ValidatePolicy) are still answered.
 */
@QuarkusTest
@TestProfile(UnusableConfigurationTest.MissingSnapshot.class)
class UnusableConfigurationTest {

    /** The s3 source names no bucket. */
    public static class MissingSnapshot implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("authorizer.policy-source", "s3");
        }
    }

    private static io.restassured.response.ValidatableResponse invoke(String event) {
        return given().contentType("application/json").body(event).when().post("/_lambda_").then()
                .using().defaultParser(Parser.JSON).statusCode(200);
    }

    @Test
    void authorizerEventsAreRefusedWithConfigurationError() throws IOException {
        for (String sample : new String[]{"rest-request.json", "rest-token.json", "http-v2-request.json", "websocket-connect.json"}) {
            Path file = Path.of("events", sample);
            invoke(Files.readString(file))
                    .body("errorCode", equalTo("ConfigurationError"))
                    .body("message", containsString("configuration is unusable"))
                    .body("message", not(containsString("bucket"))); // the problem's detail stays in the log
        }
    }

    @Test
    void eventsThatNeedNoServicesAreStillAnswered() {
        invoke("{\"ValidatePolicy\": {\"policyDocument\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}\"}}")
                .body("errorCode", not(equalTo("ConfigurationError")));
    }
}
