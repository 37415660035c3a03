package dev.edgeiam.gateway;

import java.util.Arrays;

/**
 * A compact JSON writer for the authorizer's answers, straight into bytes: objects, arrays, strings, integers and
 * booleans, nothing else. Its bytes are the ones Jackson's {@code UTF8JsonGenerator} (2.21, default features)
 * writes for the same calls — {@code \b \t \n \f \r \" \\} escaped short, other characters below U+0020 and every
 * UTF-16 surrogate (paired or not) as an upper-case {@code \}{@code uXXXX}, everything else as UTF-8 — which
 * {@code AnswerBytesTest} checks against Jackson on random text. JSON grammar: RFC 8259,
 * https://www.rfc-editor.org/rfc/rfc8259#section-7.
 *
 * <p>One instance per thread, reused: {@link #lend()} hands the bytes written out as a {@link WrittenAnswer} that reads
 * them from this writer's buffer until the thread starts its next answer ({@link #reset()}), and refuses to read them
 * after that or from another thread. Not thread-safe.
 */
final class AnswerBytes {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** The short escape letter of a character below U+0020, or 0 when it is written as a hex escape. */
    private static final byte[] SHORT_ESCAPE = new byte[0x20];

    static {
        SHORT_ESCAPE['\b'] = 'b';
        SHORT_ESCAPE['\t'] = 't';
        SHORT_ESCAPE['\n'] = 'n';
        SHORT_ESCAPE['\f'] = 'f';
        SHORT_ESCAPE['\r'] = 'r';
    }

    private byte[] buf = new byte[1024];
    private int len;
    /** The thread whose writer this is (made by its {@code ThreadLocal}): the only one that reads lent bytes. */
    private final Thread owner = Thread.currentThread();
    /** Moved on by every {@link #reset()}: bytes lent under an earlier value are no longer there to read. */
    private long lease;
    /** Bit {@code depth}: the open container at that depth has a member or element already (a comma is due). */
    private long hasMember;
    private int depth;
    /** Set after a member name: the next value follows the colon, with no comma. */
    private boolean afterName;

    /** Starts an object (a member's value after {@link #name}, an array element, or the top level). */
    AnswerBytes startObject() {
        beforeValue();
        put('{');
        open();
        return this;
    }

    AnswerBytes endObject() {
        close();
        put('}');
        return this;
    }

    AnswerBytes startArray() {
        beforeValue();
        put('[');
        open();
        return this;
    }

    AnswerBytes endArray() {
        close();
        put(']');
        return this;
    }

    /** A member name inside an object; the value must follow. */
    AnswerBytes name(String name) {
        comma();
        quoted(name);
        put(':');
        afterName = true;
        return this;
    }

    /** A string value; null is written as JSON {@code null} (as Jackson's {@code writeString(null)}). */
    AnswerBytes string(String value) {
        beforeValue();
        if (value == null) {
            ascii("null");
        } else {
            quoted(value);
        }
        return this;
    }

    AnswerBytes number(long value) {
        beforeValue();
        String digits = Long.toString(value);
        ensure(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            buf[len++] = (byte) digits.charAt(i);
        }
        return this;
    }

    AnswerBytes bool(boolean value) {
        beforeValue();
        ascii(value ? "true" : "false");
        return this;
    }

    /**
     * @return the bytes written since the last reset, lent from this writer's buffer until its next {@link #reset()}
     * @throws IllegalStateException if a container is still open
     */
    WrittenAnswer lend() {
        if (depth != 0) {
            reset();
            throw new IllegalStateException("an object or array is still open");
        }
        return WrittenAnswer.lent(this, lease, len);
    }

    /**
     * The buffer holding the bytes lent under {@code lent}.
     *
     * @throws IllegalStateException on another thread than this writer's, or once it has started another answer
     */
    byte[] lentBytes(long lent) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("an answer's bytes are read on the thread that wrote them");
        }
        if (lent != lease) {
            throw new IllegalStateException("an answer's bytes are read before its thread writes another answer");
        }
        return buf;
    }

    /** Forgets everything written (a writer reused after an exception starts clean). */
    AnswerBytes reset() {
        lease++;
        len = 0;
        depth = 0;
        hasMember = 0;
        afterName = false;
        if (buf.length > 64 * 1024) {
            buf = new byte[1024]; // an unusually large answer does not pin its buffer to the thread
        }
        return this;
    }

    private void open() {
        if (++depth > 62) {
            throw new IllegalStateException("nested deeper than 62");
        }
        hasMember &= ~(1L << depth);
    }

    private void close() {
        if (depth == 0) {
            throw new IllegalStateException("nothing is open");
        }
        depth--;
        afterName = false;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        comma();
    }

    private void comma() {
        long bit = 1L << depth;
        if (depth > 0 && (hasMember & bit) != 0) {
            put(',');
        }
        hasMember |= bit;
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    /**
     * The quoted, escaped bytes of strings written before, by identity: most of an answer's strings are the same
     * instances answer after answer (the caller's ARN, the statement's policy and Sid, the action, the reason
     * labels), so their bytes are copied instead of encoded again. A slot holds its string strongly, so a string
     * found there by {@code ==} is the very string encoded (strings are immutable); only short strings are kept.
     */
    private final String[] encodedStrings = new String[ENCODED_SLOTS];
    private final byte[][] encodedBytes = new byte[ENCODED_SLOTS][];
    private static final int ENCODED_SLOTS = 64;
    private static final int ENCODED_MAX_LENGTH = 256;

    private void quoted(String s) {
        if (s.length() > ENCODED_MAX_LENGTH) {
            encode(s);
            return;
        }
        int slot = System.identityHashCode(s) & (ENCODED_SLOTS - 1);
        if (encodedStrings[slot] != s) {
            // first sighting: remembered without its bytes, so a string written once (a request's own ARN) costs
            // no copy; the second sighting keeps the bytes
            encodedStrings[slot] = s;
            encodedBytes[slot] = null;
            encode(s);
            return;
        }
        byte[] bytes = encodedBytes[slot];
        if (bytes == null) {
            int start = len;
            encode(s);
            encodedBytes[slot] = Arrays.copyOfRange(buf, start, len);
            return;
        }
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    /** The chars of the string being encoded, copied out in bulk (reused; grown for a longer string). */
    private char[] chars = new char[256];

    private void encode(String s) {
        int n = s.length();
        ensure(6 * n + 2); // the most a character takes is six bytes (an escape): no check inside the loop
        if (n > chars.length) {
            chars = new char[Math.max(n, 2 * chars.length)];
        }
        char[] cs = chars;
        s.getChars(0, n, cs, 0); // one bulk copy instead of a charAt (with its coder test) per character
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[at++] = (byte) c;
            } else {
                at = escapedOrEncoded(b, at, c);
            }
        }
        b[at++] = '"';
        len = at;
    }

    /** Writes one character that is not plain ASCII at {@code at}; returns the next position. */
    private static int escapedOrEncoded(byte[] b, int at, char c) {
        if (c == '"' || c == '\\') {
            b[at++] = '\\';
            b[at++] = (byte) c;
        } else if (c < 0x20) {
            b[at++] = '\\';
            if (SHORT_ESCAPE[c] != 0) {
                b[at++] = SHORT_ESCAPE[c];
            } else {
                at = hexEscape(b, at, c);
            }
        } else if (c < 0x800) {
            b[at++] = (byte) (0xC0 | (c >> 6));
            b[at++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
            b[at++] = '\\';
            at = hexEscape(b, at, c);
        } else {
            b[at++] = (byte) (0xE0 | (c >> 12));
            b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            b[at++] = (byte) (0x80 | (c & 0x3F));
        }
        return at;
    }

    /** {@code uXXXX} at {@code at} (the backslash is already written); returns the next position. */
    private static int hexEscape(byte[] b, int at, char c) {
        b[at++] = 'u';
        b[at++] = HEX[(c >> 12) & 0xF];
        b[at++] = HEX[(c >> 8) & 0xF];
        b[at++] = HEX[(c >> 4) & 0xF];
        b[at++] = HEX[c & 0xF];
        return at;
    }

    private void put(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
