package dev.edgeiam.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.IamChangeEvent;
import dev.edgeiam.principal.MutableClock;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PolicySourceException;
import dev.edgeiam.principal.PrincipalCache;
import dev.edgeiam.principal.PrincipalPolicies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.iam.IamClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Class 9 of issue 11: a CloudTrail-recorded IAM call that changes a group (its policies, its members, its name,
 * the group itself) or a managed policy a group uses must drop exactly the cached principals it reaches — here
 * against {@code moto_server}, once with the live IAM source and once with a snapshot source re-read after the
 * change (what {@code RefreshHandler} does). Each case makes the real IAM call, feeds its EventBridge event to
 * {@link IamChangeEvent#applyTo}, then reloads every principal: exactly the expected ones are loaded again, and
 * the decision shows the change.
 *
 * <p>The account: managed policies {@code Read} (Allow {@code connect:DescribeUser}) and {@code Deny} (Deny it);
 * group {@code Agents} with <em>only</em> {@code Read} attached, member carol; group {@code Auditors} with an
 * inline Allow, member dave; group {@code Empty} with no policies, member frank; erin with {@code Read} attached
 * directly; role {@code /ops/Ops} with {@code Read} attached, and one of its sessions.
 */
class GroupChangeInvalidationMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCT = "123456789012";
    private static final String ACTION = "connect:DescribeUser";
    private static final String RESOURCE = "arn:aws:connect:us-east-1:" + ACCT + ":instance/i-1/agent/a-1";
    private static final String ALLOW = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"connect:DescribeUser\",\"Resource\":\"*\"}]}";
    private static final String DENY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Action\":\"connect:DescribeUser\",\"Resource\":\"*\"}]}";
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";

    private static final String CAROL = "arn:aws:iam::" + ACCT + ":user/carol";
    private static final String DAVE = "arn:aws:iam::" + ACCT + ":user/dave";
    private static final String ERIN = "arn:aws:iam::" + ACCT + ":user/erin";
    private static final String FRANK = "arn:aws:iam::" + ACCT + ":user/frank";
    private static final String OPS = "arn:aws:iam::" + ACCT + ":role/ops/Ops";
    private static final String OPS_SESSION = "arn:aws:sts::" + ACCT + ":assumed-role/Ops/night-shift";
    private static final List<String> PRINCIPALS = List.of(CAROL, DAVE, ERIN, FRANK, OPS, OPS_SESSION);
    private static final String READ_ARN = "arn:aws:iam::" + ACCT + ":policy/Read";
    private static final String DENY_ARN = "arn:aws:iam::" + ACCT + ":policy/Deny";

    static MotoServer moto;
    static IamClient admin;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        admin = moto.iam();
    }

    @AfterAll
    static void stopMoto() {
        if (admin != null) {
            admin.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    /**
     * One IAM call: the change made in IAM, its CloudTrail {@code requestParameters}, which principals it must
     * drop, and whose decision on {@code connect:DescribeUser} must then be allowed ({@code true}) or not.
     */
    private record Case(String eventName, String requestParameters, Consumer<IamClient> setUp,
                        Consumer<IamClient> change, Set<String> dropped, Map<String, Boolean> decisionsAfter) {
    }

    private static List<Case> cases() {
        return List.of(
                new Case("AttachGroupPolicy", "{\"groupName\":\"Agents\",\"policyArn\":\"" + DENY_ARN + "\"}",
                        iam -> { }, iam -> iam.attachGroupPolicy(r -> r.groupName("Agents").policyArn(DENY_ARN)),
                        Set.of(CAROL), Map.of(CAROL, false, ERIN, true)),
                new Case("AttachGroupPolicy", "{\"groupName\":\"Empty\",\"policyArn\":\"" + READ_ARN + "\"}",
                        iam -> { }, iam -> iam.attachGroupPolicy(r -> r.groupName("Empty").policyArn(READ_ARN)),
                        Set.of(FRANK), Map.of(FRANK, true)),
                new Case("DetachGroupPolicy", "{\"groupName\":\"Agents\",\"policyArn\":\"" + READ_ARN + "\"}",
                        iam -> { }, iam -> iam.detachGroupPolicy(r -> r.groupName("Agents").policyArn(READ_ARN)),
                        Set.of(CAROL), Map.of(CAROL, false, ERIN, true)),
                new Case("PutGroupPolicy", "{\"groupName\":\"Agents\",\"policyName\":\"NoDescribe\","
                        + "\"policyDocument\":" + jsonString(DENY) + "}", iam -> { },
                        iam -> iam.putGroupPolicy(r -> r.groupName("Agents").policyName("NoDescribe")
                                .policyDocument(DENY)),
                        Set.of(CAROL), Map.of(CAROL, false)),
                new Case("PutGroupPolicy", "{\"groupName\":\"Empty\",\"policyName\":\"Describe\","
                        + "\"policyDocument\":" + jsonString(ALLOW) + "}", iam -> { },
                        iam -> iam.putGroupPolicy(r -> r.groupName("Empty").policyName("Describe")
                                .policyDocument(ALLOW)),
                        Set.of(FRANK), Map.of(FRANK, true)),
                new Case("DeleteGroupPolicy", "{\"groupName\":\"Auditors\",\"policyName\":\"Describe\"}",
                        iam -> { }, iam -> iam.deleteGroupPolicy(r -> r.groupName("Auditors").policyName("Describe")),
                        Set.of(DAVE), Map.of(DAVE, false)),
                new Case("AddUserToGroup", "{\"groupName\":\"Agents\",\"userName\":\"dave\"}", iam -> {
                    iam.deleteGroupPolicy(r -> r.groupName("Auditors").policyName("Describe"));
                }, iam -> iam.addUserToGroup(r -> r.groupName("Agents").userName("dave")),
                        Set.of(DAVE), Map.of(DAVE, true)),
                new Case("RemoveUserFromGroup", "{\"groupName\":\"Agents\",\"userName\":\"carol\"}", iam -> { },
                        iam -> iam.removeUserFromGroup(r -> r.groupName("Agents").userName("carol")),
                        Set.of(CAROL), Map.of(CAROL, false)),
                new Case("UpdateGroup", "{\"groupName\":\"Agents\",\"newGroupName\":\"Agents2\"}", iam -> { },
                        iam -> iam.updateGroup(r -> r.groupName("Agents").newGroupName("Agents2")),
                        Set.of(CAROL), Map.of(CAROL, true)),
                // Events may arrive out of order: a group deletion still drops whoever was loaded with the group.
                new Case("DeleteGroup", "{\"groupName\":\"Empty\"}", iam -> { }, iam -> {
                    iam.removeUserFromGroup(r -> r.groupName("Empty").userName("frank"));
                    iam.deleteGroup(r -> r.groupName("Empty"));
                }, Set.of(FRANK), Map.of(FRANK, false)),
                new Case("CreatePolicyVersion", "{\"policyArn\":\"" + READ_ARN + "\",\"setAsDefault\":true,"
                        + "\"policyDocument\":" + jsonString(DENY) + "}", iam -> { },
                        iam -> iam.createPolicyVersion(r -> r.policyArn(READ_ARN).policyDocument(DENY)
                                .setAsDefault(true)),
                        Set.of(CAROL, ERIN, OPS, OPS_SESSION), Map.of(CAROL, false, ERIN, false, OPS, false)),
                new Case("SetDefaultPolicyVersion", "{\"policyArn\":\"" + READ_ARN + "\",\"versionId\":\"v2\"}",
                        iam -> iam.createPolicyVersion(r -> r.policyArn(READ_ARN).policyDocument(DENY)
                                .setAsDefault(false)),
                        iam -> iam.setDefaultPolicyVersion(r -> r.policyArn(READ_ARN).versionId("v2")),
                        Set.of(CAROL, ERIN, OPS, OPS_SESSION), Map.of(CAROL, false, OPS, false)),
                new Case("DeletePolicyVersion", "{\"policyArn\":\"" + READ_ARN + "\",\"versionId\":\"v2\"}",
                        iam -> iam.createPolicyVersion(r -> r.policyArn(READ_ARN).policyDocument(DENY)
                                .setAsDefault(false)),
                        iam -> iam.deletePolicyVersion(r -> r.policyArn(READ_ARN).versionId("v2")),
                        Set.of(CAROL, ERIN, OPS, OPS_SESSION), Map.of(CAROL, true)),
                new Case("DeletePolicy", "{\"policyArn\":\"" + DENY_ARN + "\"}",
                        iam -> iam.attachGroupPolicy(r -> r.groupName("Agents").policyArn(DENY_ARN)), iam -> {
                            iam.detachGroupPolicy(r -> r.groupName("Agents").policyArn(DENY_ARN));
                            iam.deletePolicy(r -> r.policyArn(DENY_ARN));
                        }, Set.of(CAROL), Map.of(CAROL, true)));
    }

    private static String jsonString(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void buildAccount(IamClient iam) {
        iam.createPolicy(r -> r.policyName("Read").policyDocument(ALLOW));
        iam.createPolicy(r -> r.policyName("Deny").policyDocument(DENY));
        iam.createGroup(r -> r.groupName("Agents"));
        iam.attachGroupPolicy(r -> r.groupName("Agents").policyArn(READ_ARN));
        iam.createGroup(r -> r.groupName("Auditors"));
        iam.putGroupPolicy(r -> r.groupName("Auditors").policyName("Describe").policyDocument(ALLOW));
        iam.createGroup(r -> r.groupName("Empty"));
        for (String user : List.of("carol", "dave", "erin", "frank")) {
            iam.createUser(r -> r.userName(user));
        }
        iam.addUserToGroup(r -> r.groupName("Agents").userName("carol"));
        iam.addUserToGroup(r -> r.groupName("Auditors").userName("dave"));
        iam.addUserToGroup(r -> r.groupName("Empty").userName("frank"));
        iam.attachUserPolicy(r -> r.userName("erin").policyArn(READ_ARN));
        iam.createRole(r -> r.roleName("Ops").path("/ops/").assumeRolePolicyDocument(TRUST));
        iam.attachRolePolicy(r -> r.roleName("Ops").policyArn(READ_ARN));
    }

    /** The source the cache reads, recording what it loads; for snapshots re-read like a refresh does. */
    private static final class RecordingSource implements PolicySource {
        final AtomicReference<PolicySource> current = new AtomicReference<>();
        final Set<String> loaded = ConcurrentHashMap.newKeySet();

        @Override
        public PrincipalPolicies load(String principalArn) throws PolicySourceException {
            loaded.add(principalArn);
            return current.get().load(principalArn);
        }
    }

    @TestFactory
    List<DynamicTest> liveIam() {
        return tests(false);
    }

    @TestFactory
    List<DynamicTest> snapshot() {
        return tests(true);
    }

    private List<DynamicTest> tests(boolean snapshot) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c.eventName() + " " + c.requestParameters(), () -> run(c, snapshot)));
        }
        return tests;
    }

    private void run(Case c, boolean snapshot) throws Exception {
        moto.reset();
        buildAccount(admin);
        c.setUp().accept(admin);
        try (IamClient iam = moto.iam(); IamPolicySource live = IamPolicySource.create(iam)) {
            RecordingSource source = new RecordingSource();
            source.current.set(snapshot ? SnapshotPolicySource.fromIam(iam) : live);
            PrincipalCache cache = new PrincipalCache(source, PrincipalCache.Settings.DEFAULTS,
                    new MutableClock(Instant.parse("2026-03-01T12:00:00Z")), Runnable::run);
            for (String p : PRINCIPALS) {
                cache.resolve(p);
            }

            c.change().accept(admin);
            if (snapshot) {
                source.current.set(SnapshotPolicySource.fromIam(iam));
            }
            IamChangeEvent change = IamChangeEvent.from(event(c.eventName(), c.requestParameters()))
                    .orElseThrow(() -> new AssertionError(c.eventName() + " is not recognised as an IAM change"));
            source.loaded.clear();
            int dropped = change.applyTo(cache);
            Map<String, Boolean> decisions = new java.util.TreeMap<>();
            for (String p : PRINCIPALS) {
                try {
                    CompiledPrincipal compiled = cache.resolve(p);
                    decisions.put(p, Evaluator.decide(compiled.policies(), compiled.request(ACTION, RESOURCE)
                            .build()).decision() == Reason.Category.ALLOWED);
                } catch (PolicySourceException e) {
                    decisions.put(p, false); // deleted or renamed: no longer a principal with these policies
                }
            }
            assertEquals(new TreeSet<>(c.dropped()), new TreeSet<>(source.loaded),
                    "exactly the principals the call reaches are loaded again");
            assertEquals(c.dropped().size(), dropped);
            c.decisionsAfter().forEach((p, allowed) -> assertEquals(allowed, decisions.get(p), p));
        }
    }

    private static JsonNode event(String name, String requestParameters) throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree("{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"aws.iam\",\"detail\":{\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\""
                + name + "\"}}");
        ((ObjectNode) e.get("detail")).set("requestParameters", JSON.readTree(requestParameters));
        return e;
    }
}
