package dev.edgeiam.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Verdict;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.CurrentViewResolver;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalCache;
import dev.edgeiam.request.RequestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code s3} policy source against {@code moto_server}'s S3 (versioned bucket, SSE, conditional GET with
 * {@code If-None-Match} answered 304 — all supported by moto 5.2.1, checked by these tests). Time is a hand-moved
 * clock and the background revalidation runs on a hand-driven executor, so "while the revalidation is pending" is a
 * state the test holds, not a race it hopes for. S3 requests are counted at the client.
 */
class S3AccountViewMotoTest {

    static final String BUCKET = "edgeiam-account-view";
    static final String KEY = "views/account.json";
    static final String INSTANCE = "arn:aws:connect:us-east-1:111122223333:instance/a1b2c3d4-5678-90ab-cdef-example11111";
    static final String CAROL = "arn:aws:iam::111122223333:user/carol";
    static final Duration REVALIDATE = Duration.ofSeconds(10);
    static final Duration MAX_STALE = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    static MotoServer moto;
    static S3Client admin;

    final MotoServer.CallCounter counter = new MotoServer.CallCounter();
    final MutableClock clock = new MutableClock();
    final Queue<Runnable> background = new ArrayDeque<>();
    final Executor manual = background::add;
    final List<String> changes = new ArrayList<>();
    S3Client counted;
    S3AccountView view;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        admin = moto.s3();
    }

    @AfterAll
    static void stopMoto() {
        if (admin != null) {
            admin.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        moto.reset();
        admin.createBucket(r -> r.bucket(BUCKET));
        admin.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        counted = moto.s3(counter);
        view = new S3AccountView(counted, S3AccountView.Settings.of(BUCKET, KEY, REVALIDATE, MAX_STALE), clock,
                manual, null);
        view.onViewChange((from, to) -> changes.add(from + " -> " + to));
    }

    @AfterEach
    void tearDown() {
        counted.close();
    }

    static String sample() throws IOException {
        return Files.readString(Path.of("src/main/resources/snapshot/sample-account.json"));
    }

    /** The sample account with an SCP chain whose account level denies connect:DescribeUser. */
    static String sampleWithScpDeny() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(sample());
        root.set(ServiceControlPolicyFormat.MEMBER, JSON.readTree("""
                {"AccountId": "111122223333", "OrganizationId": "o-exampleorg1", "ManagementAccountId": "999988887777",
                 "ServiceControlPoliciesEnabled": true,
                 "Levels": [
                   {"TargetId": "r-ab12", "TargetType": "ROOT", "Policies": [{"PolicyId": "p-FullAWSAccess",
                     "PolicyName": "FullAWSAccess", "Document": {"Version": "2012-10-17",
                     "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]},
                   {"TargetId": "111122223333", "TargetType": "ACCOUNT", "Policies": [
                     {"PolicyId": "p-FullAWSAccess", "PolicyName": "FullAWSAccess", "Document": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\"}]}"},
                     {"PolicyId": "p-nodescribe", "PolicyName": "NoDescribeUser", "Document": {"Version": "2012-10-17",
                       "Statement": [{"Sid": "NoDescribeUser", "Effect": "Deny", "Action": "connect:DescribeUser", "Resource": "*"}]}}]}]}
                """));
        return JSON.writeValueAsString(root);
    }

    String upload(String body) {
        return admin.putObject(r -> r.bucket(BUCKET).key(KEY).serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromString(body, StandardCharsets.UTF_8)).versionId();
    }

    /** Runs the background revalidations queued so far (what the revalidation thread would do). */
    int runBackground() {
        int n = 0;
        for (Runnable r; (r = background.poll()) != null; n++) {
            r.run();
        }
        return n;
    }

    /** The first load waits for S3; the test plays the revalidation thread while the request path waits. */
    String firstLoad() throws Exception {
        Thread t = Thread.ofVirtual().start(() -> {
            while (background.isEmpty()) {
                Thread.onSpinWait();
            }
            runBackground();
        });
        String version = view.currentVersion();
        t.join();
        return version;
    }

    static Verdict carolDescribesHerself(CompiledPrincipal carol) {
        return Evaluator.decide(carol.policies(), carol.request("connect:DescribeUser", INSTANCE + "/agent/carol")
                .build());
    }

    @Test
    void anUnmodifiedCliFileLoadsAndAWarmViewCostsOneConditionalGetPerInterval() throws Exception {
        String v1 = upload(sample());
        assertEquals(v1, firstLoad());
        assertEquals(1, counter.take().get("GetObject"));
        // Within the interval: no S3 request at all, and no background work queued.
        clock.advance(REVALIDATE.minusMillis(1));
        for (int i = 0; i < 100; i++) {
            assertEquals(v1, view.currentVersion());
        }
        assertTrue(background.isEmpty());
        assertEquals(0, counter.total());
        // Past it: the decision is answered at once; one conditional GET is queued (only one, however many ask).
        clock.advance(Duration.ofMillis(1));
        for (int i = 0; i < 50; i++) {
            assertEquals(v1, view.currentVersion());
        }
        assertEquals(1, runBackground());
        assertEquals(1, counter.take().get("GetObject"));
        S3AccountView.Stats stats = view.stats();
        assertEquals(1, stats.loaded(), "a 304 re-reads and re-parses nothing");
        assertEquals(1, stats.notModified());
        // The 304 confirmed the view: another full interval without requests.
        clock.advance(REVALIDATE.minusMillis(1));
        assertEquals(v1, view.currentVersion());
        assertTrue(background.isEmpty());
        assertEquals(List.of("null -> " + v1), changes);
    }

    @Test
    void aChangedObjectIsCompiledOffTheRequestPathAndCachedPrincipalsFollowTheNewVersion() throws Exception {
        String v1 = upload(sample());
        firstLoad();
        PrincipalCache cache = new PrincipalCache(view, PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        view.onViewChange((from, to) -> cache.invalidateAll());
        CurrentViewResolver principals = new CurrentViewResolver(view, cache);
        CompiledPrincipal carol = principals.resolve(CAROL);
        assertEquals(v1, carol.viewVersion());
        assertTrue(carolDescribesHerself(carol).allowed());

        String v2 = upload(sampleWithScpDeny());
        clock.advance(REVALIDATE);
        // The revalidation is pending: decisions keep the old view (nothing waits for S3).
        assertEquals(v1, principals.resolve(CAROL).viewVersion());
        assertEquals(1, background.size());
        runBackground();
        CompiledPrincipal after = principals.resolve(CAROL);
        assertEquals(v2, after.viewVersion());
        Verdict denied = carolDescribesHerself(after);
        assertFalse(denied.allowed());
        assertEquals(Reason.EXPLICIT_DENY, denied.reason());
        assertTrue(denied.deciding().toString().contains("(NoDescribeUser)"), denied.deciding().toString());
        assertEquals(2, after.policies().serviceControlLevels().size());
    }

    /**
     * After a SnapStart restore ({@link S3AccountView#forget}) a view read before the snapshot decides nothing, however
     * recent its confirmation looks: the next decision waits for S3 and uses what S3 holds now (red-team pass 32:
     * the view read while priming, before the snapshot, answered an Allow the changed view refuses).
     */
    @Test
    void aForgottenViewDecidesNothingAndTheNextDecisionWaitsForS3() throws Exception {
        String v1 = upload(sample());
        assertEquals(v1, firstLoad());
        String v2 = upload(sampleWithScpDeny());
        counter.take();
        view.forget();
        assertEquals(-1, view.confirmedAgeMillis(), "nothing read");
        assertNull(view.versionInUse());
        assertEquals(v2, firstLoad(), "the decision waited for S3, well inside the revalidation interval");
        assertEquals(Map.of("GetObject", 1), counter.take());
    }

    /**
     * During a SnapStart init ({@link S3AccountView#holdReadsUntilForgotten}) nothing reaches S3, not a prefetch and
     * not a decision (which fails closed and says why), until the restore ({@link S3AccountView#forget}).
     */
    @Test
    void heldReadsReachNothingUntilForgotten() throws Exception {
        String v1 = upload(sample());
        counter.take();
        view.holdReadsUntilForgotten();
        view.prefetch();
        PolicySourceException refused = assertThrows(PolicySourceException.class, view::currentVersion);
        assertTrue(refused.getMessage().contains("SnapStart"), refused.getMessage());
        assertThrows(PolicySourceException.class, () -> view.load("arn:aws:iam::111122223333:role/any"));
        assertTrue(view.modelsOpenIdConnectProviders(), "an unusable view fails the OIDC look-up closed");
        assertTrue(background.isEmpty(), "no read was queued");
        assertEquals(Map.of(), counter.take(), "S3 was not asked");
        view.forget();
        assertEquals(v1, firstLoad());
        assertEquals(Map.of("GetObject", 1), counter.take());
    }

    /** A decision right after {@link S3AccountView#forget} reads S3 itself instead of waiting for a discarded read. */
    @Test
    void theFirstDecisionAfterForgetDoesNotWaitForAReadBegunBefore() throws Exception {
        String v1 = upload(sample());
        view.prefetch();                    // queued before the restore, still pending
        view.forget();
        assertEquals(v1, firstLoad(), "answered by a read of its own, not refused by the discarded one");
        assertEquals(Map.of("GetObject", 2), counter.take(), "the discarded read and the decision's own");
        assertEquals(List.of("null -> " + v1), changes, "one change told, by the read after forget()");
    }

    @Test
    void aReadStillRunningWhenTheViewIsForgottenSetsNothing() throws Exception {
        String v1 = upload(sample());
        view.prefetch();                    // queued, as the read started before the snapshot
        view.forget();                      // the restore
        runBackground();                    // the read completes afterwards
        assertNull(view.versionInUse(), "the read begun before forget() did not set the view");
        assertEquals(List.of(), changes, "and told no listener");
        assertEquals(v1, firstLoad(), "the next decision reads S3 itself");
    }

    @Test
    void aPrincipalCachedFromAnOlderViewIsNeverServed() throws Exception {
        String v1 = upload(sample());
        firstLoad();
        // No invalidation listener: only the version check stands between the cache and the new view.
        PrincipalCache cache = new PrincipalCache(view, PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        CurrentViewResolver principals = new CurrentViewResolver(view, cache);
        assertEquals(v1, principals.resolve(CAROL).viewVersion());
        String v2 = upload(sampleWithScpDeny());
        clock.advance(REVALIDATE);
        view.currentVersion();
        runBackground();
        assertEquals(v2, principals.resolve(CAROL).viewVersion());
        assertFalse(carolDescribesHerself(principals.resolve(CAROL)).allowed());
    }

    @Test
    void aCorruptObjectKeepsTheLastGoodViewOnlyUntilMaxStaleThenEveryDecisionFailsClosed() throws Exception {
        String v1 = upload(sample());
        firstLoad();
        upload("{\"UserDetailList\": [ this is not JSON");
        clock.advance(REVALIDATE);
        view.currentVersion();
        runBackground();
        assertEquals(1, view.stats().rejected());
        counter.take();
        // Still the last good view, and the corrupt object is not downloaded again (If-None-Match on its ETag: 304).
        for (int i = 0; i < 4; i++) {
            clock.advance(REVALIDATE);
            assertEquals(v1, view.currentVersion());
            runBackground();
        }
        assertEquals(4, counter.take().get("GetObject"));
        assertEquals(1, view.stats().loaded());
        // 60 s after the last confirmation: no decision may use it any more.
        clock.set(clock.instant().plus(MAX_STALE.minus(REVALIDATE.multipliedBy(5))));
        PolicySourceException refused = assertThrows(PolicySourceException.class, this::firstLoad);
        assertTrue(refused.getMessage().contains("fail closed"), refused.getMessage());
        assertThrows(PolicySourceException.class, () -> view.load(CAROL));
        // A good object recovers at the next attempt.
        String v3 = upload(sample());
        clock.advance(Duration.ofSeconds(2)); // past the retry pause after a failed attempt
        assertEquals(v3, firstLoad());
        assertNotEquals(v1, v3);
    }

    @Test
    void anSCPThatDoesNotParseRejectsTheWholeView() throws Exception {
        String v1 = upload(sample());
        firstLoad();
        upload(sampleWithScpDeny().replace("\"Effect\":\"Deny\"", "\"Effect\":\"Maybe\""));
        clock.advance(REVALIDATE);
        view.currentVersion();
        runBackground();
        assertEquals(1, view.stats().rejected());
        assertEquals(v1, view.currentVersion());
    }

    @Test
    void anUnencryptedObjectIsNotUsed() throws Exception {
        admin.putObject(r -> r.bucket(BUCKET).key(KEY), RequestBody.fromString(sample()));
        assertThrows(PolicySourceException.class, this::firstLoad);
        assertEquals(1, view.stats().rejected());
    }

    @Test
    void aMissingObjectOrBucketFailsClosedFromTheStart() throws Exception {
        assertThrows(PolicySourceException.class, this::firstLoad);
        assertEquals(1, view.stats().failed());
        // Within the retry pause, decisions fail at once without another request.
        counter.take();
        assertThrows(PolicySourceException.class, () -> view.currentVersion());
        assertEquals(0, counter.total());
        assertTrue(background.isEmpty());
    }

    @Test
    void aDeletedObjectIsLikeAnUnreadableOne() throws Exception {
        String v1 = upload(sample());
        firstLoad();
        admin.deleteObject(r -> r.bucket(BUCKET).key(KEY));
        clock.advance(REVALIDATE);
        assertEquals(v1, view.currentVersion());
        runBackground();
        assertEquals(1, view.stats().failed());
        clock.advance(MAX_STALE);
        assertThrows(PolicySourceException.class, this::firstLoad);
    }
}
