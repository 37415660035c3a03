package dev.edgeiam.connect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One IAM resource type of a route's action ({@code connect-api-routes.json}
 * {@code operations[].resources[]}): the SAR resource type, its required ({@code *}) flag, the ARN
 * template and, per template variable, where its value comes from in the request.
 *
 * @param type      SAR resource type name
 * @param required  SAR required flag
 * @param template  ARN template of the type
 * @param variables template variable → source, in template order
 */
public record RouteResource(String type, boolean required, ArnTemplate template, Map<String, VariableSource> variables) {

    public RouteResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(template, "template");
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** @return the source of the variable identifying the resource itself, or null for wildcard types */
    public VariableSource identifierSource() {
        String id = template.identifierVariable();
        return id == null ? null : variables.get(id);
    }

    /**
     * @return the request value that identifies this resource: the identifier's source, or for
     *         wildcard types (no identifier) the first path/query source of any variable (e.g. the
     *         {@code resourceArn} components of {@code wildcard-phone-number} in {@code TagResource});
     *         null if none
     */
    public VariableSource groupingSource() {
        VariableSource id = identifierSource();
        if (id != null) {
            return id;
        }
        return variables.values().stream()
                .filter(s -> s.kind() == VariableSource.Kind.PATH || s.kind() == VariableSource.Kind.QUERY)
                .findFirst().orElse(null);
    }

    /** @return true if every variable is visible without the body (the data's {@code resolvableWithoutBody}) */
    public boolean visibleToAuthorizer() {
        return variables.values().stream().allMatch(VariableSource::visibleToAuthorizer);
    }
}
