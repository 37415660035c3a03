package dev.edgeiam.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GenerationGuard}: a value computed across an invalidation is never remembered after it. The race tests of
 * its users (RoleLookUpInvalidationRaceTest, RedteamPass9Test, RedteamPass10Test, InvalidationDuringDerivationTest,
 * VerifiedCredentialsTest) check the same rule through each memory; this one checks the guard alone.
 */
class GenerationGuardTest {

    @Test
    void aValueComputedAcrossAnInvalidationIsNotRememberedOneComputedAfterItIs() {
        GenerationGuard guard = new GenerationGuard();
        Map<String, String> memory = new ConcurrentHashMap<>();
        long before = guard.current();
        guard.invalidate(memory::clear); // the change arrives while "before" is being computed
        assertFalse(guard.putIfUnchanged(before, () -> memory.put("role", "read before the change")));
        assertEquals(Map.of(), memory);

        long after = guard.current();
        assertTrue(guard.putIfUnchanged(after, () -> memory.put("role", "read after the change")));
        assertEquals(Map.of("role", "read after the change"), memory);
        guard.invalidate(memory::clear);
        assertEquals(Map.of(), memory, "the invalidation forgets what was remembered");
    }

    @Test
    void theCacheFormRemembersExactlyAsThePutItStandsFor() {
        GenerationGuard guard = new GenerationGuard();
        BoundedCache<String, String> memory = Caches.bounded(8);
        long before = guard.current();
        guard.invalidate(memory::invalidateAll);
        assertFalse(guard.putIfUnchanged(before, memory, "role", "read before the change"));
        assertNull(memory.getIfPresent("role"));

        long after = guard.current();
        assertTrue(guard.putIfUnchanged(after, memory, "role", "read after the change"));
        assertEquals("read after the change", memory.getIfPresent("role"));
        guard.invalidate(memory::invalidateAll);
        assertNull(memory.getIfPresent("role"), "the invalidation forgets what was remembered");
    }

    /**
     * The writer has passed the generation check and is about to put; an invalidation starts now. With the check and
     * the put as one step the invalidation waits for the put and then forgets it; with a check, then a put (or an
     * invalidation outside the lock), the invalidation runs to its end first and the value read before the change is
     * put after it — and stays remembered.
     *
     * <p>Deterministic: the writer is held inside its put by a latch, and the test waits (spinning, no sleep) until
     * the invalidating thread has either finished or is parked on a lock, then lets the writer go.
     */
    @Test
    @Timeout(30)
    void anInvalidationThatStartsBetweenTheCheckAndThePutForgetsThePut() throws Exception {
        GenerationGuard guard = new GenerationGuard();
        Map<String, String> memory = new ConcurrentHashMap<>();
        long started = guard.current();
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runnable put = () -> {
            checked.countDown(); // past the generation check
            awaitUninterruptibly(release);
            memory.put("role", "read before the change");
        };
        Thread writer = new Thread(() -> guard.putIfUnchanged(started, put), "writer");
        Runnable forget = memory::clear;
        Thread invalidator = new Thread(() -> guard.invalidate(forget), "invalidator");

        writer.start();
        checked.await();
        invalidator.start();
        while (invalidator.isAlive() && invalidator.getState() != Thread.State.BLOCKED
                && invalidator.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // until the invalidation has run through, or waits for the writer's put
        }
        release.countDown();
        writer.join();
        invalidator.join();

        assertEquals(Map.of(), memory,
                "a value checked before an invalidation was put after it: the check and the put are not one step");
        assertFalse(guard.putIfUnchanged(started, () -> memory.put("role", "again")));
        assertEquals(Map.of(), memory);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
