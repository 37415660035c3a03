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
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random policy sets (identity, optional permissions boundary, optional session policies, optional SCP levels;
 * any session kind) × random requests: the hot path {@link Evaluator#decide}, the full path
 * {@link Evaluator#explain} and a small reference evaluator written here must reach the same decision.
 *
 * <p>The reference loops over every statement of every layer (no action index) and matches actions and
 * resources with its own regular-expression matcher; it reuses only {@link CompiledCondition#holds} for the
 * condition blocks. Reproduce with {@code -Dedgeiam.props.seed=N} and the case seed in a failure message.
 */
class DecideExplainAgreementTest {

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

    /** A policy as JSON text; {@code allowBias} is the chance in ten of an Allow statement. */
    private static String policyJson(Random r, int allowBias) {
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

    /** The generated set, kept as JSON too for failure messages. */
    private record Generated(CompiledPolicySet set, String description, List<CompiledPolicy> identity,
                             List<CompiledPolicy> boundary, List<CompiledPolicy> session,
                             List<List<CompiledPolicy>> scps, SessionKind kind) {
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
        return new Generated(b.build(), d.toString(), identity, boundary, session, scps, kind);
    }

    private static final String[] REQUEST_ACTIONS = {
            "connect:DescribeUser", "connect:ListUsers", "connect:UpdateUserRoutingProfile", "Connect:describeUSER",
            "s3:GetObject", "connect:ListInstances", "connect:DescribeRoutingProfile",
    };

    private static final String[] REQUEST_RESOURCES = {
            INST + "inst-1/agent/u-1", INST + "inst-2/agent/bob", INST + "inst-1/agent/bob",
            INST + "inst-1/routing-profile/rp-1", "*", "arn:aws:connect:eu-west-1:111122223333:instance/inst-1/agent/bob",
            "arn:aws:s3:::bucket/key", INST + "inst-1/agent/ops", "arn:aws:connect:us-east-1:999:instance/inst-1/agent/u-1",
    };

    private static RequestContext request(Random r) {
        RequestContext.Builder b = RequestContext.builder(pick(r, REQUEST_ACTIONS), pick(r, REQUEST_RESOURCES));
        maybe(r, b, r.nextBoolean() ? "aws:username" : "AWS:UserName", "bob", "u-1", "alice", "ops");
        maybe(r, b, r.nextBoolean() ? "aws:PrincipalTag/team" : "aws:principaltag/TEAM", "ops", "qa", "", "bob");
        maybe(r, b, "aws:SecureTransport", "true", "false", "TRUE");
        maybe(r, b, "aws:SourceIp", "10.1.2.3", "192.168.0.1", "2001:db8::1", "not-an-ip");
        maybe(r, b, "aws:MultiFactorAuthAge", "100", "7200", "x");
        maybe(r, b, "aws:PrincipalArn", "arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:role/r");
        maybe(r, b, "aws:CurrentTime", "2025-06-01T00:00:00Z", "2027-01-01T00:00:00Z");
        switch (r.nextInt(5)) {
            case 0 -> b.put(ContextValue.multi("aws:TagKeys", List.of()));
            case 1 -> b.put(ContextValue.multi("aws:TagKeys", List.of("a")));
            case 2 -> b.put(ContextValue.multi("aws:TagKeys", List.of("a", "c")));
            default -> { }
        }
        return b.build();
    }

    private static void maybe(Random r, RequestContext.Builder b, String key, String... values) {
        if (r.nextInt(3) != 0) {
            b.put(key, pick(r, values));
        }
    }

    private static String describe(RequestContext q) {
        return q.action() + " on " + q.resource() + " with " + q.entries();
    }

    // ------------------------------------------------------------------ reference evaluator

    /** Case-insensitive glob over the whole action name ([Act]); built independently as a regex. */
    private static final java.util.Map<String, Pattern> ACTION_REGEX = new java.util.HashMap<>();
    private static final java.util.Map<String, Pattern> RESOURCE_REGEX = new java.util.HashMap<>();

    private static boolean refActionMatches(String pattern, String action) {
        return ACTION_REGEX.computeIfAbsent(pattern, DecideExplainAgreementTest::actionRegex).matcher(action).matches();
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

    private static boolean refApplies(CompiledStatement s, RequestContext request) {
        Statement st = s.source();
        boolean anyAction = false;
        for (String a : st.action().values()) {
            anyAction |= refActionMatches(a, request.action());
        }
        if (anyAction == st.action().negated()) {
            return false;
        }
        boolean variables = s.policy().version().supportsVariables();
        boolean anyResource = false;
        for (String res : st.resource().values()) {
            Pattern p = res.contains("${") && variables ? refResourceRegex(res, true, request)
                    : RESOURCE_REGEX.computeIfAbsent(res + (variables ? "\u0000v" : "\u0000-"),
                            k -> refResourceRegex(res, variables, request));
            anyResource |= p != null && p.matcher(request.resource()).matches();
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
        for (CompiledPolicy p : policies) {
            for (CompiledStatement s : p.statements()) {
                if (s.effect() == effect && refApplies(s, request)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** [Eval] §1, in the order the facts give it. */
    private static EvalDecision refDecide(Generated g, RequestContext request) {
        List<List<CompiledPolicy>> layers = new ArrayList<>(g.scps);
        layers.add(g.identity);
        if (g.boundary != null) {
            layers.add(g.boundary);
        }
        if (g.session != null) {
            layers.add(g.session);
        }
        for (List<CompiledPolicy> layer : layers) {
            if (refAny(layer, request, Effect.DENY)) {
                return EvalDecision.EXPLICIT_DENY;
            }
        }
        for (List<CompiledPolicy> level : g.scps) {
            if (!refAny(level, request, Effect.ALLOW)) {
                return EvalDecision.IMPLICIT_DENY;
            }
        }
        if (!refAny(g.identity, request, Effect.ALLOW)) {
            return EvalDecision.IMPLICIT_DENY;
        }
        if (g.boundary != null && !refAny(g.boundary, request, Effect.ALLOW)) {
            return EvalDecision.IMPLICIT_DENY;
        }
        if (g.session != null) {
            return refAny(g.session, request, Effect.ALLOW) ? EvalDecision.ALLOWED : EvalDecision.IMPLICIT_DENY;
        }
        return g.kind == SessionKind.FEDERATED_USER ? EvalDecision.IMPLICIT_DENY : EvalDecision.ALLOWED;
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
                RequestContext request = request(r);
                String where = "seed=" + seed + " (master " + MASTER_SEED + ") request #" + k + ": "
                        + describe(request) + "\npolicies:" + g.description;
                Verdict fast = Evaluator.decide(g.set, request);
                Decision full = Evaluator.explain(g.set, request);
                EvalDecision expected = refDecide(g, request);
                assertEquals(full.decision(), fast.decision(), "decide vs explain, " + where);
                assertEquals(full.reason(), fast.reason(), "decide vs explain reason, " + where);
                assertEquals(expected, fast.decision(), "reference vs decide, " + where);
                if (fast.deciding() != null) {
                    assertTrue(full.matchedStatements().contains(
                                    MatchedStatement.of(fast.deciding(), kindOf(g.set, fast.deciding()))),
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
    private static dev.edgeiam.compile.PolicyLayer.Kind kindOf(CompiledPolicySet set, CompiledStatement s) {
        for (dev.edgeiam.compile.PolicyLayer layer : set.layers()) {
            for (CompiledPolicy p : layer.policies()) {
                if (p.statements().contains(s)) {
                    return layer.kind();
                }
            }
        }
        throw new AssertionError("statement not in any layer: " + s);
    }
}
