package dev.edgeiam.validate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each JSON element of a policy text is, by RFC 6901 pointer (the pointers the policy parser reports): the
 * value's span, the member key's span, and which pointers are arrays. Reads as far as the text is valid JSON.
 */
final class JsonLocator {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final Map<String, Finding.Span> values = new HashMap<>();
    private final Map<String, Finding.Span> keys = new HashMap<>();
    private final Set<String> arrays = new HashSet<>();

    JsonLocator(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != null) {
                read(p, "");
            }
        } catch (IOException | RuntimeException e) {
            // keep what was located before the text stopped being JSON
        }
    }

    private void read(JsonParser p, String pointer) throws IOException {
        Finding.Position start = position(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String child = pointer + "/" + escape(p.currentName());
                Finding.Position keyStart = position(p.currentTokenLocation());
                keys.put(child, new Finding.Span(keyStart, position(p.currentLocation())));
                p.nextToken();
                read(p, child);
            }
        } else if (t == JsonToken.START_ARRAY) {
            arrays.add(pointer);
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                read(p, pointer + "/" + i++);
            }
        } else {
            p.getText(); // finish the (lazily read) token so the end location is after it
        }
        values.put(pointer, new Finding.Span(start, position(p.currentLocation())));
    }

    private static Finding.Position position(JsonLocation l) {
        return new Finding.Position(l.getLineNr(), Math.max(0, l.getColumnNr() - 1), (int) Math.max(0, l.getCharOffset()));
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** The path elements of a pointer: member names as strings, array indexes as integers. */
    List<Object> path(String pointer) {
        List<Object> out = new ArrayList<>();
        if (pointer == null || pointer.isEmpty()) {
            return out;
        }
        String[] parts = pointer.substring(1).split("/", -1);
        StringBuilder at = new StringBuilder();
        for (String part : parts) {
            String parent = at.toString();
            String name = part.replace("~1", "/").replace("~0", "~");
            if (arrays.contains(parent) && part.matches("\\d+")) {
                out.add(Integer.parseInt(part));
            } else {
                out.add(name);
            }
            at.append('/').append(part);
        }
        return out;
    }

    boolean isArray(String pointer) {
        return arrays.contains(pointer);
    }

    /** The value's span, or a zero-width span at the document start when unknown. */
    Finding.Span value(String pointer) {
        return values.getOrDefault(pointer, values.getOrDefault("", ZERO));
    }

    /** The member key's span (falls back to the value's). */
    Finding.Span key(String pointer) {
        Finding.Span k = keys.get(pointer);
        return k != null ? k : value(pointer);
    }

    static final Finding.Span ZERO = new Finding.Span(new Finding.Position(1, 0, 0), new Finding.Position(1, 0, 0));

    Finding.Location valueLocation(String pointer) {
        return new Finding.Location(path(pointer), value(pointer));
    }

    Finding.Location keyLocation(String pointer) {
        return new Finding.Location(path(pointer), key(pointer));
    }
}
