package dev.edgeiam.aws;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * IAM returns policy documents URL-encoded (RFC 3986) in its query-protocol responses; the CLI prints them
 * decoded, and moto 5.2.1 encodes some (inline policies, {@code GetRole}'s trust policy) but not others
 * (managed policy versions, trust policies in {@code GetAccountAuthorizationDetails}). So decode only what is
 * encoded.
 */
final class PolicyDocuments {

    private PolicyDocuments() {
    }

    /**
     * A document given as a JSON object (the CLI's form of an account snapshot) as text, exactly as Jackson's default
     * pretty printer writes it ({@code ObjectMapper.writerWithDefaultPrettyPrinter()}): objects one member a line,
     * indented by two spaces, {@code "name" : value}; arrays on one line, {@code [ a, b ]}; empty ones {@code { }} and
     * {@code [ ]}; strings escaped as Jackson escapes them; numbers as their node prints them. Written by hand because
     * the first use of Jackson's writer sets up its serializers — ~10 ms of a cold start for text that only feeds the
     * policy parser (whose line:column errors point into it). {@code PolicyDocumentsPrettyTest} holds the two equal.
     */
    static String pretty(com.fasterxml.jackson.databind.JsonNode node) {
        StringBuilder b = new StringBuilder(512);
        write(b, node, 0);
        return b.toString();
    }

    private static final String LINE = System.lineSeparator(); // Jackson's DefaultIndenter writes the system's

    private static void write(StringBuilder b, com.fasterxml.jackson.databind.JsonNode node, int depth) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                b.append("{ }");
                return;
            }
            b.append('{');
            boolean first = true;
            for (var member : node.properties()) {
                b.append(first ? "" : ",").append(LINE);
                first = false;
                indent(b, depth + 1);
                quoted(b, member.getKey());
                b.append(" : ");
                write(b, member.getValue(), depth + 1);
            }
            b.append(LINE);
            indent(b, depth);
            b.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                b.append("[ ]");
                return;
            }
            b.append("[ ");
            for (int i = 0; i < node.size(); i++) {
                b.append(i == 0 ? "" : ", ");
                write(b, node.get(i), depth);
            }
            b.append(" ]");
        } else if (node.isTextual()) {
            quoted(b, node.textValue());
        } else if (node.isNumber() && (node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            // a literal past double's range (1e400) reads as Infinity; Jackson's writer quotes it
            // (QUOTE_NON_NUMERIC_NUMBERS, on by default), and so must this: the bare token does not parse (pass 19)
            quoted(b, node.asText());
        } else if (node.isNumber() || node.isBoolean() || node.isNull()) {
            b.append(node.asText());
        } else {
            throw new IllegalArgumentException("not a JSON document value: " + node.getNodeType());
        }
    }

    private static void indent(StringBuilder b, int depth) {
        for (int i = 0; i < depth; i++) {
            b.append("  ");
        }
    }

    private static void quoted(StringBuilder b, String text) {
        b.append('"');
        com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text, b);
        b.append('"');
    }

    /** The document as JSON text: decoded when it looks URL-encoded, unchanged otherwise. */
    static String decode(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("{")) {
            return text;
        }
        if (t.regionMatches(true, 0, "%7B", 0, 3) || t.contains("%22")) {
            return percentDecode(t);
        }
        return text;
    }

    /**
     * Percent-decoding as RFC 3986 defines it: {@code %XX} is a UTF-8 byte and {@code +} stays a plus (unlike
     * form decoding, which would turn it into a space).
     */
    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out.write((hi << 4) | lo);
                    i += 3;
                    continue;
                }
            }
            int cp = s.codePointAt(i);
            byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
            i += Character.charCount(cp);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
