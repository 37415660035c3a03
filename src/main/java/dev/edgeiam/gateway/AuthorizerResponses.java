package dev.edgeiam.gateway;

import java.util.List;

/**
 * Writes authorizer answers exactly as API Gateway expects them (API Gateway Developer Guide, "Output from an
 * API Gateway Lambda authorizer", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html):
 * the IAM policy response {@code {principalId, policyDocument, context}} — a {@code context} whose values are only
 * strings, numbers and booleans — or, for HTTP APIs with simple responses, {@code {isAuthorized, context}} with a
 * JSON boolean. Written straight to bytes by {@link AnswerBytes} (no tree, no generator set up per answer; the same
 * bytes Jackson's generator writes): these are the bytes the function returns.
 */
public final class AuthorizerResponses {

    /** Per thread, reused: an answer's bytes stay in its buffer, lent ({@link WrittenAnswer}) until the next answer. */
    private static final ThreadLocal<AnswerBytes> WRITERS = new ThreadLocal<>() {
        @Override
        protected AnswerBytes initialValue() {
            return new AnswerBytes();
        }
    };

    private AuthorizerResponses() {
    }

    /** The IAM policy response; an empty allow and deny list still yields a valid policy that denies. */
    public static WrittenAnswer policy(String principalId, GatewayPolicy policy, AnswerContext context) {
        AnswerBytes w = WRITERS.get().reset().startObject();
        w.name("principalId").string(principalId);
        w.name("policyDocument").startObject();
        w.name("Version").string("2012-10-17");
        w.name("Statement").startArray();
        List<String> allow = policy.allow();
        List<String> deny = policy.deny();
        if (!allow.isEmpty()) {
            statement(w, "Allow", allow);
        }
        if (!deny.isEmpty() || allow.isEmpty()) {
            statement(w, "Deny", deny.isEmpty() ? List.of("*") : deny);
        }
        w.endArray().endObject();
        context.write(w);
        return w.endObject().lend();
    }

    /** The HTTP API simple response. */
    public static WrittenAnswer simple(boolean authorized, AnswerContext context) {
        AnswerBytes w = WRITERS.get().reset().startObject();
        w.name("isAuthorized").bool(authorized);
        context.write(w);
        return w.endObject().lend();
    }

    private static void statement(AnswerBytes w, String effect, List<String> resources) {
        w.startObject();
        w.name("Effect").string(effect);
        w.name("Action").string("execute-api:Invoke");
        if (resources.size() == 1) {
            w.name("Resource").string(resources.get(0));
        } else {
            w.name("Resource").startArray();
            for (String r : resources) {
                w.string(r);
            }
            w.endArray();
        }
        w.endObject();
    }
}
