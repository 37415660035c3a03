package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random policy sets (identity, optional permissions boundary, optional session policies, optional SCP levels;
 * any session kind; optional resource-based policy naming callers in every principal form, optional RCP levels)
 * × random requests (callers of every form in the resource's account or another, resource owners, ARNs with
 * upper-case fixed fields): the hot path {@link Evaluator#decide}, the full path {@link Evaluator#explain} and
 * the independent {@link ReferenceEvaluator} must reach the same decision (1,200 sets × 15 requests).
 *
 * <p>Policies are generated as JSON text and requests as {@link ReferenceEvaluator.Request}s; production parses,
 * compiles and evaluates them, the reference reads the same text its own way. Reproduce with
 * {@code -Dedgeiam.props.seed=N} and the case seed in a failure message.
 */
class DecideExplainAgreementTest {

    private static final long MASTER_SEED = Long.getLong("edgeiam.props.seed", 0x5EEDL);
    private static final int POLICY_SETS = 1_200;
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
            "{\"DateGreaterThanEquals\": {\"aws:CurrentTime\": [\"2027\", \"2026-06\"]}}",
            "{\"NumericGreaterThanEquals\": {\"aws:MultiFactorAuthAge\": [\"100\", \"7200.0\"]}}",
            "{\"ForAllValues:StringNotLike\": {\"aws:TagKeys\": [\"c*\"]}}",
            "{\"ForAnyValue:StringNotEquals\": {\"aws:TagKeys\": \"a\"}}",
            "{\"StringEquals\": {\"aws:TagKeys\": \"a\"}}",
            "{\"StringNotEquals\": {\"aws:TagKeys\": \"a\"}}",
            "{\"Null\": {\"aws:TagKeys\": \"true\"}}",
            "{\"StringNotLikeIfExists\": {\"aws:username\": \"a*\"}}",
            "{\"BoolIfExists\": {\"aws:SecureTransport\": \"false\"}}",
            "{\"NotIpAddress\": {\"aws:SourceIp\": \"192.168.0.0/16\"}}",
            "{\"ArnNotLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/*\"}}",
            "{\"ArnEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:user/${aws:username}\"}}",
            "{\"StringEqualsIgnoreCase\": {\"aws:PrincipalTag/team\": \"${aws:username}\"}}",
            "{\"StringLike\": {\"aws:PrincipalTag/team\": \"${aws:username, 'o'}*\"}}",
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

    /** Resource-policy principals naming the callers below in every form, and some naming nobody who calls. */
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

    /** The generated set, compiled for production and kept as JSON text for the reference and for messages. */
    private record Generated(CompiledPolicySet set, ResourcePolicySet resourceSide, String description,
                             ReferenceEvaluator.PolicySet reference) {
    }

    private static Generated policySet(Random r) {
        StringBuilder d = new StringBuilder();
        CompiledPolicySet.Builder b = CompiledPolicySet.builder();
        List<String> identity = new ArrayList<>();
        for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
            String json = policyJson(r, 8);
            d.append("\n  identity: ").append(json);
            identity.add(json);
        }
        b.identity(identity.stream().map(DecideExplainAgreementTest::compile).toList());
        List<String> boundary = null;
        if (r.nextBoolean()) {
            boundary = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                String json = r.nextInt(3) == 0 ? ALLOW_ALL : policyJson(r, 9);
                d.append("\n  boundary: ").append(json);
                boundary.add(json);
                b.boundary(compile(json));
            }
        }
        List<String> session = null;
        if (r.nextInt(3) == 0) {
            session = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                String json = r.nextInt(3) == 0 ? ALLOW_ALL : policyJson(r, 9);
                d.append("\n  session: ").append(json);
                session.add(json);
                b.session(compile(json));
            }
        }
        List<List<String>> scps = new ArrayList<>();
        for (int level = 0, levels = r.nextInt(3); level < levels; level++) {
            List<String> policies = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                String json = r.nextInt(2) == 0 ? ALLOW_ALL : policyJson(r, 9);
                d.append("\n  scp level ").append(level).append(": ").append(json);
                policies.add(json);
            }
            scps.add(policies);
            b.serviceControlLevel(policies.stream().map(DecideExplainAgreementTest::compile).toList());
        }
        SessionKind kind = pick(r, SessionKind.values());
        d.append("\n  sessionKind: ").append(kind);
        b.sessionKind(kind);
        ResourcePolicySet.Builder rb = ResourcePolicySet.builder();
        List<String> resourcePolicy = null;
        if (r.nextInt(5) < 3) {
            resourcePolicy = new ArrayList<>();
            for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
                String json = policyJson(r, 8, true);
                d.append("\n  resource policy: ").append(json);
                resourcePolicy.add(json);
                rb.resourcePolicy(compileResourcePolicy(json));
            }
        }
        List<List<String>> rcps = new ArrayList<>();
        for (int level = 0, levels = r.nextInt(4) == 0 ? 1 + r.nextInt(2) : 0; level < levels; level++) {
            String json = r.nextInt(2) == 0 ? ALLOW_ALL : policyJson(r, 9);
            d.append("\n  rcp level ").append(level).append(": ").append(json);
            rcps.add(List.of(json));
            rb.resourceControlLevel(List.of(compile(json)));
        }
        return new Generated(b.build(), rb.build(), d.toString(), new ReferenceEvaluator.PolicySet(identity,
                boundary, session, scps, kind == SessionKind.FEDERATED_USER, resourcePolicy, rcps));
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

    private static ReferenceEvaluator.Request request(Random r) {
        ReferenceEvaluator.Request q = new ReferenceEvaluator.Request(pick(r, REQUEST_ACTIONS), pick(r, REQUEST_RESOURCES));
        String caller = pick(r, CALLERS);
        if (caller != null) {
            // the caller's account is given (CallerArn), or read from aws:PrincipalArn
            boolean accountGiven = r.nextBoolean();
            q.caller(caller, accountGiven);
            if (!accountGiven) {
                q.put("aws:PrincipalArn", caller);
            }
        }
        String owner = pick(r, OWNERS);
        if (owner != null) {
            q.owner(owner);
        }
        maybe(r, q, r.nextBoolean() ? "aws:username" : "AWS:UserName", "bob", "u-1", "alice", "ops");
        maybe(r, q, r.nextBoolean() ? "aws:PrincipalTag/team" : "aws:principaltag/TEAM", "ops", "qa", "", "bob", "BOB",
                "opsa");
        maybe(r, q, "aws:SecureTransport", "true", "false", "TRUE");
        maybe(r, q, "aws:SourceIp", "10.1.2.3", "192.168.0.1", "2001:db8::1", "not-an-ip");
        maybe(r, q, "aws:MultiFactorAuthAge", "100", "7200", "x", "7200.00", "-1");
        if (caller == null) {
            maybe(r, q, "aws:PrincipalArn", "arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:role/r");
        }
        maybe(r, q, "aws:CurrentTime", "2025-06-01T00:00:00Z", "2027-01-01T00:00:00Z", "1767225600",
                "2026-01-01T01:00:00+02:00", "2026-06-01T00:00:00.000Z", "someday");
        switch (r.nextInt(5)) {
            case 0 -> q.putList("aws:TagKeys", List.of());
            case 1 -> q.putList("aws:TagKeys", List.of("a"));
            case 2 -> q.putList("aws:TagKeys", List.of("a", "c"));
            default -> { }
        }
        return q;
    }

    private static void maybe(Random r, ReferenceEvaluator.Request q, String key, String... values) {
        if (r.nextInt(3) != 0) {
            q.put(key, pick(r, values));
        }
    }

    // ------------------------------------------------------------------ the property

    @Test
    void decideExplainAndReferenceAgree() {
        int[] outcomes = new int[Reason.Category.values().length];
        for (int i = 0; i < POLICY_SETS; i++) {
            long seed = caseSeed(1, i);
            Random r = new Random(seed);
            Generated g = policySet(r);
            for (int k = 0; k < REQUESTS_PER_SET; k++) {
                ReferenceEvaluator.Request generated = request(r);
                RequestContext request = generated.toRequestContext();
                String where = "seed=" + seed + " (master " + MASTER_SEED + ") request #" + k + ": "
                        + generated + "\npolicies:" + g.description;
                Verdict fast = Evaluator.decide(g.set, g.resourceSide, request);
                Decision full = Evaluator.explain(g.set, g.resourceSide, request);
                Reason.Category expected = ReferenceEvaluator.decide(g.reference, generated);
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
        for (Reason.Category d : List.of(Reason.Category.ALLOWED, Reason.Category.EXPLICIT_DENY,
                Reason.Category.IMPLICIT_DENY)) { // the evaluator's three; the others are the edge's
            assertTrue(outcomes[d.ordinal()] > POLICY_SETS * REQUESTS_PER_SET / 20, "the generator should reach " + d
                    + " often; got " + java.util.Arrays.toString(outcomes));
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
        assertEquals(Reason.Category.ALLOWED, Evaluator.explain(set, request).decision());
        assertEquals(Reason.Category.ALLOWED, Evaluator.decide(set, request).decision());
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
