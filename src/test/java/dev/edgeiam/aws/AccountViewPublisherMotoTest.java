package dev.edgeiam.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Verdict;
import dev.edgeiam.principal.CompiledPrincipal;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.request.ContextValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.organizations.model.PolicyType;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refresher's writer against {@code moto_server}: IAM of a member account (moto keeps one IAM per account; the
 * member's is reached with assumed-role credentials, as a refresher in that account would), AWS Organizations as the
 * management account (DescribeOrganization, ListRoots, ListParents, ListPoliciesForTarget, DescribePolicy — all
 * answered by moto 5.2.1), S3 with versioning and conditional PUT ({@code If-Match}, {@code If-None-Match: *},
 * answered 412 by moto). What the writer wrote is read back through {@link S3AccountView}, as every authorizer
 * instance reads it, and decided with the evaluator. Calls are counted per operation at the clients.
 */
class AccountViewPublisherMotoTest {

    static final String BUCKET = "edgeiam-account-view";
    static final String KEY = "account-view.json";
    static final String MANAGEMENT = "123456789012";
    static final String INSTANCE_PATTERN = "arn:aws:connect:us-east-1:%s:instance/i-1/agent/a-1";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AGENT_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"Agents","Effect":"Allow",
             "Action":["connect:DescribeUser","connect:DeleteUser"],"Resource":"*"}]}""";
    static final String SCP_NO_DELETE = """
            {"Version":"2012-10-17","Statement":[{"Sid":"NoDeleteUser","Effect":"Deny",
             "Action":"connect:DeleteUser","Resource":"*"}]}""";
    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"connect.amazonaws.com"},
             "Action":"sts:AssumeRole"}]}""";

    static MotoServer moto;

    final MotoServer.CallCounter iamCalls = new MotoServer.CallCounter();
    final MotoServer.CallCounter orgCalls = new MotoServer.CallCounter();
    final MotoServer.CallCounter s3Calls = new MotoServer.CallCounter();
    S3Client s3;
    OrganizationsClient organizations;
    String member;
    String ou;
    String root;
    String organization;
    IamClient memberIam;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        moto.reset();
        s3 = moto.s3(s3Calls);
        s3.createBucket(r -> r.bucket(BUCKET));
        s3.putBucketVersioning(r -> r.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        organizations = moto.organizations(orgCalls);
    }

    /** An organization (management account = moto's default), SCPs enabled, member account in an OU with a deny. */
    void organization() {
        organization = organizations.createOrganization(r -> r.featureSet("ALL")).organization().id();
        root = organizations.listRoots(r -> { }).roots().get(0).id();
        organizations.enablePolicyType(r -> r.rootId(root).policyType(PolicyType.SERVICE_CONTROL_POLICY));
        ou = organizations.createOrganizationalUnit(r -> r.parentId(root).name("contact-centre"))
                .organizationalUnit().id();
        member = organizations.createAccount(r -> r.accountName("connect").email("connect@example.com"))
                .createAccountStatus().accountId();
        organizations.moveAccount(r -> r.accountId(member).sourceParentId(root).destinationParentId(ou));
        String scp = organizations.createPolicy(r -> r.name("NoDeleteUser").description("agents keep their records")
                .type(PolicyType.SERVICE_CONTROL_POLICY).content(SCP_NO_DELETE)).policy().policySummary().id();
        organizations.attachPolicy(r -> r.policyId(scp).targetId(ou));
        orgCalls.take();
    }

    /** The member's IAM: an agent user and a service-linked role, both allowed DescribeUser and DeleteUser. */
    void memberIam(String account) {
        memberIam = moto.iam(moto.accountCredentials(account), iamCalls);
        memberIam.createUser(r -> r.userName("agent-1"));
        memberIam.putUserPolicy(r -> r.userName("agent-1").policyName("Agents").policyDocument(AGENT_POLICY));
        memberIam.createRole(r -> r.roleName("AWSServiceRoleForAmazonConnect_x").path("/aws-service-role/connect.amazonaws.com/")
                .assumeRolePolicyDocument(TRUST));
        memberIam.putRolePolicy(r -> r.roleName("AWSServiceRoleForAmazonConnect_x").policyName("Agents")
                .policyDocument(AGENT_POLICY));
        iamCalls.take();
    }

    AccountViewPublisher publisher(String account, IamClient iam) {
        return publisher(account, iam, 5);
    }

    AccountViewPublisher publisher(String account, IamClient iam, int attempts) {
        OrganizationsScpReader reader = new OrganizationsScpReader(organizations);
        return new AccountViewPublisher(iam, s3, reader::read,
                new AccountViewPublisher.Settings(BUCKET, KEY, account, null, attempts));
    }

    /** The view as an authorizer instance reads it (a fresh instance: first load). */
    PrincipalResolver instance() {
        S3AccountView view = new S3AccountView(moto.s3(), S3AccountView.Settings.of(BUCKET, KEY, Duration.ofSeconds(10),
                Duration.ofSeconds(60)), Clock.systemUTC(), Runnable::run, null);
        return arn -> PrincipalResolver.compile(view.load(arn));
    }

    static Verdict decide(CompiledPrincipal p, String action) {
        return Evaluator.decide(p.policies(), p.request(action,
                String.format(INSTANCE_PATTERN, p.principal().accountId())).build());
    }

    JsonNode stored() throws IOException {
        return JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(KEY)).asByteArray());
    }

    @Test
    void aScheduledRefreshWritesTheAccountAndItsScpChainAndInstancesDecideWithIt() throws Exception {
        organization();
        memberIam(member);
        AccountViewPublisher.Result written = publisher(member, memberIam).publish(AccountViewPublisher.Trigger.SCHEDULE);
        assertEquals(AccountViewPublisher.Status.WRITTEN, written.status());
        // the authorization details, and the OIDC providers they do not hold (R12.5)
        assertEquals(Map.of("GetAccountAuthorizationDetails", 1, "ListOpenIDConnectProviders", 1), iamCalls.take());
        assertTrue(stored().get(SnapshotPolicySource.OIDC_PROVIDERS_MEMBER).isArray(),
                "the view says which providers the account has (none): web-identity sessions need one");
        // One chain: root → OU → account, each with FullAWSAccess; the OU also with NoDeleteUser (one DescribePolicy each).
        assertEquals(Map.of("DescribeOrganization", 1, "ListRoots", 1, "ListParents", 2, "ListPoliciesForTarget", 3,
                "DescribePolicy", 2), orgCalls.take());
        JsonNode chain = stored().get(ServiceControlPolicyFormat.MEMBER);
        assertEquals(organization, chain.get("OrganizationId").asText());
        assertEquals(MANAGEMENT, chain.get("ManagementAccountId").asText());
        assertEquals(List.of(root, ou, member), chain.get("Levels").findValuesAsText("TargetId"));

        PrincipalResolver principals = instance();
        CompiledPrincipal agent = principals.resolve("arn:aws:iam::" + member + ":user/agent-1");
        assertEquals(written.version(), agent.viewVersion());
        assertEquals(3, agent.policies().serviceControlLevels().size());
        assertTrue(decide(agent, "connect:DescribeUser").allowed());
        Verdict deleted = decide(agent, "connect:DeleteUser");
        assertEquals(Reason.EXPLICIT_DENY, deleted.reason(), "the OU's SCP denies what the identity policy allows");
        assertEquals(Map.of("aws:PrincipalOrgID", List.of(organization),
                        "aws:PrincipalOrgPaths", List.of(organization + "/" + root + "/" + ou + "/")),
                orgKeys(agent));

        // "SCPs do not affect any service-linked role": the same policy, no SCP layer.
        CompiledPrincipal slr = principals.resolve("arn:aws:iam::" + member
                + ":role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x");
        assertEquals(0, slr.policies().serviceControlLevels().size());
        assertTrue(decide(slr, "connect:DeleteUser").allowed());
    }

    static Map<String, List<String>> orgKeys(CompiledPrincipal p) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (ContextValue v : p.contextKeys()) {
            if (v.name().startsWith("aws:PrincipalOrg")) {
                out.put(v.name(), v.values());
            }
        }
        return out;
    }

    @Test
    void theManagementAccountIsNotLimitedBySCPs() throws Exception {
        organization();
        String scp = organizations.listPoliciesForTarget(r -> r.targetId(ou).filter(PolicyType.SERVICE_CONTROL_POLICY))
                .policies().stream().filter(p -> p.name().equals("NoDeleteUser")).findFirst().orElseThrow().id();
        organizations.attachPolicy(r -> r.policyId(scp).targetId(root)); // now on the root: every account
        orgCalls.take();
        memberIam(MANAGEMENT);
        publisher(MANAGEMENT, memberIam).publish(AccountViewPublisher.Trigger.SCHEDULE);
        CompiledPrincipal agent = instance().resolve("arn:aws:iam::" + MANAGEMENT + ":user/agent-1");
        assertEquals(0, agent.policies().serviceControlLevels().size());
        assertTrue(decide(agent, "connect:DeleteUser").allowed());
        assertEquals(organization, orgKeys(agent).get("aws:PrincipalOrgID").get(0));
    }

    @Test
    void anAccountInNoOrganizationHasNoScpsAndNoOrganizationKeys() throws Exception {
        memberIam(MANAGEMENT);
        publisher(MANAGEMENT, memberIam).publish(AccountViewPublisher.Trigger.SCHEDULE);
        assertEquals(Map.of("DescribeOrganization", 1), orgCalls.take());
        JsonNode chain = stored().get(ServiceControlPolicyFormat.MEMBER);
        assertTrue(chain.get("OrganizationId").isNull());
        CompiledPrincipal agent = instance().resolve("arn:aws:iam::" + MANAGEMENT + ":user/agent-1");
        assertTrue(decide(agent, "connect:DeleteUser").allowed());
        assertEquals(Map.of(), orgKeys(agent));
    }

    @Test
    void anIamChangeRereadsIamOnceAndNoOrganizationsAndAnUnchangedAccountIsNotWrittenAgain() throws Exception {
        organization();
        memberIam(member);
        AccountViewPublisher publisher = publisher(member, memberIam);
        String v1 = publisher.publish(AccountViewPublisher.Trigger.SCHEDULE).version();
        iamCalls.take();
        orgCalls.take();
        s3Calls.take();

        memberIam.deleteUserPolicy(r -> r.userName("agent-1").policyName("Agents"));
        iamCalls.take();
        AccountViewPublisher.Result change = publisher.publish(AccountViewPublisher.Trigger.IAM_CHANGE);
        assertEquals(AccountViewPublisher.Status.WRITTEN, change.status());
        assertNotEquals(v1, change.version());
        assertEquals(v1, change.previousVersion());
        assertEquals(Map.of("GetAccountAuthorizationDetails", 1, "ListOpenIDConnectProviders", 1), iamCalls.take());
        assertEquals(Map.of(), orgCalls.take(), "an IAM change keeps the stored SCP chain");
        assertEquals(Map.of("GetObject", 1, "PutObject", 1), s3Calls.take());
        CompiledPrincipal agent = instance().resolve("arn:aws:iam::" + member + ":user/agent-1");
        assertFalse(decide(agent, "connect:DescribeUser").allowed());
        assertEquals(3, agent.policies().serviceControlLevels().size(), "the chain came over from the stored view");

        AccountViewPublisher.Result again = publisher.publish(AccountViewPublisher.Trigger.IAM_CHANGE);
        assertEquals(AccountViewPublisher.Status.UNCHANGED, again.status());
        assertEquals(change.version(), again.version());
        assertEquals(Map.of("GetObject", 1), s3Calls.take());
    }

    @Test
    void twoRefreshersRacingCannotLoseAnUpdate() throws Exception {
        organization();
        memberIam(member);
        AccountViewPublisher slow = publisher(member, memberIam);
        AccountViewPublisher fast = publisher(member, memberIam);
        slow.publish(AccountViewPublisher.Trigger.SCHEDULE);
        // The slow refresher has read the object and IAM; before it writes, IAM changes and the fast refresher writes.
        AtomicInteger hooked = new AtomicInteger();
        slow.beforeWrite(attempt -> {
            if (hooked.getAndIncrement() == 0) {
                memberIam.createUser(r -> r.userName("agent-late"));
                assertEquals(AccountViewPublisher.Status.WRITTEN,
                        fast.publish(AccountViewPublisher.Trigger.IAM_CHANGE).status());
            }
        });
        memberIam.createUser(r -> r.userName("agent-2"));
        AccountViewPublisher.Result result = slow.publish(AccountViewPublisher.Trigger.IAM_CHANGE);
        // Its first read of IAM (agent-2, not agent-late) would have overwritten the fast refresher's view. Its
        // conditional write failed (412), so it read the object and IAM again, found them equal and wrote nothing.
        assertEquals(2, result.attempts());
        assertEquals(AccountViewPublisher.Status.UNCHANGED, result.status());
        List<String> users = stored().get("UserDetailList").findValuesAsText("UserName");
        assertTrue(users.containsAll(List.of("agent-1", "agent-2", "agent-late")), users.toString());
        assertEquals(2, s3.listObjectVersions(r -> r.bucket(BUCKET).prefix(KEY)).versions().size(),
                "the schedule's version and the fast refresher's; the slow one's stale view never landed");
    }

    @Test
    void concurrentRefreshersEachAfterItsOwnChangeLeaveEveryChangeInTheView() throws Exception {
        organization();
        memberIam(member);
        publisher(member, memberIam).publish(AccountViewPublisher.Trigger.SCHEDULE);
        int refreshers = 4;
        int rounds = 3;
        // The race is between refreshers; IAM's own 500s under concurrent writes are retried, as in production.
        IamClient racingIam = moto.iamRetrying(moto.accountCredentials(member));
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(refreshers);
        for (int t = 0; t < refreshers; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    AccountViewPublisher p = publisher(member, racingIam, 50); // no starvation in a 4-way race
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        String name = "user-" + id + "-" + round;
                        racingIam.createUser(r -> r.userName(name));
                        p.publish(AccountViewPublisher.Trigger.IAM_CHANGE);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertTrue(failures.isEmpty(), failures.toString());
        List<String> users = stored().get("UserDetailList").findValuesAsText("UserName");
        for (int t = 0; t < refreshers; t++) {
            for (int round = 0; round < rounds; round++) {
                assertTrue(users.contains("user-" + t + "-" + round), "lost user-" + t + "-" + round + ": " + users);
            }
        }
    }

    @Test
    void aRefresherReadingAnotherAccountsIamRefusesToWrite() {
        organization();
        memberIam(member);
        IllegalStateException wrong = assertThrows(IllegalStateException.class,
                () -> publisher("444455556666", memberIam).publish(AccountViewPublisher.Trigger.SCHEDULE));
        assertTrue(wrong.getMessage().contains("not in account 444455556666"), wrong.getMessage());
        assertEquals(0, s3.listObjectVersions(r -> r.bucket(BUCKET)).versions().size());
    }

    @Test
    void scpsNotEnabledOnTheRootApplyToNobody() throws Exception {
        organization = organizations.createOrganization(r -> r.featureSet("ALL")).organization().id();
        memberIam(MANAGEMENT);
        orgCalls.take();
        member = organizations.createAccount(r -> r.accountName("c").email("c@example.com"))
                .createAccountStatus().accountId();
        memberIam(member);
        publisher(member, memberIam).publish(AccountViewPublisher.Trigger.SCHEDULE);
        JsonNode chain = stored().get(ServiceControlPolicyFormat.MEMBER);
        assertFalse(chain.get("ServiceControlPoliciesEnabled").asBoolean());
        CompiledPrincipal agent = instance().resolve("arn:aws:iam::" + member + ":user/agent-1");
        assertEquals(0, agent.policies().serviceControlLevels().size());
        assertTrue(decide(agent, "connect:DeleteUser").allowed());
    }
}
