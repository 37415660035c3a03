package dev.edgeiam.authorize;

import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.ConditionKey;
import dev.edgeiam.connect.ConnectAction;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.request.ContextKeyType;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EdgeContextKeysTest {

    static final ConnectCatalog CATALOG = ConnectCatalog.defaultCatalog();
    static final RouteTable ROUTES = RouteTable.defaultTable();
    static final ArnContext CTX = ArnContext.of("eu-west-2", "111122223333");
    static final EdgeContextKeys EDGE = new EdgeContextKeys(CATALOG, ROUTES);
    static final long TIME = 1795860942123L; // 2026-11-28T10:15:42.123Z

    static EdgeRequest request(String method, String path, Map<String, List<String>> query, Map<String, String> headers) {
        return EdgeRequest.of(method, path, new QueryParameters(query), headers, "198.51.100.23", TIME);
    }

    static EdgeContext derive(EdgeRequest r) {
        Optional<RouteMatch> m = ROUTES.match(r.method(), r.path(), r.query(), CTX);
        return EDGE.derive(r, CTX, m);
    }

    @Test
    void globalKeys() {
        EdgeContext c = derive(request("GET", "/users/inst-1/u-9", Map.of(),
                Map.of("user-agent", "example-client/1.0", "REFERER", "https://example.com/")));
        assertEquals(List.of("eu-west-2"), c.get("aws:RequestedRegion").values());
        assertEquals(ContextKeyType.IP, c.get("aws:SourceIp").type());
        assertEquals("198.51.100.23", c.get("aws:sourceip").value(0));
        assertEquals("true", c.get("aws:SecureTransport").value(0));
        assertEquals("2026-11-28T10:15:42Z", c.get("aws:CurrentTime").value(0));
        assertEquals("1795860942", c.get("aws:EpochTime").value(0));
        assertEquals("example-client/1.0", c.get("aws:UserAgent").value(0));
        assertEquals("https://example.com/", c.get("aws:referer").value(0));
        assertEquals("inst-1", c.get("connect:InstanceId").value(0));
    }

    @Test
    void identityUserAgentWinsAndRefererIsOptional() {
        EdgeRequest r = new EdgeRequest(EventFormat.REST_REQUEST, "GET", "/users/inst-1/u-9", QueryParameters.NONE,
                true, Map.of("User-Agent", List.of("header"), "X-Forwarded-Proto", List.of("http")), true, null,
                "identity", TIME, true, "prod", null, null);
        EdgeContext c = derive(r);
        assertEquals("identity", c.get("aws:UserAgent").value(0));
        assertNull(c.get("aws:referer"));
        assertNull(c.get("aws:SourceIp"));
        assertTrue(c.unknown().keys().contains("aws:sourceip"), "an address the event does not give is unknown");
        // API Gateway endpoints are HTTPS-only; a client's X-Forwarded-Proto header does not change that
        assertEquals("true", c.get("aws:SecureTransport").value(0));
    }

    @Test
    void aTokenEventShowsNoAddressHeadersOrQuery() {
        EdgeRequest r = new EdgeRequest(EventFormat.REST_TOKEN, "GET", "/users/inst-1/u-9", QueryParameters.NONE,
                false, Map.of(), false, null, null, TIME, false, "prod", null, null);
        EdgeContext c = derive(r);
        assertEquals(Set.of("aws:sourceip", "aws:sourcevpc", "aws:sourcevpce", "aws:sourcevpcarn", "aws:vpcsourceip",
                "aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths", "aws:useragent", "aws:referer"),
                c.unknown().keys(), "where it came from (address or VPC endpoint), its headers");
        assertNull(c.get("aws:UserAgent"));
    }

    @Test
    void instanceFromAnArnInThePath() {
        String arn = "arn%3Aaws%3Aconnect%3Aeu-west-2%3A111122223333%3Ainstance%2Finst-7";
        EdgeContext c = derive(request("GET", "/users/" + arn + "/u-9", Map.of(), Map.of()));
        assertEquals("inst-7", c.get("connect:InstanceId").value(0));
    }

    @Test
    void instanceFromAHiddenResourcePattern() {
        EdgeContext c = derive(request("POST", "/users/inst-3/u-1/routing-profile", Map.of(), Map.of()));
        assertEquals("inst-3", c.get("connect:InstanceId").value(0));
    }

    @Test
    void noInstanceKeyForActionsWithoutIt() {
        EdgeContext c = derive(request("GET", "/instance", Map.of(), Map.of()));
        assertNull(c.get("connect:InstanceId"));
        assertFalse(CATALOG.action("connect:ListInstances").orElseThrow().conditionKeys().contains("connect:InstanceId"));
    }

    @Test
    void unmatchedRouteGivesGlobalKeysOnly() {
        EdgeRequest r = request("GET", "/nope", Map.of(), Map.of());
        EdgeContext c = EDGE.derive(r, CTX, Optional.empty());
        assertEquals(6, c.keys().size());
        assertEquals("false", c.get("aws:ViaAWSService").value(0), "always present; false for a direct call");
        assertNull(c.get("connect:InstanceId"));
    }

    @Test
    void attributeTypeFromPath() {
        EdgeContext c = derive(request("GET", "/instance/inst-1/attribute/CONTACTFLOW_LOGS", Map.of(), Map.of()));
        assertEquals("CONTACTFLOW_LOGS", c.get("connect:AttributeType").value(0));
    }

    @Test
    void storageResourceTypeFromQuery() {
        EdgeContext c = derive(request("GET", "/instance/inst-1/storage-config/assoc-1",
                Map.of("resourceType", List.of("CHAT_TRANSCRIPTS")), Map.of()));
        assertEquals("CHAT_TRANSCRIPTS", c.get("connect:StorageResourceType").value(0));
        EdgeContext none = derive(request("GET", "/instance/inst-1/storage-config/assoc-1", Map.of(), Map.of()));
        assertNull(none.get("connect:StorageResourceType"));
    }

    @Test
    void tagKeysFromUntagQueries() {
        String arn = "arn%3Aaws%3Aconnect%3Aeu-west-2%3A111122223333%3Ainstance%2Finst-1%2Fqueue%2Fq-1";
        EdgeContext c = derive(request("DELETE", "/tags/" + arn, Map.of("tagKeys", List.of("team", "cost")), Map.of()));
        ContextValue keys = c.get("aws:TagKeys");
        assertTrue(keys.multivalued());
        assertEquals(List.of("team", "cost"), keys.values());
        EdgeContext contact = derive(request("DELETE", "/contact/tags/inst-1/c-1", Map.of("TagKeys", List.of("a")), Map.of()));
        assertEquals(List.of("a"), contact.get("aws:TagKeys").values());
        // ListTagsForResource does not support aws:TagKeys
        EdgeContext list = derive(request("GET", "/tags/" + arn, Map.of("tagKeys", List.of("x")), Map.of()));
        assertNull(list.get("aws:TagKeys"));
        assertNull(list.get("aws:RequestTag/x"));
    }

    /**
     * The finding behind the derivation rules, checked against the data: which routes carry, in path or query, the
     * member behind a condition key their action supports.
     */
    @Test
    void derivableKeysMatchTheRouteData() {
        Set<String> found = new TreeSet<>();
        for (RouteDefinition r : ROUTES.routes()) {
            if (r.iamAction().isEmpty()) {
                continue;
            }
            ConnectAction a = CATALOG.action(r.iamAction().get()).orElseThrow();
            List<String> members = new ArrayList<>(r.path().labels());
            members.addAll(r.queryParameters().values());
            for (String key : a.conditionKeys()) {
                String member = key.equals("aws:TagKeys") ? "TagKeys" : EdgeContextKeys.MEMBER_KEYS.get(key);
                if (member != null && members.stream().anyMatch(member::equalsIgnoreCase)) {
                    found.add(key + "<-" + r.operation());
                }
                if (key.startsWith("aws:RequestTag/")) {
                    // tags travel in the body: no path or query member named Tags
                    assertFalse(members.stream().anyMatch(m -> m.equalsIgnoreCase("Tags")), r.operation());
                }
            }
        }
        assertEquals(new TreeSet<>(List.of(
                "aws:TagKeys<-UntagContact", "aws:TagKeys<-UntagResource",
                "connect:AttributeType<-DescribeInstanceAttribute", "connect:AttributeType<-UpdateInstanceAttribute",
                "connect:StorageResourceType<-DescribeInstanceStorageConfig",
                "connect:StorageResourceType<-DisassociateInstanceStorageConfig",
                "connect:StorageResourceType<-UpdateInstanceStorageConfig")), found);
        // 18 connect: keys in the catalog, no connect:UserId among them
        assertEquals(18, CATALOG.conditionKeys().stream().map(ConditionKey::name).filter(n -> n.startsWith("connect:")).count());
        assertTrue(CATALOG.conditionKey("connect:UserId").isEmpty());
    }
}
