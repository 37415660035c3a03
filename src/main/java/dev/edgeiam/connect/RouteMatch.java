package dev.edgeiam.connect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of mapping an HTTP request to an Amazon Connect API operation.
 *
 * @param operation      operation name (for a custom mapping: its method and path template)
 * @param route          matched {@code METHOD /template}
 * @param iamAction      the IAM action, empty when the reference data has none for this operation
 *                       (the caller must deny; see {@link RouteTable#routesWithoutIamAction()})
 * @param pathParameters label bindings of the matched template
 * @param resources      fully resolved resource ARNs (ARN {@code "*"} when the action supports only all resources)
 * @param notVisible     resources whose identifier is not visible to the authorizer, with an ARN pattern
 * @param problems       identifiers in the request that cannot form a valid ARN (the caller should deny)
 * @param custom         true if an operator mapping matched
 * @param ambiguities    single-valued query members sent more than once (the caller should deny: the request has
 *                       no one meaning)
 * @param query          the route's declared query members with all their values (what condition keys read)
 */
public record RouteMatch(String operation, String route, Optional<String> iamAction, Map<String, String> pathParameters,
                         List<TargetResource> resources, List<NotVisibleResource> notVisible, List<String> problems,
                         boolean custom, List<String> ambiguities, QueryParameters query) {

    public RouteMatch {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(iamAction, "iamAction");
        pathParameters = Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
        resources = List.copyOf(resources);
        notVisible = List.copyOf(notVisible);
        problems = List.copyOf(problems);
        ambiguities = List.copyOf(ambiguities);
        Objects.requireNonNull(query, "query");
    }

    /** The match with other resources (same route, values and findings). */
    public RouteMatch withResources(List<TargetResource> visible, List<NotVisibleResource> hidden) {
        return new RouteMatch(operation, route, iamAction, pathParameters, visible, hidden, problems, custom,
                ambiguities, query);
    }

    /** @return the resolved ARNs in order */
    public List<String> resourceArns() {
        return resources.stream().map(TargetResource::arn).toList();
    }

    /** @return true if an action is known, no identifier was invalid and no required resource is hidden */
    public boolean fullyResolved() {
        return iamAction.isPresent() && problems.isEmpty() && ambiguities.isEmpty()
                && notVisible.stream().noneMatch(NotVisibleResource::required);
    }
}
