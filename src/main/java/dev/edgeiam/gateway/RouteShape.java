package dev.edgeiam.gateway;

/**
 * The set of {@code VERB/path} strings a route can produce, and whether it shares any string with a policy
 * {@code Resource} pattern in which {@code *} matches any run of characters (including {@code /}) and {@code ?}
 * any one character — API Gateway's wildcard rules for authorizer policies. Decided exactly by searching the
 * product of the two automata, so a cached policy is never assumed to miss a route it could hit.
 */
final class RouteShape {

    // Tokens are kept as two parallel arrays and the search's visited set as a bit set: the shapes of every route
    // are built, and searched, on the first request of a cold start (BENCHMARKS.md, start-up).
    /** One literal character. */
    static final byte LITERAL = 0;
    /** One non-empty segment (no {@code /}). */
    static final byte SEGMENT = 1;
    /** A non-empty rest of the path. */
    static final byte REST = 2;

    /** Builds a shape token by token: literal characters, whole segments, a rest. */
    static final class Builder {
        private char[] chars = new char[48];
        private byte[] kinds = new byte[48];
        private int size;

        Builder literal(char c) {
            return add(c, LITERAL);
        }

        Builder literals(String text) {
            for (int i = 0; i < text.length(); i++) {
                add(text.charAt(i), LITERAL);
            }
            return this;
        }

        Builder segment() {
            return add('\0', SEGMENT);
        }

        Builder rest() {
            return add('\0', REST);
        }

        private Builder add(char c, byte kind) {
            if (size == chars.length) {
                chars = java.util.Arrays.copyOf(chars, size * 2);
                kinds = java.util.Arrays.copyOf(kinds, size * 2);
            }
            chars[size] = c;
            kinds[size] = kind;
            size++;
            return this;
        }

        RouteShape build() {
            return new RouteShape(java.util.Arrays.copyOf(chars, size), java.util.Arrays.copyOf(kinds, size));
        }
    }

    private final char[] chars;
    private final byte[] kinds;
    private final String literalPrefix;

    private RouteShape(char[] chars, byte[] kinds) {
        this.chars = chars;
        this.kinds = kinds;
        int literal = 0;
        while (literal < kinds.length && kinds[literal] == LITERAL) {
            literal++;
        }
        this.literalPrefix = new String(chars, 0, literal);
    }

    /** Whether some string both matches {@code pattern} (a policy glob) and is an instance of this route. */
    boolean overlaps(String pattern) {
        // Fast rejection: the literal starts of both must agree as far as both are literal.
        for (int i = 0; i < pattern.length() && i < literalPrefix.length(); i++) {
            char p = pattern.charAt(i);
            if (p == '*') {
                break;
            }
            if (p != '?' && p != literalPrefix.charAt(i)) {
                return false;
            }
        }
        int m = pattern.length();
        int k = kinds.length;
        Search search = new Search(m, k);
        search.push(0, 0, 0);
        while (search.size > 0) {
            int state = search.pop();
            int consumed = state & 1;
            int i = (state >>> 1) / (k + 1);
            int j = (state >>> 1) % (k + 1);
            if (i < m && pattern.charAt(i) == '*') {
                search.push(i + 1, j, consumed);
            }
            if (j < k && kinds[j] != LITERAL && consumed == 1) {
                search.push(i, j + 1, 0);
            }
            if (i == m && j == k) {
                return true;
            }
            if (i >= m || j >= k) {
                continue;
            }
            char p = pattern.charAt(i);
            byte kind = kinds[j];
            boolean compatible;
            if (p == '*' || p == '?') {
                compatible = true;
            } else if (kind == LITERAL) {
                compatible = chars[j] == p;
            } else if (kind == SEGMENT) {
                compatible = p != '/';
            } else {
                compatible = true;
            }
            if (!compatible) {
                continue;
            }
            int ni = p == '*' ? i : i + 1;
            if (kind == LITERAL) {
                search.push(ni, j + 1, 0);
            } else {
                search.push(ni, j, 1);
            }
        }
        return false;
    }

    /**
     * The product automaton's states still to visit, and those seen: state (pattern position {@code i}, token
     * position {@code j}, whether the current segment or rest token has consumed a character) is the number
     * {@code (i * (k + 1) + j) * 2 + consumed}.
     */
    private static final class Search {
        private final int k;
        private final long[] seen;
        private int[] work = new int[32];
        private int size;

        Search(int m, int k) {
            this.k = k;
            this.seen = new long[(int) (((long) (m + 1) * (k + 1) * 2 + 63) >>> 6)];
        }

        void push(int i, int j, int consumed) {
            int state = (i * (k + 1) + j) * 2 + consumed;
            long bit = 1L << (state & 63);
            if ((seen[state >>> 6] & bit) != 0) {
                return;
            }
            seen[state >>> 6] |= bit;
            if (size == work.length) {
                work = java.util.Arrays.copyOf(work, size * 2);
            }
            work[size++] = state;
        }

        int pop() {
            return work[--size];
        }
    }
}
