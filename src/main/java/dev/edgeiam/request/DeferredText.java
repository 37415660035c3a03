package dev.edgeiam.request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * An ASCII text still in the bytes it was read from (an event's header value), made into a {@link String} only when
 * it is read as one: a bearer token of a kilobyte is read on every request, but on a warm path only its digest is
 * needed ({@link #digestInto}), which the bytes give without copying them. Reads as a {@link CharSequence} of the
 * same chars as {@link #toString()}.
 *
 * <p>The bytes must not change while the text may be read (an event's bytes, read once per invocation, do not). The
 * string made is kept; two threads may both make it, equal and immutable, so either is the same text.
 */
public final class DeferredText implements CharSequence, NameMap.Deferred<String> {

    private final byte[] source;
    private final int start;
    private final int end;
    private String made;

    private DeferredText(byte[] source, int start, int end) {
        this.source = source;
        this.start = start;
        this.end = end;
    }

    /**
     * The text of {@code source[start, end)}, every byte of which must be ASCII (checked: a text is never read other
     * than as the string {@link String#String(byte[], int, int, java.nio.charset.Charset)} makes of them).
     *
     * @throws IllegalArgumentException if a byte is not ASCII
     */
    public static DeferredText ascii(byte[] source, int start, int end) {
        Objects.checkFromToIndex(start, end, source.length);
        long highs = 0;
        int i = start;
        for (; i + 8 <= end; i += 8) {
            highs |= (long) LONGS.get(source, i);
        }
        for (; i < end; i++) {
            highs |= source[i];
        }
        if ((highs & 0x8080808080808080L) != 0) {
            throw new IllegalArgumentException("not ASCII");
        }
        return new DeferredText(source, start, end);
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Feeds the text's UTF-8 bytes to {@code digest}: for ASCII text, the bytes it was read from. The same bytes as
     * {@code toString().getBytes(UTF_8)}, without making the string.
     */
    public void digestInto(MessageDigest digest) {
        digest.update(source, start, end - start);
    }

    @Override
    public String made() {
        return toString();
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        Objects.checkIndex(index, end - start);
        return (char) source[start + index];
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return toString().subSequence(from, to);
    }

    @Override
    public boolean isEmpty() {
        return end == start;
    }

    @Override
    public String toString() {
        String text = made;
        if (text == null) {
            text = new String(source, start, end - start, StandardCharsets.US_ASCII);
            made = text;
        }
        return text;
    }
}
