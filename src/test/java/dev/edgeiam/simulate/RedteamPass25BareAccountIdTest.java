package dev.edgeiam.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

/**
 * Red-team pass 25: the bare-account-id change (a policy's {@code "AWS": "ID"} names the root "in the partition of
 * the caller"). Found: requests the fix reads differently from before and from IAM — a resource-based policy is the
 * resource's, and in the aws partition {@code "AWS": "ID"} is {@code arn:aws:iam::ID:root} ("AWS JSON policy
 * elements: Principal"); a caller of another partition is not that principal, and a CallerArn that is no ARN at all
 * is no IAM user ("You can specify only the ARN of an IAM user", SimulateCustomPolicy). Plus guards for what the fix
 * must keep.
 */
class RedteamPass25BareAccountIdTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String A = "111122223333";
    static final String B = "444455556666";
    static final String ALLOW_CONNECT =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
    static final String NOTHING =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";

    static String agent(String partition, String account) {
        return "arn:" + partition + ":connect:us-east-1:" + account
                + ":instance/11111111-2222-3333-4444-555555555555/agent/u-1";
    }

    static String resourcePolicy(String effect, String principalElement, String principalJson) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"" + principalElement
                + "\":{\"AWS\":" + principalJson + "},\"Action\":\"*\",\"Resource\":\"*\"}]}";
    }

    /** The EvalDecision of the one result, or the error code. */
    static String decide(String identity, String caller, String resource, String resourcePolicy) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("PolicyInputList").add(identity);
        body.putArray("ActionNames").add("connect:DescribeUser");
        body.putArray("ResourceArns").add(resource);
        body.put("CallerArn", caller);
        body.put("ResourcePolicy", resourcePolicy);
        JsonNode out = new CustomPolicySimulator().simulate(body);
        if (out.has("errorCode")) {
            return out.get("errorCode").asText();
        }
        return out.get("EvaluationResults").get(0).get("EvalDecision").asText();
    }

    // --- findings: each was not "allowed" before df3ce2e and is "allowed" at 28b5d30 ---

    /** A Deny naming the account's aws root no longer applies when CallerArn is the bare account id. */
    @Test
    void bareIdCallerIsStillDeniedByItsRootArn() {
        assertNotEquals("allowed", decide(ALLOW_CONNECT, A, agent("aws", A),
                resourcePolicy("Deny", "Principal", "\"arn:aws:iam::" + A + ":root\"")));
    }

    /** ... and an Allow with NotPrincipal naming that root now grants it. */
    @Test
    void bareIdCallerIsStillListedByNotPrincipalRootArn() {
        assertNotEquals("allowed", decide(NOTHING, A, agent("aws", A),
                resourcePolicy("Allow", "NotPrincipal", "\"arn:aws:iam::" + A + ":root\"")));
    }

    /**
     * An aws resource whose policy denies everyone but account B ({@code NotPrincipal "B"} = arn:aws:iam::B:root);
     * a us-gov user of an account with the same digits is not that root, so the Deny applies.
     */
    @Test
    void notPrincipalBareIdOnAnAwsResourceDoesNotExemptAnotherPartitionsCaller() {
        assertNotEquals("allowed", decide(ALLOW_CONNECT, "arn:aws-us-gov:iam::" + B + ":user/dev/u-1",
                agent("aws", B), resourcePolicy("Deny", "NotPrincipal", "\"" + B + "\"")));
    }

    /** An aws resource of account B granting account A by id grants arn:aws:iam::A:root, not aws-cn's account A. */
    @Test
    void crossAccountGrantByBareIdOnAnAwsResourceDoesNotReachAnotherPartition() {
        assertNotEquals("allowed", decide(ALLOW_CONNECT, "arn:aws-cn:iam::" + A + ":user/u-1", agent("aws", B),
                resourcePolicy("Allow", "Principal", "\"" + A + "\"")));
    }

    // --- guards: what the fix must keep ---

    @Test
    void bareIdDenyAppliesInTheCallersOwnPartition() {
        for (String p : new String[] {"aws", "aws-cn", "aws-us-gov"}) {
            for (String caller : new String[] {"arn:" + p + ":iam::" + A + ":user/u-1",
                    "arn:" + p + ":sts::" + A + ":assumed-role/R/s", "arn:" + p + ":iam::" + A + ":root"}) {
                assertEquals("explicitDeny", decide(ALLOW_CONNECT, caller, agent(p, A),
                        resourcePolicy("Deny", "Principal", "\"" + A + "\"")), p + " " + caller);
                assertEquals("explicitDeny", decide(ALLOW_CONNECT, caller, agent(p, B),
                        resourcePolicy("Deny", "Principal", "[\"" + B + "\",\"" + A + "\"]")), p + " " + caller);
            }
        }
    }

    @Test
    void sameAccountGrantToTheAccountIsNoGrantByItself() {
        for (String p : new String[] {"aws", "aws-cn", "aws-us-gov"}) {
            assertEquals("implicitDeny", decide(NOTHING, "arn:" + p + ":iam::" + A + ":user/u-1", agent(p, A),
                    resourcePolicy("Allow", "Principal", "\"" + A + "\"")), p);
            assertEquals("implicitDeny", decide(NOTHING, "arn:" + p + ":iam::" + A + ":user/u-1", agent(p, A),
                    resourcePolicy("Allow", "Principal", "\"arn:" + p + ":iam::" + A + ":root\"")), p);
            assertEquals("allowed", decide(NOTHING, "arn:" + p + ":iam::" + A + ":user/u-1", agent(p, A),
                    resourcePolicy("Allow", "Principal", "\"arn:" + p + ":iam::" + A + ":user/u-1\"")), p);
        }
    }

    /** Only 12 ASCII digits are an account id: near misses name nobody, so a Deny naming them never applies. */
    @Test
    void nearMissIdsNameNobody() {
        for (String id : new String[] {"0" + A.substring(1), A.substring(1), A + "4", " " + A, A + " ",
                "\uff11\uff11\uff11\uff11\uff12\uff12\uff12\uff12\uff13\uff13\uff13\uff13",
                "\u0661\u0661\u0661\u0661\u0662\u0662\u0662\u0662\u0663\u0663\u0663\u0663"}) {
            for (String p : new String[] {"aws", "aws-cn"}) {
                String caller = "arn:" + p + ":iam::" + A + ":user/u-1";
                String rp = resourcePolicy("Allow", "Principal", JSON.valueToTree(id).toString());
                assertNotEquals("allowed", decide(NOTHING, caller, agent(p, B), rp), id);
                String notRp = resourcePolicy("Deny", "NotPrincipal", JSON.valueToTree(id).toString());
                String d = decide(ALLOW_CONNECT, caller, agent(p, A), notRp);
                assertNotEquals("allowed", d, id);
            }
        }
    }
}
