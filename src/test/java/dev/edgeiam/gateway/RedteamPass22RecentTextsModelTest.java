package dev.edgeiam.gateway;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red-team pass 22: {@link RecentTexts} with kept bytes, against a reference (a text handed out is always
 * {@code new String(bytes, ISO_8859_1)}, lower-cased or not) and against its own invariant after every step: a slot
 * made from bytes holds exactly the text of its first {@code length} bytes asked its way, and nothing past them.
 */
class RedteamPass22RecentTextsModelTest {

    private static final String ALPHABET = "aAzZbB@`[{-_/09~\u007f";

    private static String reference(byte[] in, int start, int end, boolean lower) {
        String s = new String(in, start, end - start, StandardCharsets.ISO_8859_1);
        return lower ? s.toLowerCase(Locale.ROOT) : s;
    }

    private static String random(SplittableRandom r, int length, String alphabet) {
        StringBuilder b = new StringBuilder(length);
        for (int k = 0; k < length; k++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static Object field(RecentTexts t, String name) {
        try {
            Field f = RecentTexts.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every slot made from bytes: its text is its bytes asked its way; its array is zero past them. */
    static void checkInvariant(RecentTexts t, String where) {
        String[] made = (String[]) field(t, "made");
        byte[][] sources = (byte[][]) field(t, "sources");
        int[] lengths = (int[]) field(t, "lengths");
        boolean[] folded = (boolean[]) field(t, "foldedSlots");
        for (int s = 0; s < made.length; s++) {
            byte[] src = sources[s];
            int len = lengths[s];
            if (len >= 0) {
                assertNotNull(made[s], where + " slot " + s);
                assertEquals(reference(src, 0, len, folded[s]), made[s], where + " slot " + s + " text vs bytes");
            }
            for (int i = Math.max(len, 0); src != null && i < src.length; i++) {
                assertEquals(0, src[i], where + " slot " + s + " byte " + i + " past length " + len + " not zero");
            }
        }
    }

    /** Random asks of both modes, forgets and (for the control) holds over small tables; lengths 0..70. */
    @Test
    void aModelOfShortTexts() {
        SplittableRandom r = new SplittableRandom(22_01);
        for (int round = 0; round < 3; round++) {
            RecentTexts t = new RecentTexts(1 << round);
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 150_000; i++) {
                String text;
                if (!seen.isEmpty() && r.nextInt(3) == 0) {
                    text = seen.get(r.nextInt(seen.size()));
                    int op = r.nextInt(6);
                    if (op == 0) {
                        text = text.toUpperCase(Locale.ROOT);
                    } else if (op == 1) {
                        text = text.toLowerCase(Locale.ROOT);
                    } else if (op == 2 && text.length() > 1) {
                        text = text.substring(r.nextInt(text.length()));
                    } else if (op == 3 && text.length() > 1) {
                        text = text.substring(0, r.nextInt(text.length()));
                    }
                } else {
                    int length = r.nextInt(4) == 0 ? 60 + r.nextInt(11) : r.nextInt(20);
                    text = random(r, length, ALPHABET);
                }
                if (seen.size() < 64) {
                    seen.add(text);
                } else {
                    seen.set(r.nextInt(64), text);
                }
                int pad = r.nextInt(3);
                byte[] in = ("#".repeat(pad) + text + "#").getBytes(StandardCharsets.ISO_8859_1);
                int end = pad + text.length();
                if (r.nextInt(10) == 0) {
                    t.forget(text);
                    String[] made = (String[]) field(t, "made");
                    int slot = RecentTexts.hash(text) & (made.length - 1);
                    assertFalse(made[slot] != null && made[slot].equals(text), "forgotten " + text);
                    if (text.length() <= RecentTexts.MAX_LENGTH && text.length() > 0) {
                        // nothing in the forgotten slot
                        byte[] src = ((byte[][]) field(t, "sources"))[slot];
                        for (int k = 0; src != null && k < src.length; k++) {
                            if (made[slot] == null) {
                                assertEquals(0, src[k], "forgotten slot zeroed");
                            }
                        }
                    }
                } else {
                    boolean lower = r.nextBoolean();
                    assertEquals(reference(in, pad, end, lower), t.ascii(in, pad, end, lower), "ask " + i);
                }
                checkInvariant(t, "round " + round + " step " + i);
            }
        }
    }

    /** The ARN-sized table: lengths up to 1,600, texts that share long prefixes and suffixes. */
    @Test
    void aModelOfArnSizedTexts() {
        SplittableRandom r = new SplittableRandom(22_02);
        RecentTexts t = new RecentTexts(2, 1_600);
        String base = random(r, 1_600, ALPHABET);
        for (int i = 0; i < 20_000; i++) {
            int a = r.nextInt(4) == 0 ? 0 : r.nextInt(1_600);
            int b = r.nextInt(4) == 0 ? 1_600 : a + r.nextInt(1_601 - a);
            String text = base.substring(a, b);
            if (r.nextInt(5) == 0) {
                char[] c = text.toCharArray();
                if (c.length > 0) {
                    int k = r.nextInt(c.length);
                    c[k] = Character.isUpperCase(c[k]) ? Character.toLowerCase(c[k]) : Character.toUpperCase(c[k]);
                }
                text = new String(c);
            }
            byte[] in = ("x" + text).getBytes(StandardCharsets.ISO_8859_1);
            boolean lower = r.nextBoolean();
            if (r.nextInt(8) == 0) {
                t.forget(text);
            } else {
                assertEquals(reference(in, 1, in.length, lower), t.ascii(in, 1, in.length, lower), "ask " + i);
            }
            checkInvariant(t, "arn step " + i);
        }
    }

    /** Case-only differences and equal-hash texts, one slot, both orders of the two modes. */
    @Test
    void caseAndHashTwinsInOneSlot() {
        RecentTexts t = new RecentTexts(1);
        String[][] pairs = {{"Authorization", "authorization"}, {"X-API-KEY", "x-api-key"}, {"a@", "a`"},
                {"@@@@@@@@@", "`````````"}, {"[", "{"}};
        for (String[] p : pairs) {
            for (int order = 0; order < 4; order++) {
                for (String text : new String[] {p[order & 1], p[1 - (order & 1)], p[order & 1]}) {
                    for (boolean lower : new boolean[] {(order & 2) != 0, (order & 2) == 0}) {
                        byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
                        assertEquals(reference(in, 0, in.length, lower), t.ascii(in, 0, in.length, lower));
                        checkInvariant(t, text + " " + lower);
                    }
                }
            }
        }
        // a birthday search for equal 8-byte-word hashes across modes and lengths
        SplittableRandom r = new SplittableRandom(22_03);
        Map<Integer, String> byHash = new HashMap<>();
        int found = 0;
        for (int i = 0; i < 400_000 && found < 40; i++) {
            String text = random(r, 9 + r.nextInt(3), "aAbB@`");
            boolean lower = r.nextBoolean();
            byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
            int h = RecentTexts.hash(in, 0, in.length, lower);
            String key = (lower ? "L" : "N") + text;
            String other = byHash.putIfAbsent(h, key);
            if (other != null && !other.equals(key)) {
                found++;
                for (String k : new String[] {other, key, other}) {
                    byte[] kin = k.substring(1).getBytes(StandardCharsets.ISO_8859_1);
                    boolean kl = k.charAt(0) == 'L';
                    assertEquals(reference(kin, 0, kin.length, kl), t.ascii(kin, 0, kin.length, kl), k);
                    checkInvariant(t, k);
                }
            }
        }
        assertTrue(found > 0, "collisions found");
    }

    /** Forget: of a text absent, present in the other mode, non-ASCII; then ask again. */
    @Test
    void forgetEdges() {
        RecentTexts t = new RecentTexts(1);
        byte[] in = "Secret-Key-1".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("secret-key-1", t.ascii(in, 0, in.length, true));
        t.forget("secret-key-1"); // the folded text: its slot was hashed with the case bits
        checkInvariant(t, "folded forget");
        assertEquals("Secret-Key-1", t.ascii(in, 0, in.length, false));
        t.forget("Secret-Key-\u00e9");
        t.forget("Secret-Key-2");
        assertTrue(t.holds("Secret-Key-1"));
        t.forget("Secret-Key-1");
        assertFalse(t.holds("Secret-Key-1"));
        assertFalse(t.holds("Secret"));
        checkInvariant(t, "forgotten");
        assertEquals("Secret-Key-1", t.ascii(in, 0, in.length, false));
        assertEquals("", t.ascii(in, 3, 3, false));
        t.forget("");
        checkInvariant(t, "empty forgotten");
        assertEquals("", t.ascii(in, 3, 3, true));
        assertNull(((String[]) field(RecentTexts.NONE, "made"))[0]);
        assertEquals("Secret-Key-1", RecentTexts.NONE.ascii(in, 0, in.length, false));
        assertFalse(RecentTexts.NONE.holds("Secret-Key-1"));
    }

    /**
     * Latent (no production caller mixes the two: MethodArn's table only takes substring): substring() takes a slot
     * over without zeroing the bytes kept there, and a shorter ascii() text after it leaves the old tail.
     */
    @Test
    void substringThenAsciiLeavesNoBytes() {
        RecentTexts t = new RecentTexts(1);
        byte[] in = "opaque-credential-0123".getBytes(StandardCharsets.ISO_8859_1);
        t.ascii(in, 0, in.length, false);
        t.substring("route", 0, 5);
        t.forget("opaque-credential-0123");
        t.ascii("ab".getBytes(StandardCharsets.ISO_8859_1), 0, 2, false);
        assertFalse(t.holds("credential-0123"), "the credential's tail is kept");
    }
}
