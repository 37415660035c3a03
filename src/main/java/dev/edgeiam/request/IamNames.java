package dev.edgeiam.request;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Case folding for the names IAM compares case-insensitively: action names ([Act]) and condition key names
 * ([Cond]). IAM's names are ASCII, so only A–Z fold; {@code String.toLowerCase} would also fold look-alikes such as
 * U+212A KELVIN SIGN to {@code k} and let a spoofed name match a real one.
 */
public final class IamNames {

    /** Folded spellings remembered at most (names come from policies, route tables and events; past this, fold anew). */
    static final int REMEMBERED_LIMIT = 4_096;

    /**
     * Spelling → folded name, for names with upper-case letters: the same key names and actions come with every
     * request, so folding them again would only allocate. Bounded; a cache only (a miss computes the same result).
     */
    private static final ConcurrentHashMap<String, String> FOLDED = new ConcurrentHashMap<>();

    private IamNames() {
    }

    /** The name with A–Z lower-cased and every other character unchanged (the same instance when none is). */
    public static String fold(String s) {
        int i = 0;
        while (i < s.length() && !isUpper(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        String folded = FOLDED.get(s);
        if (folded == null) {
            folded = foldFrom(s, i);
            if (FOLDED.size() < REMEMBERED_LIMIT) {
                FOLDED.putIfAbsent(s, folded);
            }
        }
        return folded;
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /**
     * {@code s} with A–Z lower-cased from index {@code first} on (the characters before it kept as they are), without
     * the memo — for text that differs per request, such as the resource part of an ARN; the same instance when
     * nothing there is upper-case.
     */
    public static String foldFrom(String s, int first) {
        StringBuilder out = null;
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? s : out.toString();
    }
}
