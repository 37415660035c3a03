package dev.edgeiam.gateway;

import java.util.Map;

/**
 * What an API Gateway Lambda authorizer event tells about the request, whatever its format (API Gateway
 * Developer Guide, "Input to an API Gateway Lambda authorizer", "Working with AWS Lambda authorizers for HTTP
 * APIs", WebSocket {@code $connect}). A REST {@code TOKEN} event carries only the token and the method ARN;
 * everything else is then empty. Header names are lower-cased (HTTP header names are case-insensitive).
 *
 * @param format        which event format it was
 * @param methodArn     {@code methodArn} (REST, WebSocket) or {@code routeArn} (HTTP API 2.0)
 * @param httpMethod    the request method, or null (TOKEN, WebSocket)
 * @param resource      the matched resource template, e.g. {@code /users/{InstanceId}/{UserId}}, or null
 * @param path          the request path without the stage, or null
 * @param token         the TOKEN event's {@code authorizationToken}, or null
 * @param identitySources HTTP API 2.0 {@code identitySource} values joined by {@code ,}, or null
 */
public record AuthorizerRequest(Format format, MethodArn methodArn, String httpMethod, String resource, String path,
                                String token, String identitySources, Map<String, String> headers,
                                Map<String, String> queryParameters, Map<String, String> pathParameters,
                                Map<String, String> stageVariables, String sourceIp, String userAgent,
                                long requestTimeEpochMillis, String requestId, boolean secureTransport) {

    /** The four authorizer event formats. */
    public enum Format {
        REST_TOKEN("TOKEN"),
        REST_REQUEST("REQUEST"),
        HTTP_V2("HTTP 2.0"),
        WEBSOCKET_CONNECT("WebSocket $connect");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public AuthorizerRequest {
        headers = Map.copyOf(headers);
        queryParameters = Map.copyOf(queryParameters);
        pathParameters = Map.copyOf(pathParameters);
        stageVariables = Map.copyOf(stageVariables);
    }

    /** A header by case-insensitive name, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
