package dev.edgeiam.connect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The route table narrows its candidates by the first path segment; the route it matches must be the one a scan
 * of every route with the same method and segment count finds (most specific first, first match wins). Paths are
 * made from every route's template with its labels filled by identifiers, other routes' literals (so literal and
 * label routes compete), encoded ARNs and empty segments, plus paths strung together from the table's literals.
 */
class RouteTableFirstSegmentTest {

    private static final RouteTable TABLE = RouteTable.defaultTable();
    private static final ArnContext CONTEXT = ArnContext.of("us-east-1", "111122223333");

    /** The reference: every route of the method and size, most specific first, the first that matches. */
    static Optional<String> scan(String method, String path) {
        List<String> segments = RouteTable.decodedSegments(path);
        if (segments == null) {
            return Optional.empty();
        }
        return TABLE.routes().stream()
                .filter(r -> r.method().equals(method) && r.path().segments().size() == segments.size())
                .sorted(Comparator.comparing(RouteDefinition::path, PathTemplate::mostSpecificFirst))
                .filter(r -> r.path().match(segments) != null)
                .map(RouteDefinition::route)
                .findFirst();
    }

    @Test
    void narrowedCandidatesMatchTheRouteAFullScanMatches() {
        List<String> literals = new ArrayList<>();
        for (RouteDefinition r : TABLE.routes()) {
            for (String s : r.path().segments()) {
                if (!PathTemplate.isLabel(s)) {
                    literals.add(s);
                }
            }
        }
        SplittableRandom random = new SplittableRandom(15_7L);
        int matched = 0;
        int checked = 0;
        for (int round = 0; round < 8; round++) {
            for (RouteDefinition r : TABLE.routes()) {
                StringBuilder path = new StringBuilder();
                for (String s : r.path().segments()) {
                    path.append('/');
                    if (!PathTemplate.isLabel(s)) {
                        path.append(random.nextInt(20) == 0 ? literals.get(random.nextInt(literals.size())) : s);
                        continue;
                    }
                    path.append(switch (random.nextInt(6)) {
                        case 0 -> literals.get(random.nextInt(literals.size()));
                        case 1 -> "arn%3Aaws%3Aconnect%3Aus-east-1%3A111122223333%3Ainstance%2Finst-1";
                        case 2 -> random.nextInt(10) == 0 ? "" : "x";
                        default -> "id-" + random.nextInt(1_000);
                    });
                }
                String p = path.isEmpty() ? "/" : path.toString();
                String method = random.nextInt(10) == 0 ? "POST" : r.method();
                Optional<String> expected = scan(method, p);
                assertEquals(expected, TABLE.match(method, p, Map.of(), CONTEXT).map(RouteMatch::route),
                        method + " " + p);
                checked++;
                matched += expected.isPresent() ? 1 : 0;
            }
            for (int i = 0; i < 300; i++) { // paths of the table's literals only
                StringBuilder path = new StringBuilder();
                for (int k = 1 + random.nextInt(5); k > 0; k--) {
                    path.append('/').append(literals.get(random.nextInt(literals.size())));
                }
                for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                    assertEquals(scan(method, path.toString()),
                            TABLE.match(method, path.toString(), Map.of(), CONTEXT).map(RouteMatch::route),
                            method + " " + path);
                    checked++;
                }
            }
        }
        assertTrue(matched > TABLE.routes().size() * 5, "matched " + matched + " of " + checked);
    }

    /**
     * The default table has no template that starts with a label; synthetic buckets do (labels and literals at the
     * first segment, in every order of specificity), so the label-first candidates are checked too.
     */
    @Test
    void labelFirstTemplatesStayCandidatesForEveryFirstSegment() {
        SplittableRandom random = new SplittableRandom(15_8L);
        String[] firsts = {"{A}", "users", "queues", "{B}", "x"};
        String[] rests = {"{C}", "list", "{D}", "users"};
        for (int round = 0; round < 400; round++) {
            java.util.Set<String> templates = new java.util.LinkedHashSet<>();
            for (int k = 2 + random.nextInt(8); k > 0; k--) {
                templates.add("/" + firsts[random.nextInt(firsts.length)] + "/" + rests[random.nextInt(rests.length)]);
            }
            List<RouteDefinition> bucket = templates.stream()
                    .map(t -> new RouteDefinition(t, "GET", PathTemplate.parse(t), Map.of(), java.util.Set.of(),
                            Optional.empty(), "", List.of(), ""))
                    .sorted(Comparator.comparing(RouteDefinition::path, PathTemplate::mostSpecificFirst))
                    .toList();
            RouteTable.FirstSegment narrowed = RouteTable.FirstSegment.of(bucket);
            for (String first : new String[] {"users", "queues", "x", "other", ""}) {
                for (String rest : new String[] {"list", "users", "id-1"}) {
                    List<String> segments = List.of(first, rest);
                    Optional<String> expected = bucket.stream().filter(r -> r.path().match(segments) != null)
                            .map(RouteDefinition::operation).findFirst();
                    Optional<String> actual = narrowed.candidates(segments).stream()
                            .filter(r -> r.path().match(segments) != null).map(RouteDefinition::operation).findFirst();
                    assertEquals(expected, actual, templates + " " + segments);
                }
            }
        }
    }
}
