package dev.edgeiam.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes authorizer answers exactly as API Gateway expects them (API Gateway Developer Guide, "Output from an
 * API Gateway Lambda authorizer", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html):
 * the IAM policy response {@code {principalId, policyDocument, context}} — a {@code context} whose values are only
 * strings, numbers and booleans — or, for HTTP APIs with simple responses, {@code {isAuthorized, context}} with a
 * JSON boolean. Written straight to bytes with Jackson's generator (no tree): these are the bytes the function
 * returns.
 */
public final class AuthorizerResponses {

    private static final JsonFactory JSON = new JsonFactory();

    private AuthorizerResponses() {
    }

    /** The IAM policy response; an empty allow and deny list still yields a valid policy that denies. */
    public static byte[] policy(String principalId, GatewayPolicy policy, Map<String, Object> context) {
        return write(g -> {
            g.writeStringField("principalId", principalId);
            g.writeObjectFieldStart("policyDocument");
            g.writeStringField("Version", "2012-10-17");
            g.writeArrayFieldStart("Statement");
            List<String> allow = policy.allow();
            List<String> deny = policy.deny();
            if (!allow.isEmpty()) {
                statement(g, "Allow", allow);
            }
            if (!deny.isEmpty() || allow.isEmpty()) {
                statement(g, "Deny", deny.isEmpty() ? List.of("*") : deny);
            }
            g.writeEndArray();
            g.writeEndObject();
            context(g, context);
        });
    }

    /** The HTTP API simple response. */
    public static byte[] simple(boolean authorized, Map<String, Object> context) {
        return write(g -> {
            g.writeBooleanField("isAuthorized", authorized);
            context(g, context);
        });
    }

    private interface Members {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object with the given members, as bytes. */
    private static byte[] write(Members members) {
        // the output block comes from, and goes back to, Jackson's per-thread buffer pool (as ObjectMapper's
        // writeValueAsBytes does): only the finished answer is a new array
        BufferRecycler recycler = JSON._getBufferRecycler();
        try {
            ByteArrayBuilder out = new ByteArrayBuilder(recycler);
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                members.write(g);
                g.writeEndObject();
            }
            return out.getClearAndRelease();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        } finally {
            recycler.releaseToPool();
        }
    }

    private static void statement(JsonGenerator g, String effect, List<String> resources) throws IOException {
        g.writeStartObject();
        g.writeStringField("Effect", effect);
        g.writeStringField("Action", "execute-api:Invoke");
        if (resources.size() == 1) {
            g.writeStringField("Resource", resources.get(0));
        } else {
            g.writeArrayFieldStart("Resource");
            for (String r : resources) {
                g.writeString(r);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** Only strings, numbers and booleans: anything else becomes its string form; nulls are dropped. */
    private static void context(JsonGenerator g, Map<String, Object> values) throws IOException {
        g.writeObjectFieldStart("context");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Boolean b) {
                g.writeBooleanField(e.getKey(), b);
            } else if (v instanceof Integer i) {
                g.writeNumberField(e.getKey(), i);
            } else if (v instanceof Long l) {
                g.writeNumberField(e.getKey(), l);
            } else if (v != null) {
                g.writeStringField(e.getKey(), v.toString());
            }
        }
        g.writeEndObject();
    }
}
