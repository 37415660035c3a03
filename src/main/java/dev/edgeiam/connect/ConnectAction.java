package dev.edgeiam.connect;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An Amazon Connect IAM action from the Service Authorization Reference ("Actions defined by Amazon
 * Connect" table): access level, resource types (with the required flag), condition keys and
 * dependent actions.
 *
 * <p>An action whose {@link #resourceTypes()} is empty supports only {@code "Resource": "*"} (SAR
 * convention). Condition keys are the union of the keys listed on the action's rows.
 *
 * @param name                   canonical action name without prefix (e.g. {@code DescribeUser})
 * @param accessLevel            SAR access level: {@code List}, {@code Read}, {@code Write},
 *                               {@code Permissions management}, {@code Tagging}, or a combination such
 *                               as {@code "Tagging, Write"}
 * @param description            SAR description
 * @param resourceTypes          resource types in SAR order
 * @param conditionKeys          condition key names in canonical spelling
 * @param dependentActions       SAR "Dependent actions" column ({@code service:Action})
 * @param dependentActionsKnown  false when the action postdates the dependent-action snapshot, so the
 *                               empty/partial list is not authoritative
 * @param apiOperation           the API operation with the same name ({@code connect:Op} or
 *                               {@code connect-contact-lens:Op}); empty for permission-only actions
 */
public record ConnectAction(
        String name,
        String accessLevel,
        String description,
        List<ActionResourceType> resourceTypes,
        List<String> conditionKeys,
        List<String> dependentActions,
        boolean dependentActionsKnown,
        Optional<String> apiOperation) {

    public ConnectAction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accessLevel, "accessLevel");
        description = description == null ? "" : description;
        resourceTypes = List.copyOf(resourceTypes);
        conditionKeys = List.copyOf(conditionKeys);
        dependentActions = List.copyOf(dependentActions);
        apiOperation = Objects.requireNonNull(apiOperation, "apiOperation");
    }

    /** @return the IAM action string, e.g. {@code connect:DescribeUser} */
    public String iamAction() {
        return ConnectCatalog.SERVICE_PREFIX + ":" + name;
    }

    /** @return true if the SAR lists no resource type, i.e. the action supports only {@code Resource "*"} */
    public boolean supportsOnlyAllResources() {
        return resourceTypes.isEmpty();
    }

    /** @return the resource type row with this name (exact, resource type names are lower-case) */
    public Optional<ActionResourceType> resourceType(String typeName) {
        return resourceTypes.stream().filter(r -> r.name().equals(typeName)).findFirst();
    }

    /** @return the names of the required ({@code *}) resource types */
    public List<String> requiredResourceTypeNames() {
        return resourceTypes.stream().filter(ActionResourceType::required).map(ActionResourceType::name).toList();
    }
}
