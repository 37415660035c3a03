package dev.edgeiam.gateway;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    /**
     * The hash only picks a slot: texts with one hash and one length (found by a birthday search, and bytes that
     * differ only in the bit lower-casing sets, such as '@' and '`') are told apart by comparing them.
     */
    @Test
    void textsWithOneHashAreToldApartByTheirCharacters() {
        RecentTexts texts = new RecentTexts(1);
        assertEquals("a@", texts.ascii(bytes("a@"), 0, 2, true));
        assertEquals(RecentTexts.hash(bytes("a@"), 0, 2, true), RecentTexts.hash(bytes("a`"), 0, 2, true));
        assertEquals("a`", texts.ascii(bytes("a`"), 0, 2, true));
        assertEquals("x-forwarded-for@@", texts.ascii(bytes("X-Forwarded-For@@"), 0, 17, true));
        assertEquals("x-forwarded-for``", texts.ascii(bytes("X-Forwarded-For``"), 0, 17, true));
        assertEquals("X-Forwarded-For``", texts.ascii(bytes("X-Forwarded-For``"), 0, 17, false), "another mode, one slot");
        SplittableRandom r = new SplittableRandom(2026_12_06);
        java.util.Map<Integer, String> byHash = new java.util.HashMap<>();
        String[] pair = null;
        for (int i = 0; i < 2_000_000 && pair == null; i++) {
            int length = 9 + r.nextInt(2) * 8;
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < length; k++) {
                b.append((char) ('a' + r.nextInt(26)));
            }
            String text = b.toString();
            String before = byHash.putIfAbsent(RecentTexts.hash(bytes(text), 0, length, false), text);
            if (before != null && before.length() == length && !before.equals(text)) {
                pair = new String[] {before, text};
            }
        }
        assertNotNull(pair, "a 32-bit collision among 2,000,000 texts");
        RecentTexts one = new RecentTexts(1);
        for (int round = 0; round < 3; round++) {
            for (String text : pair) {
                assertEquals(text, one.ascii(bytes("<" + text + ">"), 1, text.length() + 1, false));
                assertEquals(text, one.ascii(bytes(text), 0, text.length(), true));
            }
        }
    }

    /** One table asked in every mode, texts placed anywhere in their bytes: always exactly the text asked for. */
    @Test
    void oneTableInEveryModeHandsOutExactlyTheTextAskedFor() {
        SplittableRandom r = new SplittableRandom(61206);
        RecentTexts texts = new RecentTexts(4, 40);
        String alphabet = "aAbB@`zZ[{-";
        for (int i = 0; i < 200_000; i++) {
            int length = r.nextInt(20) == 0 ? 39 + r.nextInt(3) : r.nextInt(12);
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < length; k++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String expected = b.toString();
            String padded = "#".repeat(r.nextInt(9)) + expected + "#".repeat(r.nextInt(9));
            int start = padded.indexOf(expected);
            byte[] in = bytes(padded);
            switch (r.nextInt(3)) {
                case 0 -> assertEquals(expected, texts.ascii(in, start, start + length, false), "bytes " + i);
                case 1 -> assertEquals(expected.toLowerCase(Locale.ROOT), texts.ascii(in, start, start + length, true),
                        "folded " + i);
                default -> assertEquals(expected, texts.substring(padded, start, start + length), "string " + i);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The hash of an ASCII text's chars is the hash of its bytes, so a text is forgotten from the slot it is in. */
    @Test
    void aTextIsForgottenFromItsSlotAndNoOtherText() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            int length = r.nextInt(40);
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < length; k++) {
                b.append((char) (0x20 + r.nextInt(0x5F)));
            }
            String text = b.toString();
            assertEquals(RecentTexts.hash(bytes(text), 0, length, false), RecentTexts.hash(text), text);
        }
        RecentTexts texts = new RecentTexts(1);
        String kept = texts.ascii(bytes("Bearer key-1"), 0, 12, false);
        texts.forget("Bearer key-2");
        assertTrue(texts.holds(kept), "another text in the same slot is not forgotten");
        texts.forget(new StringBuilder("Bearer key-1"));
        assertFalse(texts.holds("Bearer key-1"));
        RecentTexts many = new RecentTexts(512);
        for (int i = 0; i < 100; i++) {
            many.ascii(bytes("value-" + i), 0, ("value-" + i).length(), false);
        }
        many.forget("value-42");
        assertFalse(many.holds("value-42"));
        assertTrue(many.holds("value-41") || many.holds("value-43"));
        assertEquals("abc", RecentTexts.NONE.ascii(bytes("abc"), 0, 3, false));
        assertFalse(RecentTexts.NONE.holds("abc"), "NONE keeps nothing");
    }

    /** A slot's reused bytes keep nothing of the text before a shorter one, nor of a forgotten one. */
    @Test
    void aSlotKeepsNoBytesOfTheTextBefore() {
        RecentTexts texts = new RecentTexts(1);
        texts.ascii(bytes("secret-token-xyz"), 0, 16, false);
        assertTrue(texts.holds("token-xyz"));
        assertEquals("ab", texts.ascii(bytes("ab"), 0, 2, false));
        assertFalse(texts.holds("token-xyz"), "the tail of the longer text before");
        assertEquals("ab", texts.ascii(bytes("ab"), 0, 2, false));
        texts.forget("ab");
        assertFalse(texts.holds("ab"), "a forgotten text's bytes");
        assertEquals("ab", texts.ascii(bytes("ab"), 0, 2, false), "asked again after it was forgotten");
        assertEquals("", new RecentTexts(2).ascii(bytes("x"), 0, 0, false), "the empty text in a new table");
        texts.ascii(bytes("secret-token-xyz"), 0, 16, false);
        assertEquals("xyz", texts.substring("secret-xyz", 7, 10));
        assertFalse(texts.holds("token"), "a text taken from a string leaves no bytes of the one before");
        assertEquals("secret-token-xyz", texts.ascii(bytes("secret-token-xyz"), 0, 16, false));
        texts.startRead();
        texts.ascii(bytes("in-this-read"), 0, 12, false);
        texts.forgetThisRead();
        assertFalse(texts.holds("in-this-read"), "what a read put in, when that read is forgotten");
    }
}
