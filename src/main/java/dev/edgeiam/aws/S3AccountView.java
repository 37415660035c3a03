package dev.edgeiam.aws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.principal.AccountViewSource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalPolicies;
import dev.edgeiam.principal.ServiceControlChain;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code s3} policy source: the whole account view — {@code GetAccountAuthorizationDetails} JSON, extended with
 * the SCP chain ({@link SnapshotPolicySource}, {@link ServiceControlPolicyFormat}) — is one S3 object, written by
 * the refresher ({@link AccountViewPublisher}) and read by every authorizer instance.
 *
 * <p><b>Revalidation.</b> The object is loaded and compiled once. A view is <i>confirmed</i> when S3 vouches for it:
 * the GET that loaded it, or a conditional GET ({@code If-None-Match} on its ETag) answered {@code 304}. For
 * {@link Settings#revalidate()} after a confirmation the view is used without any S3 request. After that, the next
 * decision starts one conditional GET in the background (single flight) and is answered with the view it has;
 * {@code 304} re-confirms it (nothing is re-read or re-parsed); a changed object is read, parsed and compiled on the
 * background thread and replaces the view once complete. The request path waits for S3 only when it has no view it
 * may use: the first load, and a view last confirmed longer ago than {@link Settings#maxStale()}.
 *
 * <p><b>"Background" in Lambda.</b> Lambda freezes an execution environment between invocations, so the background
 * thread runs only while some invocation is running: a revalidation started by one decision proceeds during it and
 * the following ones (an S3 request cut by a freeze fails and is retried by a later decision). Correctness does not
 * depend on when it runs: every decision checks the view's age first ({@link #currentVersion()}), so no decision is
 * made with a view confirmed longer ago than {@code maxStale}, however long the environment was frozen; a warm
 * environment that keeps receiving requests picks up a new object within about {@code revalidate} plus one GET and
 * compile.
 *
 * <p><b>Failures.</b> An unreadable object (S3 error, timeout, missing object) or an unusable one (not JSON, not the
 * format, a policy or SCP that does not parse, not server-side encrypted, larger than {@link Settings#maxBytes()})
 * leaves the last good view in use — unconfirmed, so only until {@code maxStale} after its last confirmation; then
 * every decision fails closed ({@code policy-source-unavailable}) until a good object is read. An unusable object is
 * remembered by its ETag and not downloaded again until it changes.
 *
 * <p>The view's version (the S3 object version id; {@code etag:...} for an unversioned bucket) travels with every
 * principal loaded from it ({@code CompiledPrincipal.viewVersion}) into the decision log line.
 */
public final class S3AccountView implements AccountViewSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3AccountView.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /**
     * @param bucket            the bucket
     * @param key               the object key
     * @param revalidate        how long a confirmed view is used without asking S3 (default 10 s)
     * @param maxStale          the longest time since the last confirmation that a view may still decide (default
     *                          1 min); past it, decisions wait for S3 and fail closed if it does not answer
     * @param loadTimeout       the longest a decision waits for S3 when it has no usable view
     * @param retryAfterFailure after a failed revalidation, decisions without a usable view fail at once for this long
     *                          instead of each waiting for S3 again
     * @param maxBytes          the largest object accepted
     */
    public record Settings(String bucket, String key, Duration revalidate, Duration maxStale, Duration loadTimeout,
                           Duration retryAfterFailure, long maxBytes) {
        public Settings {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            if (revalidate.isNegative() || maxStale.compareTo(revalidate) < 0) {
                throw new IllegalArgumentException("need 0 <= revalidate <= max-stale (got " + revalidate + ", "
                        + maxStale + ")");
            }
            if (loadTimeout.isNegative() || loadTimeout.isZero() || maxBytes < 1) {
                throw new IllegalArgumentException("load timeout and size limit must be positive");
            }
            if (retryAfterFailure.isNegative()) {
                throw new IllegalArgumentException("retry-after-failure must not be negative (got "
                        + retryAfterFailure + ")");
            }
            // each is compared in milliseconds on every decision: one past Long's range would throw there instead
            for (Duration d : new Duration[]{revalidate, maxStale, loadTimeout, retryAfterFailure}) {
                try {
                    d.toMillis();
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("an s3 view time limit is too long to use (got " + d + ")",
                            e);
                }
            }
        }

        public static Settings of(String bucket, String key, Duration revalidate, Duration maxStale) {
            return new Settings(bucket, key, revalidate, maxStale, Duration.ofSeconds(4), Duration.ofSeconds(1),
                    256L * 1024 * 1024);
        }
    }

    /** The view decisions are made with: the parsed and compiled account, and which S3 object it came from. */
    private record View(SnapshotPolicySource snapshot, String etag, String version) {
    }

    /**
     * Everything revalidation changes, replaced as one value (only the single revalidation task writes it).
     *
     * @param view         the last good view, or null before the first
     * @param confirmedAt  when S3 last vouched for {@code view} (millis; the start of that request)
     * @param lastSeenEtag the ETag of the newest object seen, good or not (the next {@code If-None-Match})
     * @param failedAt     when the last revalidation failed, or {@link Long#MIN_VALUE}
     */
    private record State(View view, long confirmedAt, String lastSeenEtag, long failedAt) {
    }

    /** What one revalidation did (counted; the last one is kept for tests and logs). */
    public enum Outcome { LOADED, NOT_MODIFIED, REJECTED, STILL_REJECTED, FAILED }

    /** Counters since the source was made. */
    public record Stats(long requests, long loaded, long notModified, long rejected, long failed) {
    }

    private final S3Client s3;
    private final Settings settings;
    private final Clock clock;
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final ServiceControlChain configuredServiceControls;
    private static final State NOTHING_READ = new State(null, Long.MIN_VALUE, null, Long.MIN_VALUE);
    private volatile State state = NOTHING_READ;
    /** Held while {@link #state} is set or {@link #generation} bumped, so a read never sets a forgotten state. */
    private final Object stateLock = new Object();
    /** Bumped by {@link #forget()}: a read started before it does not set the state it finds afterwards. */
    private volatile long generation;
    /** Set by {@link #holdReadsUntilForgotten()}: no read of S3 starts until {@link #forget()}. */
    private volatile boolean held;
    private final AtomicReference<CompletableFuture<Outcome>> inFlight = new AtomicReference<>();
    private volatile BiConsumer<String, String> onChange = (from, to) -> { };
    private final LongAdder requests = new LongAdder();
    private final LongAdder loaded = new LongAdder();
    private final LongAdder notModified = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /**
     * @param configuredServiceControls SCPs from configuration, used when the view carries none (or null)
     * @param executor                  runs revalidations; null = one daemon thread of its own
     */
    public S3AccountView(S3Client s3, Settings settings, Clock clock, Executor executor,
                         ServiceControlChain configuredServiceControls) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.configuredServiceControls = configuredServiceControls;
        if (executor == null) {
            ownExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "account-view-revalidate");
                t.setDaemon(true);
                return t;
            });
            this.executor = ownExecutor;
        } else {
            ownExecutor = null;
            this.executor = executor;
        }
    }

    /** Called with (old version, new version) after a new view has replaced the old one (old is null at first). */
    public void onViewChange(BiConsumer<String, String> listener) {
        this.onChange = Objects.requireNonNull(listener, "listener");
    }

    /** Starts loading in the background (e.g. during the function's initialisation), without waiting. */
    public void prefetch() {
        revalidate();
    }

    /**
     * Forgets every view read so far, as if none had been: the next decision waits for S3 (after a SnapStart restore,
     * a view read before the snapshot must not decide, however recent it looks). A read still running when this is
     * called completes without setting anything; listeners are not told (what they derived is forgotten by their
     * owners at the same time).
     */
    public void forget() {
        synchronized (stateLock) {
            generation++;
            state = NOTHING_READ;
            held = false;
            // the next decision starts a read of its own rather than wait for one whose answer will be discarded
            inFlight.set(null);
        }
    }

    /**
     * Until {@link #forget()}, nothing is read from S3 and no decision is made: for the initialisation of a SnapStart
     * version, after which Lambda snapshots the process (a view, an S3 connection or credentials resolved for it
     * would be restored into every instance, at any later time); the restore hook calls {@link #forget()}. A
     * decision asked for meanwhile (priming) fails closed with {@link PolicySourceException}.
     */
    public void holdReadsUntilForgotten() {
        held = true;
    }

    @Override
    public String currentVersion() throws PolicySourceException {
        return usableView().version();
    }

    @Override
    public PrincipalPolicies load(String principalArn) throws PolicySourceException {
        return usableView().snapshot().load(principalArn);
    }

    /** By name at any path, as the view's snapshot finds it (a session ARN names the role without its path). */
    @Override
    public PrincipalPolicies loadRoleByName(String partition, String accountId, String roleName)
            throws PolicySourceException {
        return usableView().snapshot().loadRoleByName(partition, accountId, roleName);
    }

    @Override
    public Optional<String> managedPolicyText(String policyArn) {
        try {
            return usableView().snapshot().managedPolicyText(policyArn);
        } catch (PolicySourceException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the view in use carries the account's IAM OIDC identity providers (the refresher writes them, R12.5);
     * when no view may be used now it counts as one that does, so the look-up that follows fails closed (R13.1).
     */
    @Override
    public boolean modelsOpenIdConnectProviders() {
        try {
            return usableView().snapshot().modelsOpenIdConnectProviders();
        } catch (PolicySourceException e) {
            return true;
        }
    }

    /** The provider's client IDs from the view in use (R13.1); an unusable view is an outage. */
    @Override
    public Optional<java.util.Set<String>> openIdConnectProvider(String providerArn) throws PolicySourceException {
        return usableView().snapshot().openIdConnectProvider(providerArn);
    }

    /** The version of the view in use (null before the first load), for logs and tests; never waits. */
    public String versionInUse() {
        View v = state.view();
        return v == null ? null : v.version();
    }

    /**
     * How long ago S3 last confirmed the view in use (a {@code 200} or a {@code 304}), in milliseconds, or -1 before
     * the first view; never waits (the {@code AccountViewAge} metric).
     */
    public long confirmedAgeMillis() {
        State s = state;
        return s.view() == null ? -1 : Math.max(0, clock.millis() - s.confirmedAt());
    }

    public Stats stats() {
        return new Stats(requests.sum(), loaded.sum(), notModified.sum(), rejected.sum(), failed.sum());
    }

    private View usableView() throws PolicySourceException {
        if (held) {
            throw new PolicySourceException("the account view s3://" + settings.bucket() + "/" + settings.key()
                    + " is not read before a SnapStart snapshot (reading starts when the function is restored); "
                    + "refusing (fail closed)");
        }
        long now = clock.millis();
        State s = state;
        if (s.view() != null) {
            long age = now - s.confirmedAt();
            if (age < settings.revalidate().toMillis()) {
                return s.view();
            }
            if (age < settings.maxStale().toMillis()) {
                revalidate(); // in the background: this decision uses the view it has
                return s.view();
            }
        }
        // No view that may decide: the first load, or the last confirmation is past the bound. Wait for S3.
        if (inFlight.get() == null && s.failedAt() != Long.MIN_VALUE
                && now - s.failedAt() < settings.retryAfterFailure().toMillis()) {
            throw unavailable(s, "the last attempt to read it failed");
        }
        CompletableFuture<Outcome> attempt = revalidate();
        try {
            attempt.get(settings.loadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicySourceException("interrupted while waiting for the account view", e);
        } catch (TimeoutException e) {
            throw unavailable(s, "S3 did not answer within " + settings.loadTimeout());
        } catch (ExecutionException e) {
            throw unavailable(s, String.valueOf(e.getCause()));
        }
        State after = state;
        if (after.view() != null && clock.millis() - after.confirmedAt() < settings.maxStale().toMillis()) {
            return after.view();
        }
        throw unavailable(after, "it could not be read or used");
    }

    private PolicySourceException unavailable(State s, String why) {
        String what = s.view() == null ? "no account view has been loaded from s3://" + settings.bucket() + "/"
                + settings.key()
                : "the account view " + s.view().version() + " was last confirmed more than " + settings.maxStale()
                + " ago";
        return new PolicySourceException(what + " and " + why + "; refusing (fail closed)");
    }

    /** Starts a revalidation unless one is running; returns the running one. */
    private CompletableFuture<Outcome> revalidate() {
        if (held) {
            return CompletableFuture.completedFuture(Outcome.FAILED);
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        long requestedGeneration = generation;
        try {
            executor.execute(() -> {
                Outcome outcome = Outcome.FAILED;
                try {
                    outcome = fetch(requestedGeneration);
                } catch (RuntimeException | Error e) {
                    record(Outcome.FAILED, e.toString());
                } finally {
                    inFlight.compareAndSet(mine, null); // not a read started after forget()
                    mine.complete(outcome);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.compareAndSet(mine, null);
            mine.complete(Outcome.FAILED);
        }
        return mine;
    }

    /**
     * One conditional GET and what follows from its answer. Runs on the revalidation thread only; sets nothing if
     * {@link #forget()} was called after the read was asked for ({@code readGeneration}).
     */
    private Outcome fetch(long readGeneration) {
        State s = state;
        long started = clock.millis();
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(settings.bucket()).key(settings.key());
        if (s.lastSeenEtag() != null) {
            request.ifNoneMatch(s.lastSeenEtag());
        }
        requests.increment();
        String etag = null;
        String version = null;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request.build())) {
            GetObjectResponse response = in.response();
            etag = response.eTag();
            version = response.versionId();
            if (response.serverSideEncryption() == null) {
                throw new IllegalArgumentException("the object is not server-side encrypted");
            }
            byte[] body = readBounded(in, settings.maxBytes());
            JsonNode root = JSON.readTree(body);
            String label = version != null && !version.equals("null") ? version : "etag:" + unquote(etag);
            SnapshotPolicySource snapshot = SnapshotPolicySource.fromJson(root, label);
            if (configuredServiceControls != null) {
                snapshot.withServiceControls(configuredServiceControls);
            }
            View next = new View(snapshot, etag, label);
            String previous = s.view() == null ? null : s.view().version();
            boolean current = set(readGeneration, new State(next, started, etag, Long.MIN_VALUE));
            loaded.increment();
            record(Outcome.LOADED, previous + " -> " + label);
            if (current) {
                onChange.accept(previous, label);
            }
            return Outcome.LOADED;
        } catch (S3Exception e) {
            if (e.statusCode() == 304) {
                if (s.view() != null && Objects.equals(s.lastSeenEtag(), s.view().etag())) {
                    set(readGeneration, new State(s.view(), started, s.lastSeenEtag(), Long.MIN_VALUE));
                    notModified.increment();
                    return Outcome.NOT_MODIFIED;
                }
                // Still the object that was rejected: nothing new to vouch for the view in use.
                set(readGeneration, new State(s.view(), s.confirmedAt(), s.lastSeenEtag(), started));
                rejected.increment();
                return Outcome.STILL_REJECTED;
            }
            return failedRequest(readGeneration, s, started, "S3 answered " + e.statusCode() + " "
                    + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return rejectedObject(readGeneration, s, started, etag, version, "not JSON: " + e.getOriginalMessage());
        } catch (SdkException | IOException e) {
            return failedRequest(readGeneration, s, started, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return rejectedObject(readGeneration, s, started, etag, version, e.getMessage());
        }
    }

    private Outcome rejectedObject(long readGeneration, State s, long started, String etag, String version,
                                   String why) {
        // Read, but not usable: keep the last good view and do not download this object again.
        set(readGeneration, new State(s.view(), s.confirmedAt(), etag, started));
        rejected.increment();
        record(Outcome.REJECTED, "object version " + version + " is not a usable account view: " + why);
        return Outcome.REJECTED;
    }

    private Outcome failedRequest(long readGeneration, State s, long started, String why) {
        set(readGeneration, new State(s.view(), s.confirmedAt(), s.lastSeenEtag(), started));
        failed.increment();
        record(Outcome.FAILED, why);
        return Outcome.FAILED;
    }

    /**
     * Sets the state unless {@link #forget()} was called since the read that found it began; whether it did.
     */
    private boolean set(long readGeneration, State next) {
        synchronized (stateLock) {
            if (generation != readGeneration) {
                return false;
            }
            state = next;
            return true;
        }
    }

    private void record(Outcome outcome, String detail) {
        Level level = outcome == Outcome.LOADED ? Level.INFO : Level.WARNING;
        if (LOG.isLoggable(level)) {
            LOG.log(level, "account view s3://" + settings.bucket() + "/" + settings.key() + ": " + outcome + " ("
                    + detail + "); in use: " + versionInUse());
        }
    }

    private static byte[] readBounded(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > max) {
                throw new IllegalArgumentException("the object is larger than " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }

    @Override
    public void close() {
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }
}
