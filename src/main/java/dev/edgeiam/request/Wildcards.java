package dev.edgeiam.request;

/**
 * Whole-string matching with the two wildcards IAM's {@code Action} element and API Gateway's policy resources
 * share: {@code *} any run of characters (including none, and including {@code /}), {@code ?} exactly one character;
 * every other character matches itself, case as given (callers fold first where their semantics ignore case).
 * Iterative, with single-star backtracking: linear in practice, no regular expression. (Policy {@code Resource}
 * values, whose wildcards stop at ARN segments and carry variables, are compiled by {@code compile.GlobEngine}.)
 */
public final class Wildcards {

    private Wildcards() {
    }

    /** Whether {@code text} has either wildcard, {@code *} or {@code ?}. */
    public static boolean hasWildcard(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }

    /** Whether the whole {@code text} matches {@code pattern}. */
    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
