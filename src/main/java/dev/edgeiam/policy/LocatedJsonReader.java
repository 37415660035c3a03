package dev.edgeiam.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into {@link LocatedJson}, rejecting what IAM rejects at the JSON level: invalid syntax,
 * duplicate keys ([Gram]: no element may repeat within an object), characters outside TAB, LF, CR and
 * U+0020–U+00FF inside strings, and nesting deeper than {@link #MAX_DEPTH}.
 */
final class LocatedJsonReader {

    /** Policies nest five levels in practice (Condition → operator → key → values); 32 is generous. */
    static final int MAX_DEPTH = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
            .build();

    private LocatedJsonReader() {
    }

    static LocatedJson read(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw PolicyException.malformed("the policy document is empty", "", new SourcePosition(1, 1, 0));
            }
            LocatedJson root;
            JsonToken trailing;
            try {
                root = readValue(parser, "", 0);
                trailing = parser.nextToken();
            } catch (JsonProcessingException e) {
                throw syntaxError(e, containerPointer(parser));
            }
            if (trailing != null) {
                throw PolicyException.malformed("unexpected content after the end of the JSON document", "",
                        position(parser.currentTokenLocation()));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, "");
        } catch (IOException e) {
            throw PolicyException.malformed("the policy document could not be read: " + e.getMessage(), "",
                    SourcePosition.UNKNOWN);
        }
    }

    /** The pointer of the object or array the parser was inside when the syntax broke. */
    private static String containerPointer(JsonParser parser) {
        com.fasterxml.jackson.core.JsonStreamContext context = parser.getParsingContext();
        if (context == null || context.getParent() == null) {
            return "";
        }
        return context.getParent().pathAsPointer().toString();
    }

    private static PolicyException syntaxError(JsonProcessingException e, String pointer) {
        String message = e.getOriginalMessage();
        int cut = message.indexOf('\n');
        if (cut > 0) {
            message = message.substring(0, cut);
        }
        if (message.contains("nesting depth")) {
            message = "JSON nesting is deeper than " + MAX_DEPTH + " levels";
        }
        return PolicyException.malformed("invalid JSON: " + message, pointer, position(e.getLocation()));
    }

    private static LocatedJson readValue(JsonParser parser, String pointer, int depth) throws IOException {
        SourcePosition start = position(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return readObject(parser, pointer, depth + 1, start);
            case START_ARRAY:
                return readArray(parser, pointer, depth + 1, start);
            case VALUE_STRING: {
                String value = parser.getText();
                checkCharacters(value, pointer, start);
                return new LocatedJson.JString(value, start, end(parser), pointer);
            }
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new LocatedJson.JNumber(parser.getText(), start, end(parser), pointer);
            case VALUE_TRUE:
                return new LocatedJson.JBoolean(true, start, end(parser), pointer);
            case VALUE_FALSE:
                return new LocatedJson.JBoolean(false, start, end(parser), pointer);
            case VALUE_NULL:
                return new LocatedJson.JNull(start, end(parser), pointer);
            default:
                throw PolicyException.malformed("unexpected JSON token " + token, pointer, start);
        }
    }

    private static LocatedJson readObject(JsonParser parser, String pointer, int depth, SourcePosition start)
            throws IOException {
        checkDepth(depth, pointer, start);
        Map<String, LocatedJson.Member> members = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            SourcePosition keyPosition = position(parser.currentTokenLocation());
            String childPointer = pointer + "/" + escapePointer(key);
            checkCharacters(key, childPointer, keyPosition);
            if (members.containsKey(key)) {
                throw PolicyException.malformed("duplicate key \"" + key + "\" (first at "
                        + members.get(key).keyPosition() + ")", childPointer, keyPosition);
            }
            parser.nextToken();
            LocatedJson value = readValue(parser, childPointer, depth);
            members.put(key, new LocatedJson.Member(key, keyPosition, value));
        }
        if (token != JsonToken.END_OBJECT) {
            throw PolicyException.malformed("unexpected JSON token " + token, pointer,
                    position(parser.currentTokenLocation()));
        }
        return new LocatedJson.JObject(java.util.Collections.unmodifiableMap(members), start, end(parser), pointer);
    }

    private static LocatedJson readArray(JsonParser parser, String pointer, int depth, SourcePosition start)
            throws IOException {
        checkDepth(depth, pointer, start);
        List<LocatedJson> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(parser, pointer + "/" + items.size(), depth));
        }
        return new LocatedJson.JArray(List.copyOf(items), start, end(parser), pointer);
    }

    private static void checkDepth(int depth, String pointer, SourcePosition start) {
        if (depth > MAX_DEPTH) {
            throw PolicyException.malformed("JSON nesting is deeper than " + MAX_DEPTH + " levels", pointer, start);
        }
    }

    /** [Gram]: policies may contain only TAB, LF, CR and U+0020 through U+00FF. */
    private static void checkCharacters(String value, String pointer, SourcePosition at) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xFF))) {
                throw PolicyException.malformed(String.format(
                        "character U+%04X is not allowed in a policy (only TAB, LF, CR and U+0020-U+00FF)", (int) c),
                        pointer, at);
            }
        }
    }

    private static SourcePosition end(JsonParser parser) {
        return position(parser.currentLocation());
    }

    static SourcePosition position(JsonLocation location) {
        if (location == null) {
            return SourcePosition.UNKNOWN;
        }
        return new SourcePosition(location.getLineNr(), location.getColumnNr(), location.getCharOffset());
    }

    static String escapePointer(String key) {
        if (key.indexOf('~') < 0 && key.indexOf('/') < 0) {
            return key;
        }
        return key.replace("~", "~0").replace("/", "~1");
    }
}
