package dev.edgeiam.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Short texts made lately, by hash, so that a text seen again is handed out again instead of made anew: the header
 * names, the short header and request values and the fields of the method ARN repeat from one event to the next.
 * Direct-mapped and bounded (a slot holds the last text that hashed to it); a text is handed out only when it is
 * exactly the text asked for, so what a caller gets is the same as a new string. One per thread and purpose, never
 * shared between threads (not thread-safe).
 */
final class RecentTexts {

    /**
     * By default longer texts are made every time: they are rarely the same twice (tokens, paths with ids), and a
     * bearer token is not to be kept.
     */
    static final int MAX_LENGTH = 64;

    private final String[] made;
    private final int maxLength;

    RecentTexts(int slots) {
        this(slots, MAX_LENGTH);
    }

    /** A table for texts of at most {@code maxLength} characters (a longer one is made every time). */
    RecentTexts(int slots, int maxLength) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.made = new String[slots];
        this.maxLength = maxLength;
    }

    /**
     * The text of the ASCII bytes {@code in[start, end)}, A–Z lower-cased when {@code lowerCase}; the caller has
     * checked every byte is ASCII.
     */
    String ascii(byte[] in, int start, int end, boolean lowerCase) {
        int length = end - start;
        if (length > maxLength) {
            return make(in, start, end, lowerCase);
        }
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + folded(in[i], lowerCase); // String.hashCode of the text made
        }
        int slot = (hash ^ (hash >>> 16)) & (made.length - 1);
        String known = made[slot];
        if (known != null && known.hashCode() == hash && known.length() == length) {
            int i = start;
            while (i < end && known.charAt(i - start) == folded(in[i], lowerCase)) {
                i++;
            }
            if (i == end) {
                return known;
            }
        }
        String text = make(in, start, end, lowerCase);
        made[slot] = text;
        return text;
    }

    /** {@code source.substring(start, end)}. */
    String substring(String source, int start, int end) {
        int length = end - start;
        if (length > maxLength) {
            return source.substring(start, end);
        }
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + source.charAt(i);
        }
        int slot = (hash ^ (hash >>> 16)) & (made.length - 1);
        String known = made[slot];
        if (known != null && known.hashCode() == hash && known.length() == length
                && source.regionMatches(start, known, 0, length)) {
            return known;
        }
        String text = source.substring(start, end);
        made[slot] = text;
        return text;
    }

    private static int folded(byte c, boolean lowerCase) {
        return lowerCase && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private static String make(byte[] in, int start, int end, boolean lowerCase) {
        boolean upper = false;
        for (int i = start; lowerCase && !upper && i < end; i++) {
            upper = in[i] >= 'A' && in[i] <= 'Z';
        }
        if (!upper) {
            return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
        }
        byte[] folded = Arrays.copyOfRange(in, start, end);
        for (int i = 0; i < folded.length; i++) {
            folded[i] = (byte) folded(folded[i], true);
        }
        return new String(folded, StandardCharsets.ISO_8859_1);
    }
}
