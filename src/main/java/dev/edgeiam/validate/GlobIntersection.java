package dev.edgeiam.validate;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether two glob patterns ({@code *} any run, {@code ?} one character, everything else literal) can match a
 * common string. A breadth-first walk of the product of the two patterns' automata: O(|a|·|b|) states.
 * Used only to prove that a policy ARN fits no resource type, so it over-approximates ({@code *} here also crosses
 * {@code :}), which can only hide an error, never invent one.
 */
final class GlobIntersection {

    private GlobIntersection() {
    }

    /** In a template glob: a run (possibly empty) of characters other than {@code /} and {@code :} (an ARN id). */
    static final char ID = '\u0001';

    /** Whether text, a pattern and a template glob ({@code *}, {@code ?}, {@link #ID}) share a string. */
    static boolean intersects(String a, String b) {
        int n = a.length();
        int m = b.length();
        boolean[][] seen = new boolean[n + 1][m + 1];
        Deque<int[]> queue = new ArrayDeque<>();
        queue.add(new int[] {0, 0});
        seen[0][0] = true;
        while (!queue.isEmpty()) {
            int[] s = queue.poll();
            int i = s[0];
            int j = s[1];
            if (i == n && j == m) {
                return true;
            }
            char ca = i < n ? a.charAt(i) : 0;
            char cb = j < m ? b.charAt(j) : 0;
            // a star may match nothing
            if (i < n && ca == '*') {
                visit(seen, queue, i + 1, j);
            }
            if (j < m && (cb == '*' || cb == ID)) {
                visit(seen, queue, i, j + 1);
            }
            // both consume one common character
            if (i < n && j < m) {
                boolean compatible;
                if (cb == ID) {
                    compatible = ca == '*' || ca == '?' || (ca != '/' && ca != ':');
                } else {
                    compatible = ca == '*' || ca == '?' || cb == '*' || cb == '?' || ca == cb;
                }
                if (compatible) {
                    visit(seen, queue, ca == '*' ? i : i + 1, cb == '*' || cb == ID ? j : j + 1);
                }
            }
        }
        return false;
    }

    private static void visit(boolean[][] seen, Deque<int[]> queue, int i, int j) {
        if (!seen[i][j]) {
            seen[i][j] = true;
            queue.add(new int[] {i, j});
        }
    }
}
