package dev.edgeiam.request;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Red-team pass 17: {@link RequestContext.Keys} (open addressing) against a HashMap oracle keyed by an independently
 * written ASCII fold, with (a) names that share one slot at every table size 32..1024 (clusters that wrap around the
 * end of the array), (b) names with equal hash codes, (c) interleaved build()/put/putIfAbsent/withKey so that several
 * contexts share, then copy, one table — each snapshot is re-checked after every later change.
 */
class RedteamPass17KeysTest {

    private static String asciiFold(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    private static int slot(String folded, int mask) {
        int h = folded.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>();
        // same slot for every size up to 1024 (mask 1023), and the last slot (wrap-around) at 32
        for (int target : new int[] {31, 0}) {
            int found = 0;
            for (int i = 0; found < 40 && i < 5_000_000; i++) {
                String n = "aws:PrincipalTag/t" + i;
                if (slot(asciiFold(n), 1023) == target || slot(asciiFold(n), 1023) == 1023 - 31 + target) {
                    if (slot(asciiFold(n), 31) == target) {
                        out.add(n);
                        found++;
                    }
                }
            }
        }
        for (String a : List.of("az", "b[", "c<")) {
            for (String b : List.of("AZ", "B[", "C<")) {
                out.add("aws:RequestTag/" + a + b);
            }
        }
        out.addAll(List.of("aws:SourceIp", "AWS:SOURCEIP", "aws:sourceip", "aws:userid", "aws:UserId",
                "aws:\u212Aey", "aws:key", "aws:\u017Fourceip", "connect:InstanceId", "CONNECT:INSTANCEID"));
        return out;
    }

    private record Snapshot(RequestContext context, Map<String, ContextValue> expected) {
    }

    @Test
    void sharedAndCopiedTablesAnswerAsTheirOracle() {
        List<String> names = names();
        SplittableRandom r = new SplittableRandom(17_17L);
        long checks = 0;
        for (int round = 0; round < 1_500; round++) {
            RequestContext.Builder b = RequestContext.builder("connect:DescribeUser", "*");
            Map<String, ContextValue> live = new HashMap<>();
            List<Snapshot> snapshots = new ArrayList<>();
            int steps = r.nextInt(400);
            for (int i = 0; i < steps; i++) {
                int op = r.nextInt(20);
                String name = names.get(r.nextInt(names.size()));
                ContextValue v = ContextValue.single(name, "v" + i);
                if (op < 9) {
                    b.put(v);
                    live.put(asciiFold(name), v);
                } else if (op < 16) {
                    b.putIfAbsent(v);
                    live.putIfAbsent(asciiFold(name), v);
                } else if (op < 18) {
                    snapshots.add(new Snapshot(b.build(), new HashMap<>(live)));
                } else if (!snapshots.isEmpty()) {
                    Snapshot s = snapshots.get(r.nextInt(snapshots.size()));
                    Map<String, ContextValue> m = new HashMap<>(s.expected());
                    m.put(asciiFold(name), v);
                    snapshots.add(new Snapshot(s.context().withKey(v), m));
                }
            }
            snapshots.add(new Snapshot(b.build(), new HashMap<>(live)));
            for (Snapshot s : snapshots) {
                for (String n : names) {
                    String f = asciiFold(n);
                    assertSame(s.expected().get(f), s.context().get(f), n + " round " + round);
                    checks++;
                }
                assertSame(null, s.context().get("aws:nothere"));
                assertEquals(s.expected().size(), s.context() == null ? 0 : count(s.context(), names));
            }
        }
        System.out.println("RedteamPass17KeysTest: look-ups checked=" + checks);
    }

    private static int count(RequestContext c, List<String> names) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            if (c.get(asciiFold(n)) != null) {
                seen.add(asciiFold(n));
            }
        }
        return seen.size();
    }

    @Test
    void aKeyInAnotherCaseIsOneKey() {
        RequestContext c = RequestContext.builder("connect:DescribeUser", "*")
                .put(ContextValue.single("AWS:SourceIP", "1.2.3.4"))
                .putIfAbsent(ContextValue.single("aws:sourceip", "5.6.7.8"))
                .build();
        assertEquals("1.2.3.4", c.get("aws:sourceip").value(0));
        assertSame(null, c.get("AWS:SourceIP"), "look-ups are by folded name");
        assertEquals("aws:sourceip", "AWS:SourceIP".toLowerCase(Locale.ROOT));
    }
}
