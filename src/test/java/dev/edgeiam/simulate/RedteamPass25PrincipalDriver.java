package dev.edgeiam.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Red-team pass 25: SimulateCustomPolicy bodies whose answer depends on a resource policy's
 * {@code Principal}/{@code NotPrincipal} — bare account ids, root ARNs, user/role/session ARNs, odd ids — with
 * callers, resources and owners in (possibly different) partitions. Loaded once per build under test by
 * {@code RedteamPass25PrincipalDifferentialTest}; the answers are compared line by line.
 */
public final class RedteamPass25PrincipalDriver {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PARTITIONS = List.of("aws", "aws", "aws-cn", "aws-us-gov");
    static final List<String> ACCOUNTS = List.of("111122223333", "111122223333", "444455556666");
    static final List<String> ODD = List.of("011122223333", "11112222333", "1111222233334",
            "\uff11\uff11\uff11\uff11\uff12\uff12\uff12\uff12\uff13\uff13\uff13\uff13", " 111122223333",
            "111122223333 ", "*", "arn:aws:iam::111122223333:root/", "arn:aws:iam:us-east-1:111122223333:root",
            "arn:aws:sts::111122223333:root", "arn:aws:iam::111122223333:ROOT", "arn:aws-cn:iam::*:root",
            "arn:aws:iam::111122223333:user/*", "\u0661\u0661\u0661\u0661\u0662\u0662\u0662\u0662\u0663\u0663\u0663\u0663");

    private RedteamPass25PrincipalDriver() {
    }

    static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** A principal identifier a policy might list. */
    static String id(SplittableRandom r) {
        String p = pick(r, PARTITIONS);
        String a = pick(r, ACCOUNTS);
        return switch (r.nextInt(11)) {
            case 0, 1, 2 -> a;
            case 3, 4 -> "arn:" + p + ":iam::" + a + ":root";
            case 5 -> "arn:" + p + ":iam::" + a + ":user/" + (r.nextBoolean() ? "dev/" : "") + "u-1";
            case 6 -> "arn:" + p + ":iam::" + a + ":role/" + (r.nextBoolean() ? "p/" : "") + "R";
            case 7 -> "arn:" + p + ":sts::" + a + ":assumed-role/R/s";
            case 8 -> "arn:" + p + ":sts::" + a + ":federated-user/f";
            default -> pick(r, ODD);
        };
    }

    /** A caller ARN (or not quite one). */
    static String caller(SplittableRandom r) {
        String p = pick(r, PARTITIONS);
        String a = pick(r, ACCOUNTS);
        return switch (r.nextInt(9)) {
            case 0, 1 -> "arn:" + p + ":iam::" + a + ":user/" + (r.nextBoolean() ? "dev/" : "") + "u-1";
            case 2, 3 -> "arn:" + p + ":sts::" + a + ":assumed-role/R/s";
            case 4 -> "arn:" + p + ":iam::" + a + ":role/R";
            case 5 -> "arn:" + p + ":sts::" + a + ":federated-user/f";
            case 6 -> "arn:" + p + ":iam::" + a + ":root";
            case 7 -> a;
            default -> pick(r, ODD);
        };
    }

    static String resource(SplittableRandom r) {
        String p = pick(r, PARTITIONS);
        String a = pick(r, ACCOUNTS);
        return "arn:" + p + ":connect:us-east-1:" + a + ":instance/11111111-2222-3333-4444-555555555555/agent/u-1";
    }

    static ObjectNode principalElement(SplittableRandom r) {
        ObjectNode el = JSON.createObjectNode();
        int n = 1 + r.nextInt(3);
        if (n == 1 && r.nextBoolean()) {
            el.put("AWS", id(r));
        } else {
            ArrayNode ids = el.putArray("AWS");
            for (int i = 0; i < n; i++) {
                ids.add(id(r));
            }
        }
        if (r.nextInt(10) == 0) {
            el.put("Service", "connect.amazonaws.com");
        }
        return el;
    }

    static String resourcePolicy(SplittableRandom r) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("Version", "2012-10-17");
        ArrayNode statements = doc.putArray("Statement");
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            ObjectNode s = statements.addObject();
            boolean deny = r.nextInt(3) == 0;
            s.put("Effect", deny ? "Deny" : "Allow");
            int pe = r.nextInt(10);
            if (pe == 0) {
                s.put("Principal", "*");
            } else if (pe < 4) {
                s.set("NotPrincipal", principalElement(r));
            } else {
                s.set("Principal", principalElement(r));
            }
            s.put("Action", pick(r, List.of("connect:*", "connect:DescribeUser", "*")));
            s.put("Resource", r.nextBoolean() ? "*" : resource(r));
        }
        return doc.toString();
    }

    static String identityPolicy(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
            case 1 -> "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:DescribeUser\",\"Resource\":\""
                    + resource(r) + "\"}]}";
            default -> "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:*\",\"Resource\":\"*\"}]}";
        };
    }

    /** Random bodies, as JSON text (so both builds get the same bytes). */
    public static List<String> bodies(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("PolicyInputList").add(identityPolicy(r));
            if (r.nextInt(5) == 0) {
                body.putArray("PermissionsBoundaryPolicyInputList").add(r.nextBoolean() ? identityPolicy(r)
                        : "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}");
            }
            if (r.nextInt(6) == 0) {
                body.putArray("SessionPolicyInputList").add(identityPolicy(r));
            }
            body.putArray("ActionNames").add("connect:DescribeUser");
            ArrayNode arns = body.putArray("ResourceArns");
            for (int k = 1 + r.nextInt(2); k > 0; k--) {
                arns.add(resource(r));
            }
            body.put("CallerArn", caller(r));
            if (r.nextInt(4) == 0) {
                body.put("ResourceOwner", "arn:" + pick(r, PARTITIONS) + ":iam::" + pick(r, ACCOUNTS) + ":root");
            }
            body.put("ResourcePolicy", resourcePolicy(r));
            out.add(body.toString());
        }
        return out;
    }

    /** One line per body: the decision (and reason) per resource, or the error. */
    public static List<String> answers(List<String> bodies) throws Exception {
        CustomPolicySimulator sim = new CustomPolicySimulator();
        List<String> out = new ArrayList<>(bodies.size());
        for (String text : bodies) {
            JsonNode res = sim.simulate(JSON.readTree(text));
            StringBuilder line = new StringBuilder();
            if (res.has("errorCode")) {
                line.append("error ").append(res.get("errorCode").asText());
            } else {
                for (JsonNode e : res.get("EvaluationResults")) {
                    line.append(e.path("EvalDecision").asText()).append('/').append(e.path("Reason").asText());
                    for (JsonNode m : e.path("MatchedStatements")) {
                        line.append(',').append(m.path("SourcePolicyId").asText()).append('@')
                                .append(m.path("StartPosition").path("Column").asText());
                    }
                    line.append(' ');
                }
            }
            out.add(line.toString().trim());
        }
        return out;
    }
}
