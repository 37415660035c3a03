package dev.edgeiam.connect;

import java.util.Objects;

/**
 * Where the value of one ARN template variable comes from in a Connect API request, as recorded in
 * {@code connect-api-routes.json} ({@code resources[].variables}): {@code context} (partition, Region,
 * account of the deployment), {@code path:<label>}, {@code query:<wire name>}, {@code body:<member>},
 * {@code generated} (assigned by the service) or {@code notInRequestTopLevel}. Two path forms carry a
 * modifier: {@code path:X (qualifier suffix after ":")} and {@code path:resourceArn (component of the ARN)}.
 *
 * @param kind     the kind of source
 * @param name     the label / wire name / member for PATH, QUERY and BODY, else empty
 * @param modifier how the variable is taken from the value
 */
public record VariableSource(Kind kind, String name, Modifier modifier) {

    /** Kinds of source; only CONTEXT, PATH and QUERY are visible to a REST/HTTP API Lambda authorizer. */
    public enum Kind { CONTEXT, PATH, QUERY, BODY, GENERATED, NOT_IN_REQUEST }

    /** How a variable is extracted from a request value. */
    public enum Modifier {
        /** the whole value (or, if the value is an ARN, the same-named part of it) */
        WHOLE,
        /** the suffix after the first {@code :} (view / metric qualifier such as {@code $SAVED}) */
        QUALIFIER_SUFFIX,
        /** the value is a full ARN; the variable is its same-named component */
        ARN_COMPONENT
    }

    public VariableSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modifier, "modifier");
    }

    /** @return true for sources an authorizer can see without the request body */
    public boolean visibleToAuthorizer() {
        return kind == Kind.CONTEXT || kind == Kind.PATH || kind == Kind.QUERY;
    }

    /**
     * Parses the textual form used in {@code connect-api-routes.json}.
     *
     * @throws IllegalArgumentException for an unknown form
     */
    public static VariableSource parse(String text) {
        switch (text) {
            case "context":
                return new VariableSource(Kind.CONTEXT, "", Modifier.WHOLE);
            case "generated":
                return new VariableSource(Kind.GENERATED, "", Modifier.WHOLE);
            case "notInRequestTopLevel":
                return new VariableSource(Kind.NOT_IN_REQUEST, "", Modifier.WHOLE);
            default:
                break;
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("unknown variable source '" + text + "'");
        }
        String kindText = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        Modifier modifier = Modifier.WHOLE;
        int space = rest.indexOf(' ');
        if (space >= 0) {
            String remark = rest.substring(space + 1);
            rest = rest.substring(0, space);
            if (remark.startsWith("(qualifier suffix")) {
                modifier = Modifier.QUALIFIER_SUFFIX;
            } else if (remark.startsWith("(component of the ARN")) {
                modifier = Modifier.ARN_COMPONENT;
            } else {
                throw new IllegalArgumentException("unknown variable source remark in '" + text + "'");
            }
        }
        Kind kind = switch (kindText) {
            case "path" -> Kind.PATH;
            case "query" -> Kind.QUERY;
            case "body" -> Kind.BODY;
            default -> throw new IllegalArgumentException("unknown variable source '" + text + "'");
        };
        return new VariableSource(kind, rest, modifier);
    }
}
