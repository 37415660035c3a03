package dev.edgeiam.gateway;

import java.util.ArrayList;
import java.util.List;

/**
 * One route of the protected API: an HTTP method ({@code ANY} for every method) and a path template whose
 * {@code {label}} segments match one non-empty path segment and whose {@code {label+}} matches the rest
 * (API Gateway's path-parameter rules).
 */
public record ApiRoute(String method, String pathTemplate) {

    public ApiRoute {
        if (!pathTemplate.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + pathTemplate);
        }
    }

    /** The route as a pattern over {@code VERB/path} text, for overlap checks. */
    RouteShape shape() {
        List<RouteShape.Token> tokens = new ArrayList<>();
        if (method.equals("ANY")) {
            tokens.add(RouteShape.Token.segment());
        } else {
            for (char c : method.toCharArray()) {
                tokens.add(RouteShape.Token.literal(c));
            }
        }
        String[] segments = pathTemplate.substring(1).split("/", -1);
        if (pathTemplate.equals("/")) {
            segments = new String[0];
            tokens.add(RouteShape.Token.literal('/'));
        }
        for (String s : segments) {
            tokens.add(RouteShape.Token.literal('/'));
            if (s.startsWith("{") && s.endsWith("+}")) {
                tokens.add(RouteShape.Token.rest());
            } else if (s.startsWith("{") && s.endsWith("}")) {
                tokens.add(RouteShape.Token.segment());
            } else {
                for (char c : s.toCharArray()) {
                    tokens.add(RouteShape.Token.literal(c));
                }
            }
        }
        return new RouteShape(tokens);
    }

    /** The per-route policy pattern: each label becomes {@code *}. */
    String pattern() {
        StringBuilder b = new StringBuilder(method.equals("ANY") ? "*" : method);
        if (pathTemplate.equals("/")) {
            return b.append('/').toString();
        }
        for (String s : pathTemplate.substring(1).split("/", -1)) {
            b.append('/').append(s.startsWith("{") ? "*" : s);
        }
        return b.toString();
    }

    /** Literal segments before the first label, for coarser patterns. */
    List<String> literalPrefix() {
        List<String> out = new ArrayList<>();
        if (pathTemplate.equals("/")) {
            return out;
        }
        for (String s : pathTemplate.substring(1).split("/", -1)) {
            if (s.startsWith("{")) {
                break;
            }
            out.add(s);
        }
        return out;
    }
}
