package dev.edgeiam.authorize;

import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.identity.SessionPolicy;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The records whose {@code equals}/{@code hashCode} are written out (to spare a cold start the
 * {@code ObjectMethods} bootstrap) keep a record's meaning: two values are equal exactly when every component is,
 * and equal values hash alike. Random pairs from small pools, so equal and unequal pairs both occur often; the oracle
 * compares the component lists, not the code under test.
 */
class WrittenOutRecordMethodsTest {

    private static final int PAIRS = 2_000;

    private record Case<T>(String name, Supplier<T> random, Function<T, List<Object>> components) {
    }

    private static <T> T pick(Random r, List<T> pool) {
        return pool.get(r.nextInt(pool.size()));
    }

    @TestFactory
    Stream<DynamicTest> equalExactlyWhenEveryComponentIs() {
        Random r = new Random(1515);
        List<String> words = Arrays.asList("GET", "PUT", "ANY", "a", "A", "", null);
        List<String> paths = List.of("/", "/users/{InstanceId}", "/users/{InstanceId}/{UserId}", "/Users/{x}");
        List<String> texts = List.of("aws", "aws-cn", "eu-west-1", "us-east-1", "111122223333", "444455556666");
        List<Map<String, List<String>>> queries = List.of(Map.of(), Map.of("a", List.of("1")),
                Map.of("a", List.of("1", "2")), Map.of("a", List.of("2", "1")), Map.of("b", List.of("1")));
        List<Set<String>> keySets = List.of(Set.of(), Set.of("aws:sourceip"), Set.of("aws:sourceip", "aws:userid"),
                Set.of("aws:userid"));
        List<Set<String>> families = List.of(Set.of(), Set.of("aws:principaltag/"), Set.of("aws:requesttag/"));
        List<TimeWindow> windows = Arrays.asList(null, new TimeWindow(0, 10), new TimeWindow(0, 11),
                new TimeWindow(1, 10));
        List<String> inline = Arrays.asList(null,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}");
        List<List<String>> arns = List.of(List.of(), List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                List.of("arn:aws:iam::111122223333:policy/a", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
                List.of("arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::111122223333:policy/a"));
        List<Case<?>> cases = List.of(
                new Case<>("ApiRoute", () -> new ApiRoute(pick(r, words), pick(r, paths), r.nextBoolean()),
                        v -> Arrays.asList(v.method(), v.pathTemplate(), v.custom())),
                new Case<>("QueryParameters", () -> new QueryParameters(pick(r, queries)), v -> List.of(v.values())),
                new Case<>("ArnContext", () -> new ArnContext(pick(r, texts), pick(r, texts), pick(r, texts)),
                        v -> List.of(v.partition(), v.region(), v.account())),
                new Case<>("UnknownInputs", () -> new UnknownInputs(pick(r, keySets), pick(r, families), pick(r, windows)),
                        v -> Arrays.asList(v.keys(), v.families(), v.window())),
                new Case<>("TimeWindow", () -> new TimeWindow(r.nextInt(3), 3 + r.nextInt(3)),
                        v -> List.of(v.fromEpochSecond(), v.toEpochSecond())),
                new Case<>("SessionPolicy", () -> new SessionPolicy(pick(r, inline), pick(r, arns)),
                        v -> Arrays.asList(v.inline(), v.managedArns())));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static <T> void check(Case<T> c) {
        int equal = 0;
        for (int i = 0; i < PAIRS; i++) {
            T a = c.random().get();
            T b = c.random().get();
            boolean same = c.components().apply(a).equals(c.components().apply(b));
            assertEquals(same, a.equals(b), () -> a + " vs " + b);
            assertEquals(same, b.equals(a), () -> b + " vs " + a);
            if (same) {
                equal++;
                assertEquals(a.hashCode(), b.hashCode(), () -> a + " vs " + b);
            }
            assertEquals(a, a);
            assertNotEquals(null, a);
            assertNotEquals(a, c.components().apply(a));
        }
        int equalPairs = equal;
        // both kinds of pair must have been tried, or the property says little
        assertEquals(true, equalPairs > 0 && equalPairs < PAIRS, () -> equalPairs + " equal pairs of " + PAIRS);
    }
}
