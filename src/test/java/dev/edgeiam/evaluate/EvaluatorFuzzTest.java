package dev.edgeiam.evaluate;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.fuzz.ByteCursor;
import dev.edgeiam.fuzz.FuzzInputs;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the compiled matcher: the input bytes choose a policy set (identity, optional boundary, optional session
 * policies, zero to two SCP levels, a session kind) and requests, from a vocabulary of IAM patterns plus action
 * and ARN text built character by character from the bytes. For every request {@link Evaluator#decide} must equal
 * {@link Evaluator#explain} (decision and reason) and the independent {@link ReferenceEvaluator} (decision), which
 * shares no parser, matcher, variable lookup or condition code with production.
 * Seeds: {@code EvaluatorFuzzTestInputs/decideMatchesExplainAndReference/}.
 */
class EvaluatorFuzzTest {

    private static final String INST = "arn:aws:connect:us-east-1:111122223333:instance/";

    private static final String[] ACTIONS = {
            "*", "connect:*", "connect:Describe*", "connect:DescribeUser", "connect:describeuser", "connect:?*",
            "connect:*User", "connect:List*", "*:DescribeUser", "s3:*", "connect:Describe?ser", "Connect:UPDATE*",
    };
    private static final String[] RESOURCES = {
            "*", INST + "inst-1/*", "arn:aws:connect:*", "arn:aws:connect:*:111122223333:instance/*/agent/*",
            "arn:aws:connect:us-east-?:111122223333:instance/inst-1/agent/*", INST + "inst-1/agent/${aws:username}",
            INST + "inst-?/agent/${aws:PrincipalTag/team, 'u-1'}", "arn:aws:conn*:us-east-1:*", INST + "*/queue/*",
            "arn:aws:connect:*:*:instance/inst-1/agent/*", INST + "inst-1/agent/u-1",
    };
    private static final String[] CONDITIONS = {
            "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}}",
            "{\"StringLike\": {\"aws:username\": \"b*\"}}",
            "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"${aws:username}\"}}",
            "{\"StringNotEquals\": {\"aws:PrincipalTag/team\": [\"ops\", \"dev\"]}}",
            "{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}",
            "{\"Bool\": {\"aws:SecureTransport\": \"true\"}}",
            "{\"Null\": {\"aws:PrincipalTag/team\": \"true\"}}",
            "{\"ForAnyValue:StringEquals\": {\"aws:TagKeys\": [\"a\", \"b\"]}}",
            "{\"StringEqualsIfExists\": {\"aws:PrincipalTag/team\": \"ops\"}}",
            "{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:user/*\"}}",
            "{\"ArnEquals\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:user/${aws:username}\"}}",
            "{\"StringNotLikeIfExists\": {\"aws:PrincipalTag/team\": \"${aws:username}*\"}}",
            "{\"ForAllValues:StringNotLike\": {\"aws:TagKeys\": [\"${aws:username}\", \"c?\"]}}",
            "{\"NotIpAddress\": {\"aws:SourceIp\": [\"10.0.0.0/8\", \"2001:db8::/32\"]}}",
    };
    private static final String[] REQUEST_ACTIONS = {
            "connect:DescribeUser", "connect:ListUsers", "Connect:describeUSER", "s3:GetObject",
            "connect:UpdateUserRoutingProfile", "connect:DescribeUſer", "сonnect:DescribeUser",
    };
    private static final String[] REQUEST_RESOURCES = {
            INST + "inst-1/agent/u-1", INST + "inst-1/agent/bob", INST + "inst-2/agent/bob", INST + "inst-1/queue/q",
            "arn:aws:connect:eu-west-1:111122223333:instance/inst-1/agent/bob", "*", INST + "inst-1/agent/*",
            INST + "inst-1/agent/${aws:username}", "arn:aws:s3:::bucket/key",
    };
    /** Characters spliced into generated text: wildcards, separators, case and Unicode look-alikes. */
    private static final String POLICY_ACTION_CHARS = "cCoOnNeEtT*?dDsSuUrRlLiI-_K";
    private static final String ACTION_CHARS = "cCoOnNeEtT:*?dDsSuUrRlLiI-_ſ\u212A";
    private static final String ARN_CHARS = "aArRnN:*?/-_.0123456789ucsteKſ";
    private static final String VALUE_CHARS = "ab*?${}:/uo-1 ſ\u0000";

    @FuzzTest(maxDuration = "20s")
    void decideMatchesExplainAndReference(byte[] data) {
        ByteCursor in = new ByteCursor(data);
        Generated g = policySet(in);
        if (g == null) {
            invalid.incrementAndGet();
            return;
        }
        for (int k = 0, n = 1 + in.nextInt(6); k < n; k++) {
            ReferenceEvaluator.Request generated = request(in);
            RequestContext request = generated.toRequestContext();
            Verdict fast = Evaluator.decide(g.set, request);
            Decision full = Evaluator.explain(g.set, request);
            String where = generated + "\npolicies:" + g.description;
            assertEquals(full.decision(), fast.decision(), "decide vs explain, " + where);
            assertEquals(full.reason(), fast.reason(), "decide vs explain reason, " + where);
            assertEquals(ReferenceEvaluator.decide(g.reference, generated), fast.decision(), "reference vs decide, " + where);
            if (fast.allowed()) {
                allowed.incrementAndGet();
            }
        }
    }

    private final AtomicInteger allowed = new AtomicInteger();
    private final AtomicInteger invalid = new AtomicInteger();

    /** The property on the seeds and 10,000 deterministic mutations; it must not hold vacuously. */
    @Test
    void decideMatchesExplainAndReferenceOnSeedsAndMutations() {
        FuzzInputs.runSeedsAndMutations(EvaluatorFuzzTest.class, "decideMatchesExplainAndReference", 10_000,
                this::decideMatchesExplainAndReference);
        System.out.println("EvaluatorFuzzTest: " + allowed.get() + " allowed decisions, " + invalid.get() + " invalid inputs");
        assertTrue(allowed.get() > 500, "allowed decisions: " + allowed.get());
        assertTrue(invalid.get() < 5_000, "inputs decoding to an invalid policy: " + invalid.get());
    }

    // ------------------------------------------------------------------ generation

    /** The generated set, compiled for production and kept as JSON text for the reference and for messages. */
    private record Generated(CompiledPolicySet set, String description, ReferenceEvaluator.PolicySet reference) {
    }

    private static String action(ByteCursor in) {
        return in.oneIn(3) ? "connect:" + in.pick(new String[] {"*", "?", "D", "d", "L"}) + in.string(POLICY_ACTION_CHARS, 12)
                : in.pick(ACTIONS);
    }

    private static String resource(ByteCursor in) {
        return switch (in.nextInt(4)) {
            case 0 -> "arn:" + in.string(ARN_CHARS, 40);
            case 1 -> in.pick(RESOURCES) + in.string(ARN_CHARS, 6);
            default -> in.pick(RESOURCES);
        };
    }

    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String policyJson(ByteCursor in) {
        StringBuilder sb = new StringBuilder("{");
        switch (in.nextInt(4)) {
            case 0 -> sb.append("\"Version\": \"2008-10-17\", ");
            case 1 -> { }
            default -> sb.append("\"Version\": \"2012-10-17\", ");
        }
        sb.append("\"Statement\": [");
        for (int s = 0, n = 1 + in.nextInt(3); s < n; s++) {
            sb.append(s == 0 ? "" : ", ").append("{\"Effect\": \"").append(in.oneIn(4) ? "Deny" : "Allow").append("\"");
            sb.append(in.oneIn(6) ? ", \"NotAction\": [" : ", \"Action\": [");
            for (int i = 0, m = 1 + in.nextInt(2); i < m; i++) {
                sb.append(i == 0 ? "" : ", ").append(quoted(action(in)));
            }
            sb.append(in.oneIn(6) ? "], \"NotResource\": [" : "], \"Resource\": [");
            for (int i = 0, m = 1 + in.nextInt(2); i < m; i++) {
                sb.append(i == 0 ? "" : ", ").append(quoted(resource(in)));
            }
            sb.append(']');
            if (in.oneIn(3)) {
                sb.append(", \"Condition\": ").append(in.pick(CONDITIONS));
            }
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    private static final String ALLOW_ALL =
            "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}";

    /** Null when a generated action or ARN is not valid policy text (the parser fuzzer covers that path). */
    private static Generated policySet(ByteCursor in) {
        try {
            StringBuilder d = new StringBuilder();
            CompiledPolicySet.Builder b = CompiledPolicySet.builder();
            List<String> identity = layer(in, 1 + in.nextInt(2), "identity", d, false);
            b.identity(compile(identity, "identity"));
            List<String> boundary = in.oneIn(2) ? layer(in, 1 + in.nextInt(2), "boundary", d, true) : null;
            if (boundary != null) {
                compile(boundary, "boundary").forEach(b::boundary);
            }
            List<String> session = in.oneIn(3) ? layer(in, 1 + in.nextInt(2), "session", d, true) : null;
            if (session != null) {
                compile(session, "session").forEach(b::session);
            }
            List<List<String>> scps = new ArrayList<>();
            for (int level = 0, levels = in.nextInt(3); level < levels; level++) {
                List<String> policies = layer(in, 1 + in.nextInt(2), "scp level " + level, d, true);
                scps.add(policies);
                b.serviceControlLevel(compile(policies, "scp" + level));
            }
            SessionKind kind = in.pick(SessionKind.values());
            d.append("\n  sessionKind: ").append(kind);
            b.sessionKind(kind);
            return new Generated(b.build(), d.toString(), new ReferenceEvaluator.PolicySet(identity, boundary, session,
                    scps, kind == SessionKind.FEDERATED_USER));
        } catch (PolicyException e) {
            return null;
        }
    }

    private static List<String> layer(ByteCursor in, int n, String name, StringBuilder d, boolean allowAll) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String json = allowAll && !in.oneIn(3) ? ALLOW_ALL : policyJson(in);
            d.append("\n  ").append(name).append(": ").append(json);
            out.add(json);
        }
        return out;
    }

    private static List<CompiledPolicy> compile(List<String> texts, String name) {
        List<CompiledPolicy> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out.add(CompiledPolicy.compile(PolicyParser.parse(texts.get(i), PolicyType.SIMULATION, name + i)));
        }
        return out;
    }

    private static ReferenceEvaluator.Request request(ByteCursor in) {
        String action = in.oneIn(4) ? "connect:" + in.string(ACTION_CHARS, 12) : in.pick(REQUEST_ACTIONS);
        String resource = in.oneIn(4) ? "arn:" + in.string(ARN_CHARS, 40) : in.pick(REQUEST_RESOURCES);
        ReferenceEvaluator.Request q = new ReferenceEvaluator.Request(action, resource);
        if (!in.oneIn(3)) {
            q.put(in.nextBoolean() ? "aws:username" : "AWS:UserName", value(in, "bob", "u-1", "*", "${aws:username}"));
        }
        if (!in.oneIn(3)) {
            q.put(in.nextBoolean() ? "aws:PrincipalTag/team" : "aws:principaltag/TEAM",
                    value(in, "ops", "u-1", "*", "${aws:PrincipalTag/team}"));
        }
        if (in.oneIn(2)) {
            q.put("aws:SourceIp", value(in, "10.1.2.3", "2001:db8::1", "not-an-ip", "10.0.0.1\u0000"));
        }
        if (in.oneIn(2)) {
            q.put("aws:SecureTransport", value(in, "true", "false", "TRUE", "yes"));
        }
        if (in.oneIn(3)) {
            q.put("aws:PrincipalArn", value(in, "arn:aws:iam::111122223333:user/bob", "arn:aws:iam::1:role/r"));
        }
        if (in.oneIn(3)) {
            q.putList("aws:TagKeys", in.oneIn(2) ? List.of() : List.of("a", value(in, "c", "b")));
        }
        return q;
    }

    private static String value(ByteCursor in, String... choices) {
        return in.oneIn(5) ? in.string(VALUE_CHARS, 10) : in.pick(choices);
    }
}
