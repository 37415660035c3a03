package dev.edgeiam.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * TEST ONLY: the seed corpus of a {@code @FuzzTest} and a deterministic mutation loop over it.
 *
 * <p>Without {@code JAZZER_FUZZ}, Jazzer 0.24 runs a fuzz test once per file in its inputs directory (plus one
 * empty input) and does not mutate anything. So that a normal build still exercises each target on more than its
 * handful of seeds, every fuzz test class also has a plain {@code @Test} that calls the same target on
 * {@link #mutations} of the seeds: byte flips, insertions and deletions, chunk duplication and splices of
 * tokens that tend to break parsers. The random source is seeded ({@code -Dedgeiam.fuzz.seed=N}); a failing
 * input is reported as base64 so it can be saved as a regression input with
 * {@code base64 -d > src/test/resources/<package>/<Class>Inputs/<method>/crash-...}.
 */
public final class FuzzInputs {

    /** The seed of the mutation loop; change it to explore other inputs in a normal test run. */
    public static final long SEED = Long.getLong("edgeiam.fuzz.seed", 0xF022L);

    private static final byte[][] TOKENS = {
            bytes("\""), bytes("\\"), bytes("{"), bytes("}"), bytes("["), bytes("]"), bytes(":"), bytes(","),
            bytes("\u0000"), bytes("\\u0000"), bytes("\\ud800"), bytes("${"), bytes("}"), bytes("*"), bytes("?"),
            bytes("${aws:username}"), bytes("${*}"), bytes("::"), bytes("/"), bytes("1e999999"), bytes("-0"),
            bytes("0x"), bytes("null"), bytes("true"), bytes("[]"), bytes("{}"), bytes("\"\":\"\""),
            bytes("arn:aws:connect:*:*:"), bytes("\u017f"), bytes("\u0441"), bytes("\uFEFF"), bytes("%"), bytes("."),
            bytes("=="), bytes("T"), bytes("Z"), bytes("+"), bytes("::ffff:"), bytes("/129"), bytes("9999999999"),
            {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0x80},
    };

    private FuzzInputs() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The files of {@code <Class>Inputs/<method>/} next to {@code testClass}, sorted by name. */
    public static List<byte[]> seeds(Class<?> testClass, String method) {
        URL url = testClass.getResource(testClass.getSimpleName() + "Inputs/" + method);
        if (url == null) {
            throw new IllegalStateException("no seed directory " + testClass.getSimpleName() + "Inputs/" + method);
        }
        try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
            List<byte[]> out = new ArrayList<>();
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("empty seed directory " + url);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Calls {@code target} on every seed and then on {@code count} mutated seeds. A failure is rethrown as an
     * {@link AssertionError} naming the input (base64) and the iteration.
     */
    public static void runSeedsAndMutations(Class<?> testClass, String method, int count, Consumer<byte[]> target) {
        runSeedsAndMutations(seeds(testClass, method), method, count, target);
    }

    /** As {@link #runSeedsAndMutations(Class, String, int, Consumer)}, over seeds made by the test itself. */
    public static void runSeedsAndMutations(List<byte[]> seeds, String method, int count, Consumer<byte[]> target) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds for " + method);
        }
        Random r = new Random(SEED ^ method.hashCode());
        for (int i = -seeds.size(); i < count; i++) {
            byte[] input = i < 0 ? seeds.get(i + seeds.size()) : mutate(r, seeds.get(r.nextInt(seeds.size())), seeds);
            try {
                target.accept(input);
            } catch (Throwable t) {
                throw new AssertionError(method + " failed on " + (i < 0 ? "seed #" + (i + seeds.size())
                        : "mutation #" + i + " (seed " + SEED + ")") + ", input (base64) "
                        + Base64.getEncoder().encodeToString(input) + ": " + t, t);
            }
        }
    }

    /** One to four random edits of {@code seed}; sometimes spliced with another seed. */
    static byte[] mutate(Random r, byte[] seed, List<byte[]> all) {
        byte[] b = seed.clone();
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            switch (r.nextInt(8)) {
                case 0 -> {
                    if (b.length > 0) {
                        b[Math.min(at, b.length - 1)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> {
                    if (b.length > 0) {
                        b[Math.min(at, b.length - 1)] = (byte) r.nextInt(256);
                    }
                }
                case 2 -> b = splice(b, at, at, TOKENS[r.nextInt(TOKENS.length)]);
                case 3 -> {
                    int end = Math.min(b.length, at + 1 + r.nextInt(16));
                    b = splice(b, at, end, new byte[0]);
                }
                case 4 -> {
                    int end = Math.min(b.length, at + 1 + r.nextInt(32));
                    byte[] chunk = java.util.Arrays.copyOfRange(b, at, end);
                    b = splice(b, end, end, chunk);
                }
                case 5 -> {
                    byte[] other = all.get(r.nextInt(all.size()));
                    int from = other.length == 0 ? 0 : r.nextInt(other.length);
                    b = splice(java.util.Arrays.copyOf(b, at), at, at,
                            java.util.Arrays.copyOfRange(other, from, other.length));
                }
                case 6 -> {
                    byte[] digit = {(byte) ('0' + r.nextInt(10))};
                    b = splice(b, at, Math.min(b.length, at + 1), digit);
                }
                default -> b = java.util.Arrays.copyOf(b, at);
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }
}
