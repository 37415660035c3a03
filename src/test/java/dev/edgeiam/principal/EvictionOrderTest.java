package dev.edgeiam.principal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PrincipalCache}'s eviction sorts finished entries by their last access as read once when the eviction began:
 * requests keep touching entries (a volatile counter) while it sorts, and a sort whose keys change under it orders
 * nothing reliably and may throw ("Comparison method violates its general contract"), which would surface from a
 * request's or a background refresh's fill.
 */
class EvictionOrderTest {

    @Test
    void theOrderIsTheAccessSeenWhenTheEvictionBeganWhateverHappensDuringTheSort() {
        Random r = new Random(42);
        List<PrincipalCache.EvictionCandidate> candidates = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            PrincipalCache.Entry e = new PrincipalCache.Entry(0);
            e.lastAccess = i;
            candidates.add(new PrincipalCache.EvictionCandidate("arn:aws:iam::111122223333:user/u" + i, e, i));
        }
        Collections.shuffle(candidates, r);
        for (PrincipalCache.EvictionCandidate c : candidates) {
            c.entry().lastAccess = 10_000 - c.lastAccess(); // touched after the eviction read them: the reverse order
        }
        candidates.sort(PrincipalCache.LEAST_RECENTLY_USED_FIRST);
        for (int i = 0; i < candidates.size(); i++) {
            assertEquals(i, candidates.get(i).lastAccess());
            assertEquals("arn:aws:iam::111122223333:user/u" + i, candidates.get(i).principalArn());
        }
    }
}
