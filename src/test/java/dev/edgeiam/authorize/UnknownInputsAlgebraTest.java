package dev.edgeiam.authorize;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link UnknownInputs#of}, {@link UnknownInputs#plus} and {@link UnknownInputs#withTimeUnknown} are plain set
 * algebra over IAM-folded names, whatever shortcuts they take (returning an operand that already holds the other,
 * constant sets): random inputs, checked against unions computed here with ordinary sets. Property test.
 */
class UnknownInputsAlgebraTest {

    private static final List<String> NAMES = List.of("aws:SourceIp", "aws:sourceip", "aws:UserAgent", "aws:referer",
            "aws:CurrentTime", "aws:epochtime", "aws:PrincipalTag/*", "aws:principaltag/*", "aws:RequestTag/*",
            "connect:InstanceId", "aws:userid", "aws:SourceVpce");

    @Test
    void ofPlusAndWithTimeUnknownAreSetUnionsOfFoldedNames() {
        SplittableRandom random = new SplittableRandom(20261205L);
        for (int i = 0; i < 20_000; i++) {
            Set<String> aNames = names(random);
            Set<String> bNames = names(random);
            TimeWindow aWindow = window(random);
            TimeWindow bWindow = window(random);
            UnknownInputs a = UnknownInputs.of(aNames, aWindow);
            UnknownInputs b = UnknownInputs.of(bNames, bWindow);
            assertEquals(keysOf(aNames), a.keys(), "of: keys of " + aNames);
            assertEquals(familiesOf(aNames), a.families(), "of: families of " + aNames);
            assertEquals(aWindow, a.window());
            if (aNames instanceof HashSet<String> given) {
                Set<String> before = Set.copyOf(a.keys());
                given.add("aws:added-after");
                assertEquals(before, a.keys(), "the inputs keep their own copy of a given set");
                given.remove("aws:added-after");
            }

            UnknownInputs sum = a.plus(b);
            Set<String> keys = new HashSet<>(keysOf(aNames));
            keys.addAll(keysOf(bNames));
            Set<String> families = new HashSet<>(familiesOf(aNames));
            families.addAll(familiesOf(bNames));
            assertEquals(keys, sum.keys(), aNames + " + " + bNames);
            assertEquals(families, sum.families(), aNames + " + " + bNames);
            TimeWindow wider = aWindow == null ? bWindow : bWindow == null ? aWindow
                    : new TimeWindow(Math.min(aWindow.fromEpochSecond(), bWindow.fromEpochSecond()),
                    Math.max(aWindow.toEpochSecond(), bWindow.toEpochSecond()));
            assertEquals(wider, sum.window());
            assertEquals(sum, b.plus(a), "plus is symmetric");
            assertEquals(sum.plus(a), sum, "plus is idempotent");

            UnknownInputs anyTime = sum.withTimeUnknown();
            keys.add("aws:currenttime");
            keys.add("aws:epochtime");
            assertEquals(keys, anyTime.keys());
            assertEquals(families, anyTime.families());
            assertEquals(null, anyTime.window());
            assertThrows(UnsupportedOperationException.class, () -> a.keys().add("x"));
            assertThrows(UnsupportedOperationException.class, () -> sum.keys().add("x"));
            assertThrows(UnsupportedOperationException.class, () -> anyTime.families().add("x"));
        }
    }

    private static Set<String> names(SplittableRandom random) {
        Set<String> out = random.nextBoolean() ? new LinkedHashSet<>() : new HashSet<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            out.add(NAMES.get(random.nextInt(NAMES.size())));
        }
        return random.nextInt(3) == 0 ? Set.copyOf(out) : out;
    }

    private static TimeWindow window(SplittableRandom random) {
        if (random.nextBoolean()) {
            return null;
        }
        long from = random.nextLong(1_700_000_000L, 1_700_000_100L);
        return new TimeWindow(from, from + random.nextInt(400));
    }

    private static Set<String> keysOf(Set<String> names) {
        Set<String> out = new HashSet<>();
        for (String n : names) {
            if (!n.endsWith("/*")) {
                out.add(n.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static Set<String> familiesOf(Set<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.endsWith("/*")) {
                out.add(n.substring(0, n.length() - 1).toLowerCase(Locale.ROOT));
            }
        }
        return new HashSet<>(out);
    }
}
