package dev.edgeiam.principal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand (thread-safe: caches and their refresh threads read it concurrently). */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    /** Starts at 2023-11-14T22:13:20Z (epoch millisecond 1,700,000,000,000). */
    public MutableClock() {
        this(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    public void set(Instant t) {
        now.set(t);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
