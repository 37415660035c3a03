package dev.edgeiam.principal;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SCP chain's shape rules, IAM's exemptions and what a compiled principal gets from it. */
class ServiceControlChainTest {

    static final String ACCOUNT = "111122223333";
    static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    static final String DENY_DELETE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"connect:DeleteUser\",\"Resource\":\"*\"}]}";
    static final String ALLOW_CONNECT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
    static final String RESOURCE = "arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/a-1";

    static CompiledPolicy scp(String doc) {
        return CompiledPolicy.compile(PolicyParser.parse(doc, PolicyType.SERVICE_CONTROL, "scp"));
    }

    static ServiceControlChain.Level level(String id, ServiceControlChain.TargetType type, String... docs) {
        List<String> ids = new java.util.ArrayList<>();
        List<CompiledPolicy> policies = new java.util.ArrayList<>();
        for (int i = 0; i < docs.length; i++) {
            ids.add("p-" + id + "-" + i);
            policies.add(scp(docs[i]));
        }
        return new ServiceControlChain.Level(id, type, ids, policies);
    }

    static ServiceControlChain chain(String management, ServiceControlChain.Level... levels) {
        return new ServiceControlChain(ACCOUNT, "o-abc", management, true, List.of(levels));
    }

    static final ServiceControlChain MEMBER = chain("999988887777",
            level("r-ab12", ServiceControlChain.TargetType.ROOT, ALLOW_ALL),
            level("ou-ab12-1", ServiceControlChain.TargetType.ORGANIZATIONAL_UNIT, ALLOW_ALL, DENY_DELETE),
            level(ACCOUNT, ServiceControlChain.TargetType.ACCOUNT, ALLOW_CONNECT));

    static final String IDENTITY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    static CompiledPrincipal compile(Principal p, ServiceControlChain chain) {
        return CompiledPrincipal.compile(new PrincipalPolicies(p, List.of(new NamedPolicy(p.entityArn(), "all",
                PolicyType.INLINE_ROLE, null, IDENTITY)), null, null, java.util.Set.of(), chain, "v-1"));
    }

    static boolean allowed(CompiledPrincipal p, String action) {
        return Evaluator.decide(p.policies(), p.request(action, RESOURCE).build()).allowed();
    }

    static final Principal USER = Principal.user("arn:aws:iam::111122223333:user/alice", ACCOUNT, "alice", "/",
            "AIDA1", Map.of());
    static final Principal SLR = Principal.role(
            "arn:aws:iam::111122223333:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_1",
            ACCOUNT, "AWSServiceRoleForAmazonConnect_1", "/aws-service-role/connect.amazonaws.com/", "AROA1", Map.of());

    @Test
    void everyLevelMustAllowAndAnyDenyWins() {
        CompiledPrincipal alice = compile(USER, MEMBER);
        assertEquals(3, alice.policies().serviceControlLevels().size());
        assertTrue(allowed(alice, "connect:DescribeUser"));
        assertFalse(allowed(alice, "connect:DeleteUser"), "denied by the OU level");
        assertFalse(allowed(alice, "s3:GetObject"), "the account level allows connect:* only");
        assertEquals("v-1", alice.viewVersion());
    }

    @Test
    void serviceLinkedRolesAndTheirSessionsAreExempt() {
        assertTrue(allowed(compile(SLR, MEMBER), "s3:GetObject"));
        Principal session = SLR.session("arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAmazonConnect_1/s", "s");
        assertTrue(ServiceControlChain.serviceLinkedRole(session));
        // A role merely named like one, outside the reserved path, is not exempt.
        Principal lookalike = Principal.role("arn:aws:iam::111122223333:role/AWSServiceRoleForAmazonConnect_1",
                ACCOUNT, "AWSServiceRoleForAmazonConnect_1", "/", "AROA2", Map.of());
        assertFalse(allowed(compile(lookalike, MEMBER), "s3:GetObject"));
    }

    @Test
    void theManagementAccountIsExempt() {
        ServiceControlChain management = chain(ACCOUNT, MEMBER.levels().toArray(ServiceControlChain.Level[]::new));
        assertTrue(management.managementAccount());
        assertTrue(allowed(compile(USER, management), "connect:DeleteUser"));
    }

    @Test
    void organizationKeysComeFromTheChain() {
        Map<String, List<String>> keys = new java.util.TreeMap<>();
        compile(USER, MEMBER).contextKeys().stream().filter(k -> k.name().startsWith("aws:PrincipalOrg"))
                .forEach(k -> keys.put(k.name(), k.values()));
        assertEquals(Map.of("aws:PrincipalOrgID", List.of("o-abc"), "aws:PrincipalOrgPaths",
                List.of("o-abc/r-ab12/ou-ab12-1/")), keys);
        assertNull(ServiceControlChain.noOrganization(ACCOUNT).organizationPath());
        assertTrue(compile(USER, ServiceControlChain.noOrganization(ACCOUNT)).contextKeys().stream()
                .noneMatch(k -> k.name().startsWith("aws:PrincipalOrg")));
    }

    @Test
    void aChainForAnotherAccountFailsTheLoad() {
        Principal other = Principal.user("arn:aws:iam::444455556666:user/bob", "444455556666", "bob", "/", "AIDA3",
                Map.of());
        assertThrows(PolicySourceException.class, () -> PrincipalResolver.compile(new PrincipalPolicies(other,
                List.of(), null, null, java.util.Set.of(), MEMBER, null)));
    }

    @Test
    void malformedChainsAreRefused() {
        ServiceControlChain.Level root = level("r-1", ServiceControlChain.TargetType.ROOT, ALLOW_ALL);
        ServiceControlChain.Level ou = level("ou-1", ServiceControlChain.TargetType.ORGANIZATIONAL_UNIT, ALLOW_ALL);
        ServiceControlChain.Level account = level(ACCOUNT, ServiceControlChain.TargetType.ACCOUNT, ALLOW_ALL);
        ServiceControlChain.Level otherAccount = level("444455556666", ServiceControlChain.TargetType.ACCOUNT, ALLOW_ALL);
        assertThrows(IllegalArgumentException.class, () -> chain("9", account), "no root");
        assertThrows(IllegalArgumentException.class, () -> chain("9", ou, account), "starts below the root");
        assertThrows(IllegalArgumentException.class, () -> chain("9", root, account, ou), "account not last");
        assertThrows(IllegalArgumentException.class, () -> chain("9", root, otherAccount), "another account");
        assertThrows(IllegalArgumentException.class, () -> new ServiceControlChain(ACCOUNT, null, null, false,
                List.of(root, account)), "levels without an organization");
        assertThrows(IllegalArgumentException.class, () -> new ServiceControlChain(ACCOUNT, "o-abc", "9", false,
                List.of(root, account)), "levels although SCPs are disabled");
    }

    @Test
    void anEmptyLevelDeniesEverything() {
        // AWS requires one SCP per entity; a chain that records none at some level allows nothing (as IAM would).
        ServiceControlChain empty = chain("999988887777",
                level("r-1", ServiceControlChain.TargetType.ROOT, ALLOW_ALL),
                level(ACCOUNT, ServiceControlChain.TargetType.ACCOUNT));
        assertFalse(allowed(compile(USER, empty), "connect:DescribeUser"));
    }
}
