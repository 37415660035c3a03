package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.RequestContext;
import dev.edgeiam.request.RequestPrincipal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A role trust policy (resource-based): Principal must name the caller, conditions as usual. */
class TrustPolicyTest {

    private static final String TRUST = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "WebIdentity", "Effect": "Allow",
               "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/login.example.com"},
               "Action": "sts:AssumeRoleWithWebIdentity",
               "Condition": {"StringEquals": {"login.example.com:aud": "connect-app"}}},
              {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"},
              {"Sid": "NoIntern", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
               "Condition": {"StringEquals": {"aws:PrincipalTag/level": "intern"}}}
            ]}""";

    private final CompiledPolicySet set = CompiledPolicySet.builder()
            .identity(CompiledPolicy.compile(PolicyParser.parse(TRUST, PolicyType.TRUST, "trust"))).build();

    private Reason.Category decide(String action, RequestPrincipal who, Map<String, String> keys) {
        RequestContext.Builder b = RequestContext.builder(action, "arn:aws:iam::111122223333:role/Agent")
                .principal(who);
        keys.forEach(b::put);
        Reason.Category fast = Evaluator.decide(set, b.build()).decision();
        assertEquals(fast, Evaluator.explain(set, b.build()).decision());
        return fast;
    }

    @Test
    void federatedPrincipalAndAudience() {
        RequestPrincipal oidc = RequestPrincipal.of("Federated",
                List.of("arn:aws:iam::111122223333:oidc-provider/login.example.com"));
        assertEquals(Reason.Category.ALLOWED, decide("sts:AssumeRoleWithWebIdentity", oidc,
                Map.of("login.example.com:aud", "connect-app")));
        assertEquals(Reason.Category.IMPLICIT_DENY, decide("sts:AssumeRoleWithWebIdentity", oidc,
                Map.of("login.example.com:aud", "other-app")));
        RequestPrincipal otherIdp = RequestPrincipal.of("Federated", List.of("accounts.google.com"));
        assertEquals(Reason.Category.IMPLICIT_DENY, decide("sts:AssumeRoleWithWebIdentity", otherIdp,
                Map.of("login.example.com:aud", "connect-app")));
        assertEquals(Reason.Category.IMPLICIT_DENY, decide("sts:AssumeRoleWithWebIdentity", null,
                Map.of("login.example.com:aud", "connect-app")));
    }

    @Test
    void accountIdNamesEveryPrincipalOfTheAccountAndWildcardDenies() {
        RequestPrincipal user = new RequestPrincipal(Map.of("AWS", Set.of("arn:aws:iam::111122223333:user/alice",
                "arn:aws:iam::111122223333:root")));
        assertEquals(Reason.Category.ALLOWED, decide("sts:AssumeRole", user, Map.of()));
        assertEquals(Reason.Category.EXPLICIT_DENY, decide("sts:AssumeRole", user,
                Map.of("aws:PrincipalTag/level", "intern")));
        RequestPrincipal stranger = RequestPrincipal.of("AWS", List.of("arn:aws:iam::999999999999:root"));
        assertEquals(Reason.Category.IMPLICIT_DENY, decide("sts:AssumeRole", stranger, Map.of()));
    }

    @Test
    void anAccountIdNamesTheRootOfTheCallersPartitionAndARootArnOnlyItsOwn() {
        for (String partition : new String[] {"aws", "aws-cn", "aws-us-gov"}) {
            RequestPrincipal user = RequestPrincipal.ofArn("arn:" + partition + ":iam::111122223333:user/alice");
            assertTrue(user.identifiers("AWS").contains("arn:" + partition + ":iam::111122223333:root"), partition);
            // "Account" names 111122223333 by bare id; "NoIntern" denies everyone tagged intern
            assertEquals(Reason.Category.ALLOWED, decide("sts:AssumeRole", user, Map.of()), partition);
            assertEquals(Reason.Category.EXPLICIT_DENY, decide("sts:AssumeRole", user,
                    Map.of("aws:PrincipalTag/level", "intern")), partition);
        }
        CompiledPolicySet rootArn = CompiledPolicySet.builder().identity(CompiledPolicy.compile(PolicyParser.parse("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}""",
                PolicyType.TRUST, "trust"))).build();
        RequestPrincipal inAws = RequestPrincipal.ofArn("arn:aws:iam::111122223333:user/alice");
        RequestPrincipal inChina = RequestPrincipal.ofArn("arn:aws-cn:iam::111122223333:user/alice");
        RequestContext.Builder b = RequestContext.builder("sts:AssumeRole", "arn:aws:iam::111122223333:role/Agent");
        assertEquals(Reason.Category.ALLOWED, Evaluator.decide(rootArn, b.principal(inAws).build()).decision());
        assertEquals(Reason.Category.IMPLICIT_DENY,
                Evaluator.decide(rootArn, b.principal(inChina).build()).decision(), "another partition's root");
    }
}
