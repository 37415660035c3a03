package dev.edgeiam.compile;

/**
 * The matching engine behind every IAM wildcard: a pattern is an array of tokens — a literal character, a
 * single-character wildcard ({@code ?}) or a run wildcard ({@code *}) — where each wildcard either may or may not
 * match a colon. The colon-bound kinds exist for ARNs ([Res]: {@code ?} and a {@code *} that does not end its
 * segment stay inside the segment; [Ops]: {@code ArnLike} matches each component separately).
 *
 * <p>Both algorithms run in time linear in the text for a given pattern, without backtracking and without
 * allocating: {@link #greedy} (leftmost placement of each literal run between {@code *}s, exact when every
 * wildcard may cross colons) and {@link #nfa} (a bit-set simulation of the pattern's automaton, used when
 * colon-bound wildcards make greedy placement unsound). Pathological patterns such as {@code *a*a*a*a*b}
 * therefore cost O(text × pattern) at worst, never exponential.
 */
final class GlobEngine {

    static final byte LITERAL = 0;
    static final byte ONE_ANY = 1;
    static final byte ONE_NO_COLON = 2;
    static final byte STAR_ANY = 3;
    static final byte STAR_NO_COLON = 4;

    private GlobEngine() {
    }

    static boolean isStar(byte kind) {
        return kind == STAR_ANY || kind == STAR_NO_COLON;
    }

    static boolean needsNfa(byte[] kinds, int length) {
        for (int i = 0; i < length; i++) {
            if (kinds[i] == ONE_NO_COLON || kinds[i] == STAR_NO_COLON) {
                return true;
            }
        }
        return false;
    }

    private static boolean accepts(byte kind, char literal, char c, boolean ignoreCase) {
        switch (kind) {
            case LITERAL:
                return literal == c || (ignoreCase && sameIgnoringCase(literal, c));
            case ONE_ANY:
            case STAR_ANY:
                return true;
            default:
                return c != ':';
        }
    }

    /** Same test as {@link String#regionMatches(boolean, int, String, int, int)} with ignoreCase. */
    static boolean sameIgnoringCase(char a, char b) {
        if (a == b) {
            return true;
        }
        char ua = Character.toUpperCase(a);
        char ub = Character.toUpperCase(b);
        return ua == ub || Character.toLowerCase(ua) == Character.toLowerCase(ub);
    }

    /** Matching for patterns whose wildcards all may cross colons ({@link #needsNfa} false). */
    static boolean greedy(byte[] kinds, char[] chars, int length, CharSequence text, boolean ignoreCase) {
        int n = text.length();
        int p = 0;
        int t = 0;
        while (p < length && !isStar(kinds[p])) {
            if (t >= n || !accepts(kinds[p], chars[p], text.charAt(t), ignoreCase)) {
                return false;
            }
            p++;
            t++;
        }
        if (p == length) {
            return t == n;
        }
        int lastStar = length - 1;
        while (!isStar(kinds[lastStar])) {
            lastStar--;
        }
        int suffix = length - lastStar - 1;
        if (n - t < suffix) {
            return false;
        }
        int end = n - suffix;
        for (int i = 0; i < suffix; i++) {
            if (!accepts(kinds[lastStar + 1 + i], chars[lastStar + 1 + i], text.charAt(end + i), ignoreCase)) {
                return false;
            }
        }
        p++;
        while (p < lastStar) {
            if (isStar(kinds[p])) {
                p++;
                continue;
            }
            int segEnd = p;
            while (!isStar(kinds[segEnd])) {
                segEnd++;
            }
            int segLength = segEnd - p;
            int found = -1;
            for (int s = t; s + segLength <= end; s++) {
                if (segmentAt(kinds, chars, p, segLength, text, s, ignoreCase)) {
                    found = s;
                    break;
                }
            }
            if (found < 0) {
                return false;
            }
            t = found + segLength;
            p = segEnd;
        }
        return true;
    }

    private static boolean segmentAt(byte[] kinds, char[] chars, int p, int segLength, CharSequence text, int s,
                                     boolean ignoreCase) {
        for (int i = 0; i < segLength; i++) {
            if (!accepts(kinds[p + i], chars[p + i], text.charAt(s + i), ignoreCase)) {
                return false;
            }
        }
        return true;
    }

    /** Words of scratch space {@link #nfa} needs for a pattern of {@code length} tokens. */
    static int scratchWords(int length) {
        return 2 * ((length + 1 + 63) >>> 6);
    }

    /**
     * Simulates the pattern's automaton over the text. State {@code i} means "the first {@code i} tokens are
     * matched"; a run wildcard keeps its state on a character it accepts and may be skipped (empty run).
     */
    static boolean nfa(byte[] kinds, char[] chars, int length, CharSequence text, boolean ignoreCase,
                       long[] scratch) {
        int words = (length + 1 + 63) >>> 6;
        long[] cur = scratch;
        int curOff = 0;
        int nextOff = words;
        for (int w = 0; w < 2 * words; w++) {
            scratch[w] = 0;
        }
        cur[curOff] = 1L;
        close(kinds, length, scratch, curOff, words);
        int n = text.length();
        for (int t = 0; t < n; t++) {
            char c = text.charAt(t);
            for (int w = 0; w < words; w++) {
                scratch[nextOff + w] = 0;
            }
            boolean any = false;
            for (int w = 0; w < words; w++) {
                long bits = scratch[curOff + w];
                while (bits != 0) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    if (i >= length) {
                        continue;
                    }
                    byte kind = kinds[i];
                    if (accepts(kind, chars[i], c, ignoreCase)) {
                        int target = isStar(kind) ? i : i + 1;
                        scratch[nextOff + (target >>> 6)] |= 1L << (target & 63);
                        any = true;
                    }
                }
            }
            if (!any) {
                return false;
            }
            close(kinds, length, scratch, nextOff, words);
            int swap = curOff;
            curOff = nextOff;
            nextOff = swap;
        }
        return (scratch[curOff + (length >>> 6)] & (1L << (length & 63))) != 0;
    }

    /** Adds, for every active state sitting on a run wildcard, the state after it (the empty run). */
    private static void close(byte[] kinds, int length, long[] set, int off, int words) {
        for (int w = 0; w < words; w++) {
            long bits = set[off + w];
            while (bits != 0) {
                int bit = Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int i = (w << 6) + bit;
                if (i < length && isStar(kinds[i])) {
                    int target = i + 1;
                    long mask = 1L << (target & 63);
                    int tw = target >>> 6;
                    if ((set[off + tw] & mask) == 0) {
                        set[off + tw] |= mask;
                        if (tw == w) {
                            bits |= mask;
                        }
                    }
                }
            }
        }
    }
}
