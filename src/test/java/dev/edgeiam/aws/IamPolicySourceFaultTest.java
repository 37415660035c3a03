package dev.edgeiam.aws;

import dev.edgeiam.identity.DevTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.lambda.EventDispatcher;
import dev.edgeiam.lambda.GatewayAuthorizer;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.principal.PrincipalCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live IAM policy source ({@link IamPolicySource} on an SDK {@link IamClient}: URL-connection client, short
 * call timeouts, at most two attempts) behind the {@link PrincipalCache}, through the whole {@link GatewayAuthorizer}
 * with the sample REST event, while a loopback endpoint plays IAM and fails in scripted ways. Every fault must end in
 * a Deny {@code policy-source-unavailable} within the deadline — never an Allow, never an exception — and nothing
 * from a failed load may be kept: once IAM recovers, the next request loads afresh (counted at the endpoint) and is
 * allowed.
 */
class IamPolicySourceFaultTest {

    static final String ACCOUNT = "111122223333";
    static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/connect/ConnectAgentWebRole";
    static final String POLICY = "arn:aws:iam::" + ACCOUNT + ":policy/AgentAccess";
    static final String NS = "xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"";
    static final String ALLOW_CONNECT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:*","Resource":"*"}]}""";
    /** A document that no longer parses (an unknown condition operator). */
    static final String UNPARSABLE = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:*","Resource":"*",
            "Condition":{"StringEqualsWhatever":{"aws:username":"x"}}}]}""";

    static final Duration CALL_TIMEOUT = Duration.ofMillis(700);
    static final Duration LOAD_TIMEOUT = Duration.ofMillis(1500);
    /** What every decision under a fault must beat (API Gateway gives an authorizer 10 s). */
    static final Duration DEADLINE = Duration.ofMillis(2500);
    static final Duration SLOW = Duration.ofSeconds(4);
    static final Duration TEST_BOUND = Duration.ofSeconds(20);

    static final ObjectMapper JSON = new ObjectMapper();

    FaultyEndpoint iam;
    IamClient client;
    IamPolicySource source;
    MutableClock clock;
    PrincipalCache cache;
    GatewayAuthorizer gateway;
    JsonNode event;
    /** Managed policy version → document, and which version is the default. */
    final Map<String, String> versions = new ConcurrentHashMap<>(Map.of("v1", ALLOW_CONNECT, "v2", UNPARSABLE,
            "v3", ALLOW_CONNECT));
    volatile String defaultVersion = "v1";

    @BeforeEach
    void wire() throws IOException {
        iam = new FaultyEndpoint(this::healthyIam);
        client = IamClient.builder()
                .endpointOverride(iam.uri())
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CALL_TIMEOUT)
                        .socketTimeout(CALL_TIMEOUT))
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build()))
                .build();
        source = IamPolicySource.create(client, new IamPolicySource.Settings(4, 0, LOAD_TIMEOUT));
        clock = new MutableClock();
        cache = new PrincipalCache(source, new PrincipalCache.Settings(Duration.ofMinutes(5), Duration.ofMinutes(1),
                Duration.ofSeconds(30), 100), clock, Runnable::run);
        gateway = gateway(cache);
        event = JSON.readTree(Files.readAllBytes(Path.of("events", "rest-request.json")));
    }

    @AfterEach
    void close() {
        source.close();
        client.close();
        iam.close();
    }

    /** Wired as {@code LambdaBeans.AuthorizerServices.create} wires it: identities from the bundled sample account. */
    static GatewayAuthorizer gateway(PrincipalCache principals) {
        ArnContext connect = new ArnContext("aws", "us-east-1", ACCOUNT);
        SnapshotPolicySource snapshot = SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json");
        PolicySourceDirectory directory = new PolicySourceDirectory(snapshot, ACCOUNT, Clock.systemUTC(),
                Duration.ofMinutes(5));
        IdentitySettings identity = DevTokens.identitySettings();
        CallerIdentityResolver identities = CallerIdentityResolver.create(identity, Clock.systemUTC(), directory,
                principals, null);
        RouteTable routes = RouteTable.defaultTable();
        return GatewayAuthorizer.create(new GatewayAuthorizer.Settings("Authorization", null, false, connect),
                identities, principals, routes, arn -> Map.of(), snapshot::managedPolicyText, java.time.Clock.systemUTC());
    }

    // ---------------------------------------------------------------- IAM's healthy answers

    private FaultyEndpoint.Reply healthyIam(String action) {
        return switch (action) {
            case "GetRole" -> FaultyEndpoint.xml(200, response(action, """
                    <Role><Path>/connect/</Path><RoleName>ConnectAgentWebRole</RoleName><RoleId>AROAEXAMPLEAGENT</RoleId>
                    <Arn>%s</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></Role>""".formatted(ROLE)));
            case "ListAttachedRolePolicies" -> FaultyEndpoint.xml(200, response(action, """
                    <AttachedPolicies><member><PolicyName>AgentAccess</PolicyName><PolicyArn>%s</PolicyArn></member>
                    </AttachedPolicies><IsTruncated>false</IsTruncated>""".formatted(POLICY)));
            case "ListRolePolicies" -> FaultyEndpoint.xml(200, response(action,
                    "<PolicyNames/><IsTruncated>false</IsTruncated>"));
            case "GetPolicy" -> FaultyEndpoint.xml(200, response(action, """
                    <Policy><PolicyName>AgentAccess</PolicyName><PolicyId>ANPAEXAMPLEAGENT</PolicyId><Arn>%s</Arn>
                    <Path>/</Path><DefaultVersionId>%s</DefaultVersionId><AttachmentCount>1</AttachmentCount>
                    <IsAttachable>true</IsAttachable></Policy>""".formatted(POLICY, defaultVersion)));
            case "GetPolicyVersion" -> FaultyEndpoint.xml(200, response(action, """
                    <PolicyVersion><Document>%s</Document><VersionId>%s</VersionId>
                    <IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>""".formatted(
                    URLEncoder.encode(versions.get(defaultVersion), StandardCharsets.UTF_8), defaultVersion)));
            default -> FaultyEndpoint.xml(400, FaultyEndpoint.iamError("Sender", "InvalidAction", "not scripted"));
        };
    }

    private static String response(String action, String result) {
        return "<" + action + "Response " + NS + "><" + action + "Result>" + result + "</" + action + "Result>"
                + "<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></" + action + "Response>";
    }

    // ---------------------------------------------------------------- helpers

    record Timed(String decision, String reason, long millis) {
    }

    Timed decide() {
        long start = System.nanoTime();
        EventDispatcher.Answer answer = gateway.answer(event);
        long millis = (System.nanoTime() - start) / 1_000_000;
        JsonNode context = answer.response().path("context");
        return new Timed(context.path("decision").asText(null), context.path("reason").asText(null), millis);
    }

    /** A decision under the current fault: Deny policy-source-unavailable, inside the deadline. */
    Timed deniedInTime(String fault) {
        Timed t = decide();
        System.out.printf("[iam-fault] %-28s %s %s in %d ms%n", fault, t.decision(), t.reason(), t.millis());
        assertEquals("Deny", t.decision(), fault);
        assertEquals("policy-source-unavailable", t.reason(), fault);
        assertTrue(t.millis() < DEADLINE.toMillis(), fault + " took " + t.millis() + " ms");
        return t;
    }

    /** After recovery the next request loads afresh (IAM is asked again) and is allowed; the one after is cached. */
    void recoversWithAFreshLoad(String fault) {
        int before = iam.requests("GetRole");
        Timed t = decide();
        assertEquals("Allow", t.decision(), fault + ": after recovery " + t.reason());
        assertEquals(before + 1, iam.requests("GetRole"), fault + ": the failed load was not kept");
        int after = iam.requests();
        assertEquals("Allow", decide().decision());
        assertEquals(after, iam.requests(), fault + ": the good load is cached");
    }

    void faultThenRecovery(String name, FaultyEndpoint.Reply fault) {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            iam.failEverything(fault);
            deniedInTime(name);
            deniedInTime(name + " (again)");
            assertEquals(0, cache.size(), name + ": nothing cached from a failed load");
            iam.healthy();
            recoversWithAFreshLoad(name);
        });
    }

    // ---------------------------------------------------------------- tests

    @Test
    void healthyIamAllowsAndCaches() {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            assertEquals("Allow", decide().decision());
            int n = iam.requests();
            assertEquals(5, n, "GetRole, two listings, GetPolicy, GetPolicyVersion");
            assertEquals("Allow", decide().decision());
            assertEquals(n, iam.requests());
        });
    }

    @Test
    void throttling() {
        faultThenRecovery("Throttling 400", FaultyEndpoint.xml(400, FaultyEndpoint.THROTTLING));
    }

    @Test
    void serverError500() {
        faultThenRecovery("500", FaultyEndpoint.xml(500, FaultyEndpoint.iamError("Receiver", "ServiceFailure",
                "internal")));
    }

    @Test
    void unavailable503() {
        faultThenRecovery("503", FaultyEndpoint.xml(503, FaultyEndpoint.iamError("Receiver", "ServiceUnavailable",
                "unavailable")));
    }

    @Test
    void malformedXml() {
        faultThenRecovery("malformed XML", FaultyEndpoint.xml(200, "<GetRoleResponse><GetRoleResult><Role><Arn>"));
    }

    @Test
    void truncatedBody() {
        faultThenRecovery("truncated body", ex -> FaultyEndpoint.truncated(200, "text/xml",
                response("GetRole", "<Role><Path>/connect/</Path><RoleName>ConnectAgentWebRole</RoleName><Arn>" + ROLE
                        + "</Arn><RoleId>AROA</RoleId><CreateDate>2024-01-01T00:00:00Z</CreateDate></Role>")).send(ex));
    }

    @Test
    void slowBeyondTheDeadline() {
        faultThenRecovery("slow (4 s)", FaultyEndpoint.slow(SLOW, FaultyEndpoint.xml(500, "")));
    }

    @Test
    void oneCallOfTheLoadFails() {
        // The principal reads well, the managed policy document does not: the whole load fails, nothing is kept.
        Function<String, FaultyEndpoint.Reply> onlyVersion = a -> a.equals("GetPolicyVersion")
                ? FaultyEndpoint.xml(503, FaultyEndpoint.iamError("Receiver", "ServiceUnavailable", "x")) : null;
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            iam.script = onlyVersion;
            deniedInTime("GetPolicyVersion 503");
            assertEquals(0, cache.size());
            assertEquals(0, source.cachedDocumentCount(), "a failed document fetch is not kept by the source");
            iam.healthy();
            recoversWithAFreshLoad("GetPolicyVersion 503");
        });
    }

    @Test
    void iamDown() {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            iam.down();
            deniedInTime("down (closed port)");
            deniedInTime("down (closed port, again)");
            assertEquals(0, cache.size());
            iam.up();
            recoversWithAFreshLoad("down");
        });
    }

    @Test
    void documentThatNoLongerParses() {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            assertEquals("Allow", decide().decision());
            cache.invalidateByPolicy(POLICY); // as an iam-change event for the policy would
            defaultVersion = "v2";
            deniedInTime("default version unparsable");
            assertEquals(0, cache.size(), "an uncompilable load is not kept");
            int before = iam.requests("GetRole");
            deniedInTime("default version unparsable (again)");
            assertEquals(before + 1, iam.requests("GetRole"), "and is tried again");
            defaultVersion = "v3";
            recoversWithAFreshLoad("new default version");
        });
    }

    @Test
    void failingRefreshServesTheLastGoodSetOnlyWithinTheStaleBound() {
        assertTimeoutPreemptively(TEST_BOUND, () -> {
            assertEquals("Allow", decide().decision());
            iam.failEverything(FaultyEndpoint.xml(503, FaultyEndpoint.iamError("Receiver", "ServiceUnavailable", "x")));
            clock.advance(Duration.ofMinutes(5).plusSeconds(1)); // past the TTL, within the 1 min bound
            int before = iam.requests("GetRole");
            Timed stale = decide();
            assertEquals("Allow", stale.decision(), "the last good set within the bound");
            assertTrue(iam.requests("GetRole") > before, "a refresh was attempted");
            assertTrue(stale.millis() < DEADLINE.toMillis());
            clock.advance(Duration.ofSeconds(58)); // 5 min 59 s: still within
            assertEquals("Allow", decide().decision());
            clock.advance(Duration.ofSeconds(2)); // 6 min 1 s: past TTL + bound
            deniedInTime("refresh failing past the stale bound");
            deniedInTime("refresh failing past the stale bound (again)");
            iam.healthy();
            recoversWithAFreshLoad("stale bound");
        });
    }
}
