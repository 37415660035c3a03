package dev.edgeiam.request;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link DeferredText} reads as the string of its bytes (every char, its length, sub-sequences, the string made,
 * kept once made), digests the same bytes as that string's UTF-8, and refuses bytes that are not ASCII wherever
 * they are (a non-ASCII byte at each position of words and tails).
 */
class DeferredTextTest {

    @Test
    void readsAsTheStringOfItsBytes() throws Exception {
        SplittableRandom random = new SplittableRandom(1206);
        for (int round = 0; round < 3_000; round++) {
            byte[] source = new byte[random.nextInt(1, 300)];
            for (int i = 0; i < source.length; i++) {
                source[i] = (byte) random.nextInt(0, 0x80);
            }
            int start = random.nextInt(source.length);
            int end = random.nextInt(start, source.length + 1);
            String expected = new String(source, start, end - start, StandardCharsets.ISO_8859_1);
            DeferredText text = DeferredText.ascii(source, start, end);
            assertEquals(expected.length(), text.length());
            assertEquals(expected.isEmpty(), text.isEmpty());
            for (int i = 0; i < expected.length(); i++) {
                assertEquals(expected.charAt(i), text.charAt(i));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> text.charAt(expected.length()));
            assertThrows(IndexOutOfBoundsException.class, () -> text.charAt(-1));
            if (!expected.isEmpty()) {
                int from = random.nextInt(expected.length());
                int to = random.nextInt(from, expected.length() + 1);
                assertEquals(expected.substring(from, to), text.subSequence(from, to).toString());
            }
            assertEquals(expected, text.toString());
            assertSame(text.toString(), text.made(), "made once, kept");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            text.digestInto(sha);
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(expected.getBytes(StandardCharsets.UTF_8)),
                    sha.digest());
        }
    }

    @Test
    void bytesThatAreNotAsciiAreRefusedWhereverTheyAre() {
        for (int length = 1; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                for (int high : new int[] {0x80, 0xC3, 0xFF}) {
                    byte[] source = new byte[length + 2];
                    java.util.Arrays.fill(source, (byte) 'a');
                    source[1 + at] = (byte) high;
                    assertThrows(IllegalArgumentException.class, () -> DeferredText.ascii(source, 1,
                            source.length - 1), length + "@" + at);
                }
            }
            byte[] outside = new byte[length + 2];
            java.util.Arrays.fill(outside, (byte) 'a');
            outside[0] = (byte) 0x80;
            outside[outside.length - 1] = (byte) 0x80;
            assertEquals(length, DeferredText.ascii(outside, 1, outside.length - 1).length(),
                    "only its own bytes are checked");
        }
        assertThrows(IndexOutOfBoundsException.class, () -> DeferredText.ascii(new byte[4], 2, 5));
    }
}
