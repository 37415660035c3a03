package dev.edgeiam.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyParserTest {

    private static PolicyException error(String text, PolicyType type) {
        return assertThrows(PolicyException.class, () -> PolicyParser.parse(text, type, "p"));
    }

    @Test
    void reportsLineColumnAndPointerOfABadEffect() {
        String text = """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {"Effect": "Allow", "Action": "connect:*", "Resource": "*"},
                    {
                      "Effect": "allow",
                      "Action": "connect:*",
                      "Resource": "*"
                    }
                  ]
                }
                """;
        PolicyException e = error(text, PolicyType.MANAGED);
        assertEquals("MalformedPolicyDocument", e.errorCode());
        assertEquals("/Statement/1/Effect", e.pointer());
        assertEquals(6, e.position().line());
        assertEquals(17, e.position().column());
        assertTrue(e.getMessage().contains("line 6, column 17"), e.getMessage());
    }

    @Test
    void duplicateKeyNamesBothPositions() {
        String text = "{\"Version\":\"2012-10-17\",\n\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a:b\","
                + "\"Resource\":\"*\",\n\"Effect\":\"Deny\"}}";
        PolicyException e = error(text, PolicyType.MANAGED);
        assertEquals("/Statement/Effect", e.pointer());
        assertEquals(3, e.position().line());
        assertTrue(e.problem().contains("first at line 2"), e.problem());
    }

    @Test
    void invalidJsonHasAPosition() {
        PolicyException e = error("{\"Version\": \"2012-10-17\",\n  \"Statement\": [}", PolicyType.MANAGED);
        assertTrue(e.problem().startsWith("invalid JSON"), e.problem());
        assertEquals(2, e.position().line());
    }

    @ParameterizedTest(name = "{0} over its quota")
    @CsvSource({"MANAGED,6144", "INLINE_USER,2048", "INLINE_GROUP,5120", "INLINE_ROLE,10240", "SESSION,2048",
            "PERMISSIONS_BOUNDARY,6144", "SIMULATION,131072"})
    void sizeQuotaCountsNonWhiteSpaceOnly(PolicyType type, int quota) {
        String prefix = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"connect:*\","
                + "\"Resource\":\"arn:aws:connect:::";
        String suffix = "\"}}";
        int fill = quota - prefix.length() - suffix.length();
        String exact = prefix + "x".repeat(fill) + suffix;
        assertEquals(quota, exact.length());
        // exactly at the quota, padded with white space that does not count: accepted
        PolicyParser.parse(exact.replace(",", ",    \n\t"), type, "p");
        PolicyException e = error(prefix + "x".repeat(fill + 1) + suffix, type);
        assertEquals("LimitExceeded", e.errorCode());
        assertTrue(e.problem().contains(String.valueOf(quota)), e.problem());
    }

    @Test
    void awsManagedPoliciesHaveNoCustomerQuota() {
        String big = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"connect:*\","
                + "\"Resource\":\"arn:aws:connect:::" + "x".repeat(200_000) + "\"}}";
        PolicyParser.parse(big, PolicyType.AWS_MANAGED, "p");
    }

    @Test
    void principalIsRefusedInIdentityPoliciesAndRequiredInTrustPolicies() {
        String withPrincipal = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Federated\":\"cognito-identity.amazonaws.com\"},"
                + "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Resource\":\"*\"}}";
        PolicyException e = error(withPrincipal, PolicyType.INLINE_ROLE);
        assertEquals("/Statement/Principal", e.pointer());
        PolicyDocument trust = PolicyParser.parse(withPrincipal, PolicyType.TRUST, "trust");
        assertEquals(java.util.List.of("cognito-identity.amazonaws.com"),
                trust.statements().get(0).principal().principals().get("Federated"));
        assertEquals(java.util.List.of("*"), trust.statements().get(0).resource().values());
        PolicyException missing = error("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"sts:AssumeRole\"}}", PolicyType.TRUST);
        assertTrue(missing.problem().contains("Principal"), missing.problem());
    }

    @Test
    void missingVersionMeans2008AndStatementMayBeAnObject() {
        PolicyDocument doc = PolicyParser.parse(
                "{\"Statement\":{\"Effect\":\"Deny\",\"NotAction\":[\"connect:Describe*\"],\"NotResource\":\"*\"}}",
                PolicyType.MANAGED, "p");
        assertEquals(PolicyVersion.V2008_10_17, doc.version());
        assertTrue(!doc.versionGiven());
        assertTrue(doc.statements().get(0).action().negated());
        assertTrue(doc.statements().get(0).resource().negated());
    }

    @Test
    void characterOutsideLatin1IsRefused() {
        PolicyException e = error("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                + "\"Action\":\"connect:*\",\"Resource\":\"arn:aws:connect:::\u0410\"}}", PolicyType.MANAGED);
        assertTrue(e.problem().contains("U+0410"), e.problem());
        assertEquals("/Statement/Resource", e.pointer());
    }

    @Test
    void nestingDepthIsBounded() {
        String deep = "{\"Version\":\"2012-10-17\",\"Id\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        PolicyException e = error(deep, PolicyType.SIMULATION);
        assertTrue(e.problem().contains("nesting"), e.problem());
    }

    @Test
    void nullWithIfExistsIsNotAnOperator() {
        PolicyException e = error("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"a:b\","
                + "\"Resource\":\"*\",\"Condition\":{\"NullIfExists\":{\"aws:x\":\"true\"}}}}", PolicyType.MANAGED);
        assertEquals("/Statement/Condition/NullIfExists", e.pointer());
        assertTrue(e.problem().contains("unknown condition operator"), e.problem());
    }
}
