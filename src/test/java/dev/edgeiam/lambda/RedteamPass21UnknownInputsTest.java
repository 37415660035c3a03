package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red-team pass 21 against 1b5b267 (EdgeContextKeys takes the inputs a request does not show from eight precomputed
 * sets, copied into a LinkedHashSet only when a member key's value is unknown). Whole path through {@link EdgeHarness}
 * (not cached): random policies with Allow and Deny statements conditioned on aws:SourceIp, aws:VpcSourceIp,
 * aws:SourceVpce, aws:SourceVpc, aws:UserAgent, aws:Referer, connect:StorageResourceType, connect:AttributeType
 * (IpAddress/NotIpAddress, String(Not)Equals/Like, ...IfExists, Null, key names in any case), against REST TOKEN,
 * REST REQUEST (source address in or out of range, absent, through a VPC endpoint; User-Agent one, absent or two;
 * Referer absent, one or repeated; member values upper, lower or mixed case) and HTTP API 2.0 events (comma-joined
 * values). Reference: an independent evaluation over every world the real request could be (each unseen input
 * absent or taking several values); the edge may Allow only when every world allows.
 */
class RedteamPass21UnknownInputsTest {

    static final String IN_IP = "198.51.100.23";
    static final String OUT_IP = "203.0.113.9";
    static final String GOOD_UA = "edge-test/1.0";
    static final String EVIL_UA = "evil/9";
    static final String GOOD_REF = "https://good.example/p";
    static final String EVIL_REF = "https://evil.example/x";
    static final String STORAGE = "/instance/" + INSTANCE + "/storage-config/assoc-1";
    static final String USER = "/users/" + INSTANCE + "/u-1";
    static final String ATTRIBUTE = "/instance/" + INSTANCE + "/attribute/";

    /** One condition: operator, key (as written), values. */
    record Cond(String op, String key, List<String> values) {
    }

    record Stmt(boolean allow, String action, List<Cond> conds) {
    }

    // ---- the reference ----

    static boolean cidr(String ip, String block) {
        String[] b = block.split("/");
        long a = ipv4(ip);
        long n = ipv4(b[0]);
        if (a < 0 || n < 0) {
            return false;
        }
        int bits = Integer.parseInt(b[1]);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (a & mask) == (n & mask);
    }

    static long ipv4(String s) {
        String[] p = s.split("\\.");
        if (p.length != 4) {
            return -1;
        }
        long v = 0;
        for (String x : p) {
            try {
                int o = Integer.parseInt(x);
                if (o < 0 || o > 255) {
                    return -1;
                }
                v = v * 256 + o;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return v;
    }

    static boolean like(String value, String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return value.matches(re.toString());
    }

    static boolean holds(Cond c, Map<String, String> world) {
        String value = world.get(c.key().toLowerCase(Locale.ROOT));
        String op = c.op();
        if (op.equals("Null")) {
            return c.values().get(0).equals("true") == (value == null);
        }
        boolean ifExists = op.endsWith("IfExists");
        String base = ifExists ? op.substring(0, op.length() - "IfExists".length()) : op;
        boolean negated = base.startsWith("StringNot") || base.equals("NotIpAddress");
        if (value == null) {
            return ifExists || negated;
        }
        boolean any = false;
        for (String v : c.values()) {
            any |= switch (base) {
                case "StringEquals", "StringNotEquals" -> value.equals(v);
                case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> value.equalsIgnoreCase(v);
                case "StringLike", "StringNotLike" -> like(value, v);
                case "IpAddress", "NotIpAddress" -> cidr(value, v);
                default -> throw new IllegalStateException(base);
            };
        }
        return negated != any;
    }

    static boolean allows(List<Stmt> policy, String action, Map<String, String> world) {
        boolean allowed = false;
        for (Stmt s : policy) {
            if (!s.action().equals("connect:*") && !s.action().equalsIgnoreCase(action)) {
                continue;
            }
            boolean all = true;
            for (Cond c : s.conds()) {
                all &= holds(c, world);
            }
            if (all && !s.allow()) {
                return false;
            }
            allowed |= all;
        }
        return allowed;
    }

    // ---- policies ----

    static final List<Cond> CONDITIONS = List.of(
            new Cond("IpAddress", "aws:SourceIp", List.of("198.51.100.0/24")),
            new Cond("NotIpAddress", "aws:SourceIp", List.of("198.51.100.0/24")),
            new Cond("IpAddressIfExists", "aws:SourceIp", List.of("198.51.100.0/24")),
            new Cond("NotIpAddressIfExists", "aws:SourceIp", List.of("198.51.100.0/24")),
            new Cond("IpAddress", "aws:SourceIp", List.of("0.0.0.0/0")),
            new Cond("IpAddress", "aws:VpcSourceIp", List.of("10.0.0.0/16")),
            new Cond("NotIpAddressIfExists", "aws:VpcSourceIp", List.of("10.0.0.0/16")),
            new Cond("StringEquals", "aws:SourceVpce", List.of("vpce-1")),
            new Cond("StringNotEquals", "aws:SourceVpce", List.of("vpce-1")),
            new Cond("StringNotEqualsIfExists", "aws:SourceVpce", List.of("vpce-1")),
            new Cond("StringEqualsIfExists", "aws:SourceVpce", List.of("vpce-1")),
            new Cond("StringLike", "aws:SourceVpc", List.of("vpc-*")),
            new Cond("StringLike", "aws:UserAgent", List.of("edge-test/*")),
            new Cond("StringNotLike", "aws:UserAgent", List.of("*evil*")),
            new Cond("StringEquals", "aws:UserAgent", List.of(EVIL_UA)),
            new Cond("StringNotEquals", "aws:UserAgent", List.of(GOOD_UA)),
            new Cond("StringLike", "aws:UserAgent", List.of("*")),
            new Cond("StringLike", "aws:Referer", List.of("https://good.example/*")),
            new Cond("StringNotLike", "aws:Referer", List.of("https://evil.example/*")),
            new Cond("StringEquals", "aws:Referer", List.of(GOOD_REF)),
            new Cond("StringLikeIfExists", "aws:Referer", List.of("https://good.example/*")),
            new Cond("StringNotLikeIfExists", "aws:Referer", List.of("*evil*")),
            new Cond("StringEquals", "connect:StorageResourceType", List.of("CHAT_TRANSCRIPTS")),
            new Cond("StringNotEquals", "connect:StorageResourceType", List.of("CALL_RECORDINGS")),
            new Cond("StringLike", "connect:StorageResourceType", List.of("CHAT*")),
            new Cond("StringEqualsIgnoreCase", "connect:StorageResourceType", List.of("chat_transcripts")),
            new Cond("StringEqualsIfExists", "connect:StorageResourceType", List.of("CHAT_TRANSCRIPTS")),
            new Cond("StringEquals", "connect:AttributeType", List.of("INBOUND_CALLS")),
            new Cond("StringNotEquals", "connect:AttributeType", List.of("OUTBOUND_CALLS")),
            new Cond("StringEqualsIgnoreCase", "connect:AttributeType", List.of("inbound_calls")));

    static final List<String> NULL_KEYS = List.of("aws:SourceIp", "aws:SourceVpce", "aws:VpcSourceIp",
            "aws:UserAgent", "aws:Referer", "connect:StorageResourceType", "connect:AttributeType");

    static String caseOf(String key, SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> key;
            case 1 -> key.toLowerCase(Locale.ROOT);
            default -> key.toUpperCase(Locale.ROOT);
        };
    }

    static Cond randomCond(SplittableRandom r) {
        if (r.nextInt(6) == 0) {
            return new Cond("Null", caseOf(NULL_KEYS.get(r.nextInt(NULL_KEYS.size())), r),
                    List.of(r.nextBoolean() ? "true" : "false"));
        }
        Cond c = CONDITIONS.get(r.nextInt(CONDITIONS.size()));
        return new Cond(c.op(), caseOf(c.key(), r), c.values());
    }

    static List<Stmt> randomPolicy(SplittableRandom r) {
        List<Stmt> out = new ArrayList<>();
        List<String> actions = List.of("connect:*", "connect:DescribeInstanceStorageConfig", "connect:DescribeUser",
                "connect:DescribeInstanceAttribute");
        int allows = 1 + r.nextInt(2);
        for (int i = 0; i < allows; i++) {
            List<Cond> conds = new ArrayList<>();
            for (int k = r.nextInt(3); k > 0; k--) {
                conds.add(randomCond(r));
            }
            out.add(new Stmt(true, actions.get(r.nextInt(actions.size())), conds));
        }
        for (int k = r.nextInt(3); k > 0; k--) {
            List<Cond> conds = new ArrayList<>();
            for (int j = 1 + r.nextInt(2); j > 0; j--) {
                conds.add(randomCond(r));
            }
            out.add(new Stmt(false, r.nextBoolean() ? "connect:*" : actions.get(r.nextInt(actions.size())), conds));
        }
        return out;
    }

    static String json(List<Stmt> policy) {
        StringBuilder s = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
        for (int i = 0; i < policy.size(); i++) {
            Stmt st = policy.get(i);
            s.append(i == 0 ? "" : ",").append("{\"Effect\":\"").append(st.allow() ? "Allow" : "Deny")
                    .append("\",\"Action\":\"").append(st.action()).append("\",\"Resource\":\"*\"");
            if (!st.conds().isEmpty()) {
                // one block per operator; a key repeated under one operator is merged by taking the last (avoided:
                // each condition gets its own operator entry unless the same operator and key repeat)
                Map<String, Map<String, List<String>>> byOp = new LinkedHashMap<>();
                for (Cond c : st.conds()) {
                    byOp.computeIfAbsent(c.op(), k -> new LinkedHashMap<>()).put(c.key(), c.values());
                }
                s.append(",\"Condition\":{");
                int o = 0;
                for (Map.Entry<String, Map<String, List<String>>> e : byOp.entrySet()) {
                    s.append(o++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":{");
                    int k = 0;
                    for (Map.Entry<String, List<String>> kv : e.getValue().entrySet()) {
                        s.append(k++ == 0 ? "" : ",").append('"').append(kv.getKey()).append("\":[");
                        for (int v = 0; v < kv.getValue().size(); v++) {
                            s.append(v == 0 ? "" : ",").append('"').append(kv.getValue().get(v)).append('"');
                        }
                        s.append(']');
                    }
                    s.append('}');
                }
                s.append('}');
            }
            s.append('}');
        }
        return s.append("]}").toString();
    }

    /** The conditions as the policy JSON keeps them (a key repeated under one operator: the last one). */
    static List<Stmt> asWritten(List<Stmt> policy) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : policy) {
            Map<String, Cond> kept = new LinkedHashMap<>();
            for (Cond c : s.conds()) {
                kept.put(c.op() + "\u0000" + c.key(), c);
            }
            out.add(new Stmt(s.allow(), s.action(), new ArrayList<>(kept.values())));
        }
        return out;
    }

    // ---- events and their worlds ----

    /** An event and the worlds (folded key -> value; absent = not in the map) the real request may be. */
    record Case(String label, ObjectNode event, String action, List<Map<String, String>> worlds) {
    }

    static List<Map<String, String>> cross(List<List<Map<String, String>>> dims) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new HashMap<>());
        for (List<Map<String, String>> dim : dims) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> w : out) {
                for (Map<String, String> d : dim) {
                    Map<String, String> m = new HashMap<>(w);
                    m.putAll(d);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    static Map<String, String> kv(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<Map<String, String>> sourceUnknown() {
        return List.of(kv("aws:sourceip", IN_IP), kv("aws:sourceip", OUT_IP), kv(),
                kv("aws:vpcsourceip", "10.0.0.5", "aws:sourcevpce", "vpce-1", "aws:sourcevpc", "vpc-1"),
                kv("aws:vpcsourceip", "10.9.0.5", "aws:sourcevpce", "vpce-2", "aws:sourcevpc", "vpc-2"),
                kv("aws:sourceip", IN_IP, "aws:vpcsourceip", "10.9.0.5", "aws:sourcevpce", "vpce-2"));
    }

    static List<Map<String, String>> one(String key, String value) {
        return List.of(value == null ? kv() : kv(key, value));
    }

    static List<Map<String, String>> anyOf(String key, List<String> values, boolean absentToo) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String v : values) {
            out.add(kv(key, v));
        }
        if (absentToo) {
            out.add(kv());
        }
        return out;
    }

    /** The member key a route carries: storage's resourceType, attribute's path label. */
    static List<Map<String, String>> memberWorlds(String action, String shown) {
        String key = action.equals("connect:DescribeInstanceStorageConfig") ? "connect:storageresourcetype"
                : action.equals("connect:DescribeInstanceAttribute") ? "connect:attributetype" : null;
        if (key == null) {
            return List.of(kv());
        }
        List<String> all = key.contains("storage") ? List.of("CHAT_TRANSCRIPTS", "CALL_RECORDINGS")
                : List.of("INBOUND_CALLS", "OUTBOUND_CALLS");
        if (shown == null) {
            return anyOf(key, all, true);
        }
        if (shown.equals(shown.toUpperCase(Locale.ROOT))) {
            return one(key, shown);
        }
        return anyOf(key, List.of(shown, shown.toUpperCase(Locale.ROOT)), false);
    }

    static final List<String> MEMBER_VALUES = List.of("CHAT_TRANSCRIPTS", "chat_transcripts", "Chat_Transcripts",
            "CALL_RECORDINGS", "call_recordings");
    static final List<String> ATTRIBUTE_VALUES = List.of("INBOUND_CALLS", "inbound_calls", "OUTBOUND_CALLS",
            "Inbound_Calls");

    static Case randomCase(EdgeHarness h, String tok, SplittableRandom r) {
        int route = r.nextInt(3);
        String action;
        String path;
        String member = null;
        String queryMember = null;
        switch (route) {
            case 0 -> {
                action = "connect:DescribeInstanceStorageConfig";
                path = STORAGE;
                queryMember = r.nextInt(6) == 0 ? null : MEMBER_VALUES.get(r.nextInt(MEMBER_VALUES.size()));
                member = queryMember;
            }
            case 1 -> {
                action = "connect:DescribeInstanceAttribute";
                member = ATTRIBUTE_VALUES.get(r.nextInt(ATTRIBUTE_VALUES.size()));
                path = ATTRIBUTE + member;
            }
            default -> {
                action = "connect:DescribeUser";
                path = USER;
            }
        }
        int kind = r.nextInt(7);
        List<List<Map<String, String>>> dims = new ArrayList<>();
        if (kind == 0) {
            ObjectNode e = h.tokenEvent(tok, "GET", path);
            dims.add(sourceUnknown());
            dims.add(anyOf("aws:useragent", List.of(GOOD_UA, EVIL_UA), false));
            dims.add(anyOf("aws:referer", List.of(GOOD_REF, EVIL_REF), true));
            // a TOKEN event shows no query: a query-carried member may be anything; a path member is shown
            dims.add(memberWorlds(action, route == 0 ? null : member));
            return new Case("token", e, action, cross(dims));
        }
        if (kind == 5) {
            // WebSocket $connect (a custom-free route: only the global keys; no member key), headers known
            ObjectNode e = h.restRequest(tok, "GET", "/ignored", EdgeHarness.query("instanceId", INSTANCE, "agentId",
                    "u-1"), IN_IP);
            e.put("methodArn", EdgeHarness.STAGE + "/$connect");
            e.remove("httpMethod");
            e.remove("path");
            ((ObjectNode) e.get("requestContext")).put("eventType", "CONNECT").put("routeKey", "$connect");
            ObjectNode identity = (ObjectNode) e.path("requestContext").path("identity");
            if (r.nextBoolean()) {
                identity.remove("sourceIp");
                dims.add(sourceUnknown());
            } else {
                dims.add(one("aws:sourceip", IN_IP));
            }
            if (r.nextBoolean()) {
                ((ObjectNode) e.path("headers")).put("Referer", EVIL_REF);
                ((ObjectNode) e.path("multiValueHeaders")).putArray("Referer").add(GOOD_REF).add(EVIL_REF);
                dims.add(anyOf("aws:referer", List.of(GOOD_REF, EVIL_REF), false));
            } else {
                dims.add(one("aws:referer", null));
            }
            dims.add(one("aws:useragent", GOOD_UA));
            // the custom route maps $connect to DescribeUser (no member key)
            return new Case("websocket", e, "connect:DescribeUser", cross(dims));
        }
        if (kind == 6) {
            // HTTP API payload 1.0: REST's shape, headers maybe joined with commas
            Map<String, List<String>> query = queryMember == null ? Map.of()
                    : EdgeHarness.query("resourceType", queryMember);
            ObjectNode e = h.restRequest(tok, "GET", path, query, IN_IP);
            e.put("version", "1.0");
            dims.add(one("aws:sourceip", IN_IP));
            ObjectNode headers = (ObjectNode) e.path("headers");
            ObjectNode multi = (ObjectNode) e.path("multiValueHeaders");
            ObjectNode identity = (ObjectNode) e.path("requestContext").path("identity");
            if (r.nextBoolean()) {
                headers.put("User-Agent", GOOD_UA + ", " + EVIL_UA);
                multi.putArray("User-Agent").add(GOOD_UA + ", " + EVIL_UA);
                identity.put("userAgent", GOOD_UA + ", " + EVIL_UA);
                dims.add(anyOf("aws:useragent", List.of(GOOD_UA, EVIL_UA, GOOD_UA + ", " + EVIL_UA), false));
            } else {
                dims.add(one("aws:useragent", GOOD_UA));
            }
            if (r.nextBoolean()) {
                headers.put("Referer", GOOD_REF + "," + EVIL_REF);
                if (r.nextBoolean()) {
                    multi.putArray("Referer").add(GOOD_REF + "," + EVIL_REF);
                } else {
                    e.remove("multiValueHeaders");
                }
                dims.add(anyOf("aws:referer", List.of(GOOD_REF, EVIL_REF, GOOD_REF + "," + EVIL_REF), false));
            } else {
                dims.add(one("aws:referer", null));
            }
            dims.add(memberWorlds(action, member));
            return new Case("http-1.0", e, action, cross(dims));
        }
        if (kind <= 2) {
            Map<String, List<String>> query = queryMember == null ? Map.of()
                    : EdgeHarness.query("resourceType", queryMember);
            String ip = switch (r.nextInt(5)) {
                case 0, 1 -> IN_IP;
                case 2 -> OUT_IP;
                case 3 -> null;
                default -> "vpce";
            };
            ObjectNode e = h.restRequest(tok, "GET", path, query, ip == null || ip.equals("vpce") ? IN_IP : ip);
            ObjectNode identity = (ObjectNode) e.path("requestContext").path("identity");
            ObjectNode headers = (ObjectNode) e.path("headers");
            ObjectNode multi = (ObjectNode) e.path("multiValueHeaders");
            StringBuilder label = new StringBuilder("rest ip=" + ip);
            if (ip == null) {
                identity.remove("sourceIp");
                dims.add(sourceUnknown());
            } else if (ip.equals("vpce")) {
                identity.put("vpceId", "vpce-1");
                identity.put("sourceIp", "10.0.0.5");
                dims.add(sourceUnknown());
            } else {
                dims.add(one("aws:sourceip", ip));
            }
            switch (r.nextInt(4)) {
                case 0 -> {
                    identity.remove("userAgent");
                    headers.remove("User-Agent");
                    multi.remove("User-Agent");
                    dims.add(anyOf("aws:useragent", List.of(GOOD_UA, EVIL_UA, ""), false));
                    label.append(" ua=none");
                }
                case 1 -> {
                    headers.put("User-Agent", EVIL_UA);
                    multi.putArray("User-Agent").add(GOOD_UA).add(EVIL_UA);
                    if (r.nextBoolean()) {
                        identity.put("userAgent", EVIL_UA);
                    } else {
                        identity.put("userAgent", GOOD_UA);
                    }
                    dims.add(anyOf("aws:useragent", List.of(GOOD_UA, EVIL_UA, GOOD_UA + ", " + EVIL_UA), false));
                    label.append(" ua=twice");
                }
                case 2 -> {
                    identity.put("userAgent", EVIL_UA);
                    headers.put("User-Agent", EVIL_UA);
                    multi.putArray("User-Agent").add(EVIL_UA);
                    dims.add(one("aws:useragent", EVIL_UA));
                    label.append(" ua=evil");
                }
                default -> {
                    dims.add(one("aws:useragent", GOOD_UA));
                    label.append(" ua=good");
                }
            }
            switch (r.nextInt(4)) {
                case 0 -> {
                    dims.add(one("aws:referer", null));
                    label.append(" ref=none");
                }
                case 1 -> {
                    String ref = r.nextBoolean() ? GOOD_REF : EVIL_REF;
                    headers.put(r.nextBoolean() ? "Referer" : "referer", ref);
                    multi.putArray("Referer").add(ref);
                    dims.add(one("aws:referer", ref));
                    label.append(" ref=one");
                }
                case 2 -> {
                    headers.put("Referer", EVIL_REF);
                    ArrayNode a = multi.putArray("Referer");
                    if (r.nextBoolean()) {
                        a.add(GOOD_REF).add(EVIL_REF);
                    } else {
                        a.add(EVIL_REF).add(GOOD_REF);
                        headers.put("Referer", GOOD_REF);
                    }
                    dims.add(anyOf("aws:referer", List.of(GOOD_REF, EVIL_REF, GOOD_REF + ", " + EVIL_REF), false));
                    label.append(" ref=twice");
                }
                default -> {
                    // the single-value map shows one, the multi-value map shows both spellings
                    headers.put("referer", GOOD_REF);
                    multi.putArray("Referer").add(EVIL_REF);
                    multi.putArray("referer").add(GOOD_REF);
                    dims.add(anyOf("aws:referer", List.of(GOOD_REF, EVIL_REF, GOOD_REF + ", " + EVIL_REF,
                            EVIL_REF + ", " + GOOD_REF), false));
                    label.append(" ref=two-spellings");
                }
            }
            dims.add(memberWorlds(action, member));
            return new Case(label.toString(), e, action, cross(dims));
        }
        // HTTP API 2.0
        String raw = queryMember == null ? "" : "resourceType=" + queryMember;
        ObjectNode e = h.httpRequest(tok, "GET", path, raw, "ANY /{proxy+}", List.of(tok));
        ObjectNode headers = (ObjectNode) e.path("headers");
        ObjectNode http = (ObjectNode) e.path("requestContext").path("http");
        StringBuilder label = new StringBuilder("http");
        switch (r.nextInt(3)) {
            case 0 -> {
                http.put("sourceIp", OUT_IP);
                dims.add(one("aws:sourceip", OUT_IP));
            }
            case 1 -> {
                http.remove("sourceIp");
                dims.add(sourceUnknown());
                label.append(" ip=none");
            }
            default -> dims.add(one("aws:sourceip", "198.51.100.23"));
        }
        switch (r.nextInt(4)) {
            case 0 -> {
                headers.put("user-agent", GOOD_UA + ", " + EVIL_UA);
                http.put("userAgent", r.nextBoolean() ? GOOD_UA : GOOD_UA + ", " + EVIL_UA);
                dims.add(anyOf("aws:useragent", List.of(GOOD_UA, EVIL_UA, GOOD_UA + ", " + EVIL_UA), false));
                label.append(" ua=joined");
            }
            case 1 -> {
                headers.remove("user-agent");
                http.remove("userAgent");
                dims.add(anyOf("aws:useragent", List.of(GOOD_UA, EVIL_UA, ""), false));
                label.append(" ua=none");
            }
            case 2 -> {
                headers.put("user-agent", EVIL_UA);
                http.put("userAgent", EVIL_UA);
                dims.add(one("aws:useragent", EVIL_UA));
            }
            default -> dims.add(one("aws:useragent", GOOD_UA));
        }
        switch (r.nextInt(3)) {
            case 0 -> {
                headers.put("referer", GOOD_REF + "," + EVIL_REF);
                dims.add(anyOf("aws:referer", List.of(GOOD_REF, EVIL_REF, GOOD_REF + "," + EVIL_REF), false));
                label.append(" ref=joined");
            }
            case 1 -> {
                headers.put("referer", GOOD_REF);
                dims.add(one("aws:referer", GOOD_REF));
            }
            default -> dims.add(one("aws:referer", null));
        }
        dims.add(memberWorlds(action, member));
        return new Case(label.toString(), e, action, cross(dims));
    }

    @Test
    void theEdgeAllowsOnlyWhatEveryWorldOfTheUnseenInputsAllows() {
        SplittableRandom r = new SplittableRandom(2115267L);
        List<String> wrong = new ArrayList<>();
        int events = 0;
        int edgeAllows = 0;
        Map<String, Integer> allowsByKind = new java.util.TreeMap<>();
        int everyWorldAllows = 0;
        int worlds = 0;
        long deadline = System.nanoTime() + 45_000_000_000L;
        int policies = 0;
        while (policies < 600 && System.nanoTime() < deadline && wrong.size() < 10) {
            List<Stmt> policy = randomPolicy(r);
            List<Stmt> written = asWritten(policy);
            String text = json(policy);
            EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, false,
                    dev.edgeiam.authorize.RedteamPass18MemoTest.customRoutes(INSTANCE), text);
            String tok = h.token();
            policies++;
            for (int i = 0; i < 25; i++) {
                Case c = randomCase(h, tok, r);
                JsonNode answer = h.answer(c.event());
                boolean edge = answer.path("context").path("decision").asText().equals("Allow");
                boolean all = true;
                Map<String, String> denying = null;
                List<String> actions = c.action().equals("connect:*") ? List.of("connect:DescribeUser",
                        "connect:DescribeInstanceStorageConfig", "connect:DescribeInstanceAttribute", "connect:Other")
                        : List.of(c.action());
                outer:
                for (Map<String, String> w : c.worlds()) {
                    for (String action : actions) {
                        worlds++;
                        if (!allows(written, action, w)) {
                            all = false;
                            denying = w;
                            break outer;
                        }
                    }
                }
                events++;
                edgeAllows += edge ? 1 : 0;
                if (edge) {
                    allowsByKind.merge(c.label().split(" ")[0], 1, Integer::sum);
                }
                everyWorldAllows += all ? 1 : 0;
                if (edge && !all) {
                    wrong.add(c.label() + " " + c.action() + "\n  policy: " + text + "\n  world denying: " + denying
                            + "\n  event: " + c.event() + "\n  answer: " + answer.path("context"));
                }
            }
        }
        System.out.println("RedteamPass21UnknownInputsTest: policies=" + policies + " events=" + events
                + " edgeAllows=" + edgeAllows + " everyWorldAllows=" + everyWorldAllows + " worldsEvaluated="
                + worlds + " allowsByKind=" + allowsByKind);
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong Allows:\n" + String.join("\n", wrong));
        assertTrue(edgeAllows > 200, "the edge allows often enough to mean something: " + edgeAllows);
    }
}
