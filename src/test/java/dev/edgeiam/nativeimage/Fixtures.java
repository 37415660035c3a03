package dev.edgeiam.nativeimage;

import dev.edgeiam.nativeimage.fixtures.Expect;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture classes nested in a holder, each with the findings it must produce ({@link Expect}). */
final class Fixtures {

    private Fixtures() {
    }

    static Stream<Class<?>> of(Class<?> holder) {
        List<Class<?>> all = Arrays.stream(holder.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Expect.class)).toList();
        assertTrue(all.size() >= 5, "no fixtures found in " + holder.getName());
        return all.stream();
    }

    /** Exactly as many findings as expected, each expected text in one of them. */
    static void check(Class<?> fixture, List<String> findings) {
        String[] expected = fixture.getAnnotation(Expect.class).value();
        for (String e : expected) {
            assertTrue(findings.stream().anyMatch(f -> f.contains(e)),
                    "expected a finding containing «" + e + "», got " + findings);
        }
        assertEquals(expected.length, findings.size(), "findings: " + findings);
    }
}
