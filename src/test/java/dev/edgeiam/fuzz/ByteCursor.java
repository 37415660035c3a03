package dev.edgeiam.fuzz;

/**
 * TEST ONLY: turns fuzzer bytes into choices. Each call consumes bytes from the front; once the input is used up
 * every choice is 0, so any byte string (also the empty one) decodes to some structure and small mutations of the
 * input make small changes to it.
 */
public final class ByteCursor {

    private final byte[] data;
    private int at;

    public ByteCursor(byte[] data) {
        this.data = data;
    }

    public boolean exhausted() {
        return at >= data.length;
    }

    /** 0 ≤ result < bound. */
    public int nextInt(int bound) {
        if (bound <= 1 || at >= data.length) {
            return 0;
        }
        int v = data[at++] & 0xff;
        if (bound > 256 && at < data.length) {
            v = (v << 8) | (data[at++] & 0xff);
        }
        return v % bound;
    }

    public boolean nextBoolean() {
        return nextInt(2) == 1;
    }

    /** One in {@code n}. */
    public boolean oneIn(int n) {
        return nextInt(n) == 0;
    }

    public <T> T pick(T[] from) {
        return from[nextInt(from.length)];
    }

    /** Up to {@code maxLength} characters drawn from {@code alphabet}. */
    public String string(String alphabet, int maxLength) {
        int n = nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
