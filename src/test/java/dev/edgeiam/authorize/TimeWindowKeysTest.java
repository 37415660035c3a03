package dev.edgeiam.authorize;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link TimeWindow#keysAt} remembers the last second's keys: whatever the order of the seconds asked for, and from
 * several threads at once, it gives the keys of the second asked for — never a neighbour's.
 */
class TimeWindowKeysTest {

    @Test
    void theRememberedKeysAreAlwaysThoseOfTheSecondAskedFor() {
        SplittableRandom r = new SplittableRandom(15_5L);
        long base = 1_733_400_000L;
        for (int i = 0; i < 20_000; i++) {
            long second = switch (r.nextInt(4)) {
                case 0 -> base; // repeats: the memo's hit
                case 1 -> base + r.nextInt(3) - 1; // neighbours
                case 2 -> r.nextLong(0, 253_402_300_799L); // any second to year 9999
                default -> base + i;
            };
            assertEquals(described(TimeWindow.formatKeysAt(second)), described(TimeWindow.keysAt(second)),
                    "second " + second);
        }
        assertEquals("aws:CurrentTime=[2024-12-05T12:00:00Z], aws:EpochTime=[1733400000]",
                TimeWindow.keysAt(base).get(0).name() + "=" + TimeWindow.keysAt(base).get(0).values() + ", "
                        + TimeWindow.keysAt(base).get(1).name() + "=" + TimeWindow.keysAt(base).get(1).values());
    }

    /** ContextValue has identity equality: compare what a policy reads of it. */
    static List<String> described(List<dev.edgeiam.request.ContextValue> keys) {
        return keys.stream().map(k -> k.name() + "|" + k.values() + "|" + k.multivalued() + "|" + k.type()).toList();
    }

    @Test
    void threadsAskingForDifferentSecondsEachGetTheirOwn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long second = 1_733_400_000L + t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        assertEquals(Long.toString(second), TimeWindow.keysAt(second).get(1).values().get(0));
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
