package dev.edgeiam.authorize;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.policy.BaseOperator;
import dev.edgeiam.policy.ConditionValue;
import dev.edgeiam.policy.value.IamDate;
import dev.edgeiam.policy.value.IamNumber;
import dev.edgeiam.request.ContextKeyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeSet;

/**
 * The span of request times an answer may be applied to: from this request's time to the end of API Gateway's
 * authorizer cache TTL (a cached policy is evaluated against later requests without calling the function, so a
 * later request's {@code aws:CurrentTime} is anywhere in the window). A condition on {@code aws:CurrentTime} or
 * {@code aws:EpochTime} may be used only where it has the same truth value at every second of the window.
 *
 * <p>Exact for the operators that can read time: a Date or Numeric comparison changes its value only next to one
 * of the policy's own values, so sampling the two ends and the seconds around every policy value inside the window
 * visits every second at which it could change. Other operators on time keys (String, ...) count as not constant.
 *
 * @param fromEpochSecond first second (inclusive)
 * @param toEpochSecond   last second (inclusive)
 */
public record TimeWindow(long fromEpochSecond, long toEpochSecond) {

    static final String CURRENT_TIME = "aws:currenttime";
    static final String EPOCH_TIME = "aws:epochtime";
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    public TimeWindow {
        if (toEpochSecond < fromEpochSecond) {
            throw new IllegalArgumentException("a time window ends before it starts");
        }
    }

    /** Whether a lower-case key is one of the two request-time keys. */
    static boolean isTimeKey(String lowerKey) {
        return lowerKey.equals(CURRENT_TIME) || lowerKey.equals(EPOCH_TIME);
    }

    /**
     * The whole seconds that hold every instant from {@code fromMillis} to {@code toMillis} (epoch milliseconds): the
     * last second counts whole, since an instant inside it may come at any millisecond of it. An empty span
     * ({@code toMillis} before {@code fromMillis}) is the first instant's second(s).
     */
    static TimeWindow spanning(long fromMillis, long toMillis) {
        long from = Math.floorDiv(fromMillis, 1000L);
        return new TimeWindow(from, Math.max(from, Math.ceilDiv(Math.max(fromMillis, toMillis), 1000L)));
    }

    /** The keys of the last second asked for: requests arrive many to a second, each would format the same date. */
    private static volatile SecondKeys lastSecond = new SecondKeys(Long.MIN_VALUE, List.of());

    private record SecondKeys(long epochSecond, List<ContextValue> keys) {}

    /** The two request-time context keys for one second, as the edge writes them. */
    static List<ContextValue> keysAt(long epochSecond) {
        SecondKeys last = lastSecond; // one read: the second and its keys come from the same immutable record
        if (last.epochSecond() == epochSecond) {
            return last.keys();
        }
        List<ContextValue> keys = formatKeysAt(epochSecond);
        lastSecond = new SecondKeys(epochSecond, keys);
        return keys;
    }

    /** {@link #keysAt} without the memo. */
    static List<ContextValue> formatKeysAt(long epochSecond) {
        return List.of(
                new ContextValue("aws:CurrentTime", List.of(ISO_SECONDS.format(Instant.ofEpochSecond(epochSecond))),
                        false, ContextKeyType.DATE),
                new ContextValue("aws:EpochTime", List.of(Long.toString(epochSecond)), false, ContextKeyType.DATE));
    }

    /** Whether the condition (on a time key) has one truth value over the whole window. */
    boolean constantOver(CompiledCondition c) {
        BaseOperator.Family family = c.source().operator().base().family();
        if (family == BaseOperator.Family.NULL) {
            return true; // the time keys are always present
        }
        if (family != BaseOperator.Family.DATE && family != BaseOperator.Family.NUMERIC) {
            return false;
        }
        TreeSet<Long> samples = new TreeSet<>();
        samples.add(fromEpochSecond);
        samples.add(toEpochSecond);
        for (ConditionValue v : c.source().values()) {
            Long second = policySecond(family, v.text());
            if (second == null) {
                return false;
            }
            for (long s = second - 1; s <= second + 1; s++) {
                if (s > fromEpochSecond && s < toEpochSecond) {
                    samples.add(s);
                }
            }
        }
        Boolean first = null;
        for (long s : samples) {
            RequestContext.Builder b = RequestContext.builder("sts:probe", "*");
            keysAt(s).forEach(b::put);
            boolean holds = c.holds(b.build());
            if (first == null) {
                first = holds;
            } else if (first != holds) {
                return false;
            }
        }
        return true;
    }

    /** The policy value as whole seconds since the epoch (floor), or null when it cannot be read. */
    private static Long policySecond(BaseOperator.Family family, String text) {
        if (family == BaseOperator.Family.DATE) {
            long micros = IamDate.parseMicros(text);
            return micros == IamDate.INVALID ? null : Math.floorDiv(micros, 1_000_000L);
        }
        try {
            BigDecimal n = IamNumber.parse(text);
            return n == null ? null : n.setScale(0, RoundingMode.FLOOR).longValueExact();
        } catch (ArithmeticException | IllegalArgumentException e) {
            return null;
        }
    }

    // Written out rather than generated: a record's own equals/hashCode link through java.lang.runtime.ObjectMethods
    // on first use, several milliseconds of a cold start per record class (BENCHMARKS.md, "Start-up against a bare
    // Quarkus Lambda"). Same meaning as the generated ones: every component, in order.
    @Override
    public boolean equals(Object o) {
        return o instanceof TimeWindow w && fromEpochSecond == w.fromEpochSecond && toEpochSecond == w.toEpochSecond;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fromEpochSecond) * 31 + Long.hashCode(toEpochSecond);
    }
}
