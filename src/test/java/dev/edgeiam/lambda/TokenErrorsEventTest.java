package dev.edgeiam.lambda;

import dev.edgeiam.identity.DevTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Correctly signed tokens (TEST-ONLY development key) whose NumericDate claims are out of range, through the real
 * handler as a REST {@code TOKEN} event: the function fails with {@code Unauthorized} (API Gateway: 401), never with
 * an internal error (API Gateway: 500).
 */
@QuarkusTest
class TokenErrorsEventTest {

    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod/GET/users/"
            + "a1b2c3d4-5678-90ab-cdef-example11111/carol-agent-0001";

    @ParameterizedTest
    @ValueSource(strings = {"\"exp\":1e30", "\"exp\":-1e30", "\"exp\":9223372036854775807",
            "\"exp\":4102444800,\"iat\":-1e30", "\"exp\":4102444800,\"nbf\":1e400", "\"exp\":\"4102444800\""})
    void outOfRangeTimesAreUnauthorized(String times) {
        String token = DevTokens.signPayload("{\"iss\":\"" + DevTokens.ISSUER + "\",\"aud\":\"" + DevTokens.AUDIENCE
                + "\",\"sub\":\"agent-carol\",\"https://aws.amazon.com/role\":"
                + "\"arn:aws:iam::111122223333:role/connect/ConnectAgentWebRole\"," + times + "}");
        String event = "{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer " + token + "\",\"methodArn\":\""
                + METHOD_ARN + "\"}";
        given().contentType("application/json").body(event).when().post("/_lambda_").then()
                .using().defaultParser(Parser.JSON).statusCode(500)
                .body("errorMessage", equalTo("Unauthorized"));
    }
}
