package dev.edgeiam.evaluate;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CompiledPolicySet#isResourceTagKey} skips lower-casing keys that are folded already; it must answer as
 * lower-casing every key would, for keys in any case and with non-ASCII look-alikes (KELVIN SIGN, dotted capital I,
 * long s, final sigma) anywhere, including around the 20 characters the longer prefix covers.
 */
class ResourceTagKeyTest {

    static boolean reference(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.startsWith("aws:resourcetag/") || lower.startsWith("connect:resourcetag/");
    }

    private static final String[] STARTS = {"aws:resourcetag/", "connect:resourcetag/", "aws:ResourceTag/",
        "Connect:ResourceTag/", "aws:resourcetag", "connect:resourcetaG", "aws:requesttag/", "aws:sourceip", ""};
    private static final char[] NOISE = {'a', 'Z', '/', ':', 'k', '\u212A', '\u0130', '\u017F', '\u03A3', 'S', 'T',
        'g', 'G', 'é', 'É'};

    @Test
    void answersAsLowerCasingEveryKeyWould() {
        SplittableRandom r = new SplittableRandom(15_6L);
        int tagKeys = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder(STARTS[r.nextInt(STARTS.length)]);
            for (int k = r.nextInt(4); k > 0 && sb.length() > 0; k--) { // damage the start: any case, look-alikes
                int at = r.nextInt(sb.length());
                sb.setCharAt(at, r.nextBoolean() ? Character.toUpperCase(sb.charAt(at)) : NOISE[r.nextInt(NOISE.length)]);
            }
            for (int k = r.nextInt(8); k > 0; k--) {
                sb.append(NOISE[r.nextInt(NOISE.length)]);
            }
            String key = sb.toString();
            boolean expected = reference(key);
            assertEquals(expected, CompiledPolicySet.isResourceTagKey(key), key);
            if (expected) {
                tagKeys++;
            }
        }
        assertTrue(tagKeys > 5_000 && tagKeys < 45_000, "tag keys " + tagKeys);
    }
}
