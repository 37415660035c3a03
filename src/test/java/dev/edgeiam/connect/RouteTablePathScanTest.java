package dev.edgeiam.connect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RouteTable#nonCanonical} and {@link RouteTable#decodedSegments} scan the path in place; here they are
 * compared with the split-based forms they replaced (kept below as the reference) on random and damaged paths:
 * every reason and its order (empty segment, bad escape, escaped unreserved character, dot segment), and the same
 * decoded segments or the same refusal.
 */
class RouteTablePathScanTest {

    /** The reference: split on '/', then look at each segment. */
    static String nonCanonicalBySplit(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return "the path does not start with '/'";
        }
        if (rawPath.equals("/")) {
            return null;
        }
        for (String s : PathTemplate.splitPath(rawPath)) {
            if (s.isEmpty()) {
                return "the path has an empty segment (a '//' or a trailing '/')";
            }
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) != '%') {
                    continue;
                }
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    return "the path has an invalid percent-escape";
                }
                int c = Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16);
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '.' || c == '_' || c == '~') {
                    return "the path percent-encodes the unreserved character '" + (char) c + "'";
                }
            }
            if (s.equals(".") || s.equals("..")) {
                return "the path has a dot segment";
            }
        }
        return null;
    }

    static List<String> decodedBySplit(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String s : PathTemplate.splitPath(rawPath)) {
            String decoded = RouteTable.percentDecode(s);
            if (decoded == null) {
                return null;
            }
            segments.add(decoded);
        }
        return segments;
    }

    private static final String[] PIECES = {
        "/", "/", "/", "a", "users", "inst-1", "%", "%2", "%2F", "%2f", "%41", "%7E", "%2E", "%20", "%C3%A9", "%C3",
        "%FF", "%zz", ".", "..", "...", ".a", "~", "-", "_", "é", "\u212A", "{x}", "+", "?", ":", "arn:aws:connect"
    };

    static String randomPath(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(r.nextInt(12) == 0 ? "" : "/");
        for (int i = r.nextInt(9); i > 0; i--) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    @Test
    void theInPlaceScansAgreeWithTheSplitBasedReference() {
        SplittableRandom r = new SplittableRandom(15_4L);
        int refused = 0;
        for (int i = 0; i < 60_000; i++) {
            String path = randomPath(r);
            String expected = nonCanonicalBySplit(path);
            assertEquals(expected, RouteTable.nonCanonical(path), path);
            if (expected != null) {
                refused++;
            }
            if (path.startsWith("/")) {
                assertEquals(decodedBySplit(path), RouteTable.decodedSegments(path), path);
            }
        }
        // the generator reaches both sides of the check often
        assertEquals(true, refused > 10_000 && refused < 55_000, "refused " + refused);
    }

    @Test
    void eachReasonIsFound() {
        assertEquals(null, RouteTable.nonCanonical("/"));
        assertEquals(null, RouteTable.nonCanonical("/users/inst-1/%2F"));
        assertEquals("the path has an empty segment (a '//' or a trailing '/')", RouteTable.nonCanonical("/a/"));
        assertEquals("the path has an empty segment (a '//' or a trailing '/')", RouteTable.nonCanonical("//a"));
        assertEquals("the path has an invalid percent-escape", RouteTable.nonCanonical("/a%4/b"));
        assertEquals("the path percent-encodes the unreserved character 'A'", RouteTable.nonCanonical("/%41"));
        assertEquals("the path has a dot segment", RouteTable.nonCanonical("/a/../b"));
        assertEquals("the path has a dot segment", RouteTable.nonCanonical("/a/."));
        assertEquals(null, RouteTable.nonCanonical("/a/.../.b"));
        assertEquals(List.of(), RouteTable.decodedSegments("/"));
        assertEquals(List.of("a", "", "b/c"), RouteTable.decodedSegments("/a//b%2Fc"));
        assertEquals(null, RouteTable.decodedSegments("/a/%C3"));
    }
}
