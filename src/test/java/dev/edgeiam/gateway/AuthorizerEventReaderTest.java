package dev.edgeiam.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented example events of each authorizer format are recognised and read field by field. */
class AuthorizerEventReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode event(String name) throws IOException {
        try (InputStream in = AuthorizerEventReaderTest.class.getResourceAsStream("/apigateway/" + name)) {
            return JSON.readTree(in);
        }
    }

    @Test
    void restToken() throws IOException {
        JsonNode e = event("rest-token.json");
        assertTrue(AuthorizerEventReader.isAuthorizerEvent(e));
        AuthorizerRequest r = AuthorizerEventReader.read(e);
        assertEquals(dev.edgeiam.authorize.EventFormat.REST_TOKEN, r.format());
        assertTrue(r.token().startsWith("Bearer "));
        assertEquals("GET", r.methodArn().verb());
        assertEquals("/users/0a1b2c3d-1111-2222-3333-444455556666/9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff",
                r.methodArn().path());
        assertEquals("arn:aws:execute-api:eu-west-2:111122223333:k7p2q9x4zd/prod", r.methodArn().stagePrefix());
        assertFalse(r.queryKnown(), "a TOKEN event carries no query string");
        assertFalse(r.headersKnown(), "a TOKEN event carries no headers");
        assertNull(r.sourceIp());
    }

    @Test
    void restRequest() throws IOException {
        AuthorizerRequest r = AuthorizerEventReader.read(event("rest-request.json"));
        assertEquals(dev.edgeiam.authorize.EventFormat.REST_REQUEST, r.format());
        assertEquals("GET /users/{InstanceId}/{UserId}", r.routeKey());
        assertEquals("198.51.100.23", r.sourceIp());
        assertEquals("example-client/1.0", r.userAgent());
        assertEquals(1795860942123L, r.requestTimeEpochMillis());
        assertTrue(r.queryKnown());
        assertEquals(List.of("50"), r.query().all("maxResults"));
        assertTrue(r.header("Authorization").startsWith("Bearer "));
    }

    @Test
    void httpV2() throws IOException {
        AuthorizerRequest r = AuthorizerEventReader.read(event("http-v2-request.json"));
        assertEquals(dev.edgeiam.authorize.EventFormat.HTTP_V2, r.format());
        assertEquals("$default", r.methodArn().stage());
        assertEquals("GET /users/{InstanceId}/{UserId}", r.routeKey());
        assertTrue(r.identitySourceValues().get(0).startsWith("Bearer "));
        assertEquals("r3m8w1v6ty", r.methodArn().apiId());
    }

    @Test
    void webSocketConnect() throws IOException {
        AuthorizerRequest r = AuthorizerEventReader.read(event("websocket-connect.json"));
        assertEquals(dev.edgeiam.authorize.EventFormat.WEBSOCKET_CONNECT, r.format());
        assertEquals("$connect", r.methodArn().verb());
        assertTrue(r.methodArn().webSocket());
        assertEquals("198.51.100.23", r.sourceIp());
        assertFalse(r.credentialQuery().get("token").isEmpty());
        assertFalse(r.query().all("token").isEmpty());
    }

    @Test
    void otherEventsAreNotAuthorizerEvents() throws IOException {
        assertFalse(AuthorizerEventReader.isAuthorizerEvent(JSON.readTree("{\"SimulateCustomPolicy\":{}}")));
        assertFalse(AuthorizerEventReader.isAuthorizerEvent(JSON.readTree("{\"type\":\"TOKEN\"}")));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> AuthorizerEventReader.read(
                JSON.readTree("{\"type\":\"TOKEN\",\"methodArn\":\"arn:aws:s3:::bucket\",\"authorizationToken\":\"secret-token\"}")));
        assertFalse(bad.getMessage().contains("secret-token"));
    }

    @Test
    void policyResponseHasTheDocumentedShape() throws IOException {
        AnswerContext context = new AnswerContext("Allow", "allowed", "allowed", "connect:DescribeUser", "",
                "arn:aws:iam::111122223333:user/alice", "", "", null, "ROUTES");
        GatewayPolicy p = new GatewayPolicy(List.of("arn:aws:execute-api:eu-west-2:111122223333:k7p2q9x4zd/prod/GET/*"),
                List.of("arn:aws:execute-api:eu-west-2:111122223333:k7p2q9x4zd/prod/DELETE/*"),
                GatewayPolicy.Scope.ROUTES, "", List.of());
        byte[] written = AuthorizerResponses.policy("arn:aws:iam::111122223333:user/alice", p, context).bytes();
        JsonNode out = JSON.readTree(written);
        org.junit.jupiter.api.Assertions.assertArrayEquals(JSON.writeValueAsBytes(out), written,
                "compact JSON, members in the documented order");
        assertEquals(JSON.readTree("""
                {"principalId":"arn:aws:iam::111122223333:user/alice",
                 "policyDocument":{"Version":"2012-10-17","Statement":[
                   {"Effect":"Allow","Action":"execute-api:Invoke",
                    "Resource":"arn:aws:execute-api:eu-west-2:111122223333:k7p2q9x4zd/prod/GET/*"},
                   {"Effect":"Deny","Action":"execute-api:Invoke",
                    "Resource":"arn:aws:execute-api:eu-west-2:111122223333:k7p2q9x4zd/prod/DELETE/*"}]},
                 "context":{"decision":"Allow","reason":"allowed","category":"allowed","action":"connect:DescribeUser",
                  "resource":"","principalArn":"arn:aws:iam::111122223333:user/alice","sid":"","policyId":"",
                  "cacheScope":"ROUTES"}}"""), out);
        JsonNode denyAll = JSON.readTree(AuthorizerResponses.policy("anonymous",
                new GatewayPolicy(List.of(), List.of(), GatewayPolicy.Scope.REQUEST, "", List.of()), context).bytes());
        assertEquals("Deny", denyAll.at("/policyDocument/Statement/0/Effect").asText());
        assertEquals("*", denyAll.at("/policyDocument/Statement/0/Resource").asText());
        JsonNode simple = JSON.readTree(AuthorizerResponses.simple(true, context).bytes());
        assertTrue(simple.get("isAuthorized").isBoolean());
    }
}
