package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.identity.IdentitySettings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static dev.edgeiam.lambda.RedteamPass8Test.GUARD_ARN;
import static dev.edgeiam.lambda.RedteamPass8Test.USER_PATH;
import static dev.edgeiam.lambda.RedteamPass8Test.identity;
import static dev.edgeiam.lambda.RedteamPass8Test.withManagedPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An IAM change that arrives while a caller's session policy set (and caller view) is being derived: the request in
 * flight may be answered with what it read, but nothing derived from the policy text read before the change may be
 * remembered after it — the next request of the same session must see the new version (a Deny added by
 * {@code CreatePolicyVersion --set-as-default} on a managed session policy, here).
 */
class InvalidationDuringDerivationTest {

    @Test
    void aSessionSetDerivedAcrossAnIamChangeIsNotRemembered() throws Exception {
        IdentitySettings settings = identity(Map.of(
                "AUTHORIZER_SESSION_POLICY", policy(statement("Allow", "connect:*", "*")),
                "AUTHORIZER_SESSION_POLICY_ARNS", GUARD_ARN));
        String before = policy(statement("Allow", "connect:*", "*"));
        String after = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:DeleteUser", "*"));
        AtomicReference<String> guard = new AtomicReference<>(before);
        AtomicBoolean holdNextRead = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch changed = new CountDownLatch(1);
        EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, false, java.util.List.of(), arn -> Map.of(), null,
                settings, withManagedPolicy(EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))),
                GUARD_ARN, before),
                text -> arn -> {
                    if (!arn.equals(GUARD_ARN)) {
                        return text.apply(arn);
                    }
                    String read = guard.get(); // the version IAM had when the read began
                    if (holdNextRead.compareAndSet(true, false)) {
                        reading.countDown();
                        try {
                            assertTrue(changed.await(10, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return Optional.of(read);
                });
        String token = h.token();
        holdNextRead.set(true);
        CompletableFuture<JsonNode> inFlight = CompletableFuture.supplyAsync(
                () -> h.answer(h.restRequest(token, "DELETE", USER_PATH, Map.of(), IP)));
        assertTrue(reading.await(10, TimeUnit.SECONDS), "the derivation should be reading the guard");
        guard.set(after); // CreatePolicyVersion --set-as-default ...
        h.gateway.forgetVerifiedCredentials(); // ... and the IAM change event reaches the function
        changed.countDown();
        inFlight.get(10, TimeUnit.SECONDS); // answered with what it read: allowed or not, not asserted

        JsonNode next = h.answer(h.restRequest(token, "DELETE", USER_PATH, Map.of(), IP));
        assertEquals("explicit-deny", next.path("context").path("reason").asText(),
                "a set compiled from the guard's old version was remembered across the change: " + next);
    }
}
