package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.connect.TargetResource;
import dev.edgeiam.simulate.CustomPolicySimulator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static dev.edgeiam.lambda.CacheReplayPropertyTest.IPS;
import static dev.edgeiam.lambda.CacheReplayPropertyTest.ROUTES;
import static dev.edgeiam.lambda.CacheReplayPropertyTest.STATEMENTS;
import static dev.edgeiam.lambda.CacheReplayPropertyTest.TAGS;
import static dev.edgeiam.lambda.EdgeHarness.ACCOUNT;
import static dev.edgeiam.lambda.EdgeHarness.JSON;
import static dev.edgeiam.lambda.EdgeHarness.REGION;
import static dev.edgeiam.lambda.EdgeHarness.ROLE_ARN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second property of issue 11: where the authorizer decides (every input the decision reads is visible, nothing
 * is cached), its decision is IAM's — the {@code SimulateCustomPolicy} decision for the same IAM request: the same
 * policies, the route's action against each resource it touches (allowed only if every resource is), and the
 * request context written here from the event by hand (source address, time, user agent, Region, transport, the
 * caller's keys and session tags, each resource's tags, the query-derived {@code connect:StorageResourceType} and
 * {@code aws:TagKeys}). Refusals for inputs the authorizer cannot see are not decisions and are counted apart.
 */
class AuthorizerSimulatorAgreementTest {

    static final Set<String> NOT_DECISIONS = Set.of("condition-key-not-visible", "resource-not-visible",
            "unmapped-route", "invalid-resource-identifier", "ambiguous-request", "non-canonical-path",
            "resource-tags-unavailable");

    @Test
    void aFreshAuthorizerDecisionIsTheSimulatorsDecision() {
        Random random = new Random(CacheReplayPropertyTest.SEED + 1);
        CustomPolicySimulator simulator = new CustomPolicySimulator();
        RouteTable table = RouteTable.defaultTable().withCustomMappings(CacheReplayPropertyTest.CUSTOM);
        ArnContext connect = new ArnContext("aws", REGION, ACCOUNT);
        Map<String, Integer> counts = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        for (int p = 0; p < 24; p++) {
            List<String> chosen = new ArrayList<>();
            int n = 2 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                chosen.add(STATEMENTS.get(random.nextInt(STATEMENTS.size())));
            }
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", chosen) + "]}";
            Map<String, String> tags = Map.of("uid", random.nextBoolean() ? "u-1" : "u-2",
                    "team", random.nextInt(4) == 0 ? "restricted" : "agents");
            EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, false, CacheReplayPropertyTest.CUSTOM, TAGS, policy);
            String subject = "agent-agree-" + p;
            String token = h.token(subject, tags);
            for (int r = 0; r < 60; r++) {
                CacheReplayPropertyTest.Request req = CacheReplayPropertyTest.request(random,
                        ROUTES.get(random.nextInt(ROUTES.size())), false, CacheReplayPropertyTest.Model.REST_REQUEST,
                        null);
                String ip = IPS.get(random.nextInt(IPS.size()));
                h.clock.set(EdgeHarness.NOW.plusSeconds(random.nextInt(240)));
                JsonNode answer = h.answer(h.restRequest(token, req.method(), req.path(), req.query(), ip));
                String reason = answer.path("context").path("reason").asText();
                boolean allowed = answer.path("context").path("decision").asText().equals("Allow");
                if (NOT_DECISIONS.contains(reason)) {
                    counts.merge("refused for an input the authorizer cannot decide on: " + reason, 1, Integer::sum);
                    continue;
                }
                Optional<RouteMatch> m = table.match(req.method(), req.path(), new QueryParameters(req.query()), connect);
                RouteMatch match = m.orElseThrow();
                boolean simulated = true;
                for (TargetResource t : match.resources()) {
                    ObjectNode body = simulateBody(policy, match.iamAction().orElseThrow(), t.arn(), ip,
                            h.clock.instant(), tags, subject, req.query());
                    JsonNode result = simulator.simulate(body);
                    String decision = result.at("/EvaluationResults/0/EvalDecision").asText();
                    simulated &= decision.equals("allowed");
                }
                counts.merge(allowed ? "decided: allowed" : "decided: denied", 1, Integer::sum);
                if (simulated != allowed) {
                    disagreements.add(req.method() + " " + req.path() + " " + req.query() + " from " + ip + " tags "
                            + tags + " policy " + policy + ": authorizer " + allowed + " (" + reason
                            + "), simulator " + simulated);
                }
            }
        }
        System.out.println("[authorizer-vs-simulator] " + counts);
        assertTrue(counts.getOrDefault("decided: allowed", 0) > 50, counts.toString());
        assertTrue(counts.getOrDefault("decided: denied", 0) > 50, counts.toString());
        assertEquals(List.of(), disagreements.subList(0, Math.min(3, disagreements.size())),
                disagreements.size() + " disagreements");
    }

    /** The IAM request, written from the event by this test: the simulator's own input shape. */
    static ObjectNode simulateBody(String policy, String action, String resource, String ip, Instant time,
                                   Map<String, String> tags, String sessionName, Map<String, List<String>> query) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("PolicyInputList").add(policy);
        body.putArray("ActionNames").add(action);
        body.putArray("ResourceArns").add(resource);
        body.put("CallerArn", "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + EdgeHarness.ROLE + "/" + sessionName);
        ArrayNode ctx = body.putArray("ContextEntries");
        entry(ctx, "aws:SourceIp", "ip", ip);
        entry(ctx, "aws:CurrentTime", "date", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS)));
        entry(ctx, "aws:EpochTime", "numeric", Long.toString(time.getEpochSecond()));
        entry(ctx, "aws:UserAgent", "string", "edge-test/1.0");
        entry(ctx, "aws:RequestedRegion", "string", REGION);
        entry(ctx, "aws:SecureTransport", "boolean", "true");
        entry(ctx, "aws:PrincipalArn", "string", ROLE_ARN);
        entry(ctx, "aws:PrincipalAccount", "string", ACCOUNT);
        entry(ctx, "aws:PrincipalType", "string", "AssumedRole");
        tags.forEach((k, v) -> entry(ctx, "aws:PrincipalTag/" + k, "string", v));
        if (resource.startsWith("arn:aws:connect:")) {
            String instance = resource.replaceFirst("^arn:aws:connect:[^:]*:[^:]*:instance/([^/]+).*$", "$1");
            entry(ctx, "connect:InstanceId", "string", instance);
            TAGS.tags(resource).forEach((k, v) -> entry(ctx, "aws:ResourceTag/" + k, "string", v));
        }
        if (query.containsKey("resourceType") && query.get("resourceType").size() == 1) {
            entry(ctx, "connect:StorageResourceType", "string", query.get("resourceType").get(0));
        }
        for (String list : List.of("tagKeys", "TagKeys")) {
            if (query.containsKey(list)) {
                ObjectNode e = ctx.addObject();
                e.put("ContextKeyName", "aws:TagKeys");
                ArrayNode values = e.putArray("ContextKeyValues");
                query.get(list).forEach(values::add);
                e.put("ContextKeyType", "stringList");
            }
        }
        return body;
    }

    static void entry(ArrayNode ctx, String name, String type, String value) {
        ObjectNode e = ctx.addObject();
        e.put("ContextKeyName", name);
        e.putArray("ContextKeyValues").add(value);
        e.put("ContextKeyType", type);
    }
}
