package dev.edgeiam.gateway;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The set of {@code VERB/path} strings a route can produce, and whether it shares any string with a policy
 * {@code Resource} pattern in which {@code *} matches any run of characters (including {@code /}) and {@code ?}
 * any one character — API Gateway's wildcard rules for authorizer policies. Decided exactly by searching the
 * product of the two automata, so a cached policy is never assumed to miss a route it could hit.
 */
final class RouteShape {

    /** A route token: one literal character, one non-empty segment (no {@code /}), or a non-empty rest. */
    record Token(char c, int kind) {
        static final int LITERAL = 0;
        static final int SEGMENT = 1;
        static final int REST = 2;

        static Token literal(char c) {
            return new Token(c, LITERAL);
        }

        static Token segment() {
            return new Token('\0', SEGMENT);
        }

        static Token rest() {
            return new Token('\0', REST);
        }
    }

    private final List<Token> tokens;
    private final String literalPrefix;

    RouteShape(List<Token> tokens) {
        this.tokens = List.copyOf(tokens);
        StringBuilder b = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind() != Token.LITERAL) {
                break;
            }
            b.append(t.c());
        }
        this.literalPrefix = b.toString();
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
        int k = tokens.size();
        Set<Long> seen = new HashSet<>();
        Deque<int[]> work = new ArrayDeque<>();
        push(work, seen, 0, 0, 0);
        while (!work.isEmpty()) {
            int[] s = work.pop();
            int i = s[0];
            int j = s[1];
            int consumed = s[2];
            if (i < m && pattern.charAt(i) == '*') {
                push(work, seen, i + 1, j, consumed);
            }
            if (j < k && tokens.get(j).kind() != Token.LITERAL && consumed == 1) {
                push(work, seen, i, j + 1, 0);
            }
            if (i == m && j == k) {
                return true;
            }
            if (i >= m || j >= k) {
                continue;
            }
            char p = pattern.charAt(i);
            Token t = tokens.get(j);
            boolean compatible;
            if (p == '*' || p == '?') {
                compatible = true;
            } else if (t.kind() == Token.LITERAL) {
                compatible = t.c() == p;
            } else if (t.kind() == Token.SEGMENT) {
                compatible = p != '/';
            } else {
                compatible = true;
            }
            if (!compatible) {
                continue;
            }
            int ni = p == '*' ? i : i + 1;
            if (t.kind() == Token.LITERAL) {
                push(work, seen, ni, j + 1, 0);
            } else {
                push(work, seen, ni, j, 1);
            }
        }
        return false;
    }

    private static void push(Deque<int[]> work, Set<Long> seen, int i, int j, int consumed) {
        long key = ((long) i << 33) | ((long) j << 1) | consumed;
        if (seen.add(key)) {
            work.push(new int[] {i, j, consumed});
        }
    }
}
