package dev.edgeiam.request;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NameMap} answers as a {@link LinkedHashMap} of the same pairs (look-ups of present, absent and colliding
 * names, equality and hash code both ways, iteration in order), refuses repeated or null names and null values, and
 * cannot be changed through any view.
 */
class NameMapTest {

    @Test
    void answersAsALinkedHashMapOfTheSamePairs() {
        SplittableRandom r = new SplittableRandom(612);
        List<String> vocabulary = List.of("authorization", "host", "x-forwarded-for", "az", "b[", "bz", "c[", "",
                "X-Upper", "x-upper", "\u00e9t\u00e9");
        for (int round = 0; round < 3_000; round++) {
            Map<String, String> oracle = new LinkedHashMap<>();
            List<Object> pairs = new ArrayList<>();
            for (int k = r.nextInt(vocabulary.size() + 1); k > 0; k--) {
                String name = vocabulary.get(r.nextInt(vocabulary.size()));
                if (!oracle.containsKey(name)) {
                    String value = "v" + r.nextInt(100);
                    oracle.put(name, value);
                    pairs.add(name);
                    // a value may be given deferred (made when read): the map reads the same
                    byte[] bytes = ("<" + value + ">").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    pairs.add(r.nextInt(3) == 0 ? DeferredText.ascii(bytes, 1, bytes.length - 1) : value);
                }
            }
            NameMap<String> map = r.nextBoolean() ? NameMap.of(pairs) : NameMap.of(pairs.toArray(), pairs.size() / 2);
            assertEquals(oracle, map);
            assertEquals(map, oracle);
            assertEquals(oracle.hashCode(), map.hashCode());
            assertEquals(oracle.size(), map.size());
            assertEquals(new ArrayList<>(oracle.entrySet()), new ArrayList<>(map.entrySet()), "in the order given");
            for (String name : vocabulary) {
                assertEquals(oracle.get(name), map.get(name), name);
                assertEquals(oracle.containsKey(name), map.containsKey(name), name);
                assertEquals(oracle.getOrDefault(name, "-"), map.getOrDefault(name, "-"), name);
            }
            assertNull(map.get(null));
            assertNull(map.get(42));
            List<String> seen = new ArrayList<>();
            map.forEach((k, v) -> seen.add(k + "=" + v));
            List<String> expected = new ArrayList<>();
            oracle.forEach((k, v) -> expected.add(k + "=" + v));
            assertEquals(expected, seen);
        }
    }

    @Test
    void refusesRepeatsAndNullsAndCannotBeChanged() {
        assertThrows(IllegalArgumentException.class, () -> NameMap.of(List.of("a", "1", "b", "2", "a", "3")));
        assertThrows(NullPointerException.class, () -> NameMap.of(new Object[]{null, "1"}, 1));
        assertThrows(NullPointerException.class, () -> NameMap.of(new Object[]{"a", null}, 1));
        Object[] given = {"a", "1", "b", "2"};
        NameMap<String> map = NameMap.of(given, 2);
        given[1] = "changed";
        assertEquals("1", map.get("a"), "the pairs are copied");
        assertThrows(UnsupportedOperationException.class, () -> map.put("c", "3"));
        assertThrows(UnsupportedOperationException.class, () -> map.remove("a"));
        assertThrows(UnsupportedOperationException.class, map::clear);
        assertThrows(UnsupportedOperationException.class, () -> map.keySet().remove("a"));
        assertThrows(UnsupportedOperationException.class, () -> map.values().clear());
        assertThrows(UnsupportedOperationException.class, () -> map.entrySet().iterator().next().setValue("x"));
        assertThrows(UnsupportedOperationException.class, () -> map.replaceAll((k, v) -> "x"));
        assertThrows(UnsupportedOperationException.class, () -> map.putIfAbsent("z", "x"));
        assertEquals(Map.of("a", "1", "b", "2"), map);
        assertSame(NameMap.of(List.of()), NameMap.of(new Object[0], 0));
        assertTrue(NameMap.of(List.of()).isEmpty());
    }

    /**
     * A deferred value is held as given until something reads it, is made once, and is held made after: so a
     * credential can be digested from its bytes ({@link NameMap#held}) without the map ever making it.
     */
    @Test
    void aDeferredValueIsMadeOnceWhenFirstRead() {
        java.util.concurrent.atomic.AtomicInteger makes = new java.util.concurrent.atomic.AtomicInteger();
        NameMap.Deferred<String> token = () -> {
            makes.incrementAndGet();
            return "Bearer " + "t".repeat(80);
        };
        NameMap<String> map = NameMap.of(List.of("host", "h", "authorization", token));
        assertSame(token, map.held("authorization"));
        assertSame(token, map.held(1));
        assertEquals("h", map.get("host"));
        assertEquals(0, makes.get(), "reading another value does not make it");
        String made = map.get("authorization");
        assertEquals("Bearer " + "t".repeat(80), made);
        assertSame(made, map.held(1));
        assertSame(made, map.value(1));
        assertEquals(Map.of("host", "h", "authorization", made), map);
        assertEquals(1, makes.get());
        NameMap<String> broken = NameMap.of(List.of("a", (NameMap.Deferred<String>) () -> null));
        assertThrows(NullPointerException.class, () -> broken.get("a"));
    }
}
