package dev.edgeiam.principal;

import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompiledPrincipalTest {

    static final String AGENT_SELF = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "connect:DescribeUser",
             "Resource": "arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/${aws:username}"}]}""";

    static Map<String, String> keys(CompiledPrincipal p) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ContextValue v : p.contextKeys()) {
            out.put(v.name(), v.value(0));
        }
        return out;
    }

    @Test
    void userKeysFollowThePrincipalTable() {
        Principal carol = Principal.user("arn:aws:iam::111122223333:user/staff/carol", "111122223333", "carol",
                "/staff/", "AIDAEXAMPLECAROL0003", Map.of("team", "agents"));
        CompiledPrincipal p = CompiledPrincipal.compile(new PrincipalPolicies(carol, List.of(
                new NamedPolicy(carol.arn(), "self", PolicyType.INLINE_USER, null, AGENT_SELF)), null, null));
        assertEquals(Map.of("aws:username", "carol", "aws:userid", "AIDAEXAMPLECAROL0003",
                "aws:PrincipalArn", "arn:aws:iam::111122223333:user/staff/carol",
                "aws:PrincipalAccount", "111122223333", "aws:PrincipalType", "User",
                "aws:PrincipalTag/team", "agents"), keys(p));
        assertEquals(SessionKind.NONE, p.policies().sessionKind());
        String own = "arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/carol";
        String other = "arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/bob";
        assertTrue(Evaluator.decide(p.policies(), p.request("connect:DescribeUser", own).build()).allowed());
        assertFalse(Evaluator.decide(p.policies(), p.request("connect:DescribeUser", other).build()).allowed());
        // Given entries win over the principal's own keys.
        RequestContext given = p.addContextKeys(RequestContext.builder("connect:DescribeUser", other)
                .put("aws:username", "bob")).build();
        assertTrue(Evaluator.decide(p.policies(), given).allowed());
    }

    @Test
    void assumedRoleSessionKeys() {
        Principal role = Principal.role("arn:aws:iam::111122223333:role/connect/Supervisor", "111122223333",
                "Supervisor", "/connect/", "AROAEXAMPLESUPVROLE1", Map.of("team", "supervisors"));
        PrincipalPolicies policies = new PrincipalPolicies(role, List.of(
                new NamedPolicy(role.arn(), "self", PolicyType.INLINE_ROLE, null, AGENT_SELF)), null, null)
                .forSession("arn:aws:sts::111122223333:assumed-role/Supervisor/bob-session", "bob-session");
        CompiledPrincipal p = CompiledPrincipal.compile(policies);
        assertEquals(Principal.Kind.ASSUMED_ROLE, p.principal().kind());
        Map<String, String> k = keys(p);
        assertNull(k.get("aws:username"));
        assertEquals("AROAEXAMPLESUPVROLE1:bob-session", k.get("aws:userid"));
        assertEquals("arn:aws:iam::111122223333:role/connect/Supervisor", k.get("aws:PrincipalArn"));
        assertEquals("AssumedRole", k.get("aws:PrincipalType"));
        assertEquals("supervisors", k.get("aws:PrincipalTag/team"));
        assertEquals(SessionKind.ROLE_SESSION, p.policies().sessionKind());
        // ${aws:username} never matches a role session ([Vars]).
        assertFalse(Evaluator.decide(p.policies(), p.request("connect:DescribeUser",
                "arn:aws:connect:us-east-1:111122223333:instance/i-1/agent/Supervisor").build()).allowed());
        // The role itself: no session name, so no aws:userid.
        assertNull(keys(CompiledPrincipal.compile(new PrincipalPolicies(role, List.of(), null, null)))
                .get("aws:userid"));
    }

    @Test
    void federatedUserHasNoPermissionsWithoutASessionPolicy() {
        Principal fed = Principal.federatedUser("arn:aws:sts::111122223333:federated-user/Jane", "111122223333",
                "Jane");
        CompiledPrincipal p = CompiledPrincipal.compile(new PrincipalPolicies(fed, List.of(), null, null));
        Map<String, String> k = keys(p);
        assertEquals("111122223333:Jane", k.get("aws:userid"));
        assertEquals("FederatedUser", k.get("aws:PrincipalType"));
        assertEquals(fed.arn(), k.get("aws:PrincipalArn"));
        assertEquals(Reason.Category.IMPLICIT_DENY, Evaluator.decide(p.policies(),
                p.request("connect:DescribeUser", "*").build()).decision());
    }

    @Test
    void principalArnShapes() {
        PrincipalArn u = PrincipalArn.parse("arn:aws:iam::111122223333:user/a/b/carol");
        assertEquals("/a/b/", u.path());
        assertEquals("carol", u.name());
        PrincipalArn s = PrincipalArn.parse("arn:aws:sts::111122223333:assumed-role/Role/sess@example.com");
        assertEquals(Principal.Kind.ASSUMED_ROLE, s.kind());
        assertEquals("sess@example.com", s.sessionName());
        assertEquals(Principal.Kind.ROLE, PrincipalArn.parse("arn:aws-cn:iam::111122223333:role/R").kind());
        for (String bad : List.of("", "arn:aws:iam::111122223333:group/g", "arn:aws:iam::1111:user/x",
                "arn:aws:sts::111122223333:assumed-role/OnlyRole", "arn:aws:iam::111122223333:user/bad name",
                "arn:aws:s3:::bucket")) {
            assertThrows(IllegalArgumentException.class, () -> PrincipalArn.parse(bad), bad);
        }
    }
}
