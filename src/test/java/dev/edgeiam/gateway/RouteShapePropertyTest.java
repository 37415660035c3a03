package dev.edgeiam.gateway;

import dev.edgeiam.authorize.ApiRoute;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RouteShape#overlaps} never misses an overlap: for random routes and random policy patterns, whenever a
 * concrete {@code VERB/path} of the route (its labels filled from a small pool of values) matches the pattern, the
 * shape must say they overlap — a missed overlap would let a cached policy grant a route it should not. The oracle
 * builds the strings itself and matches them with {@link java.util.regex}, sharing nothing with the shape's search.
 */
class RouteShapePropertyTest {

    private static final List<String> SEGMENTS = List.of("users", "a", "{x}", "{y}", "u");
    private static final List<String> SEGMENT_VALUES = List.of("a", "users", "u", "x", "*", "ab");
    private static final List<String> REST_VALUES = List.of("a", "a/b", "users/a", "u/", "x/y/z");
    private static final List<String> PATTERN_PIECES = List.of("GET", "G?T", "PUT", "*", "/", "/", "users", "a", "?",
            "u*", "*/", "/a");

    @Test
    void everyConcreteMatchIsAnOverlap() {
        Random random = new Random(1515);
        int overlapsSeen = 0;
        int disjointSeen = 0;
        for (int n = 0; n < 3_000; n++) {
            ApiRoute route = randomRoute(random);
            String pattern = randomPattern(random);
            boolean overlaps = RoutePolicyBuilder.shape(route).overlaps(pattern);
            Pattern glob = glob(pattern);
            for (String concrete : concretes(route)) {
                if (glob.matcher(concrete).matches()) {
                    assertTrue(overlaps, () -> route + " has " + concrete + ", which matches " + pattern);
                }
            }
            if (overlaps) {
                overlapsSeen++;
            } else {
                disjointSeen++;
            }
        }
        assertTrue(overlapsSeen > 100 && disjointSeen > 100, overlapsSeen + " overlapping, " + disjointSeen + " not");
    }

    private static ApiRoute randomRoute(Random random) {
        String method = random.nextInt(4) == 0 ? "ANY" : random.nextBoolean() ? "GET" : "PUT";
        int segments = random.nextInt(4);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments; i++) {
            path.append('/').append(SEGMENTS.get(random.nextInt(SEGMENTS.size())));
        }
        if (random.nextInt(4) == 0) {
            path.append("/{proxy+}");
        }
        return new ApiRoute(method, path.isEmpty() ? "/" : path.toString());
    }

    private static String randomPattern(Random random) {
        StringBuilder b = new StringBuilder();
        int pieces = 1 + random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            b.append(PATTERN_PIECES.get(random.nextInt(PATTERN_PIECES.size())));
        }
        return b.toString();
    }

    /** API Gateway's policy glob as a regular expression: {@code *} any run (including {@code /}), {@code ?} one. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Every {@code VERB/path} of the route with its labels (and an ANY method) filled from the pools. */
    private static List<String> concretes(ApiRoute route) {
        List<String> out = new ArrayList<>();
        List<String> methods = route.method().equals("ANY") ? List.of("GET", "PUT", "DELETE") : List.of(route.method());
        for (String method : methods) {
            if (route.pathTemplate().equals("/")) {
                out.add(method + "/");
                continue;
            }
            List<String> partial = List.of(method);
            for (String s : route.segments()) {
                List<String> values = !ApiRoute.isLabel(s) ? List.of(s) : s.endsWith("+}") ? REST_VALUES : SEGMENT_VALUES;
                List<String> next = new ArrayList<>();
                for (String p : partial) {
                    for (String v : values) {
                        next.add(p + "/" + v);
                    }
                }
                partial = next;
            }
            out.addAll(partial);
        }
        return out;
    }
}
