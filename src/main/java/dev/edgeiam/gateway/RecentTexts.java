package dev.edgeiam.gateway;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Short texts made lately, by hash, so that a text seen again is handed out again instead of made anew: the header
 * names, the short header and request values and the fields of the method ARN repeat from one event to the next.
 * Direct-mapped and bounded (a slot holds the last text that hashed to it); a text is handed out only when it is
 * exactly the text asked for, so what a caller gets is the same as a new string. One per thread and purpose, never
 * shared between threads (not thread-safe). The hash only picks the slot and rejects most other texts quickly; a text is
 * handed out only after the bytes it was made from are compared with the ones asked for ({@link #substring}: its
 * characters with the string's).
 */
final class RecentTexts {

    /**
     * By default longer texts are made every time: they are rarely the same twice (tokens, paths with ids), and a
     * bearer token is not to be kept.
     */
    static final int MAX_LENGTH = 64;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MIX = 0x9E3779B97F4A7C15L;
    /** ORed into every byte of an ASCII text asked for lower-cased: A–Z hash as a–z (other bytes may collide). */
    private static final long CASE_BITS = 0x2020202020202020L;

    /** A table that keeps nothing (every text is made): for texts that may hold a credential. Safe to share. */
    static final RecentTexts NONE = new RecentTexts(1, -1);

    private final String[] made;
    /** The hash {@link #ascii} computed for the slot's bytes (read only while {@link #lengths} says it has bytes). */
    private final int[] hashes;
    /**
     * The bytes the slot's text was made from, its first {@link #lengths} bytes (the rest zero), with
     * {@link #foldedSlots} saying whether it was lower-cased: the same bytes asked for the same way are the same text.
     * A slot's array is reused for the next text that fits.
     */
    private final byte[][] sources;
    /** The length of the slot's bytes; -1 when its text was not made from bytes (or was forgotten, or none yet). */
    private final int[] lengths;
    private final boolean[] foldedSlots;
    /** The read ({@link #startRead}) in which each slot's text was last put there. */
    private final int[] storedIn;
    private int read;
    private final int maxLength;

    RecentTexts(int slots) {
        this(slots, MAX_LENGTH);
    }

    /** A table for texts of at most {@code maxLength} characters (a longer one is made every time). */
    RecentTexts(int slots, int maxLength) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.made = new String[slots];
        this.hashes = new int[slots];
        this.sources = new byte[slots][];
        this.lengths = new int[slots];
        Arrays.fill(lengths, -1);
        this.foldedSlots = new boolean[slots];
        this.storedIn = new int[slots];
        this.maxLength = maxLength;
    }

    /**
     * The text of the ASCII bytes {@code in[start, end)}, A–Z lower-cased when {@code lowerCase}; the caller has
     * checked every byte is ASCII.
     */
    String ascii(byte[] in, int start, int end, boolean lowerCase) {
        int length = end - start;
        if (length > maxLength) {
            return make(in, start, end, lowerCase);
        }
        int hash = hash(in, start, end, lowerCase);
        int slot = hash & (made.length - 1);
        byte[] source = sources[slot];
        if (lengths[slot] == length && hashes[slot] == hash && foldedSlots[slot] == lowerCase
                && Arrays.equals(in, start, end, source, 0, length)) {
            return made[slot];
        }
        String text = make(in, start, end, lowerCase);
        if (source == null || source.length < length) {
            source = new byte[Math.max(length, 16)];
            sources[slot] = source;
        } else if (lengths[slot] > length) {
            Arrays.fill(source, length, lengths[slot], (byte) 0); // nothing of the text before is left
        }
        System.arraycopy(in, start, source, 0, length);
        made[slot] = text;
        hashes[slot] = hash;
        lengths[slot] = length;
        foldedSlots[slot] = lowerCase;
        storedIn[slot] = read;
        return text;
    }

    /**
     * A hash of {@code in[start, end)} read eight bytes at a time (the last word overlapping the one before it), each
     * byte with {@link #CASE_BITS} when {@code lowerCase}: one multiply per word, where {@code String.hashCode} takes
     * one per byte, in a chain.
     */
    static int hash(byte[] in, int start, int end, boolean lowerCase) {
        long caseBits = lowerCase ? CASE_BITS : 0;
        long h = (end - start) * MIX;
        if (end - start >= Long.BYTES) {
            int i = start;
            for (; i + Long.BYTES < end; i += Long.BYTES) {
                h = mixed(h, (long) LONGS.get(in, i) | caseBits);
            }
            h = mixed(h, (long) LONGS.get(in, end - Long.BYTES) | caseBits);
        } else {
            long w = 0;
            for (int i = end - 1; i >= start; i--) {
                w = w << 8 | (in[i] & 0xFF);
            }
            h = end == start ? h : mixed(h, w | (caseBits >>> (8 * (Long.BYTES - (end - start)))));
        }
        return finished(h);
    }

    /**
     * Empties the slot holding {@code text}, if this table holds it (a text once asked for by {@link #ascii} without
     * lower-casing): a credential read from an event is not kept after its request.
     */
    void forget(CharSequence text) {
        int length = text.length();
        if (length > maxLength) {
            return;
        }
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) >= 0x80) {
                return; // only ASCII texts are kept
            }
        }
        int slot = hash(text) & (made.length - 1);
        String known = made[slot];
        if (known != null && known.contentEquals(text)) {
            emptied(slot);
        }
    }

    /** Starts a read: the texts put in from now on are the ones {@link #forgetThisRead} forgets. */
    void startRead() {
        read++;
    }

    /**
     * Forgets (and zeroes) every text put in since {@link #startRead}: an event the reader declines, or that is not
     * answered as an authorizer request, never has its credential forgotten by the authorizer.
     */
    void forgetThisRead() {
        for (int slot = 0; slot < made.length; slot++) {
            if (storedIn[slot] == read && lengths[slot] >= 0) {
                emptied(slot);
            }
        }
    }

    private void emptied(int slot) {
        made[slot] = null;
        lengths[slot] = -1;
        if (sources[slot] != null) {
            Arrays.fill(sources[slot], (byte) 0);
        }
    }

    /** Whether this table holds {@code text}, as a text or among the bytes it keeps (for tests). */
    boolean holds(CharSequence text) {
        for (String known : made) {
            if (known != null && known.contentEquals(text)) {
                return true;
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] source : sources) {
            for (int i = 0; source != null && bytes.length > 0 && i + bytes.length <= source.length; i++) {
                if (Arrays.equals(source, i, i + bytes.length, bytes, 0, bytes.length)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@link #hash(byte[], int, int, boolean)} of an ASCII text's bytes, not lower-cased, read from its chars. */
    static int hash(CharSequence text) {
        int length = text.length();
        long h = length * MIX;
        if (length >= Long.BYTES) {
            int i = 0;
            for (; i + Long.BYTES < length; i += Long.BYTES) {
                h = mixed(h, word(text, i));
            }
            h = mixed(h, word(text, length - Long.BYTES));
        } else {
            long w = 0;
            for (int i = length - 1; i >= 0; i--) {
                w = w << 8 | text.charAt(i);
            }
            h = length == 0 ? h : mixed(h, w);
        }
        return finished(h);
    }

    private static long word(CharSequence text, int at) {
        long w = 0;
        for (int k = Long.BYTES - 1; k >= 0; k--) {
            w = w << 8 | text.charAt(at + k);
        }
        return w;
    }

    private static long mixed(long h, long word) {
        return Long.rotateLeft((h ^ word) * MIX, 29); // the product's high bits, where a word's last bytes land, low
    }

    /** MurmurHash3's 64-bit finalizer: every bit of {@code h} reaches the low bits, which pick the slot. */
    private static int finished(long h) {
        h = (h ^ h >>> 33) * 0xFF51AFD7ED558CCDL;
        h = (h ^ h >>> 33) * 0xC4CEB9FE1A85EC53L;
        return (int) (h ^ h >>> 33);
    }

    /** {@code source.substring(start, end)}. */
    String substring(String source, int start, int end) {
        int length = end - start;
        if (length > maxLength) {
            return source.substring(start, end);
        }
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + source.charAt(i);
        }
        int slot = (hash ^ (hash >>> 16)) & (made.length - 1);
        String known = made[slot];
        if (known != null && known.hashCode() == hash && known.length() == length
                && source.regionMatches(start, known, 0, length)) {
            return known;
        }
        String text = source.substring(start, end);
        emptied(slot); // not made from bytes: ascii never hands it out, and no bytes of the text before stay
        made[slot] = text;
        return text;
    }

    private static int folded(byte c, boolean lowerCase) {
        return lowerCase && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private static String make(byte[] in, int start, int end, boolean lowerCase) {
        boolean upper = false;
        for (int i = start; lowerCase && !upper && i < end; i++) {
            upper = in[i] >= 'A' && in[i] <= 'Z';
        }
        if (!upper) {
            return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
        }
        byte[] folded = Arrays.copyOfRange(in, start, end);
        for (int i = 0; i < folded.length; i++) {
            folded[i] = (byte) folded(folded[i], true);
        }
        return new String(folded, StandardCharsets.ISO_8859_1);
    }
}
