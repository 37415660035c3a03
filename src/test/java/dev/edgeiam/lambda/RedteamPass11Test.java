package dev.edgeiam.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.gateway.AuthorizerEventReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.edgeiam.lambda.EdgeHarness.ACCOUNT;
import static dev.edgeiam.lambda.RedteamFindingsTest.IP;
import static dev.edgeiam.lambda.RedteamFindingsTest.allowed;
import static dev.edgeiam.lambda.RedteamFindingsTest.policy;
import static dev.edgeiam.lambda.RedteamFindingsTest.statement;
import static dev.edgeiam.lambda.RedteamPass8Test.GUARD_ARN;
import static dev.edgeiam.lambda.RedteamPass8Test.USER_PATH;
import static dev.edgeiam.lambda.RedteamPass8Test.identity;
import static dev.edgeiam.lambda.RedteamPass8Test.withManagedPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eleventh red-team pass: the pruned authorizer-event read, the written answers, the generation guard's owners and
 * the compact Connect model. Each finding's test asserts the safe behaviour (it fails on the code it was found on);
 * attacks that failed are kept as regression guards. Packaged-function checks are in
 * {@code local/RedteamPass11PackagedIT}.
 */
class RedteamPass11Test {

    /** The production limits ({@code AuthorizerConfig}'s defaults: 256 KiB, depth 64, strings of 128 KiB). */
    static final EventLimits LIMITS = new EventLimits(256 * 1024, 64, 128 * 1024);

    /** The whole-tree reader the dispatcher falls back to, with the same limits: the oracle for the pruned read. */
    static final ObjectMapper WHOLE = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(LIMITS.maxDepth())
                            .maxStringLength(LIMITS.maxStringLength()).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    static byte[] sample() {
        try {
            return Files.readAllBytes(Path.of("events/rest-request.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The REST sample event with {@code member} (raw JSON text) inserted as its first member. */
    static byte[] withFirstMember(String member) {
        String s = new String(sample(), StandardCharsets.UTF_8);
        int brace = s.indexOf('{');
        return (s.substring(0, brace + 1) + member + "," + s.substring(brace + 1)).getBytes(StandardCharsets.UTF_8);
    }

    /** What the dispatcher answers: "handled" when the authorizer handler got the event, else the error code. */
    static String dispatched(byte[] event, AtomicReference<JsonNode> seen) {
        ObjectNode ok = JsonNodeFactory.instance.objectNode().put("handled", true);
        EventDispatcher d = new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER, e -> {
            seen.set(e);
            return EventDispatcher.Answer.of(ok);
        }), LIMITS);
        EventDispatcher.Dispatch r = d.dispatch(event);
        return r.response().has("handled") ? "handled" : r.response().path("errorCode").asText();
    }

    /** What the whole-tree read says: "handled" for an authorizer event, "InvalidInput" when it cannot be read. */
    static String wholeRead(byte[] event) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(event)); // the dispatcher's check
        } catch (java.nio.charset.CharacterCodingException e) {
            return "InvalidInput";
        }
        try {
            JsonNode root = WHOLE.readTree(event);
            if (root == null || root.isMissingNode()) {
                return "InvalidInput";
            }
            return EventDispatcher.classify(root) == EventDispatcher.EventKind.AUTHORIZER ? "handled"
                    : "UnrecognizedEvent";
        } catch (java.io.IOException e) {
            return "InvalidInput";
        }
    }

    // -- R11.1 (low, malformed input answered): a skipped member's string is not held to the string-length limit --

    /**
     * An authorizer event whose {@code stageVariables} (a member the reader skips) holds a 140,000-character string:
     * SECURITY.md ("Every Lambda event ... with a string over 128 KiB ... is {@code InvalidInput}") and
     * {@code readPruned}'s own javadoc ("the parser's own checks still apply to what is skipped (... string
     * length ...)") say it is refused; the whole-tree read refuses it. The pruned read skips the string with
     * {@code skipChildren} — Jackson's skip does not build the text, so {@code maxStringLength} is never applied —
     * and the event is decided (on the packaged function: Allow). The same string in a kept member
     * ({@code resource}) is refused. Not a wrong Allow by itself (API Gateway never sends a string that long), but
     * the documented input limit does not hold and the two reads disagree on which events are input at all.
     */
    @TestFactory
    Stream<DynamicTest> R11_1_aSkippedMembersStringIsHeldToTheStringLengthLimit() {
        String big = "A".repeat(LIMITS.maxStringLength() + 8_000);
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("stageVars.x (skipped)", "\"stageVars\":{\"x\":\"" + big + "\"}");
        cases.put("body (skipped, in an array)", "\"body\":[\"" + big + "\"]");
        cases.put("rawQueryString (kept)", "\"rawQueryString\":\"" + big + "\"");
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            byte[] event = withFirstMember(c.getValue());
            assertTrue(event.length < LIMITS.maxBytes(), "under the byte limit");
            assertEquals("InvalidInput", wholeRead(event), "the whole-tree read refuses it");
            assertEquals("InvalidInput", dispatched(event, new AtomicReference<>()),
                    "a string over maxStringLength in a member the pruned read skips was answered");
        }));
    }

    // -- Regression guards: the pruned read and the whole read agree (attacks that failed) -----------------------

    /**
     * Inputs where the pruned read and the whole read could disagree: duplicates spelled with escapes, case
     * variants, duplicates at other depths, invalid UTF-8 and surrogates in skipped strings, BOM, comments, trailing
     * garbage, NaN, leading zeros, single quotes, deep skipped members, events shaped as both an authorizer and a
     * direct-invoke/EventBridge event. Each must be answered alike: handled by both or refused by both.
     */
    @TestFactory
    Stream<DynamicTest> guard_prunedAndWholeReadsAgreeOnHostileEvents() {
        String s = new String(sample(), StandardCharsets.UTF_8);
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("escaped duplicate type", withFirstMember("\"ty\\u0070e\":\"TOKEN\""));
        cases.put("escaped duplicate in skipped", withFirstMember("\"stageVariables\":{\"a\":1,\"\\u0061\":2}"));
        cases.put("case variant Type", withFirstMember("\"Type\":\"TOKEN\""));
        cases.put("case variant MethodArn", withFirstMember("\"MethodArn\":\"x\""));
        cases.put("duplicate methodArn deep in skipped", withFirstMember("\"x\":{\"methodArn\":\"a\",\"type\":1}"));
        cases.put("skipped lone surrogate escape", withFirstMember("\"x\":\"\\ud800\""));
        cases.put("skipped bad escape", withFirstMember("\"x\":\"\\uZZZZ\""));
        cases.put("skipped raw control char", withFirstMember("\"x\":\"a\u0001b\""));
        cases.put("skipped NaN", withFirstMember("\"x\":NaN"));
        cases.put("skipped leading zero", withFirstMember("\"x\":01"));
        cases.put("skipped single quotes", withFirstMember("\"x\":'a'"));
        cases.put("skipped comment", withFirstMember("\"x\":/*c*/1"));
        cases.put("skipped huge number", withFirstMember("\"x\":1" + "0".repeat(1200)));
        cases.put("skipped huge fraction", withFirstMember("\"x\":1." + "0".repeat(1200)));
        cases.put("skipped deep", withFirstMember("\"x\":" + "[".repeat(70) + "]".repeat(70)));
        cases.put("skipped depth 62", withFirstMember("\"x\":" + "[".repeat(62) + "]".repeat(62)));
        cases.put("skipped long name", withFirstMember("\"" + "n".repeat(60_000) + "\":1"));
        cases.put("skipped unquoted", withFirstMember("\"x\":abc"));
        cases.put("direct-invoke member too", withFirstMember("\"ValidatePolicy\":{}"));
        cases.put("EventBridge members too", withFirstMember("\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\""));
        cases.put("trailing garbage", (s + "x").getBytes(StandardCharsets.UTF_8));
        cases.put("trailing object", (s + "{}").getBytes(StandardCharsets.UTF_8));
        cases.put("BOM", concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, sample()));
        cases.put("UTF-16 BOM", s.getBytes(StandardCharsets.UTF_16));
        byte[] invalidUtf8 = withFirstMember("\"x\":\"ab\"");
        int at = new String(invalidUtf8, StandardCharsets.ISO_8859_1).indexOf("ab\"");
        byte[] bad1 = invalidUtf8.clone();
        bad1[at] = (byte) 0xC3;
        cases.put("skipped truncated UTF-8", bad1);
        byte[] bad2 = invalidUtf8.clone();
        bad2[at] = (byte) 0xFF;
        cases.put("skipped 0xFF byte", bad2);
        byte[] bad3 = invalidUtf8.clone();
        bad3[at] = (byte) 0x80;
        cases.put("skipped lone continuation byte", bad3);
        // (a name with 0xFF bytes: R11.4, history-dependent, tested there)
        return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
            AtomicReference<JsonNode> seen = new AtomicReference<>();
            String whole = wholeRead(c.getValue());
            String pruned = dispatched(c.getValue(), seen);
            assertEquals(whole, pruned, "pruned and whole reads disagree");
            if ("handled".equals(whole)) {
                assertEquals(AuthorizerEventReader.read(WHOLE.readTree(c.getValue())),
                        AuthorizerEventReader.read(seen.get()), "the same request either way");
            }
        }));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // -- R11.2 (low): a caller view derived between the view clear and the session-set clear keeps the old guard --

    /**
     * {@code GatewayAuthorizer.forgetVerifiedCredentials} clears, in order, the verified credentials, the caller
     * views (moving the view generation on) and then the compiled session sets. A caller view is derived from a
     * session set, so it must be forgotten after its input, not before: a request that runs between the view clear
     * and the session-set clear reads the new view generation, takes the still-cached session set compiled from
     * the managed session policy's old version, and remembers its view in the new generation. Every later request
     * of that token (the verified session is the same instance, the role is not reloaded: the guard is attached to
     * no principal) is decided with the old version until the verified credential expires (5 min by default).
     * IAM applies the managed session policy's current default version (the R8.5 premise); SECURITY.md: "compiled
     * session layers ... and the per-session caller views are forgotten on every IAM change, and a ... session-layer
     * compile in flight across the change is answered with but not remembered".
     *
     * <p>Reach: the forgetting must run concurrently with a request of the same instance. An IAM-change event is an
     * invocation of its own, and the managed Lambda runtime hands an instance one invocation at a time, so on Lambda
     * today this needs a concurrent embedding (as {@code ConcurrentDecisionsTest} runs it, or an execution
     * environment that serves invocations concurrently). The {@code s3} view change, which does run on a
     * background thread, invalidates every principal first, which changes the session-set key, so it does not reach
     * the stale set. Hence low: a latent break of the guard's rule rather than a wrong Allow seen on Lambda.
     *
     * <p>Setup as R8.5 (SessionGuard v1 Allow {@code connect:*}, then v2 adds Deny {@code connect:DeleteUser}). The
     * window is opened deterministically by holding the session sets' generation lock (reflection) while the
     * refresh runs: it blocks at {@code sessions.clear()}, after the verified credentials and views are cleared.
     */
    @Test
    void R11_2_aCallerViewDerivedDuringTheForgettingDoesNotOutliveIt() throws Exception {
        String guardV1 = policy(statement("Allow", "connect:*", "*"));
        String guardV2 = policy(statement("Allow", "connect:*", "*"), statement("Deny", "connect:DeleteUser", "*"));
        AtomicReference<JsonNode> account = new AtomicReference<>(
                withManagedPolicy(EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))), GUARD_ARN,
                        guardV1));
        RefreshablePolicySource source = new RefreshablePolicySource(
                () -> dev.edgeiam.aws.SnapshotPolicySource.fromJson(account.get()));
        dev.edgeiam.principal.MutableClock clock = new dev.edgeiam.principal.MutableClock(EdgeHarness.NOW);
        dev.edgeiam.principal.PrincipalCache principals = new dev.edgeiam.principal.PrincipalCache(source,
                dev.edgeiam.principal.PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
        dev.edgeiam.identity.PolicySourceDirectory directory = new dev.edgeiam.identity.PolicySourceDirectory(source,
                ACCOUNT, clock, java.time.Duration.ofMinutes(5));
        dev.edgeiam.identity.CallerIdentityResolver identities = dev.edgeiam.identity.CallerIdentityResolver.create(
                identity(Map.of("AUTHORIZER_SESSION_POLICY_ARNS", GUARD_ARN)), clock, directory, principals, null);
        GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null,
                        false, new dev.edgeiam.connect.ArnContext("aws", EdgeHarness.REGION, ACCOUNT),
                        CacheModel.NOT_CACHED), identities, principals, dev.edgeiam.connect.RouteTable.defaultTable(),
                arn -> Map.of(), source::managedPolicyText, clock);
        RefreshHandler refresh = new RefreshHandler(source, principals, directory, true,
                gateway::forgetVerifiedCredentials);
        EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
        String token = events.token();
        assertTrue(allowed(gateway.answer(events.restRequest(token, "DELETE", USER_PATH, Map.of(), IP)).response()));

        account.set(withManagedPolicy(EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*"))), GUARD_ARN,
                guardV2));
        JsonNode change = EdgeHarness.JSON.readTree("""
                {"detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
                 "detail": {"eventSource": "iam.amazonaws.com", "eventName": "CreatePolicyVersion",
                   "requestParameters": {"policyArn": "%s", "setAsDefault": true}}}
                """.formatted(GUARD_ARN));
        Object setsLock = field(field(field(gateway, "sessions"), "generation"), "lock");
        Thread refresher = new Thread(() -> refresh.answer(change), "iam-change");
        synchronized (setsLock) {
            refresher.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!atSessionClear(refresher) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(atSessionClear(refresher), "the refresh reached sessions.clear()");
            // a request in the window (concurrent with the change: either answer is fine for it)
            gateway.answer(events.restRequest(token, "DELETE", USER_PATH, Map.of(), IP));
        }
        refresher.join(10_000);
        assertFalse(refresher.isAlive());

        clock.advance(java.time.Duration.ofSeconds(1));
        JsonNode after = gateway.answer(events.restRequest(token, "DELETE", USER_PATH, Map.of(), IP)).response();
        assertFalse(allowed(after), "a request after the whole change is decided with the old guard: " + after);
        assertEquals("explicit-deny", after.path("context").path("reason").asText(), after.toString());
    }

    static boolean atSessionClear(Thread t) {
        if (t.getState() != Thread.State.BLOCKED) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().endsWith("SessionPolicySets") && e.getMethodName().equals("clear")) {
                return true;
            }
        }
        return false;
    }

    static Object field(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // up
            }
        }
        throw new NoSuchFieldException(name);
    }

    // -- Regression guard: written answers escape what a request can put in them ----------------------------------

    /**
     * The written policy and simple responses with principalId, resources and context values holding quotes,
     * backslashes, every kind of control character, U+2028/U+2029, lone and paired surrogates, DEL and markup: the
     * bytes are valid UTF-8, one JSON object (strict reader: no duplicates, nothing trailing), and every string
     * reads back as written, in the documented member order; an empty allow list still writes the Deny on
     * {@code *}.
     */
    @Test
    void guard_writtenAnswersEscapeEveryString() throws Exception {
        List<String> hostile = List.of("a\"b", "a\\b", "a\u0000b", "a\u001fb", "a\nb\r\t", "a\u2028b\u2029",
                "a\ud800b", "a\udc00", "\ud83d\ude00", "a\u007fb", "</script><!--", "\"}],\"Effect\":\"Allow",
                "\ud800", "x\ud83d");
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        for (String h : hostile) {
            dev.edgeiam.gateway.AnswerContext context = new dev.edgeiam.gateway.AnswerContext("Allow", h, h, h, h, h,
                    h, h, null, h);
            dev.edgeiam.gateway.GatewayPolicy allow = new dev.edgeiam.gateway.GatewayPolicy(List.of(h, "x" + h),
                    List.of(h), dev.edgeiam.gateway.GatewayPolicy.Scope.REQUEST, "", List.of());
            for (byte[] json : List.of(dev.edgeiam.gateway.AuthorizerResponses.policy(h, allow, context).bytes(),
                    dev.edgeiam.gateway.AuthorizerResponses.simple(false, context).bytes())) {
                utf8.decode(java.nio.ByteBuffer.wrap(json)); // throws on invalid UTF-8
                JsonNode back = WHOLE.readTree(json);
                assertTrue(back.isObject());
                if (back.has("principalId")) {
                    assertEquals(List.of("principalId", "policyDocument", "context"), fieldNames(back));
                    assertEquals(h, back.get("principalId").asText());
                    JsonNode st = back.get("policyDocument").get("Statement");
                    assertEquals(2, st.size());
                    assertEquals("Allow", st.get(0).get("Effect").asText());
                    assertEquals(h, st.get(0).get("Resource").get(0).asText());
                    assertEquals("x" + h, st.get(0).get("Resource").get(1).asText());
                    assertEquals("Deny", st.get(1).get("Effect").asText());
                    assertEquals(h, st.get(1).get("Resource").asText());
                } else {
                    assertEquals(List.of("isAuthorized", "context"), fieldNames(back));
                    assertFalse(back.get("isAuthorized").asBoolean());
                    assertTrue(back.get("isAuthorized").isBoolean());
                }
                JsonNode ctx = back.get("context");
                assertEquals(h, ctx.get("resource").asText());
                assertEquals(h, ctx.get("cacheScope").asText());
                assertFalse(ctx.has("principalType"));
            }
        }
        dev.edgeiam.gateway.GatewayPolicy none = new dev.edgeiam.gateway.GatewayPolicy(List.of(), List.of(),
                dev.edgeiam.gateway.GatewayPolicy.Scope.REQUEST, "", List.of());
        JsonNode denied = WHOLE.readTree(dev.edgeiam.gateway.AuthorizerResponses.policy("p", none,
                new dev.edgeiam.gateway.AnswerContext("Deny", "r", "c", "", "", "p", "", "", null, null)).bytes());
        assertEquals("{\"Effect\":\"Deny\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"*\"}",
                denied.at("/policyDocument/Statement/0").toString());
        assertEquals(1, denied.at("/policyDocument/Statement").size());
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    // -- R11.4 (low): invalid UTF-8 in a member name is read as another name once that name has been seen --------

    /** The REST sample with {@code methodArn} spelled {@code methodAr}, three 0xFF bytes, {@code n}. */
    static byte[] aliasedMethodArn() {
        byte[] sample = sample();
        String text = new String(sample, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"methodArn\"");
        String aliased = text.substring(0, at) + "\"methodAr\u00ff\u00ff\u00ffn\"" + text.substring(at + 11);
        return aliased.getBytes(StandardCharsets.ISO_8859_1); // 0xFF as a single raw byte: never valid UTF-8
    }

    /**
     * Jackson's byte-based parser canonicalises member names as 32-bit quads and pads a short last quad with 0xFF
     * bytes (a byte UTF-8 never has); it validates a name's UTF-8 only when the name is new to the factory's symbol
     * table. So once {@code methodArn} has been read by an instance, the bytes {@code "methodAr\xFF\xFF\xFFn"} —
     * invalid UTF-8 — are found in the table and read as {@code "methodArn"}; a fresh instance refuses the same
     * bytes. Any name whose length is not a multiple of four has such aliases ({@code "b"} = {@code "\xFFb"} =
     * {@code "\xFF\xFF\xFFb"}). SECURITY.md: an event "with ... invalid UTF-8 is {@code InvalidInput}"; here the
     * answer depends on what the instance read before, and the function reads a member under a name no UTF-8
     * reader (the back end) would give it. A wrong Allow needs API Gateway to put raw invalid bytes in a member name
     * it takes from the request (a query parameter name decoded from {@code %FF}): not established — the safe answer
     * is InvalidInput either way. The dispatcher's factory lives for the instance, so both reads (pruned and whole)
     * are affected.
     */
    @Test
    void R11_4_invalidUtf8InAMemberNameIsRefusedWhateverTheInstanceReadBefore() {
        ObjectNode ok = JsonNodeFactory.instance.objectNode().put("handled", true);
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        EventDispatcher d = new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER, e -> {
            seen.set(e);
            return EventDispatcher.Answer.of(ok);
        }), LIMITS);
        byte[] aliased = aliasedMethodArn();
        assertEquals("InvalidInput", d.dispatch(aliased).response().path("errorCode").asText(),
                "a fresh instance refuses the bytes");
        assertTrue(d.dispatch(sample()).response().has("handled"), "the sample is an authorizer event");
        seen.set(null);
        JsonNode second = d.dispatch(aliased).response();
        assertEquals("InvalidInput", second.path("errorCode").asText(), "after the sample, the same bytes were read "
                + "as methodArn = " + (seen.get() == null ? null : seen.get().path("methodArn")));
    }

    // -- R11.3 in-process (the packaged-function test is RedteamPass11PackagedIT) -----------------------------------

    /**
     * R11.3: a presigned URL of alice's long-term key is allowed; the key is deactivated (STS now refuses the URL)
     * and CloudTrail's {@code UpdateAccessKey} reaches the function — with or without {@code userName} (a user
     * changing its own key) — or only the scheduled refresh does. The same URL must then be asked about again
     * (refused, 401), not answered from the remembered STS answer until it expires.
     */
    @Test
    void R11_3_aDeactivatedAccessKeysUrlIsAskedAboutAgainAfterTheChange() throws Exception {
        for (String change : List.of("UpdateAccessKey", "UpdateAccessKey-own", "DeleteAccessKey", "schedule")) {
            java.util.concurrent.atomic.AtomicBoolean active = new java.util.concurrent.atomic.AtomicBoolean(true);
            ObjectNode account = (ObjectNode) EdgeHarness.snapshot(policy(statement("Allow", "connect:*", "*")));
            ObjectNode alice = ((com.fasterxml.jackson.databind.node.ArrayNode) account.get("UserDetailList"))
                    .addObject();
            alice.put("Path", "/").put("UserName", "alice").put("UserId", "AIDAEXAMPLEALICE0001")
                    .put("Arn", "arn:aws:iam::" + ACCOUNT + ":user/alice");
            alice.putArray("GroupList");
            alice.putArray("AttachedManagedPolicies");
            alice.putArray("Tags");
            alice.putArray("UserPolicyList").addObject().put("PolicyName", "All")
                    .set("PolicyDocument", EdgeHarness.JSON.readTree(policy(statement("Allow", "connect:*", "*"))));
            RefreshablePolicySource source = new RefreshablePolicySource(
                    () -> dev.edgeiam.aws.SnapshotPolicySource.fromJson(account));
            dev.edgeiam.principal.MutableClock clock = new dev.edgeiam.principal.MutableClock(EdgeHarness.NOW);
            dev.edgeiam.principal.PrincipalCache principals = new dev.edgeiam.principal.PrincipalCache(source,
                    dev.edgeiam.principal.PrincipalCache.Settings.DEFAULTS, clock, Runnable::run);
            dev.edgeiam.identity.PolicySourceDirectory directory = new dev.edgeiam.identity.PolicySourceDirectory(
                    source, ACCOUNT, clock, java.time.Duration.ofMinutes(5));
            dev.edgeiam.identity.CallerIdentityResolver identities = dev.edgeiam.identity.CallerIdentityResolver
                    .create(identity(Map.of()), clock, directory, principals, request -> {
                        if (!active.get()) {
                            throw new dev.edgeiam.identity.CredentialRejectedException(
                                    dev.edgeiam.evaluate.Reason.CREDENTIAL_REJECTED_STS_REJECTED, "InvalidClientTokenId");
                        }
                        return new dev.edgeiam.identity.CallerIdentity("arn:aws:iam::" + ACCOUNT + ":user/alice",
                                "AIDAEXAMPLEALICE0001", ACCOUNT);
                    });
            GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization",
                            null, false, new dev.edgeiam.connect.ArnContext("aws", EdgeHarness.REGION, ACCOUNT),
                            CacheModel.NOT_CACHED), identities, principals,
                    dev.edgeiam.connect.RouteTable.defaultTable(), arn -> Map.of(), source::managedPolicyText, clock);
            RefreshHandler refresh = new RefreshHandler(source, principals, directory, true,
                    gateway::forgetVerifiedCredentials);
            EdgeHarness events = new EdgeHarness(CacheModel.NOT_CACHED, policy(statement("Allow", "connect:*", "*")));
            String url = dev.edgeiam.identity.Presign.getCallerIdentity("https://sts.amazonaws.com", "us-east-1",
                    "AKIAEXAMPLEALICE0001", "alicesecretalicesecretalicesecretalice00", null, clock.instant(),
                    java.time.Duration.ofSeconds(900));
            assertTrue(allowed(gateway.answer(events.restRequest(url, "GET", USER_PATH, Map.of(), IP)).response()),
                    change + ": allowed while the key is active");

            active.set(false);
            String event = switch (change) {
                case "schedule" -> "{\"detail-type\": \"Scheduled Event\", \"source\": \"aws.events\"}";
                case "UpdateAccessKey-own" -> iamCall("UpdateAccessKey",
                        "{\"accessKeyId\": \"AKIAEXAMPLEALICE0001\", \"status\": \"Inactive\"}");
                default -> iamCall(change, "{\"userName\": \"alice\", \"accessKeyId\": \"AKIAEXAMPLEALICE0001\"}");
            };
            refresh.answer(EdgeHarness.JSON.readTree(event));
            clock.advance(java.time.Duration.ofSeconds(1));
            EventDispatcher.Answer after = gateway.answer(events.restRequest(url, "GET", USER_PATH, Map.of(), IP));
            assertTrue(after.unauthorized(), change + ": the deactivated key's URL is still accepted: "
                    + after.response());
        }
    }

    static String iamCall(String name, String parameters) {
        return "{\"detail-type\": \"AWS API Call via CloudTrail\", \"source\": \"aws.iam\", \"detail\": "
                + "{\"eventSource\": \"iam.amazonaws.com\", \"eventName\": \"" + name + "\", "
                + "\"requestParameters\": " + parameters + "}}";
    }
}
