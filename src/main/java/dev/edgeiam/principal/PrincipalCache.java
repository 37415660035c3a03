package dev.edgeiam.principal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * Principal ARN → {@link CompiledPrincipal}, filled from a {@link PolicySource}. Parsing and compiling happen
 * here, on fill; the request path only looks up.
 *
 * <ul>
 *   <li><b>TTL</b>: an entry is fresh for {@link Settings#ttl()} after its load finished.</li>
 *   <li><b>Stale-while-revalidate</b>: for {@link Settings#staleWhileRevalidate()} after that, the old entry is
 *       still served while one background refresh runs; past the bound a request loads synchronously. A failed
 *       refresh keeps the old entry (within the bound) and is retried by the next request.</li>
 *   <li><b>Negative caching</b>: an unknown principal is remembered for {@link Settings#negativeTtl()}.</li>
 *   <li><b>Single flight</b>: concurrent misses for one ARN share one load. The loading entry is installed with
 *       {@link ConcurrentHashMap#compute}, so there is no check-then-act window.</li>
 *   <li><b>Failures are not cached</b>: a failed load (or a document that does not compile) removes its entry;
 *       the threads that waited on it see the failure, the next request loads again.</li>
 *   <li><b>Max size</b>: past {@link Settings#maxSize()} the least recently used entries are evicted.</li>
 *   <li><b>Invalidation</b> by principal, by policy (an index from every managed policy ARN, every inline
 *       policy holder ARN — user, group, role — and every group a user is in, with or without policies of its
 *       own, to the principals that use it: {@link PrincipalPolicies#sourceArns()}) or everything. A load that was
 *       in flight when a policy-wide invalidation happened is served to its waiters but not kept fresh.</li>
 * </ul>
 *
 * <p>Time comes from the injected {@link Clock}; background refreshes run on the injected {@link Executor}.
 *
 * <p>Its own, apart from the function's other caches ({@code dev.edgeiam.cache.Caches}): its eviction is strict
 * least-recently-used ({@code PrincipalCacheTest.maxSizeEvictsTheLeastRecentlyUsed}); its expiry has three bounds per
 * entry (fresh, stale-but-servable, negative) with a background refresh on its own executor; and a policy-wide
 * invalidation must reach loads still in flight (the epoch) and principals by the policies they used (the source
 * index), which a plain bounded cache does not do.
 */
public final class PrincipalCache implements PrincipalResolver {

    /**
     * @param ttl                  how long a loaded principal is fresh (default 5 minutes)
     * @param staleWhileRevalidate how long past the TTL it may still be served while it refreshes (default 1
     *                             minute; zero turns it off)
     * @param negativeTtl          how long "no such principal" is remembered (default 30 seconds)
     * @param maxSize              the most principals kept (default 10,000)
     */
    public record Settings(Duration ttl, Duration staleWhileRevalidate, Duration negativeTtl, int maxSize) {

        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(5), Duration.ofMinutes(1),
                Duration.ofSeconds(30), 10_000);

        public Settings {
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(staleWhileRevalidate, "staleWhileRevalidate");
            Objects.requireNonNull(negativeTtl, "negativeTtl");
            if (ttl.isNegative() || staleWhileRevalidate.isNegative() || negativeTtl.isNegative()) {
                throw new IllegalArgumentException("cache durations must not be negative");
            }
            if (maxSize < 1) {
                throw new IllegalArgumentException("maxSize must be at least 1");
            }
        }

        public Settings withTtl(Duration value) {
            return new Settings(value, staleWhileRevalidate, negativeTtl, maxSize);
        }

        public Settings withStaleWhileRevalidate(Duration value) {
            return new Settings(ttl, value, negativeTtl, maxSize);
        }

        public Settings withNegativeTtl(Duration value) {
            return new Settings(ttl, staleWhileRevalidate, value, maxSize);
        }

        public Settings withMaxSize(int value) {
            return new Settings(ttl, staleWhileRevalidate, negativeTtl, value);
        }
    }

    /** Counters since the cache was made. */
    public record Stats(long hits, long staleHits, long misses, long loads, long failedLoads, long refreshes,
                        long evictions) {
    }

    private final PolicySource source;
    private final long ttlMillis;
    private final long staleMillis;
    private final long negativeMillis;
    private final int maxSize;
    private final Clock clock;
    private final Executor refresher;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Source ARN (managed policy, inline policy holder) → principal ARNs whose loaded policies used it. */
    private final ConcurrentHashMap<String, Set<String>> bySource = new ConcurrentHashMap<>();
    /** Bumped by every policy-wide invalidation, so loads in flight across one are not kept fresh. */
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong accessSequence = new AtomicLong();
    private final AtomicBoolean evicting = new AtomicBoolean();

    private final LongAdder hits = new LongAdder();
    private final LongAdder staleHits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder failedLoads = new LongAdder();
    private final LongAdder refreshes = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    public PrincipalCache(PolicySource source, Settings settings, Clock clock, Executor refresher) {
        this.source = Objects.requireNonNull(source, "source");
        this.ttlMillis = settings.ttl().toMillis();
        this.staleMillis = settings.staleWhileRevalidate().toMillis();
        this.negativeMillis = settings.negativeTtl().toMillis();
        this.maxSize = settings.maxSize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refresher = Objects.requireNonNull(refresher, "refresher");
    }

    /** A cache on the given clock with one daemon thread for background refreshes. */
    public static PrincipalCache create(PolicySource source, Settings settings, Clock clock) {
        ExecutorService refresher = Executors.newSingleThreadExecutor(new RefreshThreads());
        return new PrincipalCache(source, settings, clock, refresher);
    }

    /** Daemon threads named {@code principal-cache-refresh-1}, {@code -2}, ... */
    private static final class RefreshThreads implements ThreadFactory {
        private final AtomicInteger created = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "principal-cache-refresh-" + created.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** One cached principal: a load (in flight or done) and when it finished. */
    static final class Entry {
        final CompletableFuture<Outcome> future = new CompletableFuture<>();
        final long startEpoch;
        volatile long loadedAt;
        /** Set when a policy-wide invalidation overlapped the load: serve to its waiters, never again. */
        volatile boolean invalidated;
        volatile long lastAccess;
        final AtomicBoolean refreshing = new AtomicBoolean();

        Entry(long startEpoch) {
            this.startEpoch = startEpoch;
        }
    }

    /** A finished load: a principal, or the definite answer that there is none. */
    private record Outcome(CompiledPrincipal principal, UnknownPrincipalException unknown) {
    }

    private enum State { LOADING, FRESH, STALE, EXPIRED }

    private State state(Entry e, long now) {
        if (!e.future.isDone()) {
            return State.LOADING;
        }
        if (e.future.isCompletedExceptionally() || e.invalidated) {
            return State.EXPIRED;
        }
        long age = now - e.loadedAt;
        if (e.future.getNow(null).unknown() != null) {
            return age < negativeMillis ? State.FRESH : State.EXPIRED;
        }
        if (age < ttlMillis) {
            return State.FRESH;
        }
        return age < ttlMillis + staleMillis ? State.STALE : State.EXPIRED;
    }

    /**
     * The compiled principal, from the cache or loaded now.
     *
     * @throws UnknownPrincipalException when the source says there is no such principal (cached negatively)
     * @throws PolicySourceException     when the load failed (not cached)
     */
    @Override
    public CompiledPrincipal resolve(String principalArn) throws PolicySourceException {
        long now = clock.millis();
        Entry current = entries.get(principalArn);
        if (current != null) {
            switch (state(current, now)) {
                case FRESH -> {
                    hits.increment();
                    return read(current);
                }
                case STALE -> {
                    staleHits.increment();
                    refreshInBackground(principalArn, current);
                    return read(current);
                }
                case LOADING -> {
                    misses.increment();
                    return await(current);
                }
                case EXPIRED -> {
                    // load below
                }
            }
        }
        misses.increment();
        Entry candidate = new Entry(epoch.get());
        Entry winner = entries.compute(principalArn, new InstallUnlessLive(this, now, candidate));
        if (winner != candidate) {
            return await(winner);
        }
        fill(principalArn, candidate, true);
        return await(candidate);
    }

    /** For {@link ConcurrentHashMap#compute}: keeps an entry that has not expired, else installs the candidate. */
    private static final class InstallUnlessLive implements BiFunction<String, Entry, Entry> {
        private final PrincipalCache cache;
        private final long now;
        private final Entry candidate;

        InstallUnlessLive(PrincipalCache cache, long now, Entry candidate) {
            this.cache = cache;
            this.now = now;
            this.candidate = candidate;
        }

        @Override
        public Entry apply(String arn, Entry existing) {
            return existing != null && cache.state(existing, now) != State.EXPIRED ? existing : candidate;
        }
    }

    /** The cached principal if it is present and fresh or stale-in-bound; never loads. */
    public CompiledPrincipal getIfPresent(String principalArn) {
        Entry e = entries.get(principalArn);
        if (e == null) {
            return null;
        }
        State s = state(e, clock.millis());
        if (s != State.FRESH && s != State.STALE) {
            return null;
        }
        Outcome o = e.future.getNow(null);
        return o == null ? null : o.principal();
    }

    private CompiledPrincipal read(Entry e) throws UnknownPrincipalException {
        e.lastAccess = accessSequence.incrementAndGet();
        Outcome o = e.future.getNow(null);
        if (o.unknown() != null) {
            throw o.unknown();
        }
        return o.principal();
    }

    private CompiledPrincipal await(Entry e) throws PolicySourceException {
        try {
            e.future.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new PolicySourceException("interrupted while waiting for a principal load", ie);
        } catch (ExecutionException ee) {
            Throwable cause = ee.getCause();
            if (cause instanceof PolicySourceException pse) {
                throw new PolicySourceException(pse.getMessage(), pse);
            }
            throw new PolicySourceException("principal load failed: " + cause, cause);
        }
        return read(e);
    }

    /**
     * Loads into {@code entry}, which is already in the map (a fill) or not yet (a refresh, installed only if
     * the entry it replaces is still there).
     */
    private void fill(String principalArn, Entry entry, boolean installed) {
        loads.increment();
        Outcome outcome;
        try {
            try {
                CompiledPrincipal compiled = PrincipalResolver.compile(source.load(principalArn));
                index(principalArn, compiled);
                outcome = new Outcome(compiled, null);
            } catch (UnknownPrincipalException unknown) {
                outcome = new Outcome(null, unknown);
            }
        } catch (Throwable failure) {
            failedLoads.increment();
            if (installed) {
                entries.remove(principalArn, entry);
            }
            entry.future.completeExceptionally(failure);
            if (failure instanceof Error err) {
                throw err;
            }
            return;
        }
        entry.loadedAt = clock.millis();
        entry.lastAccess = accessSequence.incrementAndGet();
        if (epoch.get() != entry.startEpoch) {
            entry.invalidated = true;
        }
        entry.future.complete(outcome);
        evictIfNeeded();
    }

    private void refreshInBackground(String principalArn, Entry stale) {
        if (!stale.refreshing.compareAndSet(false, true)) {
            return;
        }
        refreshes.increment();
        try {
            refresher.execute(new Refresh(this, principalArn, stale));
        } catch (RuntimeException rejected) {
            stale.refreshing.set(false);
        }
    }

    /** A background refresh of one stale entry: loads anew and replaces the entry if it is still there. */
    private static final class Refresh implements Runnable {
        private final PrincipalCache cache;
        private final String principalArn;
        private final Entry stale;

        Refresh(PrincipalCache cache, String principalArn, Entry stale) {
            this.cache = cache;
            this.principalArn = principalArn;
            this.stale = stale;
        }

        @Override
        public void run() {
            Entry next = new Entry(cache.epoch.get());
            cache.fill(principalArn, next, false);
            if (next.future.isCompletedExceptionally()) {
                stale.refreshing.set(false);
                return;
            }
            // Only replace what is still there: an invalidation since the refresh began wins.
            if (!cache.entries.replace(principalArn, stale, next)) {
                stale.refreshing.set(false);
            }
        }
    }

    private void index(String principalArn, CompiledPrincipal compiled) {
        AddPrincipal add = new AddPrincipal(principalArn);
        for (String source : compiled.sourceArns()) {
            bySource.compute(source, add);
        }
    }

    /** For {@link ConcurrentHashMap#compute}: adds the principal to a source's set, made on first use. */
    private static final class AddPrincipal implements BiFunction<String, Set<String>, Set<String>> {
        private final String principalArn;

        AddPrincipal(String principalArn) {
            this.principalArn = principalArn;
        }

        @Override
        public Set<String> apply(String source, Set<String> set) {
            Set<String> s = set == null ? new HashSet<>() : set;
            s.add(principalArn);
            return s;
        }
    }

    private void unindex(String principalArn, Entry e) {
        Outcome o = e.future.getNow(null);
        if (o == null || o.principal() == null) {
            return;
        }
        RemovePrincipal remove = new RemovePrincipal(principalArn);
        for (String source : o.principal().sourceArns()) {
            bySource.computeIfPresent(source, remove);
        }
    }

    /**
     * For {@link ConcurrentHashMap#computeIfPresent}: removes the principal from a source's set, and the set when it
     * is left empty.
     */
    private static final class RemovePrincipal implements BiFunction<String, Set<String>, Set<String>> {
        private final String principalArn;

        RemovePrincipal(String principalArn) {
            this.principalArn = principalArn;
        }

        @Override
        public Set<String> apply(String source, Set<String> set) {
            set.remove(principalArn);
            return set.isEmpty() ? null : set;
        }
    }

    private void evictIfNeeded() {
        if (entries.size() <= maxSize || !evicting.compareAndSet(false, true)) {
            return;
        }
        try {
            int excess = entries.size() - maxSize;
            if (excess <= 0) {
                return;
            }
            // Evict a little more than needed (a tenth of the size) so a full cache does not sort on every fill.
            int target = excess + maxSize / 10;
            // Each entry's last access is read once, here: requests keep touching entries while this sorts, and a
            // sort whose keys change under it may throw ("Comparison method violates its general contract").
            List<EvictionCandidate> done = new ArrayList<>();
            for (Map.Entry<String, Entry> me : entries.entrySet()) {
                Entry e = me.getValue();
                if (e.future.isDone()) {
                    done.add(new EvictionCandidate(me.getKey(), e, e.lastAccess));
                }
            }
            done.sort(LEAST_RECENTLY_USED_FIRST);
            for (int i = 0; i < done.size() && i < target; i++) {
                EvictionCandidate victim = done.get(i);
                if (entries.remove(victim.principalArn(), victim.entry())) {
                    unindex(victim.principalArn(), victim.entry());
                    evictions.increment();
                }
            }
        } finally {
            evicting.set(false);
        }
    }

    /** A finished entry as eviction saw it: its last access when the eviction began. */
    record EvictionCandidate(String principalArn, Entry entry, long lastAccess) {
    }

    /** Orders eviction candidates by their last access as read when the eviction began, oldest first. */
    static final Comparator<EvictionCandidate> LEAST_RECENTLY_USED_FIRST = new LeastRecentlyUsedFirst();

    private static final class LeastRecentlyUsedFirst implements Comparator<EvictionCandidate> {
        @Override
        public int compare(EvictionCandidate a, EvictionCandidate b) {
            return Long.compare(a.lastAccess(), b.lastAccess());
        }
    }

    /** Forgets one principal (the next request loads it). */
    public void invalidate(String principalArn) {
        epoch.incrementAndGet();
        Entry e = entries.remove(principalArn);
        if (e != null) {
            unindex(principalArn, e);
        }
    }

    /**
     * Forgets every principal whose last load used this managed policy (customer or AWS managed, as identity
     * policy or boundary) or an inline policy held by this ARN (a user, group or role ARN).
     *
     * @return how many cached principals were dropped
     */
    public int invalidateByPolicy(String policyArn) {
        epoch.incrementAndGet();
        Set<String> principals = bySource.remove(policyArn);
        if (principals == null) {
            return 0;
        }
        int n = 0;
        for (String arn : principals) {
            Entry e = entries.remove(arn);
            if (e != null) {
                unindex(arn, e);
                n++;
            }
        }
        return n;
    }

    /**
     * Forgets every cached principal whose ARN, or any of whose policy sources (policy, group, user or role ARN),
     * satisfies the test — for changes known only by name, as CloudTrail reports them ({@code userName},
     * {@code roleName}, {@code groupName}), where the ARN's path is not known.
     *
     * @return how many cached principals were dropped
     */
    public int invalidateWhere(java.util.function.Predicate<String> arnTest) {
        epoch.incrementAndGet();
        int n = 0;
        for (String source : List.copyOf(bySource.keySet())) {
            if (arnTest.test(source)) {
                n += invalidateByPolicy(source);
            }
        }
        for (String arn : List.copyOf(entries.keySet())) {
            if (arnTest.test(arn)) {
                Entry e = entries.remove(arn);
                if (e != null) {
                    unindex(arn, e);
                    n++;
                }
            }
        }
        return n;
    }

    /** Forgets everything. */
    public void invalidateAll() {
        epoch.incrementAndGet();
        entries.clear();
        bySource.clear();
    }

    /** How many principals (and negative answers, and loads in flight) are held. */
    public int size() {
        return entries.size();
    }

    public Stats stats() {
        return new Stats(hits.sum(), staleHits.sum(), misses.sum(), loads.sum(), failedLoads.sum(),
                refreshes.sum(), evictions.sum());
    }

}
