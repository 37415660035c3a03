package dev.edgeiam.gateway;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link RecentTexts} hands out exactly the text asked for: random ASCII texts from a small alphabet (so slots and
 * hash codes collide: "az" and "b[" have one hash code), lower-cased or not, from bytes and from strings, at and past
 * {@link RecentTexts#MAX_LENGTH}; and a text seen again is the same instance.
 */
class RecentTextsTest {

    @Test
    void handsOutExactlyTheTextAskedFor() {
        SplittableRandom r = new SplittableRandom(1206);
        RecentTexts bytes = new RecentTexts(8);
        RecentTexts folded = new RecentTexts(8);
        RecentTexts strings = new RecentTexts(8);
        String alphabet = "azAZb[c[-_/09";
        for (int i = 0; i < 200_000; i++) {
            int length = r.nextInt(5) == 0 ? RecentTexts.MAX_LENGTH - 1 + r.nextInt(3) : r.nextInt(4);
            StringBuilder b = new StringBuilder("xx");
            for (int k = 0; k < length; k++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String text = b.append("yy").toString();
            byte[] in = text.getBytes(StandardCharsets.US_ASCII);
            int end = in.length - 2;
            String expected = text.substring(2, end);
            assertEquals(expected, bytes.ascii(in, 2, end, false), "bytes " + i);
            assertEquals(expected.toLowerCase(Locale.ROOT), folded.ascii(in, 2, end, true), "folded " + i);
            assertEquals(expected, strings.substring(text, 2, end), "string " + i);
        }
    }

    @Test
    void aTextSeenAgainIsTheSameInstance() {
        RecentTexts texts = new RecentTexts(64);
        byte[] in = "GET /users Host".getBytes(StandardCharsets.US_ASCII);
        String first = texts.ascii(in, 0, 3, false);
        assertSame(first, texts.ascii(in, 0, 3, false));
        assertEquals("az".hashCode(), "b[".hashCode());
        String az = texts.substring("az", 0, 2);
        assertEquals("b[", texts.substring("b[", 0, 2), "same hash, other text");
        assertEquals("az", texts.substring("az", 0, 2));
        assertSame(texts.substring("xHosty", 1, 5), texts.substring("Host", 0, 4));
        assertEquals("host", new RecentTexts(2).ascii(in, 11, 15, true));
        assertThrows(IllegalArgumentException.class, () -> new RecentTexts(12));
        assertEquals("az", az);
    }
}
