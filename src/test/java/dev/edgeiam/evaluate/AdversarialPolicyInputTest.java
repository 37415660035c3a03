package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile policy text and request values against the engine: Unicode look-alikes, case tricks, NUL and control
 * characters, policy-variable injection through request values. Duplicate keys and condition values of the wrong
 * JSON type in policies are covered by the malformed corpus ({@code corpus/malformed.jsonl}, mal-011..016 and
 * mal-052..061); only what it lacks is here.
 */
class AdversarialPolicyInputTest {

    private static final String AGENT = "arn:aws:connect:us-east-1:111122223333:instance/inst-1/agent/";

    private static CompiledPolicySet allow(String statementBody) {
        String json = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", " + statementBody + "}}";
        return CompiledPolicySet.builder()
                .identity(CompiledPolicy.compile(PolicyParser.parse(json, PolicyType.INLINE_USER, "p")))
                .build();
    }

    private static CompiledPolicySet allowAllWithDeny(String denyBody) {
        String json = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", "
                + "\"Resource\": \"*\"}, {\"Effect\": \"Deny\", " + denyBody + "}]}";
        return CompiledPolicySet.builder()
                .identity(CompiledPolicy.compile(PolicyParser.parse(json, PolicyType.INLINE_USER, "p")))
                .build();
    }

    private static boolean allowed(CompiledPolicySet set, RequestContext request) {
        Verdict v = Evaluator.decide(set, request);
        assertEquals(Evaluator.explain(set, request).decision(), v.decision(), "decide and explain agree");
        return v.allowed();
    }

    private static PolicyException refused(String statementBody) {
        return assertThrows(PolicyException.class, () -> allow(statementBody));
    }

    // ---------------------------------------------------------------- actions

    @Test
    void policyActionWithLongSLookalikeIsRefused() {
        refused("\"Action\": \"connect:DescribeU\u017fer\", \"Resource\": \"*\"");
    }

    @Test
    void policyActionWithCyrillicServicePrefixIsRefused() {
        refused("\"Action\": \"\u0441onnect:*\", \"Resource\": \"*\"");
    }

    @Test
    void requestActionWithLongSDoesNotMatchTheAsciiAction() {
        CompiledPolicySet set = allow("\"Action\": \"connect:DescribeUser\", \"Resource\": \"*\"");
        assertTrue(allowed(set, RequestContext.builder("connect:DescribeUser", "*").build()));
        // U+017F upper-cases to 'S' but lower-cases to itself: no fold may turn it into "describeuser"
        assertFalse(allowed(set, RequestContext.builder("connect:DescribeU\u017fer", "*").build()));
        assertFalse(allowed(set, RequestContext.builder("CONNECT:DESCRIBEU\u017fER", "*").build()));
    }

    @Test
    void requestActionWithCyrillicServicePrefixIsNotAConnectAction() {
        CompiledPolicySet set = allow("\"Action\": \"connect:*\", \"Resource\": \"*\"");
        assertFalse(allowed(set, RequestContext.builder("\u0441onnect:DescribeUser", "*").build()));
        CompiledPolicySet deny = allowAllWithDeny("\"Action\": \"connect:*\", \"Resource\": \"*\"");
        assertEquals(Reason.Category.EXPLICIT_DENY, Evaluator.decide(deny,
                RequestContext.builder("connect:DescribeUser", "*").build()).decision());
    }

    @Test
    void actionCaseTricksMatchCaseInsensitivelyAsIamDoes() {
        CompiledPolicySet set = allow("\"Action\": \"Connect:describeUSER\", \"Resource\": \"*\"");
        assertTrue(allowed(set, RequestContext.builder("connect:DescribeUser", "*").build()));
        assertTrue(allowed(set, RequestContext.builder("CONNECT:DESCRIBEUSER", "*").build()));
    }

    @Test
    void requestActionWithKelvinSignDoesNotMatchTheAsciiK() {
        // U+212A KELVIN SIGN lower-cases (Locale.ROOT) to ASCII 'k'; action names are ASCII, so it must not match
        CompiledPolicySet set = allow("\"Action\": \"connect:ListQuickConnects\", \"Resource\": \"*\"");
        assertTrue(allowed(set, RequestContext.builder("connect:ListQuickConnects", "*").build()));
        assertFalse(allowed(set, RequestContext.builder("connect:ListQuic\u212AConnects", "*").build()));
    }

    // ---------------------------------------------------------------- resources

    @Test
    void resourcePartOfAnArnIsCaseSensitive() {
        CompiledPolicySet set = allow("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "Bob\"");
        assertTrue(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT + "Bob").build()));
        assertFalse(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT + "bob").build()));
        assertFalse(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT.replace("agent", "Agent")
                + "Bob").build()));
        assertFalse(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT.replace("arn:aws:", "ARN:AWS:")
                + "Bob").build()));
    }

    @Test
    void caseInsensitiveDenyStillCoversEveryCaseOfAnArn() {
        CompiledPolicySet set = allowAllWithDeny("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "*\"");
        assertEquals(Reason.Category.EXPLICIT_DENY, Evaluator.decide(set,
                RequestContext.builder("connect:DescribeUser", AGENT + "BOB").build()).decision());
        // a differently-cased resource type is a different ARN: the deny does not apply, the Allow * does
        assertTrue(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT.replace("agent", "AGENT")
                + "bob").build()));
    }

    // ---------------------------------------------------------------- condition keys

    @Test
    void conditionKeyNamesAreOneKeyInAnyCase() {
        CompiledPolicySet set = allow("\"Action\": \"connect:*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"IpAddress\": {\"aws:SourceIP\": \"10.0.0.0/8\"}}");
        assertTrue(allowed(set, RequestContext.builder("connect:ListUsers", "*").put("aws:sourceip", "10.1.2.3").build()));
        assertTrue(allowed(set, RequestContext.builder("connect:ListUsers", "*").put("AWS:SOURCEIP", "10.1.2.3").build()));
        assertFalse(allowed(set, RequestContext.builder("connect:ListUsers", "*").put("aws:SourceIp", "192.0.2.1").build()));
        assertFalse(allowed(set, RequestContext.builder("connect:ListUsers", "*").build()), "absent key");

        CompiledPolicySet deny = allowAllWithDeny("\"Action\": \"*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"NotIpAddress\": {\"AWS:sourceip\": \"10.0.0.0/8\"}}");
        assertEquals(Reason.Category.EXPLICIT_DENY, Evaluator.decide(deny, RequestContext.builder("connect:ListUsers",
                "*")
                .put("aws:SourceIp", "192.0.2.1").build()).decision());
    }

    @Test
    void conditionKeyWithLookalikeCharactersIsAnotherKey() {
        CompiledPolicySet set = allow("\"Action\": \"connect:*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}}");
        // Cyrillic 'а' in "team": a different key, so the condition's key is absent and the Allow does not apply
        assertFalse(allowed(set, RequestContext.builder("connect:ListUsers", "*")
                .put("aws:PrincipalTag/te\u0430m", "ops").build()));
    }

    // ---------------------------------------------------------------- NUL and control characters

    @Test
    void nulInPolicyStringIsRefusedEvenWhenEscaped() {
        PolicyException e = refused("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "bob\\u0000\"");
        assertTrue(e.problem().contains("U+0000"), e.problem());
        refused("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "bob\\u001b[31m\"");
        refused("\"Action\": \"connect:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": "
                + "{\"aws:username\": \"bob\\u0000\"}}");
        refused("\"Action\": \"connect:*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": "
                + "{\"aws:user\\u0000name\": \"bob\"}}");
    }

    @Test
    void rawControlCharacterInPolicyStringIsRefused() {
        refused("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "bob\u0001\"");
        refused("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "bob\u0000\"");
    }

    @Test
    void nulInContextValuesNeverMatchesTheShorterValue() {
        CompiledPolicySet eq = allow("\"Action\": \"connect:*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringEquals\": {\"aws:username\": \"bob\"}}");
        assertFalse(allowed(eq, RequestContext.builder("connect:ListUsers", "*").put("aws:username", "bob\u0000").build()));
        assertFalse(allowed(eq, RequestContext.builder("connect:ListUsers", "*").put("aws:username", "\u0000bob").build()));
        CompiledPolicySet ip = allow("\"Action\": \"connect:*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}");
        assertFalse(allowed(ip, RequestContext.builder("connect:ListUsers", "*").put("aws:SourceIp", "10.0.0.1\u0000").build()));
        assertFalse(allowed(ip, RequestContext.builder("connect:ListUsers", "*").put("aws:SourceIp", "10.0.0.1\n").build()));
    }

    @Test
    void nulInAVariableValueCannotTruncateTheResource() {
        CompiledPolicySet set = allow("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "${aws:username}\"");
        assertFalse(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT + "bob")
                .put("aws:username", "bob\u0000").build()));
    }

    // ---------------------------------------------------------------- policy-variable injection

    @Test
    void wildcardInARequestValueIsLiteralInAResourceVariable() {
        CompiledPolicySet set = allow("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "${aws:username}\"");
        assertFalse(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT + "alice")
                .put("aws:username", "*").build()));
        assertFalse(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT + "alice")
                .put("aws:username", "?lice").build()));
        assertTrue(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT + "*")
                .put("aws:username", "*").build()), "only the literal text '*' matches");
    }

    @Test
    void variableSyntaxInATagValueIsNotExpandedAgain() {
        CompiledPolicySet set = allow("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT
                + "${aws:PrincipalTag/agent}\"");
        RequestContext.Builder request = RequestContext.builder("connect:DescribeUser", AGENT + "bob")
                .put("aws:PrincipalTag/agent", "${aws:username}").put("aws:username", "bob");
        assertFalse(allowed(set, request.build()));
        assertTrue(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT + "${aws:username}")
                .put("aws:PrincipalTag/agent", "${aws:username}").put("aws:username", "bob").build()));
    }

    @Test
    void wildcardInATagValueIsLiteralInStringLikeAndStringEquals() {
        CompiledPolicySet like = allow("\"Action\": \"connect:*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringLike\": {\"aws:ResourceTag/owner\": \"${aws:PrincipalTag/team}\"}}");
        assertFalse(allowed(like, RequestContext.builder("connect:ListUsers", "*")
                .put("aws:ResourceTag/owner", "ops").put("aws:PrincipalTag/team", "*").build()));
        assertTrue(allowed(like, RequestContext.builder("connect:ListUsers", "*")
                .put("aws:ResourceTag/owner", "*").put("aws:PrincipalTag/team", "*").build()));
        CompiledPolicySet eq = allow("\"Action\": \"connect:*\", \"Resource\": \"*\", "
                + "\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/owner\": \"${aws:PrincipalTag/team}\"}}");
        assertFalse(allowed(eq, RequestContext.builder("connect:ListUsers", "*")
                .put("aws:ResourceTag/owner", "ops").put("aws:PrincipalTag/team", "${aws:ResourceTag/owner}").build()));
    }

    @Test
    void multivaluedKeyCannotBeAVariable() {
        CompiledPolicySet set = allow("\"Action\": \"connect:*\", \"Resource\": \"" + AGENT + "${aws:TagKeys}\"");
        assertFalse(allowed(set, RequestContext.builder("connect:DescribeUser", AGENT + "a")
                .put(ContextValue.multi("aws:TagKeys", List.of("a"))).build()));
    }

    // ---------------------------------------------------------------- condition values of the wrong type

    @Test
    void conditionValueOfTheWrongJsonTypeForItsOperatorIsRefused() {
        refused("\"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": 1}}");
        refused("\"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"NumericLessThan\": {\"n\": true}}");
        refused("\"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": 10}}");
        refused("\"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"DateLessThan\": {\"aws:CurrentTime\": false}}");
        refused("\"Action\": \"*\", \"Resource\": \"*\", \"Condition\": [{\"Bool\": {\"aws:SecureTransport\": \"true\"}}]");
        refused("\"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"Bool\": [\"aws:SecureTransport\"]}");
        refused("\"Action\": \"*\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"k\": []}}");
    }
}
