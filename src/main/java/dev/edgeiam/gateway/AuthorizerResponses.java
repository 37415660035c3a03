package dev.edgeiam.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * Writes authorizer answers exactly as API Gateway expects them (API Gateway Developer Guide, "Output from an
 * API Gateway Lambda authorizer"): the IAM policy response {@code {principalId, policyDocument, context}} — a
 * {@code context} whose values are only strings, numbers and booleans — or, for HTTP APIs with simple responses,
 * {@code {isAuthorized, context}} with a JSON boolean.
 */
public final class AuthorizerResponses {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AuthorizerResponses() {
    }

    /** The IAM policy response; an empty allow and deny list still yields a valid policy that denies. */
    public static ObjectNode policy(String principalId, GatewayPolicy policy, Map<String, Object> context) {
        ObjectNode out = JSON.objectNode();
        out.put("principalId", principalId);
        ObjectNode doc = out.putObject("policyDocument");
        doc.put("Version", "2012-10-17");
        ArrayNode statements = doc.putArray("Statement");
        List<String> allow = policy.allow();
        List<String> deny = policy.deny();
        if (!allow.isEmpty()) {
            statement(statements, "Allow", allow);
        }
        if (!deny.isEmpty() || allow.isEmpty()) {
            statement(statements, "Deny", deny.isEmpty() ? List.of("*") : deny);
        }
        out.set("context", context(context));
        return out;
    }

    /** The HTTP API simple response. */
    public static ObjectNode simple(boolean authorized, Map<String, Object> context) {
        ObjectNode out = JSON.objectNode();
        out.put("isAuthorized", authorized);
        out.set("context", context(context));
        return out;
    }

    private static void statement(ArrayNode statements, String effect, List<String> resources) {
        ObjectNode s = statements.addObject();
        s.put("Effect", effect);
        s.put("Action", "execute-api:Invoke");
        if (resources.size() == 1) {
            s.put("Resource", resources.get(0));
        } else {
            ArrayNode r = s.putArray("Resource");
            resources.forEach(r::add);
        }
    }

    /** Only strings, numbers and booleans: anything else becomes its string form; nulls are dropped. */
    private static ObjectNode context(Map<String, Object> values) {
        ObjectNode ctx = JSON.objectNode();
        values.forEach((k, v) -> {
            if (v instanceof Boolean b) {
                ctx.put(k, b);
            } else if (v instanceof Integer i) {
                ctx.put(k, i);
            } else if (v instanceof Long l) {
                ctx.put(k, l);
            } else if (v != null) {
                ctx.put(k, v.toString());
            }
        });
        return ctx;
    }
}
