package dev.edgeiam.request;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link RequestContext}'s key table against a {@link HashMap} keyed by the folded name, as the context kept them
 * before: random sequences of puts, puts-if-absent and look-ups over names that differ only in case, names with
 * equal hash codes, and enough names to make the table grow several times; and a built context
 * is not changed by its builder's later puts, nor by {@link RequestContext#withKey}.
 */
class RequestContextKeysTest {

    /** Folded names with equal {@code hashCode}s: "az" and "b[" (97 * 31 + 122 = 98 * 31 + 91), "bz" and "c[". */
    private static final List<String> COLLIDING = List.of("aws:tag/az", "aws:tag/B[", "aws:tag/bz", "aws:tag/c[");

    private static List<String> vocabulary(SplittableRandom r) {
        List<String> names = new ArrayList<>(COLLIDING);
        names.addAll(List.of("aws:SourceIp", "aws:sourceip", "AWS:SOURCEIP", "aws:CurrentTime", "aws:EpochTime",
                "aws:PrincipalArn", "aws:PrincipalTag/Team", "aws:principaltag/team", "connect:InstanceId",
                "aws:ResourceTag/Dept", "aws:RequestedRegion", "aws:userid", "aws:username"));
        int extra = r.nextInt(80);
        for (int i = 0; i < extra; i++) {
            names.add("aws:PrincipalTag/k" + r.nextInt(60));
        }
        return names;
    }

    @Test
    void theTableAnswersAsAMapOfFoldedNames() {
        SplittableRandom r = new SplittableRandom(20261206L);
        for (int round = 0; round < 3_000; round++) {
            List<String> names = vocabulary(r);
            RequestContext.Builder b = RequestContext.builder("connect:DescribeUser", "*");
            Map<String, ContextValue> oracle = new HashMap<>();
            int steps = r.nextInt(120);
            for (int i = 0; i < steps; i++) {
                String name = names.get(r.nextInt(names.size()));
                ContextValue v = ContextValue.single(name, "v" + round + "-" + i);
                if (r.nextBoolean()) {
                    b.put(v);
                    oracle.put(IamNames.fold(name), v);
                } else {
                    b.putIfAbsent(v);
                    oracle.putIfAbsent(IamNames.fold(name), v);
                }
            }
            RequestContext built = b.build();
            for (String name : names) {
                String folded = IamNames.fold(name);
                assertSame(oracle.get(folded), built.get(folded), name + " in round " + round);
                assertEquals(oracle.containsKey(folded), b.has(name), name + " in round " + round);
            }
            assertSame(null, built.get("aws:absent"));
            assertEquals(IamNames.fold(COLLIDING.get(0)).hashCode(), IamNames.fold(COLLIDING.get(1)).hashCode());
        }
    }

    @Test
    void aBuiltContextKeepsItsKeys() {
        RequestContext.Builder b = RequestContext.builder("connect:DescribeUser", "*");
        ContextValue first = ContextValue.single("aws:SourceIp", "192.0.2.1");
        b.put(first);
        RequestContext built = b.build();
        ContextValue second = ContextValue.single("AWS:SOURCEIP", "198.51.100.7");
        b.put(second);
        for (int i = 0; i < 100; i++) {
            b.put(ContextValue.single("aws:PrincipalTag/k" + i, "x")); // grows the builder's table
        }
        assertSame(first, built.get("aws:sourceip"), "the built context was not changed by the builder");
        assertSame(null, built.get("aws:principaltag/k7"));
        RequestContext again = b.build();
        assertSame(second, again.get("aws:sourceip"));
        assertSame(again.get("aws:principaltag/k99").value(0), "x");
        ContextValue third = ContextValue.single("aws:sourceIP", "203.0.113.9");
        RequestContext other = again.withKey(third);
        assertSame(third, other.get("aws:sourceip"));
        assertSame(second, again.get("aws:sourceip"), "withKey copies");
        assertEquals("x", other.get("aws:principaltag/k42").value(0));
    }

    @Test
    void variablesAreThePresentSingleValuedKeys() {
        RequestContext c = RequestContext.builder("connect:DescribeUser", "*")
                .put(ContextValue.single("aws:username", "carol"))
                .put(ContextValue.multi("aws:TagKeys", List.of("a")))
                .build();
        assertEquals("carol", c.variable("aws:username"));
        assertSame(null, c.variable("aws:tagkeys"), "a multivalued key is no variable");
        assertSame(null, c.variable("aws:userid"));
    }
}
