package dev.edgeiam.connect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Amazon Connect REST operation ({@code connect-api-routes.json} {@code operations[]}): HTTP
 * method, URI template, query bindings, the IAM action authorizing it and its resources.
 *
 * <p>{@code iamAction} is present only when the action exists in the Service Authorization Reference
 * data ({@code iamActionInCatalog=true}). For the other operations the data gives only a presumed name
 * ({@link #presumedIamAction()}), which is never used for authorization.
 *
 * @param operation         API operation name (e.g. {@code DescribeUser})
 * @param method            upper-case HTTP method
 * @param path              URI template
 * @param queryParameters   query wire name → input member name
 * @param listQueryParameters the query wire names that are lists (every repetition is one more element); the
 *                          others are single-valued
 * @param iamAction         {@code connect:<Operation>} when the action is in the SAR data
 * @param presumedIamAction the data's {@code iamAction} text, even when not in the SAR data
 * @param resources         resource types of the action with variable sources
 * @param note              the data's note (explains a missing action), or empty
 * @param olderReferenceResources resource types an older snapshot of the SAR listed for the action and the current one
 *                          does not (its {@code onlyInOlderSnapshot}): evaluated as well as {@code resources}, so a
 *                          request is allowed only where both readings allow it
 */
public record RouteDefinition(String operation, String method, PathTemplate path, Map<String, String> queryParameters,
                              java.util.Set<String> listQueryParameters, Optional<String> iamAction,
                              String presumedIamAction, List<RouteResource> resources, String note,
                              List<RouteResource> olderReferenceResources) {

    public RouteDefinition {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        queryParameters = Collections.unmodifiableMap(new LinkedHashMap<>(queryParameters));
        listQueryParameters = java.util.Set.copyOf(listQueryParameters);
        Objects.requireNonNull(iamAction, "iamAction");
        resources = List.copyOf(resources);
        note = note == null ? "" : note;
        olderReferenceResources = List.copyOf(olderReferenceResources);
    }

    /** A route with the current reference's resources only. */
    public RouteDefinition(String operation, String method, PathTemplate path, Map<String, String> queryParameters,
                           java.util.Set<String> listQueryParameters, Optional<String> iamAction,
                           String presumedIamAction, List<RouteResource> resources, String note) {
        this(operation, method, path, queryParameters, listQueryParameters, iamAction, presumedIamAction, resources,
                note, List.of());
    }

    /** @return e.g. {@code GET /users/{InstanceId}/{UserId}} */
    public String route() {
        return method + " " + path.template();
    }
}
