package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.gateway.AuthorizerEventBytes;
import dev.edgeiam.gateway.AuthorizerEventReader;
import dev.edgeiam.gateway.AuthorizerRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Red-team pass 22: short values of the identity header that are not the one API Gateway keys on (the earlier values
 * of a repeated header, a header named in another case) after their request; and one-thread sequences of events
 * whose header names differ only in case, read by both readers.
 */
class RedteamPass22CredentialValuesTest {

    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
    private static final String PATH = "/users/" + INSTANCE + "/u-1";

    @Test
    void theChosenCredentialIsForgotten() {
        EdgeHarness h = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, POLICY);
        String chosen = "Bearer chosen-opaque-0001";
        assertNotNull(h.answer(h.restRequest(chosen, "GET", PATH, Map.of(), "198.51.100.23")));
        assertFalse(AuthorizerEventBytes.holdsValue(chosen));
    }

    /** multiValueHeaders Authorization: [first, chosen]; headers Authorization: chosen (REST keeps the last). */
    @Test
    void anEarlierValueOfARepeatedIdentityHeaderIsNotKept() {
        EdgeHarness h = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, POLICY);
        String first = "Bearer first-opaque-key-0001";
        String chosen = "Bearer chosen-opaque-key-0002";
        ObjectNode e = h.restRequest(chosen, "GET", PATH, Map.of(), "198.51.100.23");
        ((ObjectNode) e.get("multiValueHeaders")).putArray("Authorization").add(first).add(chosen);
        assertNotNull(AuthorizerEventBytes.read(bytes(e), 64, 131_072), "the bytes reader takes the event");
        AuthorizerEventBytes.forgetValue("nothing");
        assertNotNull(h.answer(e));
        assertFalse(AuthorizerEventBytes.holdsValue(chosen), "the chosen credential");
        assertFalse(AuthorizerEventBytes.holdsValue(first), "the identity header's earlier value is kept");
    }

    /** headers {"Authorization": first, "authorization": chosen}: both name the identity header. */
    @Test
    void aValueUnderTheIdentityHeaderInAnotherCaseIsNotKept() {
        EdgeHarness h = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, POLICY);
        String first = "Bearer other-case-opaque-0003";
        String chosen = "Bearer chosen-opaque-key-0004";
        ObjectNode e = h.restRequest(chosen, "GET", PATH, Map.of(), "198.51.100.23");
        ObjectNode headers = (ObjectNode) e.get("headers");
        headers.removeAll();
        headers.put("AUTHORIZATION", first);
        headers.put("authorization", chosen);
        headers.put("User-Agent", "edge-test/1.0");
        e.remove("multiValueHeaders");
        AuthorizerRequest read = AuthorizerEventBytes.read(bytes(e), 64, 131_072);
        // declined by the bytes reader (a repeated name, equal but for case) after both values were read
        assertEquals(null, read);
        System.out.println("case-repeated identity header: " + h.answer(e));
        assertFalse(AuthorizerEventBytes.holdsValue(chosen), "the chosen credential");
        assertFalse(AuthorizerEventBytes.holdsValue(first), "the identity header's other-case value is kept");
    }

    /**
     * An event the bytes reader reads the credential of and then declines (here: a method ARN MethodArn.parse
     * refuses), which the tree reader then refuses as invalid: answer(AuthorizerRequest), which forgets the
     * credential, is never reached.
     */
    @Test
    void aCredentialOfAnInvalidEventIsNotKept() {
        EdgeHarness h = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, POLICY);
        String credential = "Bearer invalid-event-opaque-0005";
        ObjectNode e = h.restRequest(credential, "GET", PATH, Map.of(), "198.51.100.23");
        e.put("methodArn", "not-an-arn");
        assertEquals(null, AuthorizerEventBytes.read(bytes(e), 64, 131_072), "declined");
        AuthorizerEventBytes.forgetValue("nothing");
        System.out.println("answer to an invalid event: " + h.answer(e));
        assertFalse(AuthorizerEventBytes.holdsValue(credential), "the credential of an invalid event is kept");
    }

    /** The same with a method ARN that lacks its verb (refused by MethodArn.parse in both readers). */
    @Test
    void aCredentialOfAnEventWithAShortArnIsNotKept() throws Exception {
        String credential = "Bearer invalid-event-opaque-0006";
        EdgeHarness h = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, POLICY);
        ObjectNode e = h.restRequest(credential, "GET", PATH, Map.of(), "198.51.100.23");
        e.put("methodArn", "arn:aws:execute-api:us-east-1:111122223333:abc/prod");
        byte[] b = bytes(e);
        assertEquals(null, AuthorizerEventBytes.read(b, 64, 131_072), "declined");
        AuthorizerEventBytes.forgetValue("nothing");
        System.out.println("tree: " + h.answer(e));
        assertFalse(AuthorizerEventBytes.holdsValue(credential), "the credential of an invalid event is kept");
    }

    /**
     * The identity taken from a query member ({@code identityQuery "api_key"}, a header "X-Api-Key"): REST's
     * {@code queryStringParameters} keeps the last value, so the earlier values of
     * {@code multiValueQueryStringParameters} stay in the thread's values.
     */
    @Test
    void anEarlierValueOfARepeatedIdentityQueryMemberIsNotKept() {
        EdgeHarness h = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, POLICY);
        dev.edgeiam.aws.SnapshotPolicySource source = dev.edgeiam.aws.SnapshotPolicySource.fromJson(
                EdgeHarness.snapshot(POLICY));
        dev.edgeiam.principal.PrincipalCache principals = new dev.edgeiam.principal.PrincipalCache(source,
                dev.edgeiam.principal.PrincipalCache.Settings.DEFAULTS, h.clock, Runnable::run);
        dev.edgeiam.identity.PolicySourceDirectory directory = new dev.edgeiam.identity.PolicySourceDirectory(source,
                EdgeHarness.ACCOUNT, h.clock, java.time.Duration.ofMinutes(5));
        dev.edgeiam.identity.CallerIdentityResolver identities = dev.edgeiam.identity.CallerIdentityResolver.create(
                dev.edgeiam.identity.DevTokens.identitySettings(), h.clock, directory, principals, null);
        GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings("X-Api-Key", "api_key",
                        false, new dev.edgeiam.connect.ArnContext("aws", EdgeHarness.REGION, EdgeHarness.ACCOUNT),
                        CacheModel.API_GATEWAY_DEFAULT), identities, principals,
                dev.edgeiam.connect.RouteTable.defaultTable(), arn -> Map.of(), source::managedPolicyText, h.clock);
        String first = "first-query-key-0007";
        String chosen = "chosen-query-key-0008";
        String headerFirst = "first-header-key-0009";
        String headerChosen = "chosen-header-key-0010";
        // the query: the header absent
        ObjectNode e = h.restRequest("x", "GET", PATH, EdgeHarness.query("api_key", first, "api_key", chosen),
                "198.51.100.23");
        AuthorizerRequest read = AuthorizerEventBytes.read(bytes(e), 64, 131_072);
        assertNotNull(read);
        assertEquals(chosen, read.credentialQuery().get("api_key"));
        System.out.println("query: " + gateway.answer(read).response());
        assertFalse(AuthorizerEventBytes.holdsValue(chosen), "the chosen query credential");
        boolean queryKept = AuthorizerEventBytes.holdsValue(first);
        // the header, named otherwise than Authorization
        e = h.restRequest("x", "GET", PATH, Map.of(), "198.51.100.23");
        ((ObjectNode) e.get("headers")).put("X-Api-Key", headerChosen);
        ((ObjectNode) e.get("multiValueHeaders")).putArray("X-Api-Key").add(headerFirst).add(headerChosen);
        read = AuthorizerEventBytes.read(bytes(e), 64, 131_072);
        assertNotNull(read);
        System.out.println("header: " + gateway.answer(read).response());
        assertFalse(AuthorizerEventBytes.holdsValue(headerChosen), "the chosen header credential");
        boolean headerKept = AuthorizerEventBytes.holdsValue(headerFirst);
        assertFalse(queryKept, "the identity query member's earlier value is kept");
        assertFalse(headerKept, "the X-Api-Key header's earlier value is kept");
    }

    /** Sequences of events on one thread whose header names and values differ only in case: both readers agree. */
    @Test
    void caseOnlyDifferencesAcrossEvents() {
        EdgeHarness h = new EdgeHarness(CacheModel.API_GATEWAY_DEFAULT, POLICY);
        SplittableRandom r = new SplittableRandom(22_04);
        String[] names = {"X-Api-Key", "x-api-key", "X-API-KEY", "x-Api-kEy", "X-Forwarded-For", "x-forwarded-for@",
                "x-forwarded-for`", "Host", "HOST", "a", "A", "", "@", "`"};
        String[] values = {"Key-A", "key-a", "KEY-A", "k", "K", "", "@", "`", "x".repeat(64), "X".repeat(64),
                "x".repeat(65), "arn:aws:execute-api:us-east-1:111122223333:abc/prod/GET/x"};
        int taken = 0;
        for (int i = 0; i < 3_000; i++) {
            ObjectNode e = h.restRequest(values[r.nextInt(values.length)], "GET", PATH, Map.of(), "198.51.100.23");
            ObjectNode headers = (ObjectNode) e.get("headers");
            ObjectNode multi = (ObjectNode) e.get("multiValueHeaders");
            int n = r.nextInt(5);
            for (int k = 0; k < n; k++) {
                String name = names[r.nextInt(names.length)];
                String value = values[r.nextInt(values.length)];
                headers.put(name, value);
                multi.putArray(name).add(value).add(values[r.nextInt(values.length)]);
            }
            if (r.nextBoolean()) {
                e.put("methodArn", e.get("methodArn").asText().replace("GET", r.nextBoolean() ? "get" : "GET"));
            }
            byte[] b = bytes(e);
            AuthorizerRequest direct = AuthorizerEventBytes.read(b, 64, 131_072);
            AuthorizerRequest tree;
            try {
                tree = AuthorizerEventReader.read(e);
            } catch (IllegalArgumentException x) {
                tree = null;
            }
            if (direct != null) {
                taken++;
                assertEquals(tree, direct, "event " + i + " " + new String(b, StandardCharsets.UTF_8));
                AuthorizerEventBytes.forgetValue(direct.header("authorization"));
            }
        }
        assertFalse(taken == 0);
        taken = 0;
        for (int i = 0; i < 3_000; i++) {
            String token = values[r.nextInt(values.length)];
            StringBuilder raw = new StringBuilder();
            int q = r.nextInt(4);
            for (int k = 0; k < q; k++) {
                raw.append(k == 0 ? "" : "&").append(names[r.nextInt(names.length)].replace("@", "%40"))
                        .append('=').append(values[r.nextInt(values.length)].replace("@", "%40"));
            }
            ObjectNode e = h.httpRequest(token, r.nextBoolean() ? "GET" : "get", PATH, raw.toString(),
                    "GET /users/{InstanceId}/{UserId}", List.of(token, values[r.nextInt(values.length)]));
            ObjectNode headers = (ObjectNode) e.get("headers");
            int n = r.nextInt(4);
            for (int k = 0; k < n; k++) {
                headers.put(names[r.nextInt(names.length)].toLowerCase(java.util.Locale.ROOT),
                        values[r.nextInt(values.length)]);
            }
            AuthorizerRequest direct = AuthorizerEventBytes.read(bytes(e), 64, 131_072);
            AuthorizerRequest tree;
            try {
                tree = AuthorizerEventReader.read(e);
            } catch (IllegalArgumentException x) {
                tree = null;
            }
            if (direct != null) {
                taken++;
                assertEquals(tree, direct, "http event " + i + " " + e);
            }
        }
        assertFalse(taken == 0);
    }

    private static byte[] bytes(ObjectNode e) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }
}
