package dev.edgeiam.lambda;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

/**
 * Every sample event in {@code events/} through the real handler and Quarkus' mock Lambda event server: API Gateway
 * authorizer events (REST TOKEN and REQUEST, HTTP API 2.0, WebSocket $connect) with the TEST-ONLY development
 * issuer, the direct-invoke events and the EventBridge events, against the bundled sample account.
 */
@QuarkusTest
class AuthorizerEventsTest {

    private static final String STAGE = "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod";
    private static final String INSTANCE = "a1b2c3d4-5678-90ab-cdef-example11111";

    private static String event(String name) throws IOException {
        return Files.readString(Path.of("events", name + ".json"));
    }

    private static ValidatableResponse invoke(String event, int status) {
        return given().contentType("application/json").body(event).when().post("/_lambda_").then()
                .using().defaultParser(Parser.JSON).statusCode(status);
    }

    @Test
    void restRequestAllowsTheAgentOwnRecordWithARouteLevelPolicy() throws IOException {
        invoke(event("rest-request"), 200)
                .body("principalId", equalTo("arn:aws:sts::111122223333:assumed-role/ConnectAgentWebRole/agent-carol"))
                .body("policyDocument.Version", equalTo("2012-10-17"))
                .body("policyDocument.Statement[0].Effect", equalTo("Allow"))
                .body("policyDocument.Statement[0].Action", equalTo("execute-api:Invoke"))
                .body("context.decision", equalTo("Allow"))
                .body("context.reason", equalTo("allowed"))
                .body("context.action", equalTo("connect:DescribeUser"))
                .body("context.resource", equalTo("arn:aws:connect:us-east-1:111122223333:instance/" + INSTANCE
                        + "/agent/carol-agent-0001"))
                .body("context.sid", equalTo("OwnAgentRecord"))
                .body("context.principalArn", startsWith("arn:aws:sts::111122223333:assumed-role/"));
    }

    @Test
    void restRequestDeniesAnotherAgentsRecord() throws IOException {
        invoke(event("rest-request-other-agent"), 200)
                .body("context.decision", equalTo("Deny"))
                .body("context.reason", equalTo("no-identity-allow"))
                .body("policyDocument.Statement.Effect", hasItem("Deny"));
    }

    @Test
    void restTokenIsAnsweredLikeTheRequestEvent() throws IOException {
        invoke(event("rest-token"), 200)
                .body("context.decision", equalTo("Allow"))
                .body("context.action", equalTo("connect:DescribeUser"));
    }

    @Test
    void customRouteMappingFromConfiguration() throws IOException {
        // %test.authorizer.custom-routes[0]: POST /v1/agents/{id}/status -> connect:PutUserStatus on the agent ARN
        invoke(event("rest-request-custom-route"), 200)
                .body("context.decision", equalTo("Allow"))
                .body("context.action", equalTo("connect:PutUserStatus"))
                .body("context.resource", equalTo("arn:aws:connect:us-east-1:111122223333:instance/" + INSTANCE
                        + "/agent/carol-agent-0001"));
    }

    @Test
    void missingTokenIsUnauthorized() throws IOException {
        invoke(event("rest-token-missing"), 500)
                .body("errorMessage", equalTo("Unauthorized"));
    }

    @Test
    void httpApiAllowsListingQueues() throws IOException {
        invoke(event("http-v2-request"), 200)
                .body("context.decision", equalTo("Allow"))
                .body("context.action", equalTo("connect:ListQueues"))
                .body("policyDocument.Statement[0].Effect", equalTo("Allow"));
    }

    @Test
    void webSocketConnectWithoutAMappingIsDenied() throws IOException {
        invoke(event("websocket-connect"), 200)
                .body("context.decision", equalTo("Deny"))
                .body("context.reason", equalTo("unmapped-route"))
                .body("policyDocument.Statement[0].Resource",
                        equalTo("arn:aws:execute-api:us-east-1:111122223333:w9s4k2j7hb/prod/$connect"));
    }

    @Test
    void simulatePrincipalPolicyUsesTheBundledAccount() throws IOException {
        invoke(event("simulate-principal-policy"), 200)
                .body("EvaluationResults", hasSize(2))
                .body("EvaluationResults[0].EvalDecision", equalTo("allowed"))
                .body("EvaluationResults[1].EvalDecision", equalTo("implicitDeny"));
    }

    @Test
    void validatePolicyFindsTheTypoAndTheNotActionAllow() throws IOException {
        invoke(event("validate-policy"), 200)
                .body("findings.issueCode", hasItem("INVALID_ACTION"))
                .body("findings.findingType", hasItem("SECURITY_WARNING"));
    }

    @Test
    void expandActions() throws IOException {
        invoke(event("expand-actions"), 200)
                .body("actions", hasItem("connect:DescribeUser"))
                .body("actions", hasItem("connect:DescribeUserHierarchyGroup"));
    }

    @Test
    void scheduledRefreshReloadsTheSnapshot() throws IOException {
        invoke(event("scheduled-refresh"), 200)
                .body("event", equalTo("ScheduledRefresh"))
                .body("snapshotReloaded", equalTo(true));
    }

    @Test
    void iamChangeDropsTheAffectedUser() throws IOException {
        invoke(event("simulate-principal-policy"), 200); // carol is now cached
        invoke(event("iam-change"), 200)
                .body("event", equalTo("IamChange"))
                .body("eventName", equalTo("AttachUserPolicy"))
                .body("principalsDropped", equalTo(1))
                .body("target", containsString("carol"));
    }
}
