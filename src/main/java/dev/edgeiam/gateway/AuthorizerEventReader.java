package dev.edgeiam.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Recognises API Gateway authorizer events by shape and reads them into {@link AuthorizerRequest}:
 * {@code "type": "TOKEN"} → REST TOKEN; {@code "version": "2.0"} with {@code routeArn} → HTTP API payload 2.0;
 * {@code "type": "REQUEST"} whose {@code requestContext.eventType} is {@code CONNECT} → WebSocket {@code $connect};
 * other {@code "type": "REQUEST"} with {@code methodArn} → REST REQUEST (also HTTP API payload 1.0).
 */
public final class AuthorizerEventReader {

    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ENGLISH);

    private AuthorizerEventReader() {
    }

    /** Whether the event has the shape of an authorizer event (it may still be invalid). */
    public static boolean isAuthorizerEvent(JsonNode event) {
        if (event == null || !event.isObject()) {
            return false;
        }
        String type = event.path("type").asText("");
        return (type.equals("TOKEN") || type.equals("REQUEST"))
                && (event.hasNonNull("methodArn") || event.hasNonNull("routeArn"));
    }

    /** Reads the event; throws {@link IllegalArgumentException} naming what is wrong (never echoing tokens). */
    public static AuthorizerRequest read(JsonNode event) {
        String type = event.path("type").asText("");
        if (type.equals("TOKEN")) {
            MethodArn arn = MethodArn.parse(text(event, "methodArn"));
            JsonNode token = event.get("authorizationToken");
            return new AuthorizerRequest(AuthorizerRequest.Format.REST_TOKEN, arn, null, null, null,
                    token != null && token.isTextual() ? token.asText() : null, null, Map.of(), Map.of(), Map.of(),
                    Map.of(), null, null, 0L, null, true);
        }
        if (!type.equals("REQUEST")) {
            throw new IllegalArgumentException("authorizer event type must be TOKEN or REQUEST");
        }
        JsonNode ctx = event.path("requestContext");
        Map<String, String> headers = lowerCaseKeys(event.path("headers"));
        if ("2.0".equals(event.path("version").asText())) {
            MethodArn arn = MethodArn.parse(text(event, "routeArn"));
            JsonNode http = ctx.path("http");
            String identity = null;
            if (event.path("identitySource").isArray()) {
                StringBuilder b = new StringBuilder();
                for (JsonNode v : event.get("identitySource")) {
                    b.append(b.length() == 0 ? "" : ",").append(v.asText());
                }
                identity = b.toString();
            }
            String routeKey = event.path("routeKey").asText("");
            String resource = routeKey.contains(" ") ? routeKey.substring(routeKey.indexOf(' ') + 1) : null;
            return new AuthorizerRequest(AuthorizerRequest.Format.HTTP_V2, arn, http.path("method").asText(null),
                    resource, arn.path(), null, identity, headers, strings(event.path("queryStringParameters")),
                    strings(event.path("pathParameters")), strings(event.path("stageVariables")),
                    http.path("sourceIp").asText(null), http.path("userAgent").asText(null),
                    ctx.path("timeEpoch").asLong(0), ctx.path("requestId").asText(null), secure(headers));
        }
        MethodArn arn = MethodArn.parse(text(event, "methodArn"));
        JsonNode identity = ctx.path("identity");
        long time = ctx.path("requestTimeEpoch").asLong(0);
        if (time == 0 && ctx.hasNonNull("requestTime")) {
            time = parseRequestTime(ctx.get("requestTime").asText());
        }
        boolean webSocket = "CONNECT".equals(ctx.path("eventType").asText()) || arn.webSocket();
        if (webSocket) {
            return new AuthorizerRequest(AuthorizerRequest.Format.WEBSOCKET_CONNECT, arn, null, null, null, null,
                    null, headers, strings(event.path("queryStringParameters")), Map.of(),
                    strings(event.path("stageVariables")), identity.path("sourceIp").asText(null),
                    headers.get("user-agent"), time, ctx.path("requestId").asText(null), true);
        }
        return new AuthorizerRequest(AuthorizerRequest.Format.REST_REQUEST, arn,
                event.path("httpMethod").asText(arn.verb()), event.path("resource").asText(null),
                arn.path(), null, null, headers, strings(event.path("queryStringParameters")),
                strings(event.path("pathParameters")), strings(event.path("stageVariables")),
                identity.path("sourceIp").asText(null), identity.path("userAgent").asText(headers.get("user-agent")),
                time, ctx.path("requestId").asText(null), secure(headers));
    }

    /** API Gateway endpoints are HTTPS-only; a forwarded protocol other than https is taken at its word. */
    private static boolean secure(Map<String, String> headers) {
        String proto = headers.get("x-forwarded-proto");
        return proto == null || proto.equalsIgnoreCase("https");
    }

    private static long parseRequestTime(String text) {
        try {
            return ZonedDateTime.parse(text, REQUEST_TIME).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return 0L;
        }
    }

    private static String text(JsonNode event, String field) {
        JsonNode v = event.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return v.asText();
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        if (node != null && node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return out;
    }

    private static Map<String, String> lowerCaseKeys(JsonNode node) {
        Map<String, String> raw = strings(node);
        Map<String, String> out = new HashMap<>(raw.size() * 2);
        raw.forEach((k, v) -> out.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + "," + b));
        return out;
    }
}
