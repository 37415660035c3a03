package dev.edgeiam.connect;

import java.util.Locale;
import java.util.Objects;

/**
 * An IAM {@code Action} / {@code NotAction} value with the wildcards {@code *} (any run of
 * characters, including none) and {@code ?} (exactly one character). Action names are matched
 * case-insensitively (IAM User Guide, "IAM JSON policy elements: Action").
 *
 * @param pattern the pattern text, e.g. {@code connect:Describe*}
 */
public record ActionGlob(String pattern) {

    public ActionGlob {
        Objects.requireNonNull(pattern, "pattern");
    }

    /** @return true if the whole text matches the pattern, ignoring case */
    public boolean matches(String text) {
        return matches(pattern.toLowerCase(Locale.ROOT), text.toLowerCase(Locale.ROOT));
    }

    /** Iterative glob match with single-star backtracking (linear in practice, no regex). */
    static boolean matches(String p, String s) {
        int pi = 0;
        int si = 0;
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == s.charAt(si))) {
                pi++;
                si++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
