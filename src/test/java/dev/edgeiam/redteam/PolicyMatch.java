package dev.edgeiam.redteam;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The test's own reading of how API Gateway applies an authorizer's (cached) policy to a request, written from the
 * API Gateway Developer Guide ("Output from an API Gateway Lambda authorizer": {@code execute-api:Invoke}
 * statements whose {@code Resource} accepts {@code *} and {@code ?} wildcards; an explicit Deny wins; a policy that
 * does not allow the method ARN gives 403) and IAM's wildcard rule ({@code *} matches any run of characters,
 * {@code /} and {@code :} included; {@code ?} exactly one). Shares nothing with the production builder: it is a
 * regular expression over the whole ARN.
 */
final class PolicyMatch {

    private PolicyMatch() {
    }

    /** Whether API Gateway lets a request with this method ARN through under the answer's policy. */
    static boolean allows(JsonNode answer, String methodArn) {
        if (!answer.has("policyDocument")) {
            return false; // Unauthorized, or a simple response (not a policy)
        }
        boolean allowed = false;
        for (JsonNode s : statements(answer.path("policyDocument"))) {
            if (!invokes(s.path("Action"))) {
                continue;
            }
            boolean matches = false;
            for (String resource : strings(s.path("Resource"))) {
                matches |= glob(resource).matcher(methodArn).matches();
            }
            if (matches && s.path("Effect").asText().equals("Deny")) {
                return false;
            }
            allowed |= matches && s.path("Effect").asText().equals("Allow");
        }
        return allowed;
    }

    private static List<JsonNode> statements(JsonNode doc) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode st = doc.path("Statement");
        if (st.isArray()) {
            st.forEach(out::add);
        } else if (st.isObject()) {
            out.add(st);
        }
        return out;
    }

    private static boolean invokes(JsonNode action) {
        for (String a : strings(action)) {
            if (glob(a.toLowerCase()).matcher("execute-api:invoke").matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
        return out;
    }

    static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                re.append("(?s:.*)");
            } else if (c == '?') {
                re.append("(?s:.)");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
