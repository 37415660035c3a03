package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.policy.Statement;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random policy sets (identity, optional permissions boundary, optional session policies, optional SCP levels;
 * any session kind; optional resource-based policy naming callers in every principal form, optional RCP levels)
 * × random requests (callers of every form in the resource's account or another, resource owners, ARNs with
 * upper-case fixed fields): the hot path {@link Evaluator#decide}, the full path {@link Evaluator#explain} and a
 * small reference evaluator written here must reach the same decision.
 *
 * <p>The reference loops over every statement of every layer (no action index) and matches actions and
 * resources with its own regular-expression matcher; it reuses only {@link CompiledCondition#holds} for the
 * condition blocks. Reproduce with {@code -Dedgeiam.props.seed=N} and the case seed in a failure message.
 */
class ResourceLayerAgreementTest {

    private static final long MASTER_SEED = Long.getLong("edgeiam.props.seed", 0x5EEDL);
    private static final int POLICY_SETS = 600;
    private static final int REQUESTS_PER_SET = 15;

    private static long caseSeed(int property, int i) {
        long z = MASTER_SEED * 0x9E3779B97F4A7C15L + property * 0xBF58476D1CE4E5B9L + i;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------ generators

    private static final String[] ACTIONS = {
            "connect:DescribeUser", "connect:describeuser", "CONNECT:DescribeUser", "connect:Describe*",
            "connect:List*", "connect:*", "*", "connect:Describe?ser", "connect:UpdateUser*", "connect:ListUsers",
            "s3:GetObject", "connect:*User", "*:DescribeUser", "connect:ListInstances", "Connect:update*Profile",
            "connect:UpdateUserRoutingProfile", "s3:*", "connect:?*",
    };

    private static final String INST = "arn:aws:connect:us-east-1:111122223333:instance/";

    private static final String[] RESOURCES = {
            "*", INST + "inst-1/*", "arn:aws:connect:*:111122223333:instance/*/agent/*", "arn:aws:connect:us-east-1:*",
            "arn:aws:connect:us-east-?:111122223333:instance/inst-1/agent/*", INST + "inst-2/*",
            INST + "inst-1/agent/${aws:username}", INST + "*/routing-profile/*", "arn:aws:connect:*",
            INST + "inst-1/agent/u-1", INST + "inst-?/agent/${aws:PrincipalTag/team, 'u-1'}",
            "arn:aws:connect:*:*:instance/inst-1/agent/*", "arn:aws:s3:::bucket/*", "arn:aws:conn*:us-east-1:*",
            "arn:aws:CONNECT:us-east-1:111122223333:instance/inst-1/*", "arn:AWS:connect:US-EAST-1:*",
            "arn:aws:connect:us-east-1:444455556666:instance/*",
    };

    private static final String[] CONDITIONS = {
            "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}}",
            "{\"StringNotEquals\": {\"aws:PrincipalTag/team\": [\"ops\", \"dev\"]}}",
            "{\"StringLike\": {\"aws:username\": \"b*\"}}",
            "{\"StringEqualsIgnoreCase\": {\"aws:USERNAME\": \"BOB\"}}",
            "{\"Bool\": {\"aws:SecureTransport\": \"true\"}}",
            "{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}",
            "{\"NotIpAddress\": {\"aws:SourceIp\": [\"10.0.0.0/8\", \"2001:db8::/32\"]}}",
            "{\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \"3600\"}}",
            "{\"StringEqualsIfExists\": {\"aws:PrincipalTag/team\": \"ops\"}}",
            "{\"Null\": {\"aws:PrincipalTag/team\": \"true\"}}",
            "{\"Null\": {\"aws:username\": \"false\"}}",
            "{\"ForAnyValue:StringEquals\": {\"aws:TagKeys\": [\"a\", \"b\"]}}",
            "{\"ForAllValues:StringLike\": {\"aws:TagKeys\": [\"a*\"]}}",
            "{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:user/*\"}}",
            "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"${aws:username}\"}}",
            "{\"Bool\": {\"aws:SecureTransport\": \"true\"}, \"StringLike\": {\"aws:username\": [\"a*\", \"b*\"]}}",
            "{\"DateLessThan\": {\"aws:CurrentTime\": \"2026-01-01T00:00:00Z\"}}",
    };

    private static <T> T pick(Random r, T[] from) {
        return from[r.nextInt(from.length)];
    }

    private static String jsonList(Random r, String[] from, int max) {
        int n = 1 + r.nextInt(max);
        if (n == 1 && r.nextBoolean()) {
            return "\"" + pick(r, from) + "\"";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append('"').append(pick(r, from)).append('"');
        }
        return sb.append(']').toString();
    }

    private static final String[] PRINCIPALS = {
            "\"*\"", "{\"AWS\": \"*\"}", "{\"AWS\": \"111122223333\"}", "{\"AWS\": \"arn:aws:iam::111122223333:root\"}",
            "{\"AWS\": \"arn:aws:iam::111122223333:user/bob\"}", "{\"AWS\": \"arn:aws:iam::111122223333:user/team/bob\"}",
            "{\"AWS\": \"arn:aws:iam::111122223333:role/r\"}", "{\"AWS\": \"arn:aws:iam::111122223333:role/ops/r\"}",
            "{\"AWS\": \"arn:aws:sts::111122223333:assumed-role/r/s\"}",
            "{\"AWS\": \"arn:aws:sts::111122223333:federated-user/fed\"}", "{\"AWS\": \"444455556666\"}",
            "{\"AWS\": [\"arn:aws:iam::444455556666:user/eve\", \"arn:aws:iam::444455556666:role/x\"]}",
            "{\"AWS\": \"arn:aws:sts::444455556666:assumed-role/x/s\"}", "{\"Service\": \"s3.amazonaws.com\"}",
            "{\"AWS\": [\"arn:aws:iam::111122223333:user/bob\", \"111122223333\"]}",
    };

    /** A policy as JSON text; {@code allowBias} is the chance in ten of an Allow statement. */
    private static String policyJson(Random r, int allowBias) {
        return policyJson(r, allowBias, false);
    }

    /** As above; {@code resourceBased} adds a Principal or NotPrincipal to every statement. */
    private static String policyJson(Random r, int allowBias, boolean resourceBased) {
        StringBuilder sb = new StringBuilder("{");
        int version = r.nextInt(10);
        if (version < 8) {
            sb.append("\"Version\": \"2012-10-17\", ");
        } else if (version == 8) {
            sb.append("\"Version\": \"2008-10-17\", ");
        }
        sb.append("\"Statement\": [");
        int statements = 1 + r.nextInt(3);
        for (int s = 0; s < statements; s++) {
            sb.append(s == 0 ? "" : ", ").append('{');
            if (r.nextBoolean()) {
                sb.append("\"Sid\": \"S").append(s).append("\", ");
            }
            sb.append("\"Effect\": \"").append(r.nextInt(10) < allowBias ? "Allow" : "Deny").append("\", ");
            if (resourceBased) {
                sb.append(r.nextInt(8) == 0 ? "\"NotPrincipal\": " : "\"Principal\": ").append(pick(r, PRINCIPALS))
                        .append(", ");
            }
            sb.append(r.nextInt(8) == 0 ? "\"NotAction\": " : "\"Action\": ").append(jsonList(r, ACTIONS, 3));
            sb.append(r.nextInt(8) == 0 ? ", \"NotResource\": " : ", \"Resource\": ").append(jsonList(r, RESOURCES, 2));
            if (r.nextInt(3) == 0) {
                sb.append(", \"Condition\": ").append(pick(r, CONDITIONS));
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    private static final String ALLOW_ALL =
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}";

    private static int policyCounter;

    private static CompiledPolicy compile(String json) {
        return CompiledPolicy.compile(PolicyParser.parse(json, PolicyType.SIMULATION, "p" + (policyCounter++)));
    }

    private static CompiledPolicy compileResourcePolicy(String json) {
        return CompiledPolicy.compile(PolicyParser.parse(json, PolicyType.RESOURCE, "rp" + (policyCounter++)));
    }

    /** The generated set, kept as JSON too for failure messages. */
    private record Generated(CompiledPolicySet set, ResourcePolicySet resourceSide, String description,
                             List<CompiledPolicy> identity, List<CompiledPolicy> boundary,
                             List<CompiledPolicy> session, List<List<CompiledPolicy>> scps, SessionKind kind,
                             List<CompiledPolicy> resourcePolicy, List<List<CompiledPolicy>> rcps) {
    }

    private static Generated policySet(Random r) {
        StringBuilder d = new StringBuilder();
        CompiledPolicySet.Builder b = CompiledPolicySet.builder();
        List<CompiledPolicy> identity = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
            String json = policyJson(r, 8);
            d.append("\n  identity: ").append(json);
            identity.add(compile(json));
        }
        b.identity(identity);
        List<CompiledPolicy> boundary = null;
        if (r.nextBoolean()) {
            boundary = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                String json = r.nextInt(3) == 0 ? ALLOW_ALL : policyJson(r, 9);
                d.append("\n  boundary: ").append(json);
                CompiledPolicy p = compile(json);
                boundary.add(p);
                b.boundary(p);
            }
        }
        List<CompiledPolicy> session = null;
        if (r.nextInt(3) == 0) {
            session = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                String json = r.nextInt(3) == 0 ? ALLOW_ALL : policyJson(r, 9);
                d.append("\n  session: ").append(json);
                CompiledPolicy p = compile(json);
                session.add(p);
                b.session(p);
            }
        }
        List<List<CompiledPolicy>> scps = new ArrayList<>();
        for (int level = 0, levels = r.nextInt(3); level < levels; level++) {
            List<CompiledPolicy> policies = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                String json = r.nextInt(2) == 0 ? ALLOW_ALL : policyJson(r, 9);
                d.append("\n  scp level ").append(level).append(": ").append(json);
                policies.add(compile(json));
            }
            scps.add(policies);
            b.serviceControlLevel(policies);
        }
        SessionKind kind = pick(r, SessionKind.values());
        d.append("\n  sessionKind: ").append(kind);
        b.sessionKind(kind);
        ResourcePolicySet.Builder rb = ResourcePolicySet.builder();
        List<CompiledPolicy> resourcePolicy = null;
        if (r.nextInt(5) < 3) {
            resourcePolicy = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                String json = policyJson(r, 8, true);
                d.append("\n  resource policy: ").append(json);
                CompiledPolicy p = compileResourcePolicy(json);
                resourcePolicy.add(p);
                rb.resourcePolicy(p);
            }
        }
        List<List<CompiledPolicy>> rcps = new ArrayList<>();
        for (int level = 0, levels = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0; level < levels; level++) {
            List<CompiledPolicy> policies = new ArrayList<>();
            String json = r.nextInt(2) == 0 ? ALLOW_ALL : policyJson(r, 9);
            d.append("\n  rcp level ").append(level).append(": ").append(json);
            policies.add(compile(json));
            rcps.add(policies);
            rb.resourceControlLevel(policies);
        }
        return new Generated(b.build(), rb.build(), d.toString(), identity, boundary, session, scps, kind,
                resourcePolicy, rcps);
    }

    private static final String[] REQUEST_ACTIONS = {
            "connect:DescribeUser", "connect:ListUsers", "connect:UpdateUserRoutingProfile", "Connect:describeUSER",
            "s3:GetObject", "connect:ListInstances", "connect:DescribeRoutingProfile",
    };

    private static final String[] REQUEST_RESOURCES = {
            INST + "inst-1/agent/u-1", INST + "inst-2/agent/bob", INST + "inst-1/agent/bob",
            INST + "inst-1/routing-profile/rp-1", "*", "arn:aws:connect:eu-west-1:111122223333:instance/inst-1/agent/bob",
            "arn:aws:s3:::bucket/key", INST + "inst-1/agent/ops", "arn:aws:connect:us-east-1:999:instance/inst-1/agent/u-1",
            "arn:aws:connect:us-east-1:444455556666:instance/inst-1/agent/u-1",
            "arn:aws:Connect:us-east-1:111122223333:instance/inst-1/agent/u-1",
    };

    /** Callers of every principal form, in the resource account 111122223333 and in 444455556666; null: none. */
    private static final String[] CALLERS = {
            "arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:user/team/bob",
            "arn:aws:iam::111122223333:role/r", "arn:aws:sts::111122223333:assumed-role/r/s",
            "arn:aws:sts::111122223333:assumed-role/r/other", "arn:aws:sts::111122223333:federated-user/fed",
            "arn:aws:iam::444455556666:user/eve", "arn:aws:sts::444455556666:assumed-role/x/s", null,
    };

    private static final String[] OWNERS = {null, null, "111122223333", "444455556666"};

    /** A generated request with what the reference reads of it: the caller ARN, whether its account was set, the owner. */
    private record Req(RequestContext context, String caller, boolean accountSet, String owner) {
    }

    private static Req request(Random r) {
        RequestContext.Builder b = RequestContext.builder(pick(r, REQUEST_ACTIONS), pick(r, REQUEST_RESOURCES));
        String caller = pick(r, CALLERS);
        boolean accountSet = false;
        if (caller != null) {
            b.principal(dev.edgeiam.request.RequestPrincipal.ofArn(caller));
            accountSet = r.nextBoolean();
            if (accountSet) {
                b.principalAccount(caller.split(":")[4]);
            } else {
                b.put("aws:PrincipalArn", caller);
            }
        }
        String owner = pick(r, OWNERS);
        if (owner != null) {
            b.resourceOwner(owner);
        }
        maybe(r, b, r.nextBoolean() ? "aws:username" : "AWS:UserName", "bob", "u-1", "alice", "ops");
        maybe(r, b, r.nextBoolean() ? "aws:PrincipalTag/team" : "aws:principaltag/TEAM", "ops", "qa", "", "bob");
        maybe(r, b, "aws:SecureTransport", "true", "false", "TRUE");
        maybe(r, b, "aws:SourceIp", "10.1.2.3", "192.168.0.1", "2001:db8::1", "not-an-ip");
        maybe(r, b, "aws:MultiFactorAuthAge", "100", "7200", "x");
        if (caller == null) {
            maybe(r, b, "aws:PrincipalArn", "arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:role/r");
        }
        maybe(r, b, "aws:CurrentTime", "2025-06-01T00:00:00Z", "2027-01-01T00:00:00Z");
        switch (r.nextInt(5)) {
            case 0 -> b.put(ContextValue.multi("aws:TagKeys", List.of()));
            case 1 -> b.put(ContextValue.multi("aws:TagKeys", List.of("a")));
            case 2 -> b.put(ContextValue.multi("aws:TagKeys", List.of("a", "c")));
            default -> { }
        }
        return new Req(b.build(), caller, accountSet, owner);
    }

    private static void maybe(Random r, RequestContext.Builder b, String key, String... values) {
        if (r.nextInt(3) != 0) {
            b.put(key, pick(r, values));
        }
    }

    private static String describe(RequestContext q) {
        return q.action() + " on " + q.resource() + " with " + q.entries() + " caller " + q.principal()
                + " accounts " + q.principalAccount() + "/" + q.resourceAccount();
    }

    // ------------------------------------------------------------------ reference evaluator

    /** Case-insensitive glob over the whole action name ([Act]); built independently as a regex. */
    private static final java.util.Map<String, Pattern> ACTION_REGEX = new java.util.HashMap<>();
    private static final java.util.Map<String, Pattern> RESOURCE_REGEX = new java.util.HashMap<>();

    private static boolean refActionMatches(String pattern, String action) {
        return ACTION_REGEX.computeIfAbsent(pattern, ResourceLayerAgreementTest::actionRegex).matcher(action).matches();
    }

    private static Pattern actionRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^},]+)(?:, *'([^']*)')?}");

    /**
     * [Res]: before the fifth colon '?' and a '*' not ending its segment stay inside the segment, a
     * segment-final '*' reaches across colons; after it, '*' and '?' match anything and (2012-10-17 only)
     * ${key} / ${key, 'default'} is the key's value as literal text. Null: an unresolvable variable.
     */
    private static Pattern refResourceRegex(String pattern, boolean variables, RequestContext request) {
        int split = -1;
        for (int n = 0; n < 5 && (split = pattern.indexOf(':', split + 1)) >= 0; n++) {
            // find the fifth colon
        }
        String head = split < 0 ? pattern : pattern.substring(0, split + 1);
        String rest = split < 0 ? "" : pattern.substring(split + 1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c == '*') {
                re.append(i + 1 == head.length() || head.charAt(i + 1) == ':' ? ".*" : "[^:]*");
            } else if (c == '?') {
                re.append("[^:]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (variables) {
            java.util.regex.Matcher m = VARIABLE.matcher(rest);
            StringBuilder substituted = new StringBuilder();
            int last = 0;
            while (m.find()) {
                appendGlob(substituted, rest.substring(last, m.start()));
                String value = request.variable(m.group(1).strip().toLowerCase(Locale.ROOT));
                if (value == null) {
                    value = m.group(2);
                }
                if (value == null) {
                    return null;
                }
                substituted.append(Pattern.quote(value));
                last = m.end();
            }
            appendGlob(substituted, rest.substring(last));
            re.append(substituted);
        } else {
            appendGlob(re, rest);
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static void appendGlob(StringBuilder re, String text) {
        for (char c : text.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
    }

    private static boolean refResourceMatches(String res, boolean variables, RequestContext request, String resource) {
        Pattern p = res.contains("${") && variables ? refResourceRegex(res, true, request)
                : RESOURCE_REGEX.computeIfAbsent(res + (variables ? "\u0000v" : "\u0000-"),
                        k -> refResourceRegex(res, variables, request));
        return p != null && p.matcher(resource).matches();
    }

    /** A-Z to a-z before the fifth colon. */
    private static String refFold(String arn) {
        StringBuilder out = new StringBuilder();
        int colons = 0;
        for (char c : arn.toCharArray()) {
            out.append(colons < 5 && c >= 'A' && c <= 'Z' ? Character.toLowerCase(c) : c);
            if (c == ':') {
                colons++;
            }
        }
        return out.toString();
    }

    private static final Pattern REF_NAMED_ENTITY = Pattern.compile("(arn:[^:]+:iam::\\d{12}:(?:user|role)/)(?:.*/)?([^/]+)");

    /** Account ids as root ARNs; user and role ARNs without their path (names are unique per account). */
    private static String refCanon(String id) {
        if (id.matches("\\d{12}")) {
            return "arn:aws:iam::" + id + ":root";
        }
        java.util.regex.Matcher m = REF_NAMED_ENTITY.matcher(id);
        return m.matches() ? m.group(1) + m.group(2) : id;
    }

    private static String refForm(String id) {
        if (id.equals("*")) {
            return "anyone";
        }
        if (id.matches("arn:[^:]+:iam::\\d{12}:root")) {
            return "account";
        }
        if (id.matches("arn:[^:]+:iam::\\d{12}:user/.+")) {
            return "user";
        }
        if (id.matches("arn:[^:]+:iam::\\d{12}:role/.+")) {
            return "role";
        }
        if (id.matches("arn:[^:]+:sts::\\d{12}:assumed-role/.+")) {
            return "session";
        }
        if (id.matches("arn:[^:]+:sts::\\d{12}:federated-user/.+")) {
            return "federated-user";
        }
        return "other";
    }

    /** Every identifier the caller answers to ("AWS JSON policy elements: Principal"). */
    private static List<String> refCallerIds(String caller) {
        List<String> ids = new ArrayList<>();
        if (caller == null) {
            return ids;
        }
        String[] f = caller.split(":", 6);
        ids.add(refCanon(caller));
        if (f[2].equals("sts") && f[5].startsWith("assumed-role/")) {
            ids.add("arn:" + f[1] + ":iam::" + f[4] + ":role/" + f[5].split("/")[1]);
        }
        ids.add("arn:" + f[1] + ":iam::" + f[4] + ":root");
        return ids;
    }

    /** Whether a Principal/NotPrincipal names the caller in one of {@code forms} (null: any). */
    private static boolean refNamed(dev.edgeiam.policy.PrincipalElement e, String caller, Set<String> forms) {
        List<String> listedAws = new ArrayList<>();
        for (String id : e.principals().getOrDefault("AWS", List.of())) {
            listedAws.add(refCanon(id));
        }
        boolean star = e.anyone() || listedAws.contains("*");
        boolean listed = false;
        for (String id : refCallerIds(caller)) {
            if (listedAws.contains(id) && (e.negated() || forms == null || forms.contains(refForm(id)))) {
                listed = true;
            }
        }
        if (e.negated()) {
            return !(star || listed) && (forms == null || forms.contains("other"));
        }
        return (star && (forms == null || forms.contains("anyone"))) || listed;
    }

    private static boolean refApplies(CompiledStatement s, RequestContext request) {
        return refApplies(s, request, null);
    }

    private static boolean refApplies(CompiledStatement s, RequestContext request, String caller) {
        Statement st = s.source();
        boolean anyAction = false;
        for (String a : st.action().values()) {
            anyAction |= refActionMatches(a, request.action());
        }
        if (anyAction == st.action().negated()) {
            return false;
        }
        if (st.principal() != null && !refNamed(st.principal(), caller, null)) {
            return false;
        }
        boolean variables = s.policy().version().supportsVariables();
        // never over-grant: Deny+Resource and Allow+NotResource also match with the fixed fields folded
        boolean lenient = (st.effect() == Effect.DENY) != st.resource().negated();
        boolean anyResource = false;
        for (String res : st.resource().values()) {
            anyResource |= refResourceMatches(res, variables, request, request.resource());
            if (lenient) {
                anyResource |= refResourceMatches(refFold(res), variables, request, refFold(request.resource()));
            }
        }
        if (anyResource == st.resource().negated()) {
            return false;
        }
        for (CompiledCondition c : s.conditions()) {
            if (!c.holds(request)) {
                return false;
            }
        }
        return true;
    }

    private static boolean refAny(List<CompiledPolicy> policies, RequestContext request, Effect effect) {
        return refAny(policies, request, effect, null, null);
    }

    private static boolean refAny(List<CompiledPolicy> policies, RequestContext request, Effect effect, String caller,
                                  Set<String> forms) {
        for (CompiledPolicy p : policies) {
            for (CompiledStatement s : p.statements()) {
                if (s.effect() == effect && refApplies(s, request, caller)
                        && (forms == null || refNamed(s.source().principal(), caller, forms))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String refAccount(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] f = arn.split(":", 6);
        return f.length < 6 || f[4].isEmpty() ? null : f[4];
    }

    /** [Eval] §1 and [XAcct], in the order the facts give them (facts sheet sections 1 and 8). */
    private static EvalDecision refDecide(Generated g, Req req) {
        RequestContext request = req.context();
        String caller = req.caller();
        List<List<CompiledPolicy>> layers = new ArrayList<>(g.scps);
        layers.add(g.identity);
        if (g.boundary != null) {
            layers.add(g.boundary);
        }
        if (g.session != null) {
            layers.add(g.session);
        }
        layers.addAll(g.rcps);
        if (g.resourcePolicy != null) {
            layers.add(g.resourcePolicy);
        }
        for (List<CompiledPolicy> layer : layers) {
            if (refAny(layer, request, Effect.DENY, caller, null)) {
                return EvalDecision.EXPLICIT_DENY;
            }
        }
        String principalAccount = req.accountSet() ? refAccount(caller)
                : refAccount(request.get("aws:principalarn") == null ? null : request.get("aws:principalarn").value(0));
        String resourceAccount = refAccount(request.resource());
        if (resourceAccount == null) {
            resourceAccount = req.owner() != null ? req.owner() : principalAccount;
        }
        boolean cross = principalAccount != null && resourceAccount != null && !principalAccount.equals(resourceAccount);
        boolean requester = refAny(g.identity, request, Effect.ALLOW) && refCaps(g, request);
        if (cross) {
            // both sides: the requester's (identity, boundary, session, SCPs) and the resource's (RCPs, resource policy)
            return g.resourcePolicy != null && requester && refOrganization(g, request)
                    && refAny(g.resourcePolicy, request, Effect.ALLOW, caller, null)
                    ? EvalDecision.ALLOWED : EvalDecision.IMPLICIT_DENY;
        }
        boolean direct = g.resourcePolicy != null && refAny(g.resourcePolicy, request, Effect.ALLOW, caller,
                Set.of("user", "session", "federated-user", "anyone"));
        boolean viaRole = g.resourcePolicy != null && refAny(g.resourcePolicy, request, Effect.ALLOW, caller,
                Set.of("role", "other"));
        boolean allowed = direct || requester || (viaRole && refCaps(g, request));
        return allowed && refOrganization(g, request) ? EvalDecision.ALLOWED : EvalDecision.IMPLICIT_DENY;
    }

    /** Boundary and session policy (a federated-user session without one has nothing). */
    private static boolean refCaps(Generated g, RequestContext request) {
        if (g.boundary != null && !refAny(g.boundary, request, Effect.ALLOW)) {
            return false;
        }
        if (g.session != null) {
            return refAny(g.session, request, Effect.ALLOW);
        }
        return g.kind != SessionKind.FEDERATED_USER;
    }

    private static boolean refOrganization(Generated g, RequestContext request) {
        for (List<CompiledPolicy> level : g.scps) {
            if (!refAny(level, request, Effect.ALLOW)) {
                return false;
            }
        }
        for (List<CompiledPolicy> level : g.rcps) {
            if (!refAny(level, request, Effect.ALLOW)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ the property

    @Test
    void decideExplainAndReferenceAgree() {
        int[] outcomes = new int[EvalDecision.values().length];
        for (int i = 0; i < POLICY_SETS; i++) {
            long seed = caseSeed(1, i);
            Random r = new Random(seed);
            Generated g = policySet(r);
            for (int k = 0; k < REQUESTS_PER_SET; k++) {
                Req req = request(r);
                RequestContext request = req.context();
                String where = "seed=" + seed + " (master " + MASTER_SEED + ") request #" + k + ": "
                        + describe(request) + "\npolicies:" + g.description;
                Verdict fast = Evaluator.decide(g.set, g.resourceSide, request);
                Decision full = Evaluator.explain(g.set, g.resourceSide, request);
                EvalDecision expected = refDecide(g, req);
                assertEquals(full.decision(), fast.decision(), "decide vs explain, " + where);
                assertEquals(full.reason(), fast.reason(), "decide vs explain reason, " + where);
                assertEquals(expected, fast.decision(), "reference vs decide, " + where);
                if (fast.deciding() != null) {
                    assertTrue(full.matchedStatements().contains(
                                    MatchedStatement.of(fast.deciding(), kindOf(g, fast.deciding()))),
                            "decide's deciding statement " + fast.deciding() + " is not among explain's "
                                    + full.matchedStatements() + ", " + where);
                }
                outcomes[expected.ordinal()]++;
            }
        }
        for (EvalDecision d : EvalDecision.values()) {
            assertTrue(outcomes[d.ordinal()] > POLICY_SETS * REQUESTS_PER_SET / 20, "the generator should reach " + d + " often; got "
                    + java.util.Arrays.toString(outcomes));
        }
    }

    /**
     * Minimal end-to-end reproducer (see WildcardPropertyTest#arnConditionVariableInAccountComponent): an
     * ArnEquals value with a policy variable in the account component never matches, because the ARN value is
     * cut at the fifth colon of its source text and the colon inside {@code ${aws:PrincipalAccount}} counts.
     */
    @Test
    void arnEqualsWithVariableInAccountComponent() {
        CompiledPolicy policy = compile("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
                + " \"Action\": \"connect:DescribeUser\", \"Resource\": \"*\", \"Condition\": {\"ArnEquals\":"
                + " {\"aws:PrincipalArn\": \"arn:aws:iam::${aws:PrincipalAccount}:user/bob\"}}}]}");
        CompiledPolicySet set = CompiledPolicySet.builder().identity(policy).build();
        RequestContext request = RequestContext.builder("connect:DescribeUser", INST + "inst-1/agent/u-1")
                .put("aws:PrincipalAccount", "111122223333")
                .put("aws:PrincipalArn", "arn:aws:iam::111122223333:user/bob")
                .build();
        assertEquals(EvalDecision.ALLOWED, Evaluator.explain(set, request).decision());
        assertEquals(EvalDecision.ALLOWED, Evaluator.decide(set, request).decision());
    }

    /** The layer a statement was compiled into (identity is checked last: a policy object is in one layer). */
    private static dev.edgeiam.compile.PolicyLayer.Kind kindOf(Generated g, CompiledStatement s) {
        List<dev.edgeiam.compile.PolicyLayer> all = new ArrayList<>(g.set.layers());
        all.addAll(g.resourceSide.layers());
        for (dev.edgeiam.compile.PolicyLayer layer : all) {
            for (CompiledPolicy p : layer.policies()) {
                if (p.statements().contains(s)) {
                    return layer.kind();
                }
            }
        }
        throw new AssertionError("statement not in any layer: " + s);
    }
}
