package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteTable;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard of issue 11: a cached answer is never an Allow IAM would deny. For seeded principals whose policies
 * depend on every input kind (path identifiers, query members, resource, principal and session tags, time windows,
 * a source-address Deny, NotResource, carve-outs), a request A is answered by the real authorizer under a cache
 * model; for requests B of the same caller — every route of the API with random identifiers, path variants (trailing
 * slash, dot, empty and extra segments, encoded characters, ARN-valued labels naming other Regions, accounts and
 * instances), query tampering (extra {@code Account}/{@code Region} members, repeated members, wildcard characters)
 * from any address, at any time within the TTL — whenever API Gateway would let B through on A's answer
 * ({@link ApiGatewayPolicyMatch}, written from API Gateway's documented matching and sharing nothing with the
 * production builder), a fresh per-request evaluation of B must allow it. A repeated single-valued query member has
 * no one meaning: B must then be allowed under every reading.
 *
 * <p>Two kinds of covered request are not violations and are counted apart (README, "Correct under the authorizer
 * cache"): a path no route of the API has (API Gateway and Amazon Connect answer "not found"), and an identifier
 * with a wildcard or control character on an Amazon Connect route (no Connect resource has such an identifier; an
 * API Gateway wildcard cannot exclude it). Custom routes with labels are never wildcard-granted, so neither
 * exemption reaches them.
 */
class CacheReplayPropertyTest {

    static final long SEED = Long.getLong("edgeiam.replay.seed", 20261204L);
    /** Draws for the colon-label and odd custom-query variants, apart from the main stream (which they leave as it was). */
    static Random oddities = new Random(SEED ^ 0x0DDL);
    static final int PRINCIPALS = Integer.getInteger("edgeiam.replay.principals", 48);
    static final int REQUESTS_A = 5;
    static final int REQUESTS_B = 130;

    static final List<CustomRouteMapping> CUSTOM = List.of(
            CustomRouteMapping.of("GET", "/v1/agents/{id}", "connect:DescribeUser",
                    "arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE + "/agent/{id}"),
            CustomRouteMapping.of("GET", "/v1/health", "connect:ListInstances", "*"),
            CustomRouteMapping.of("GET", "/v1/contacts/search", "connect:DescribeContact",
                    "arn:{Partition}:connect:{Region}:{Account}:instance/" + INSTANCE + "/contact/{contactId}"));

    /** A route of the API with how its labels and query members are filled. */
    record Route(String method, String template, List<String> queryScalars, List<String> queryLists, boolean custom) {
    }

    static final List<Route> ROUTES = routes();

    static List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (RouteDefinition r : RouteTable.defaultTable().routes()) {
            List<String> scalars = new ArrayList<>();
            List<String> lists = new ArrayList<>();
            r.queryParameters().keySet().forEach(q -> (r.listQueryParameters().contains(q) ? lists : scalars).add(q));
            out.add(new Route(r.method(), r.path().template(), scalars, lists, false));
        }
        out.add(new Route("GET", "/v1/agents/{id}", List.of(), List.of(), true));
        out.add(new Route("GET", "/v1/health", List.of(), List.of(), true));
        out.add(new Route("GET", "/v1/contacts/search", List.of("contactId"), List.of(), true));
        return out;
    }

    /** What kind of B a request is, for the two documented exemptions. */
    enum Kind { PLAIN, WILDCARD_LABEL, EXTRA_SEGMENT }

    record Request(String method, String path, Map<String, List<String>> query, String ip, long time, Kind kind,
                   Route route) {
    }

    static final List<String> IDS = List.of("u-1", "u-2", "boss", "q-prod", "c-1", "c-2", "x9");
    static final List<String> IPS = List.of("10.1.2.3", "198.51.100.23", "203.0.113.9");
    static final List<String> STORAGE = List.of("CHAT_TRANSCRIPTS", "CALL_RECORDINGS");
    static final List<String> TAG_KEYS = List.of("safe", "protected", "team");

    /** Deterministic resource tags: a resource whose last identifier ends in "-prod" is team=prod. */
    static final ResourceTagSource TAGS = arn -> arn.endsWith("-prod") ? Map.of("team", "prod") : Map.of("team", "agents");

    static final List<String> STATEMENTS = List.of(
            st("Allow", "\"connect:DescribeUser\"", "\"" + CONNECT + "/agent/${aws:PrincipalTag/uid}\"", ""),
            st("Allow", "\"connect:Describe*\"", "\"*\"", ""),
            st("Allow", "[\"connect:List*\",\"connect:Search*\"]", "[\"" + CONNECT + "\",\"" + CONNECT + "/*\"]", ""),
            st("Deny", "\"connect:ListUserProficiencies\"", "\"*\"", ""),
            st("Allow", "\"connect:ListAssociatedContacts\"", "\"" + CONNECT + "/contact/c-1\"", ""),
            st("Allow", "\"connect:DescribeInstanceStorageConfig\"", "\"*\"",
                    "{\"StringEquals\":{\"connect:StorageResourceType\":\"CHAT_TRANSCRIPTS\"}}"),
            st("Allow", "[\"connect:UntagResource\",\"connect:TagResource\",\"connect:ListTagsForResource\"]", "\"*\"", ""),
            st("Deny", "\"connect:UntagResource\"", "\"*\"", "{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":\"protected\"}}"),
            st("Deny", "\"*\"", "\"*\"", "{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}"),
            st("Allow", "\"connect:*\"", "\"*\"", "{\"DateLessThan\":{\"aws:CurrentTime\":\"2026-12-01T12:02:00Z\"}}"),
            st("Allow", "[\"connect:GetCurrentUserData\",\"connect:PutUserStatus\"]", "\"*\"",
                    "{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-12-01T12:01:00Z\"}}"),
            stNot("Deny", "\"connect:*\"", "\"" + CONNECT + "/queue/*\"",
                    "{\"StringEquals\":{\"aws:PrincipalTag/team\":\"restricted\"}}"),
            st("Allow", "\"connect:*\"", "\"*\"", ""),
            st("Deny", "\"connect:DescribeUser\"", "\"" + CONNECT + "/agent/boss\"", ""),
            st("Allow", "[\"connect:DescribeQueue\",\"connect:UpdateQueueName\"]", "\"*\"",
                    "{\"StringEquals\":{\"aws:ResourceTag/team\":\"${aws:PrincipalTag/team}\"}}"),
            st("Deny", "\"connect:Update*\"", "\"*\"", "{\"StringNotEquals\":{\"aws:ResourceTag/team\":\"agents\"}}"),
            st("Allow", "\"connect:DescribeContact\"", "\"" + CONNECT + "/contact/c-*\"", ""),
            st("Deny", "\"connect:DescribeContact\"", "\"" + CONNECT + "/contact/c-2\"", ""),
            st("Allow", "\"connect:ListInstances\"", "\"*\"", ""),
            // Denies on one resource of a type the body or the query names (red-team pass 4: the classifier's label
            // stand-ins hid them from route grants)
            st("Deny", "\"connect:*\"", "\"" + CONNECT + "/agent-group/executives\"", ""),
            st("Deny", "\"connect:*\"", "\"" + CONNECT + "/contact/c-1\"", ""));

    static String st(String effect, String action, String resource, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + action + ",\"Resource\":" + resource
                + (condition.isEmpty() ? "" : ",\"Condition\":" + condition) + "}";
    }

    static String stNot(String effect, String action, String notResource, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + action + ",\"NotResource\":" + notResource
                + ",\"Condition\":" + condition + "}";
    }

    /** The cache configurations replayed: how API Gateway would key and reuse answers. */
    enum Model {
        REST_TOKEN(CacheModel.API_GATEWAY_DEFAULT),
        REST_REQUEST(CacheModel.API_GATEWAY_DEFAULT),
        REST_REQUEST_SOURCE_IP(new CacheModel(Duration.ofSeconds(300),
                List.of("method.request.header.Authorization", "context.identity.sourceIp"))),
        HTTP_CONTACT_PINNED(new CacheModel(Duration.ofSeconds(600),
                List.of("$request.header.Authorization", "$request.querystring.contactId")));

        final CacheModel cache;

        Model(CacheModel cache) {
            this.cache = cache;
        }
    }

    @Test
    void aCachedAllowNeverServesARequestAFreshEvaluationDenies() {
        Random random = new Random(SEED);
        oddities = new Random(SEED ^ 0x0DDL);
        Map<String, Integer> counts = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        for (int p = 0; p < PRINCIPALS; p++) {
            List<String> chosen = new ArrayList<>();
            int n = 2 + random.nextInt(5);
            for (int i = 0; i < n; i++) {
                chosen.add(STATEMENTS.get(random.nextInt(STATEMENTS.size())));
            }
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", chosen) + "]}";
            Map<String, String> tags = Map.of("uid", IDS.get(random.nextInt(2)),
                    "team", random.nextInt(4) == 0 ? "restricted" : "agents");
            Model model = Model.values()[p % Model.values().length];
            EdgeHarness cached = new EdgeHarness(model.cache, false, CUSTOM, TAGS, policy);
            EdgeHarness fresh = new EdgeHarness(CacheModel.NOT_CACHED, false, CUSTOM, TAGS, policy);
            String token = cached.token("agent-replay-" + p, tags);
            for (int a = 0; a < REQUESTS_A; a++) {
                Request ra = request(random, ROUTES.get(random.nextInt(ROUTES.size())), false, model, null);
                cached.clock.set(EdgeHarness.NOW.plusSeconds(random.nextInt(90)));
                ObjectNode eventA = event(cached, model, token, ra);
                JsonNode answer = cached.answer(eventA);
                count(counts, "A answered");
                if (answer.path("context").path("decision").asText().equals("Allow")) {
                    count(counts, "A allowed");
                }
                long windowEnd = cached.clock.millis() + model.cache.resultTtl().toMillis();
                for (int b = 0; b < REQUESTS_B; b++) {
                    Route route = near(random, ra.route());
                    Request rb = request(random, route, true, model, ra);
                    long time = cached.clock.millis() + (long) (random.nextDouble() * (windowEnd - cached.clock.millis()));
                    rb = new Request(rb.method(), rb.path(), rb.query(), rb.ip(), time, rb.kind(), rb.route());
                    count(counts, "pairs");
                    if (!ApiGatewayPolicyMatch.allows(answer, STAGE + "/" + rb.method() + rb.path())) {
                        continue;
                    }
                    count(counts, "pairs where A's answer lets B through");
                    Verdict v = freshVerdict(fresh, token, rb);
                    if (v.allowed()) {
                        count(counts, "  ... and a fresh evaluation allows B");
                    } else if (v.reason().equals("unmapped-route") && rb.kind() != Kind.PLAIN) {
                        count(counts, "  ... exempt: no such operation");
                    } else if (v.reason().equals("invalid-resource-identifier") && rb.kind() == Kind.WILDCARD_LABEL
                            && !rb.route().custom()) {
                        count(counts, "  ... exempt: identifier naming no Connect resource");
                    } else {
                        violations.add("principal " + p + " (" + model + ", " + policy + ", tags " + tags + "): A "
                                + ra.method() + " " + ra.path() + " " + ra.query() + " from " + ra.ip() + " answered "
                                + answer.path("policyDocument") + " " + answer.path("context").path("reason")
                                + "; B " + rb.method() + " " + rb.path() + " " + rb.query() + " from " + rb.ip()
                                + " at +" + (rb.time() - EdgeHarness.NOW.toEpochMilli()) / 1000 + " s: fresh "
                                + v.reason());
                    }
                }
            }
        }
        System.out.println("[cache-replay] seed " + SEED + " " + counts);
        // soundness first: another seed (-Dedgeiam.replay.seed) may fall short of the coverage below
        assertEquals(List.of(), violations.subList(0, Math.min(5, violations.size())),
                violations.size() + " violations");
        assertTrue(counts.getOrDefault("pairs where A's answer lets B through", 0) > 1_000,
                "enough covered pairs to mean something: " + counts);
        assertTrue(counts.getOrDefault("A allowed", 0) > PRINCIPALS, "enough allowed answers: " + counts);
    }

    record Verdict(boolean allowed, String reason) {
    }

    /**
     * A fresh per-request evaluation of B with every input it shows (a REST REQUEST event, nothing cached). A
     * repeated single-valued member has several readings; B is allowed only if every reading is.
     */
    static Verdict freshVerdict(EdgeHarness fresh, String token, Request rb) {
        List<Map<String, List<String>>> readings = new ArrayList<>();
        readings.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : rb.query().entrySet()) {
            boolean scalar = rb.route().queryScalars().contains(e.getKey()) && e.getValue().size() > 1;
            List<Map<String, List<String>>> next = new ArrayList<>();
            for (Map<String, List<String>> r : readings) {
                if (scalar) {
                    for (String v : e.getValue()) {
                        Map<String, List<String>> copy = new LinkedHashMap<>(r);
                        copy.put(e.getKey(), List.of(v));
                        next.add(copy);
                    }
                } else {
                    Map<String, List<String>> copy = new LinkedHashMap<>(r);
                    copy.put(e.getKey(), e.getValue());
                    next.add(copy);
                }
            }
            readings = next;
        }
        fresh.clock.set(java.time.Instant.ofEpochMilli(rb.time()));
        for (Map<String, List<String>> q : readings) {
            JsonNode answer = fresh.answer(fresh.restRequest(token, rb.method(), rb.path(), q, rb.ip()));
            String decision = answer.path("context").path("decision").asText();
            if (!decision.equals("Allow")) {
                return new Verdict(false, answer.path("context").path("reason").asText("Unauthorized"));
            }
        }
        return new Verdict(true, "allowed");
    }

    static ObjectNode event(EdgeHarness h, Model model, String token, Request r) {
        return switch (model) {
            case REST_TOKEN -> h.tokenEvent(token, r.method(), r.path());
            case HTTP_CONTACT_PINNED -> {
                StringBuilder raw = new StringBuilder();
                r.query().forEach((k, vs) -> vs.forEach(v -> raw.append(raw.length() == 0 ? "" : "&").append(k)
                        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
                List<String> ids = new ArrayList<>(List.of(token));
                if (r.query().containsKey("contactId")) {
                    ids.add(String.join(",", r.query().get("contactId")));
                }
                yield h.httpRequest(token, r.method(), r.path(), raw.toString(), r.method() + " " + r.route().template(),
                        ids);
            }
            default -> h.restRequest(token, r.method(), r.path(), r.query(), r.ip());
        };
    }

    /**
     * A request on the route: labels from a small pool (so own and other identifiers, tagged and untagged resources
     * all occur), declared query members with pool values; for B also path variants and query tampering.
     */
    static Request request(Random random, Route route, boolean variants, Model model, Request a) {
        Kind kind = Kind.PLAIN;
        StringBuilder path = new StringBuilder();
        String[] segments = route.template().equals("/") ? new String[0] : route.template().substring(1).split("/", -1);
        for (String s : segments) {
            path.append('/');
            if (!s.startsWith("{")) {
                path.append(s);
                continue;
            }
            String label = s.substring(1, s.length() - 1);
            String value;
            int pick = random.nextInt(20);
            if (label.equals("InstanceId")) {
                value = pick == 0 ? "other-instance" : INSTANCE;
            } else if (label.equals("resourceArn")) {
                value = URLEncoder.encode(CONNECT + "/queue/" + IDS.get(random.nextInt(IDS.size())), StandardCharsets.UTF_8);
            } else {
                value = IDS.get(random.nextInt(IDS.size()));
            }
            if (variants && pick == 1) {
                value = value + "*";
                kind = Kind.WILDCARD_LABEL;
            } else if (variants && pick == 2 && label.equals("InstanceId")) {
                String[] foreign = {"arn:aws:connect:us-east-1:999999999999:instance/" + INSTANCE,
                        "arn:aws:connect:eu-west-1:111122223333:instance/" + INSTANCE,
                        "arn:aws:connect:us-east-1:111122223333:instance/other-instance"};
                String arn = foreign[random.nextInt(foreign.length)];
                value = random.nextBoolean() ? URLEncoder.encode(arn, StandardCharsets.UTF_8) : arn.replace("/", "%2F");
            } else if (variants && pick == 3) {
                // a colon in a label: a qualifier, an upper-case ARN prefix, or a value refused as an identifier
                String[] colon = {value + ":x", "ARN:aws:connect:us-east-1:999999999999:instance",
                        "Arn:aws:connect:eu-west-1:111122223333:instance", "x:y"};
                value = colon[oddities.nextInt(colon.length)];
            }
            path.append(value);
        }
        if (segments.length == 0) {
            path.append('/');
        }
        String p = path.toString();
        if (variants && random.nextInt(4) == 0) {
            switch (random.nextInt(7)) {
                case 0 -> p = p + "/";
                case 1 -> p = p.replaceFirst("/([^/]+)$", "/./$1");
                case 2 -> p = p.replaceFirst("/([^/]+)$", "//$1");
                case 3 -> {
                    p = p + "/x";
                    if (kind == Kind.PLAIN) {
                        kind = Kind.EXTRA_SEGMENT; // a wildcard label stays what it is: the extra segment may make
                    }                              // it a label of another route, with the same exemption
                }
                case 4 -> p = encodeOneLiteralCharacter(p, random);
                case 5 -> p = p.replaceFirst("/([^/]+)$", "%2F$1");
                default -> p = p.replaceFirst("/([^/]+)$", "/x/../$1");
            }
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (model == Model.HTTP_CONTACT_PINNED) {
            // an identity source must be present (else API Gateway answers 401); B carries A's value (the cache key)
            query.put("contactId", a != null ? new ArrayList<>(a.query().get("contactId"))
                    : new ArrayList<>(List.of(IDS.get(random.nextInt(IDS.size())))));
        }
        for (String q : route.queryScalars()) {
            if (query.containsKey(q) || random.nextInt(3) == 0) {
                continue;
            }
            String v = q.equalsIgnoreCase("resourceType") ? STORAGE.get(random.nextInt(2))
                    : q.equals("maxResults") ? "10" : IDS.get(random.nextInt(IDS.size()));
            query.put(q, new ArrayList<>(List.of(v)));
            if (variants && random.nextInt(8) == 0) {
                query.get(q).add(IDS.get(random.nextInt(IDS.size()))); // repeated single-valued member
            }
        }
        for (String q : route.queryLists()) {
            if (random.nextBoolean()) {
                List<String> vs = new ArrayList<>();
                int k = 1 + random.nextInt(3);
                for (int i = 0; i < k; i++) {
                    vs.add(TAG_KEYS.get(random.nextInt(TAG_KEYS.size())));
                }
                query.put(q, vs);
            }
        }
        if (variants && route.custom() && !route.queryScalars().isEmpty() && oddities.nextInt(4) == 0) {
            // a custom back end may read values the authorizer refuses as identifiers
            String[] odd = {"*", "c-*", "c-1/..", "c:1"};
            query.put(route.queryScalars().get(0), new ArrayList<>(List.of(odd[oddities.nextInt(odd.length)])));
        }
        if (variants && random.nextInt(6) == 0) {
            String[] extra = {"Account", "Region", "Partition", "contactId", "InstanceId"};
            String[] values = {"999999999999", "*", "eu-west-1", "aws-cn", "c-2", "other-instance"};
            query.computeIfAbsent(extra[random.nextInt(extra.length)], k -> new ArrayList<>())
                    .add(values[random.nextInt(values.length)]);
        }
        if (model == Model.HTTP_CONTACT_PINNED && a != null) {
            // a copy: B's own additions must not change what A was answered for (red-team pass 28)
            query.put("contactId", new ArrayList<>(a.query().get("contactId")));
        }
        String ip = model == Model.REST_REQUEST_SOURCE_IP && a != null ? a.ip() : IPS.get(random.nextInt(IPS.size()));
        return new Request(route.method(), p, query, ip, 0L, kind, route);
    }

    /** B's route: often A's own (other identifiers), often a neighbour under the same first segment, else any. */
    static Route near(Random random, Route a) {
        int pick = random.nextInt(10);
        if (pick < 4) {
            return a;
        }
        if (pick < 7) {
            String first = a.template().split("/")[1];
            List<Route> neighbours = ROUTES.stream().filter(r -> r.template().split("/").length > 1
                    && r.template().split("/")[1].equals(first)).toList();
            return neighbours.get(random.nextInt(neighbours.size()));
        }
        return ROUTES.get(random.nextInt(ROUTES.size()));
    }

    static String encodeOneLiteralCharacter(String path, Random random) {
        int at = path.indexOf('/', 1) < 0 ? 1 : 1 + random.nextInt(Math.max(1, path.length() - 1));
        char c = path.charAt(Math.min(at, path.length() - 1));
        if (!Character.isLetterOrDigit(c)) {
            return path + "/";
        }
        int i = path.indexOf(c, Math.min(at, path.length() - 1));
        return path.substring(0, i) + String.format("%%%02X", (int) c) + path.substring(i + 1);
    }

    static void count(Map<String, Integer> counts, String key) {
        counts.merge(key, 1, Integer::sum);
    }
}
