package dev.edgeiam.connect;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ArnTemplate#matchesResource} (the allocation-free check the request path uses on every ARN it builds)
 * answers exactly as {@code matchResource(...) != null}: for every resource type of the catalog, the rendered
 * template and thousands of damaged variants of it (pieces dropped, doubled, emptied, separators swapped, literals
 * changed in case or by one character). Property test, one case per resource type.
 */
class ArnTemplateMatchesResourceTest {

    private static final String ALPHABET = "aZ0-_/:.*$ ";

    @TestFactory
    Stream<DynamicTest> agreesWithTheSplittingMatchForEveryResourceType() {
        return ConnectCatalog.defaultCatalog().resourceTypes().stream().map(type -> DynamicTest.dynamicTest(
                type.name(), () -> {
                    ArnTemplate template = type.arnTemplate();
                    String rendered = template.resourcePart()
                            .replaceAll("\\$\\{[^}]*}", "a1b2c3d4-5678-90ab-cdef-111122223333");
                    assertTrue(template.matchesResource(rendered), rendered);
                    SplittableRandom random = new SplittableRandom(type.name().hashCode());
                    int matched = 0;
                    for (int i = 0; i < 3_000; i++) {
                        String text = damage(rendered, random);
                        boolean expected = template.matchResource(text) != null;
                        assertEquals(expected, template.matchesResource(text), text);
                        matched += expected ? 1 : 0;
                    }
                    assertTrue(matched > 0, "some variants still match");
                }));
    }

    private static String damage(String text, SplittableRandom random) {
        StringBuilder b = new StringBuilder(text);
        int edits = random.nextInt(3);
        for (int e = 0; e < edits && !b.isEmpty(); e++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(6)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> b.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 3 -> b.setCharAt(at, Character.toUpperCase(b.charAt(at)));
                case 4 -> { // drop up to the next separator
                    int end = at;
                    while (end < b.length() && b.charAt(end) != '/' && b.charAt(end) != ':') {
                        end++;
                    }
                    b.delete(at, end);
                }
                default -> b.append(List.of("/", ":", "/x", "").get(random.nextInt(4)));
            }
        }
        return b.toString();
    }
}
