package dev.edgeiam.lambda;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;

/**
 * The real handler, driven through Quarkus' mock Lambda event server: each POST to {@code /_lambda_} is one
 * invocation, and the HTTP response body is exactly what the function returned (200) or its error (500).
 */
@QuarkusTest
class AuthorizerFunctionTest {

    private static ValidatableResponse invoke(String event) {
        return given()
                .contentType("application/json")
                .body(event)
                .when()
                .post("/_lambda_")
                .then()
                // The runtime poll loop posts the function's bytes back without a JSON content type, so the mock
                // event server answers with whatever type it got; the body is the function's JSON either way.
                .using().defaultParser(Parser.JSON)
                .statusCode(200);
    }

    @Test
    void unrecognizedEvent() {
        invoke("{\"type\": \"UNKNOWN\", \"hello\": \"world\"}")
                .body("errorCode", equalTo("UnrecognizedEvent"))
                .body("message", containsString("SimulateCustomPolicy"));
    }

    @Test
    void invalidJsonReportsLineAndColumn() {
        invoke("{\n  \"SimulateCustomPolicy\": {\n    \"ActionNames\": [\"connect:DescribeUser\",]\n  }\n}")
                .body("errorCode", equalTo("InvalidInput"))
                .body("message", matchesPattern("event is not valid JSON at 3:\\d+ \\(line:column\\)"))
                .body("location.line", org.hamcrest.Matchers.equalTo(3));
    }

    @Test
    void oversizedEvent() {
        String event = "{\"SimulateCustomPolicy\": {\"CallerArn\": \"" + "x".repeat(100) + "\"}}";
        invoke(event + " ".repeat(256 * 1024 + 1 - event.length()))
                .body("errorCode", equalTo("InvalidInput"))
                .body("message", equalTo("event exceeds 262144 bytes"));
    }

    @Test
    void simulateCustomPolicyAllowsDescribeUser() {
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"DescribeAgents","Effect":"Allow",\
                "Action":"connect:DescribeUser",\
                "Resource":"arn:aws:connect:eu-west-2:111122223333:instance/*/agent/*"}]}""";
        String event = """
                {"SimulateCustomPolicy": {
                  "PolicyInputList": [%s],
                  "ActionNames": ["connect:DescribeUser"],
                  "ResourceArns": ["arn:aws:connect:eu-west-2:111122223333:instance/1b3c5d7e-0000-4000-8000-000000000001/agent/2c4e6f80-0000-4000-8000-000000000002"]
                }}""".formatted(quote(policy));

        invoke(event)
                .body("errorCode", nullValue())
                .body("EvaluationResults", hasSize(1))
                .body("EvaluationResults[0].EvalActionName", equalTo("connect:DescribeUser"))
                .body("EvaluationResults[0].EvalDecision", equalTo("allowed"));
    }

    @Test
    void malformedPolicyIsAnErrorResponseNotAnInvocationFailure() {
        invoke("{\"SimulateCustomPolicy\": {\"PolicyInputList\": [\"{\\\"Statement\\\": 42\"], "
                + "\"ActionNames\": [\"connect:DescribeUser\"]}}")
                .body("errorCode", allOf(notNullValue(), matchesPattern("[A-Za-z]+")))
                .body("message", notNullValue())
                .body("EvaluationResults", nullValue());
    }

    /** The policy document as a JSON string literal, as IAM's PolicyInputList carries it. */
    private static String quote(String json) {
        return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
