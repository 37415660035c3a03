package dev.edgeiam.gateway;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.EventFormat;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.connect.RouteTable;

import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Recognises API Gateway authorizer events by shape and reads them into {@link AuthorizerRequest}:
 * {@code "type": "TOKEN"} → REST TOKEN; {@code "version": "2.0"} with {@code routeArn} → HTTP API payload 2.0;
 * {@code "type": "REQUEST"} whose {@code requestContext.eventType} is {@code CONNECT} → WebSocket {@code $connect};
 * other {@code "type": "REQUEST"} with {@code methodArn} → REST REQUEST (with {@code "version": "1.0"}: HTTP API payload 1.0, read alike).
 *
 * <p>The query string is read with every value, as the back end receives it: REST and WebSocket events from
 * {@code multiValueQueryStringParameters} (their {@code queryStringParameters} keeps only the last value of a
 * repeated member), HTTP API events from {@code rawQueryString} (their {@code queryStringParameters} comma-joins
 * repeated values). Each is checked against API Gateway's own single-valued view; where the two disagree (a parser
 * difference, {@code +} read as a space, ...) the query counts as unknown rather than guessed.
 */
public final class AuthorizerEventReader {

    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ENGLISH);

    /**
     * Every member {@link #read} and {@link #isAuthorizerEvent} look at, as a tree: a member mapped to {@code null}
     * is kept whole, one mapped to a map is kept with only those members when it is an object (whole otherwise).
     * {@link #readPruned} keeps exactly these; {@code AuthorizerEventPruningTest} checks that {@link #read} gives
     * the same request from the pruned event as from the whole one.
     */
    private static final Map<String, Map<String, ?>> READ_MEMBERS = members(
            "type", null, "version", null, "methodArn", null, "routeArn", null, "authorizationToken", null,
            "headers", null, "multiValueHeaders", null, "queryStringParameters", null,
            "multiValueQueryStringParameters", null, "rawQueryString", null, "identitySource", null,
            "routeKey", null, "httpMethod", null, "resource", null,
            "requestContext", members(
                    "http", members("sourceIp", null, "userAgent", null),
                    "timeEpoch", null, "requestTimeEpoch", null, "requestTime", null, "requestId", null,
                    "eventType", null,
                    "identity", members("sourceIp", null, "userAgent", null, "vpceId", null)));

    private AuthorizerEventReader() {
    }

    /**
     * Reads an event from a parser positioned before its first token, keeping only the members this reader looks
     * at ({@link #READ_MEMBERS}) and skipping the rest without building them — the event's other members (path
     * parameters, stage variables, most of the request context) cost a pass of the tokenizer, not a tree. The
     * parser's own checks still apply to what is skipped (duplicate members, nesting depth, string length, syntax).
     * Kept values are built as the same node types Jackson's tree reader builds with default features
     * ({@code AuthorizerEventPruningTest} compares them node for node).
     *
     * @return the pruned event, or null when it is not plainly an authorizer event: not an object, a single member
     *         (which a direct-invoke request would be), trailing content, or not {@link #isAuthorizerEvent}. The
     *         caller then reads the whole event as a tree, which also gives the precise error for bad input.
     * @throws IOException when the parser fails (the caller reads the event again as a tree for the error)
     */
    public static JsonNode readPruned(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        int members = pruned(parser, READ_MEMBERS, event);
        if (members == 1 || parser.nextToken() != null || !isAuthorizerEvent(event)) {
            return null;
        }
        return event;
    }

    /**
     * Fills {@code out} with {@code keep}'s members of the object the parser is in (after its START_OBJECT) and
     * returns how many members the object has in all.
     */
    private static int pruned(JsonParser parser, Map<String, ?> keep, ObjectNode out) throws IOException {
        int members = 0;
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            members++;
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!keep.containsKey(name)) {
                skip(parser, value);
                continue;
            }
            if (keep.get(name) instanceof Map<?, ?> sub && value == JsonToken.START_OBJECT) {
                @SuppressWarnings("unchecked")
                Map<String, ?> subMembers = (Map<String, ?>) sub;
                pruned(parser, subMembers, out.putObject(name));
            } else {
                out.set(name, value(parser, value));
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonParseException(parser, "unexpected token " + t);
        }
        return members;
    }

    /**
     * Skips the value starting at the parser's current token {@code t} without building it, holding every string in
     * it to the parser's string-length limit: Jackson's own skip ({@code skipChildren}, or the next token after an
     * unread string) passes over a string without buffering it, so {@code maxStringLength} would never apply to a
     * skipped member (R11.1). Names, numbers, depth, duplicates and syntax are checked by the tokenizer either way.
     */
    private static void skip(JsonParser parser, JsonToken t) throws IOException {
        int depth = 0;
        while (true) {
            if (t == null) {
                throw new JsonParseException(parser, "unexpected end of input");
            }
            if (t == JsonToken.VALUE_STRING) {
                parser.streamReadConstraints().validateStringLength(parser.getTextLength());
            } else if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            }
            if (depth == 0) {
                return;
            }
            t = parser.nextToken();
        }
    }

    /**
     * The value starting at the parser's current token {@code t}, as the node Jackson's tree reader would build:
     * int, long or big-integer nodes by the literal's size, double nodes for fractions and exponents.
     */
    private static JsonNode value(JsonParser parser, JsonToken t) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (t) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                }
                if (next != JsonToken.END_OBJECT) {
                    throw new JsonParseException(parser, "unexpected token " + next);
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new JsonParseException(parser, "unexpected end of input in an array");
                    }
                    array.add(value(parser, next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return nodes.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return nodes.booleanNode(false);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new JsonParseException(parser, "unexpected token " + t);
        }
    }

    private static Map<String, Map<String, ?>> members(Object... nameAndSub) {
        Map<String, Map<String, ?>> out = new HashMap<>();
        for (int i = 0; i < nameAndSub.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, ?> sub = (Map<String, ?>) nameAndSub[i + 1];
            out.put((String) nameAndSub[i], sub);
        }
        return java.util.Collections.unmodifiableMap(out);
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
            return new AuthorizerRequest(EventFormat.REST_TOKEN, arn,
                    token != null && token.isTextual() ? token.asText() : null, Map.of(), Map.of(), Map.of(), false,
                    QueryParameters.NONE, false, null, null, 0L, null, null, null);
        }
        if (!type.equals("REQUEST")) {
            throw new IllegalArgumentException("authorizer event type must be TOKEN or REQUEST");
        }
        JsonNode ctx = event.path("requestContext");
        Map<String, String> singleHeaders = lowerCaseKeys(event.path("headers"));
        Map<String, String> singleQuery = strings(event.path("queryStringParameters"));
        if ("2.0".equals(event.path("version").asText())) {
            MethodArn arn = MethodArn.parse(text(event, "routeArn"));
            JsonNode http = ctx.path("http");
            List<String> identity = null;
            if (event.path("identitySource").isArray()) {
                identity = new ArrayList<>();
                for (JsonNode v : event.get("identitySource")) {
                    identity.add(v.asText());
                }
            }
            QueryParameters query = rawQuery(event.path("rawQueryString"));
            boolean queryKnown = query != null && agreesJoined(query, singleQuery);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            singleHeaders.forEach((k, v) -> headers.put(k, List.of(v)));
            return new AuthorizerRequest(EventFormat.HTTP_V2, arn, null, singleHeaders, singleQuery, headers, true,
                    queryKnown ? query : QueryParameters.NONE, queryKnown, http.path("sourceIp").asText(null),
                    http.path("userAgent").asText(null), ctx.path("timeEpoch").asLong(0),
                    event.path("routeKey").asText(null), identity, ctx.path("requestId").asText(null));
        }
        MethodArn arn = MethodArn.parse(text(event, "methodArn"));
        JsonNode identity = ctx.path("identity");
        long time = ctx.path("requestTimeEpoch").asLong(0);
        if (time == 0 && ctx.hasNonNull("requestTime")) {
            time = parseRequestTime(ctx.get("requestTime").asText());
        }
        QueryParameters query = multiValued(event.path("multiValueQueryStringParameters"));
        boolean queryKnown = query != null && agreesLast(query, singleQuery);
        Map<String, List<String>> headers = multiValuedHeaders(event.path("multiValueHeaders"), singleHeaders);
        boolean webSocket = "CONNECT".equals(ctx.path("eventType").asText()) || arn.webSocket();
        String agent = identity.path("userAgent").asText(null);
        String routeKey = webSocket ? "$connect" : event.path("httpMethod").asText(arn.verb()) + " "
                + event.path("resource").asText("");
        // HTTP API payload 1.0 mirrors the REST shape plus "version": "1.0" (only HTTP APIs send it)
        EventFormat format = webSocket ? EventFormat.WEBSOCKET_CONNECT
                : "1.0".equals(event.path("version").asText()) ? EventFormat.HTTP_V1 : EventFormat.REST_REQUEST;
        return new AuthorizerRequest(format, arn, null,
                singleHeaders, singleQuery, headers, true, queryKnown ? query : QueryParameters.NONE, queryKnown,
                viaVpcEndpoint(identity) ? null : identity.path("sourceIp").asText(null), agent, time, routeKey, null,
                ctx.path("requestId").asText(null));
    }

    /** {@code multiValueQueryStringParameters}: null/absent is an empty query; a non-object is unreadable (null). */
    private static QueryParameters multiValued(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return QueryParameters.NONE;
        }
        if (!node.isObject()) {
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (JsonNode v : e.getValue()) {
                if (!v.isValueNode() || v.isNull()) {
                    return null;
                }
                values.add(v.asText());
            }
            out.put(e.getKey(), values);
        }
        return new QueryParameters(out);
    }

    /** REST: the single-valued view keeps the last value of each member; anything else means the views disagree. */
    static boolean agreesLast(QueryParameters multi, Map<String, String> single) {
        if (!multi.values().keySet().equals(single.keySet())) {
            return false;
        }
        for (Map.Entry<String, List<String>> e : multi.values().entrySet()) {
            List<String> v = e.getValue();
            if (!v.get(v.size() - 1).equals(single.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** HTTP API: the single-valued view comma-joins the values of each member. */
    static boolean agreesJoined(QueryParameters multi, Map<String, String> single) {
        if (!multi.values().keySet().equals(single.keySet())) {
            return false;
        }
        for (Map.Entry<String, List<String>> e : multi.values().entrySet()) {
            if (!String.join(",", e.getValue()).equals(single.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code rawQueryString} ({@code a=1&b=2&a=3}): members split on {@code &}, name and value on the first
     * {@code =}, both percent-decoded as UTF-8 with {@code +} kept literal (RFC 3986); null when unreadable.
     */
    static QueryParameters rawQuery(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return QueryParameters.NONE;
        }
        if (!node.isTextual()) {
            return null;
        }
        return parseRawQuery(node.asText());
    }

    /** Parses a raw query string as {@link #rawQuery} does; null when unreadable. */
    public static QueryParameters parseRawQuery(String raw) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (!raw.isEmpty()) {
            for (String part : raw.split("&", -1)) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = RouteTable.percentDecode(eq < 0 ? part : part.substring(0, eq));
                String value = RouteTable.percentDecode(eq < 0 ? "" : part.substring(eq + 1));
                if (name == null || value == null) {
                    return null;
                }
                pairs.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
            }
        }
        return QueryParameters.of(pairs);
    }

    /**
     * {@code multiValueHeaders} by lower-cased name; a header it lacks but {@code headers} has (or all of them, when
     * it is absent) is taken from {@code headers}.
     */
    private static Map<String, List<String>> multiValuedHeaders(JsonNode node, Map<String, String> single) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> values = out.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>());
                if (e.getValue().isArray()) {
                    for (JsonNode v : e.getValue()) {
                        if (v.isValueNode() && !v.isNull()) {
                            values.add(v.asText());
                        }
                    }
                }
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v)); // immutable lists: the edge request keeps them as they are
        single.forEach((k, v) -> out.putIfAbsent(k, List.of(v)));
        return out;
    }

    static long parseRequestTime(String text) {
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

    /**
     * Whether a REST request came through an interface VPC endpoint (a private API: the event names the endpoint).
     * IAM then carries the VPC keys instead of {@code aws:SourceIp} ("aws:SourceIp ... present except when the
     * request comes through a VPC endpoint", global condition keys); which endpoint a call to Amazon Connect would
     * use is not known, so the source is left unknown (a decision that depends on it is refused).
     */
    private static boolean viaVpcEndpoint(JsonNode identity) {
        String vpce = identity.path("vpceId").asText("");
        return !vpce.isEmpty();
    }
}
