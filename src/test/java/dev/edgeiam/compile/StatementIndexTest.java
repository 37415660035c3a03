package dev.edgeiam.compile;

import dev.edgeiam.policy.Effect;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-action memo of the service bucket gives the same answers as scanning the bucket (no timing). */
class StatementIndexTest {

    private static final String POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "DenyDelete", "Effect": "Deny", "Action": "connect:Delete*", "Resource": "*"},
              {"Sid": "Describe", "Effect": "Allow", "Action": ["connect:Describe*", "connect:List*"],
               "Resource": "arn:aws:connect:*:111122223333:instance/*"},
              {"Sid": "Queues", "Effect": "Allow", "Action": "connect:*Queue*",
               "Resource": "arn:aws:connect:*:111122223333:instance/*/queue/*",
               "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}},
              {"Sid": "Exact", "Effect": "Allow", "Action": "connect:StartChatContact", "Resource": "*"},
              {"Sid": "Mixed", "Effect": "Allow", "Action": ["connect:Update?ser*", "s3:Get*"], "Resource": "*"},
              {"Sid": "Everything", "Effect": "Allow", "NotAction": "connect:Create*",
               "Resource": "arn:aws:connect:*:111122223333:instance/inst-9/*"}
            ]}""";

    private static final String[] ACTIONS = {"connect:DeleteQueue", "connect:DescribeQueue", "connect:ListQueues",
        "connect:UpdateQueueName", "connect:CreateQueue", "connect:StartChatContact", "connect:UpdateUserHierarchy",
        "CONNECT:describeUSER", "connect:UpdateXserA", "s3:GetObject", "connect:TagResource", "nocolon"};
    private static final String[] RESOURCES = {"arn:aws:connect:us-east-1:111122223333:instance/inst-1",
        "arn:aws:connect:us-east-1:111122223333:instance/inst-1/queue/q-1",
        "arn:aws:connect:us-east-1:111122223333:instance/inst-9/queue/q-2",
        "arn:aws:connect:us-east-1:444455556666:instance/inst-1/queue/q-1", "*"};

    private static PolicyLayer layer() {
        CompiledPolicy p = CompiledPolicy.compile(PolicyParser.parse(POLICY, PolicyType.MANAGED, "P"));
        return new PolicyLayer(PolicyLayer.Kind.IDENTITY, List.of(p));
    }

    private static List<RequestContext> requests() {
        List<RequestContext> out = new ArrayList<>();
        for (String action : ACTIONS) {
            for (String resource : RESOURCES) {
                for (String team : new String[] {"blue", "red"}) {
                    out.add(RequestContext.builder(action, resource).put("aws:PrincipalTag/team", team).build());
                }
            }
        }
        return out;
    }

    /** A reference: every statement of the layer, in file order, by effect, with the full applies() test. */
    private static List<String> reference(PolicyLayer layer, RequestContext r) {
        List<String> out = new ArrayList<>();
        for (CompiledPolicy p : layer.policies()) {
            for (CompiledStatement s : p.statements()) {
                if (s.applies(r)) {
                    out.add(s.effect() + ":" + s.source().sid());
                }
            }
        }
        return out;
    }

    private static List<String> scanned(PolicyLayer layer, RequestContext r) {
        List<String> out = new ArrayList<>();
        layer.scan(r, new PolicyLayer.ScanSink() {
            @Override
            public void applies(CompiledStatement statement) {
                out.add(statement.effect() + ":" + statement.source().sid());
            }

            @Override
            public void missingKey(CompiledCondition condition) {
            }
        });
        return out;
    }

    /** The sid of the first statement of that effect the scan reports as applying, or null. */
    private static String firstScanned(PolicyLayer layer, RequestContext r, Effect effect) {
        String prefix = effect + ":";
        return scanned(layer, r).stream().filter(s -> s.startsWith(prefix)).findFirst()
                .map(s -> s.substring(prefix.length())).orElse(null);
    }

    private static String first(PolicyLayer layer, RequestContext r, Effect effect) {
        CompiledStatement s = layer.firstApplying(r, effect);
        return s == null ? null : s.source().sid();
    }

    @Test
    void memoisedAndScannedBucketsAgree() {
        PolicyLayer memoised = layer();
        PolicyLayer full = layer();
        // fill the memo of `full` with unrelated actions so its lookups fall back to scanning the bucket
        for (int i = 0; i < StatementIndex.MEMO_LIMIT + 10; i++) {
            RequestContext filler = RequestContext.builder("connect:Filler" + i, "*").build();
            full.firstApplying(filler, Effect.ALLOW);
            full.firstApplying(filler, Effect.DENY);
        }
        int applying = 0;
        for (int round = 0; round < 2; round++) { // the second round reads the memo
            for (RequestContext r : requests()) {
                for (Effect effect : Effect.values()) {
                    assertEquals(first(full, r, effect), first(memoised, r, effect), r.action() + " " + r.resource());
                    CompiledStatement byBuckets = memoised.firstApplyingByBuckets(effect, r, null);
                    assertEquals(byBuckets == null ? null : byBuckets.source().sid(), first(memoised, r, effect),
                            "per-action candidates vs bucket visit: " + r.action() + " " + r.resource());
                }
                List<String> expected = reference(memoised, r);
                assertEquals(expected.stream().sorted().toList(), scanned(memoised, r).stream().sorted().toList(),
                        r.action() + " " + r.resource());
                assertEquals(expected.stream().sorted().toList(), scanned(full, r).stream().sorted().toList());
                for (Effect effect : Effect.values()) { // scan visits in firstApplying's order (explain relies on it)
                    assertEquals(first(memoised, r, effect), firstScanned(memoised, r, effect), r.action() + " "
                            + r.resource());
                    assertEquals(first(full, r, effect), firstScanned(full, r, effect), r.action() + " "
                            + r.resource());
                }
                applying += expected.size();
            }
        }
        assertTrue(applying > 50, "the requests should exercise applying statements: " + applying);
    }

    @Test
    void theMemoReturnsTheSameArrayAndIsBounded() {
        PolicyLayer layer = layer();
        RequestContext r = RequestContext.builder("connect:DescribeUser", "*").build();
        StatementIndex index = new StatementIndex(layer.policies().get(0).statements());
        CompiledStatement[] once = index.serviceMatching(r.actionLowerCase(), r.servicePrefix());
        assertSame(once, index.serviceMatching(r.actionLowerCase(), r.servicePrefix()));
        for (int i = 0; i < StatementIndex.MEMO_LIMIT; i++) {
            index.serviceMatching("connect:filler" + i, "connect");
        }
        assertNull(index.serviceMatching("connect:notremembered", "connect"));
    }
}
