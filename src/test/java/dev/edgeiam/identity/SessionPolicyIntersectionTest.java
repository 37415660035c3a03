package dev.edgeiam.identity;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.Decision;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.evaluate.Evaluator;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.RequestContext;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.edgeiam.identity.IdentityFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Sessions feed the engine: identity policies ∩ session policy, the federated-user rule, and the session's keys
 * (principal tags, principal type) on requests.
 */
class SessionPolicyIntersectionTest {

    static final String INSTANCE = "arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555";
    static final String USER = INSTANCE + "/agent/66666666-7777-8888-9999-000000000000";

    /** Identity policy: all of Connect for the blue team's assumed-role sessions and federated users. */
    static final String IDENTITY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Blue","Effect":"Allow","Action":"connect:*","Resource":"*",
               "Condition":{"StringEquals":{"aws:PrincipalTag/team":["blue","platform"]},
                            "StringEqualsIfExists":{"aws:PrincipalType":["AssumedRole","FederatedUser"]}}}]}""";
    static final String READ_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:Describe*","Resource":"*"}]}""";
    static final String LIST_ARN = "arn:aws:iam::111122223333:policy/ConnectList";
    static final String LIST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"connect:List*","Resource":"*"}]}""";

    private static Decision decide(Session session, String action)
            throws dev.edgeiam.principal.PolicySourceException {
        CompiledPolicySet.Builder b = CompiledPolicySet.builder()
                .identity(CompiledPolicy.compile(PolicyParser.parse(IDENTITY, PolicyType.INLINE_ROLE, "identity")))
                .sessionKind(session.kind());
        session.sessionPolicy().addTo(b, arn -> arn.equals(LIST_ARN) ? Optional.of(LIST) : Optional.empty());
        RequestContext.Builder r = RequestContext.builder(action, USER);
        session.applyTo(r);
        return Evaluator.explain(b.build(), r.build());
    }

    private static Session roleSession(SessionPolicy policy, String team) {
        JwtClaims c = claims("agent-42");
        c.setStringListClaim("groups", "agents");
        c.setClaim(SessionTags.CLAIM, Map.of("principal_tags", Map.of("team", List.of(team))));
        return session(resolver(env()).resolve(DevTokens.sign(c))).withSessionPolicy(policy);
    }

    @Test
    void assumedRoleSessionIsCappedByItsSessionPolicy() throws Exception {
        Session full = roleSession(SessionPolicy.NONE, "blue");
        assertEquals(Reason.Category.ALLOWED, decide(full, "connect:DescribeUser").decision());
        assertEquals(Reason.Category.ALLOWED, decide(full, "connect:DeleteUser").decision());

        Session capped = full.withSessionPolicy(SessionPolicy.inline(READ_ONLY));
        assertEquals(Reason.Category.ALLOWED, decide(capped, "connect:DescribeUser").decision());
        Decision delete = decide(capped, "connect:DeleteUser");
        assertEquals(Reason.Category.IMPLICIT_DENY, delete.decision());
        assertEquals(Reason.SESSION_IMPLICIT_DENY, delete.reason());
    }

    @Test
    void sessionTagDecidesThroughPrincipalTag() throws Exception {
        // the role's own tag is team=green; the session tag team=red replaces it, so the identity policy does not apply
        assertEquals(Reason.NO_IDENTITY_ALLOW, decide(roleSession(SessionPolicy.NONE, "red"),
                "connect:DescribeUser").reason());
    }

    @Test
    void inlineAndManagedSessionPoliciesUniteThenCap() throws Exception {
        Session s = roleSession(new SessionPolicy(READ_ONLY, List.of(LIST_ARN)), "blue");
        assertEquals(Reason.Category.ALLOWED, decide(s, "connect:DescribeUser").decision());
        assertEquals(Reason.Category.ALLOWED, decide(s, "connect:ListUsers").decision());
        assertEquals(Reason.Category.IMPLICIT_DENY, decide(s, "connect:DeleteUser").decision());

        // a managed session policy whose text cannot be had is not left out (its Deny would be lost): no decision
        Session missing = roleSession(new SessionPolicy(READ_ONLY, List.of("arn:aws:iam::111122223333:policy/Gone")),
                "blue");
        org.junit.jupiter.api.Assertions.assertThrows(dev.edgeiam.principal.PolicySourceException.class,
                () -> decide(missing, "connect:DescribeUser"));
    }

    @Test
    void federatedUserNeedsASessionPolicy() throws Exception {
        IamUserInfo broker = broker();
        Session none = FederatedUserSessions.create(broker, "carol", SessionPolicy.NONE, SessionTags.NONE, NOW,
                NOW.plusSeconds(900));
        Decision d = decide(none, "connect:DescribeUser");
        assertEquals(Reason.Category.IMPLICIT_DENY, d.decision());
        assertEquals(Reason.FEDERATED_USER_WITHOUT_SESSION_POLICY, d.reason());

        Session readOnly = FederatedUserSessions.create(broker, "carol", SessionPolicy.inline(READ_ONLY),
                SessionTags.NONE, NOW, NOW.plusSeconds(900));
        assertEquals(Reason.Category.ALLOWED, decide(readOnly, "connect:DescribeUser").decision());
        assertEquals(Reason.SESSION_IMPLICIT_DENY, decide(readOnly, "connect:DeleteUser").reason());
    }

    @Test
    void sessionPolicyLimits() {
        assertThrows(IllegalArgumentException.class, () -> new SessionPolicy(null, List.of(
                "arn:aws:iam::111122223333:policy/p1", "arn:aws:iam::111122223333:policy/p2",
                "arn:aws:iam::111122223333:policy/p3", "arn:aws:iam::111122223333:policy/p4",
                "arn:aws:iam::111122223333:policy/p5", "arn:aws:iam::111122223333:policy/p6",
                "arn:aws:iam::111122223333:policy/p7", "arn:aws:iam::111122223333:policy/p8",
                "arn:aws:iam::111122223333:policy/p9", "arn:aws:iam::111122223333:policy/p10",
                "arn:aws:iam::111122223333:policy/p11")));
        assertThrows(IllegalArgumentException.class, () -> new SessionPolicy(null, List.of("not-an-arn")));
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:"
                + "A".repeat(1_950) + "\",\"Resource\":\"*\"}]}";
        assertThrows(IllegalArgumentException.class, () -> new SessionPolicy(big,
                List.of("arn:aws:iam::111122223333:policy/some-longer-policy-name")));
        assertEquals(Set.of(), Set.copyOf(SessionPolicy.NONE.managedArns()));
    }
}
