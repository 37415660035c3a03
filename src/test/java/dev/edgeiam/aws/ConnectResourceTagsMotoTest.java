package dev.edgeiam.aws;

import dev.edgeiam.principal.MutableClock;

import dev.edgeiam.authorize.RouteAuthorization;
import dev.edgeiam.authorize.RouteAuthorizer;
import dev.edgeiam.authorize.ResourceTagsUnavailableException;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.connect.ConnectClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ConnectResourceTags} against moto_server (Connect: CreateInstance, TagResource, ListTagsForResource). */
class ConnectResourceTagsMotoTest {

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    static MotoServer moto;
    static URI endpoint;

    /** The AWS SDK's Connect client (a test dependency only): creates the instance and writes its tags. */
    ConnectClient client;
    /** The function's signed ListTagsForResource call. */
    SignedAwsCall connect;
    MutableClock clock;
    String instanceId;
    String instanceArn;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        endpoint = moto.endpoint();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void reset() throws Exception {
        moto.reset();
        client = ConnectClient.builder().region(Region.US_EAST_1).endpointOverride(endpoint)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .build();
        connect = ConnectResourceTags.client(Region.US_EAST_1, endpoint, CREDENTIALS, false, Duration.ofSeconds(10));
        clock = new MutableClock();
        var created = client.createInstance(b -> b.identityManagementType("CONNECT_MANAGED").instanceAlias("edge")
                .inboundCallsEnabled(true).outboundCallsEnabled(true));
        instanceId = created.id();
        instanceArn = created.arn();
        client.tagResource(b -> b.resourceArn(instanceArn).tags(Map.of("team", "blue")));
    }

    @Test
    void readsTagsAndCachesThem() {
        ConnectResourceTags tags = new ConnectResourceTags(connect, clock, Duration.ofMinutes(5), 100);
        assertEquals(Map.of("team", "blue"), tags.tags(instanceArn));
        client.tagResource(b -> b.resourceArn(instanceArn).tags(Map.of("team", "red")));
        assertEquals(Map.of("team", "blue"), tags.tags(instanceArn), "cached");
        assertEquals(1, tags.lookups());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Map.of("team", "red"), tags.tags(instanceArn), "expired and re-read");
        assertEquals(2, tags.lookups());
    }

    @Test
    void failedLookupThrowsAndIsNotCached() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SignedAwsCall dead = ConnectResourceTags.client(Region.US_EAST_1, URI.create("http://127.0.0.1:" + closedPort),
                CREDENTIALS, false, Duration.ofSeconds(2));
        ConnectResourceTags tags = new ConnectResourceTags(dead, clock, Duration.ofMinutes(5), 100);
        assertThrows(ResourceTagsUnavailableException.class, () -> tags.tags(instanceArn));
        assertThrows(ResourceTagsUnavailableException.class, () -> tags.tags(instanceArn));
        assertEquals(2, tags.lookups());
        assertEquals(0, tags.cachedEntries());
    }

    @Test
    void readsWhatTheSdkWroteForEveryArnShape() {
        // the ARN is one path label, percent-encoded and signed twice-encoded as the SDK's own client does; a user ARN
        // carries two slashes (moto tags any ARN; it checks nothing of the signature, which SignedAwsCallTest pins)
        String user = instanceArn + "/agent/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        client.tagResource(b -> b.resourceArn(user).tags(Map.of("team", "green", "cost center", "a/b:c=d+e")));
        ConnectResourceTags tags = new ConnectResourceTags(connect, clock, Duration.ofMinutes(5), 100);
        assertEquals(Map.of("team", "green", "cost center", "a/b:c=d+e"), tags.tags(user));
        assertEquals(Map.of("team", "blue"), tags.tags(instanceArn));
        assertEquals(client.listTagsForResource(b -> b.resourceArn(user)).tags(), tags.tags(user));
    }

    @Test
    void untaggedResourceHasNoTags() {
        client.untagResource(b -> b.resourceArn(instanceArn).tagKeys("team"));
        ConnectResourceTags tags = new ConnectResourceTags(connect, clock, Duration.ofMinutes(5), 100);
        assertEquals(Map.of(), tags.tags(instanceArn));
    }

    // ---------------------------------------------------------------- through the authorizer

    static CompiledPolicySet identity(String statements) {
        String text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
        return CompiledPolicySet.builder()
                .identity(CompiledPolicy.compile(PolicyParser.parse(text, PolicyType.MANAGED, "p"))).build();
    }

    Optional<RouteMatch> describeInstance() {
        return RouteTable.defaultTable().match("GET", "/instance/" + instanceId, Map.of(),
                ArnContext.of("us-east-1", "123456789012"));
    }

    static final List<ContextValue> KEYS = List.of(ContextValue.single("aws:RequestedRegion", "us-east-1"));

    @Test
    void authorizerLooksUpTagsOnlyWhenReferenced() {
        ConnectResourceTags tags = new ConnectResourceTags(connect, clock, Duration.ofMinutes(5), 100);
        RouteAuthorizer authorizer = new RouteAuthorizer(ConnectCatalog.defaultCatalog(), tags, false);
        assertEquals(List.of(instanceArn), describeInstance().orElseThrow().resourceArns());

        CompiledPolicySet plain = identity("{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeInstance\",\"Resource\":\"*\"}");
        assertTrue(authorizer.authorize(describeInstance(), plain, KEYS).allowed());
        assertEquals(0, tags.lookups(), "no policy reads resource tags: no call to Connect");

        CompiledPolicySet blue = identity("{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeInstance\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/team\":\"blue\"}}}");
        assertTrue(authorizer.authorize(describeInstance(), blue, KEYS).allowed());
        assertTrue(authorizer.authorize(describeInstance(), blue, KEYS).allowed());
        assertEquals(1, tags.lookups(), "second request served from the cache");

        CompiledPolicySet red = identity("{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeInstance\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/team\":\"red\"}}}");
        RouteAuthorization denied = authorizer.authorize(describeInstance(), red, KEYS);
        assertFalse(denied.allowed());
        assertEquals("no-identity-allow", denied.reason().label());
    }

    @Test
    void authorizerDeniesWhenTagsCannotBeRead() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SignedAwsCall dead = ConnectResourceTags.client(Region.US_EAST_1, URI.create("http://127.0.0.1:" + closedPort),
                CREDENTIALS, false, Duration.ofSeconds(2));
        RouteAuthorizer authorizer = new RouteAuthorizer(ConnectCatalog.defaultCatalog(),
                new ConnectResourceTags(dead, clock, Duration.ofMinutes(5), 100), false);
        // a Deny on a tag: if the lookup failed silently the request would pass — it must not
        CompiledPolicySet set = identity("{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"connect:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/team\":\"blue\"}}}");
        RouteAuthorization r = authorizer.authorize(describeInstance(), set, KEYS);
        assertFalse(r.allowed());
        assertEquals("resource-tags-unavailable", r.reason().label());
    }
}
