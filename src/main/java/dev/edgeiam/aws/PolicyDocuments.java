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
