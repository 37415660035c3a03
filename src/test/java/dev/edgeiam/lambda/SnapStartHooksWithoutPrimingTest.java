package dev.edgeiam.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.edgeiam.aws.S3AccountView;
import dev.edgeiam.principal.PolicySourceException;
import jakarta.inject.Provider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * With priming off ({@code authorizer.snapstart.priming=false}) the restore hook still runs: it is what lets an
 * {@code s3} source whose reads were held during the SnapStart init read again, and what drops per-instance state
 * (among it the instance's random source).
 * Before R32.1 both hooks were registered only with priming on, so a deployment that turned priming off kept whatever
 * its init had cached.
 */
class SnapStartHooksWithoutPrimingTest {

    @Test
    void withPrimingOffNothingIsPrimedAndTheRestoreStillForgets() throws Exception {
        Queue<Runnable> background = new ArrayDeque<>();
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "x")))
                .build()) {
            S3AccountView view = new S3AccountView(s3, S3AccountView.Settings.of("bucket", "view.json",
                    java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60)), Clock.systemUTC(),
                    background::add, null);
            view.holdReadsUntilForgotten(); // as AuthorizerServices.create does in a SnapStart init
            LambdaBeans.AuthorizerServices services = new LambdaBeans.AuthorizerServices(null, null, null, null,
                    null, null, null, null, null, view);
            AtomicInteger servicesAsked = new AtomicInteger();
            Provider<LambdaBeans.AuthorizerServices> servicesProvider = () -> {
                servicesAsked.incrementAndGet();
                return services;
            };
            Provider<EventDispatcher> dispatcher = () -> {
                throw new AssertionError("priming is off: no event is dispatched");
            };
            SnapStartPriming hooks = new SnapStartPriming(dispatcher, servicesProvider, primingOff());

            int before = jdk.crac.Core.registered();
            hooks.register(null);
            assertEquals(before + 1, jdk.crac.Core.registered(), "registered with priming off");

            hooks.beforeCheckpoint(null);
            assertEquals(0, servicesAsked.get(), "priming off: the services are not even built before the snapshot");
            PolicySourceException held = assertThrows(PolicySourceException.class, view::currentVersion);
            assertTrue(held.getMessage().contains("SnapStart"), held.getMessage());
            assertTrue(background.isEmpty(), "nothing read before the snapshot");

            java.security.SecureRandom snapshotted = dev.edgeiam.instance.InstanceRandom.get();
            hooks.afterRestore(null);
            assertEquals(1, servicesAsked.get());
            org.junit.jupiter.api.Assertions.assertNotSame(snapshotted, dev.edgeiam.instance.InstanceRandom.get(),
                    "the instance's random source (probes, X-Ray ids, retry jitter) is made anew after the restore");
            assertEquals(1, background.size(), "the restore forgot the hold and started reading S3");
        }
    }

    /**
     * An init Lambda never snapshots (on-demand, provisioned concurrency) registers no hooks: neither can run there,
     * and registering costs a cold start ~20 ms. Every other init registers them, including one with no
     * {@code AWS_LAMBDA_INITIALIZATION_TYPE} and one with a value Lambda may add later: a snapshot taken without the
     * restore hook would keep the init's caches (R32.1), so only the two documented non-snapshot types skip it.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "AWS_LAMBDA_INITIALIZATION_TYPE={0} registers: {1}")
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "<unset>", value = {
            "on-demand, false", "provisioned-concurrency, false", "snap-start, true", "<unset>, true",
            "lambda-managed-instances, true", "ON-DEMAND, true", "'', true", "'on-demand ', true"})
    void hooksAreRegisteredUnlessTheInitIsNeverSnapshotted(String initType, boolean registers) {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        if (initType != null) {
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", initType);
        }
        LambdaBeans.AuthorizerServices nothingCached = new LambdaBeans.AuthorizerServices(null, null, null, null,
                null, null, null, null, null, null);
        SnapStartPriming hooks = new SnapStartPriming(() -> {
            throw new AssertionError("registering dispatches nothing");
        }, () -> nothingCached, primingOff());
        int before = jdk.crac.Core.registered();
        assertEquals(registers, hooks.registerUnlessNeverSnapshotted(env));
        assertEquals(before + (registers ? 1 : 0), jdk.crac.Core.registered());
    }

    /** An {@link AuthorizerConfig} whose {@code snapstart().priming()} is false; nothing else of it may be read. */
    private static AuthorizerConfig primingOff() {
        AuthorizerConfig.SnapStart snapStart = (AuthorizerConfig.SnapStart) Proxy.newProxyInstance(
                AuthorizerConfig.class.getClassLoader(), new Class<?>[] {AuthorizerConfig.SnapStart.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "priming" -> false;
                    case "maxPrincipals" -> 2000;
                    default -> throw new AssertionError("read " + method.getName());
                });
        return (AuthorizerConfig) Proxy.newProxyInstance(AuthorizerConfig.class.getClassLoader(),
                new Class<?>[] {AuthorizerConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("snapstart")) {
                        return snapStart;
                    }
                    throw new AssertionError("read " + method.getName());
                });
    }
}
