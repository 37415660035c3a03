package dev.edgeiam.lambda;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dispatcher's UTF-8 check (R11.4) passes ASCII eight bytes at a time: a non-ASCII byte anywhere — in a word,
 * in the tail after the last whole word, at either end — still sends the event to the strict decoder. Random
 * events against the JDK's strict decoder. Property test.
 */
class WellFormedUtf8Test {

    private static final byte[][] NON_ASCII = {
            {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, {(byte) 0xFF}, {(byte) 0x80},
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF0, (byte) 0x9F,
            (byte) 0x98, (byte) 0x80}, {(byte) 0xC3}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};

    @Test
    void agreesWithTheStrictDecoderWhereverTheNonAsciiBytesFall() {
        SplittableRandom random = new SplittableRandom(11_4L);
        int refused = 0;
        for (int i = 0; i < 40_000; i++) {
            int length = random.nextInt(40);
            byte[] event = new byte[length];
            for (int b = 0; b < length; b++) {
                event[b] = (byte) random.nextInt(0x20, 0x7F);
            }
            if (length > 0 && random.nextInt(5) > 0) {
                byte[] insert = NON_ASCII[random.nextInt(NON_ASCII.length)];
                int at = random.nextInt(length);
                System.arraycopy(insert, 0, event, at, Math.min(insert.length, length - at));
            }
            boolean expected = strict(event);
            assertEquals(expected, EventDispatcher.wellFormedUtf8(event), java.util.HexFormat.of().formatHex(event));
            refused += expected ? 0 : 1;
        }
        assertEquals(true, refused > 5_000, "ill-formed events among the cases: " + refused);
    }

    private static boolean strict(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
