package dev.edgeiam.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * An answer's exact JSON bytes: either an array of its own, or still in the buffer of the thread that wrote it
 * ({@link AnswerBytes}), lent until that thread starts its next answer — so the function's usual answer is written
 * to the Lambda runtime's stream from that buffer, never copied into an array of its own first.
 *
 * <p>A lent answer is read only on the thread that wrote it, and only before that thread starts another answer;
 * any other read throws {@link IllegalStateException} (the dispatcher and the handler turn that into an error
 * answer). So it never reads as another answer's bytes.
 */
public final class WrittenAnswer {

    private final byte[] owned;
    private final AnswerBytes lender;
    private final long lease;
    private final int length;

    private WrittenAnswer(byte[] owned, AnswerBytes lender, long lease, int length) {
        this.owned = owned;
        this.lender = lender;
        this.lease = lease;
        this.length = length;
    }

    /** An answer given as its bytes (kept, not copied: the caller hands the array over). */
    public static WrittenAnswer of(byte[] json) {
        return new WrittenAnswer(Objects.requireNonNull(json, "json"), null, 0, json.length);
    }

    /** The bytes {@code lender} holds under {@code lease} ({@link AnswerBytes#lend()}). */
    static WrittenAnswer lent(AnswerBytes lender, long lease, int length) {
        return new WrittenAnswer(null, lender, lease, length);
    }

    /** How many bytes the answer is. */
    public int length() {
        return length;
    }

    /**
     * The bytes as an array: its own, or a copy of the lent bytes.
     *
     * @throws IllegalStateException if lent and read on another thread or after its thread started another answer
     */
    public byte[] bytes() {
        return owned != null ? owned : Arrays.copyOf(lender.lentBytes(lease), length);
    }

    /**
     * Writes the bytes to {@code out}.
     *
     * @throws IllegalStateException if lent and read on another thread or after its thread started another answer
     */
    public void writeTo(OutputStream out) throws IOException {
        out.write(owned != null ? owned : lender.lentBytes(lease), 0, length);
    }
}
