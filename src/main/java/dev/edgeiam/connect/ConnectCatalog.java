package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Amazon Connect ({@code connect}) part of the AWS Service Authorization Reference: 387 actions
 * with access level, resource types (required flag), condition keys and dependent actions; 45
 * resource types with ARN template and condition keys; 21 condition keys (18 {@code connect:*}).
 *
 * <p>Loaded once from the class-path resource {@value #IAM_RESOURCE} (at run time from the compact form the build
 * makes of it, {@code ConnectModelForm}); immutable; lookups are hash
 * based. Action and condition key names are matched case-insensitively, as IAM does; resource type
 * names are matched exactly (they are lower-case in the SAR).
 */
public final class ConnectCatalog {

    /** IAM service prefix of Amazon Connect. */
    public static final String SERVICE_PREFIX = "connect";
    /** Class-path resource holding the SAR data. */
    public static final String IAM_RESOURCE = "/connect/connect-iam.json";

    private static final class DefaultHolder {
        static final ConnectCatalog INSTANCE = ConnectCatalogLoader.fromDefaultResources();
    }

    private final List<ConnectAction> actions;
    private final Map<String, ConnectAction> actionsByLowerName;
    private final List<ResourceType> resourceTypes;
    private final Map<String, ResourceType> resourceTypesByName;
    private final List<ConditionKey> conditionKeys;
    private final Map<String, ConditionKey> conditionKeysByLowerName;
    private final ArnParser arnParser;

    ConnectCatalog(List<ConnectAction> actions, List<ResourceType> resourceTypes, List<ConditionKey> conditionKeys) {
        List<ConnectAction> sorted = new ArrayList<>(actions);
        sorted.sort(ByName.INSTANCE);
        this.actions = Collections.unmodifiableList(sorted);
        Map<String, ConnectAction> actionsByLower = new LinkedHashMap<>();
        for (ConnectAction a : this.actions) {
            putUnique(actionsByLower, a.name().toLowerCase(Locale.ROOT), a);
        }
        this.actionsByLowerName = Collections.unmodifiableMap(actionsByLower);
        this.resourceTypes = List.copyOf(resourceTypes);
        Map<String, ResourceType> typesByName = new LinkedHashMap<>();
        List<ArnTemplate> templates = new ArrayList<>(this.resourceTypes.size());
        for (ResourceType t : this.resourceTypes) {
            putUnique(typesByName, t.name(), t);
            templates.add(t.arnTemplate());
        }
        this.resourceTypesByName = Collections.unmodifiableMap(typesByName);
        this.conditionKeys = List.copyOf(conditionKeys);
        Map<String, ConditionKey> keysByLower = new LinkedHashMap<>();
        for (ConditionKey k : this.conditionKeys) {
            putUnique(keysByLower, k.name().toLowerCase(Locale.ROOT), k);
        }
        this.conditionKeysByLowerName = Collections.unmodifiableMap(keysByLower);
        this.arnParser = new ArnParser(templates);
        for (ConnectAction a : this.actions) {
            for (ActionResourceType r : a.resourceTypes()) {
                if (!resourceTypesByName.containsKey(r.name())) {
                    throw new IllegalStateException("action " + a.name() + " references unknown resource type " + r.name());
                }
            }
        }
    }

    /** Orders actions by name, as {@link #actions()} lists them. */
    private static final class ByName implements Comparator<ConnectAction> {
        static final ByName INSTANCE = new ByName();

        @Override
        public int compare(ConnectAction a, ConnectAction b) {
            return a.name().compareTo(b.name());
        }
    }

    /** Adds an entry to a lookup map; two entries under one key are a defect of the data. */
    private static <T> void putUnique(Map<String, T> map, String key, T value) {
        if (map.put(key, value) != null) {
            throw new IllegalStateException("duplicate entry " + key);
        }
    }

    /** @return the catalog loaded from {@value #IAM_RESOURCE} (loaded once, on first use) */
    public static ConnectCatalog defaultCatalog() {
        return DefaultHolder.INSTANCE;
    }

    /** @return all actions sorted by name */
    public List<ConnectAction> actions() {
        return actions;
    }

    /**
     * @param action {@code connect:DescribeUser} or {@code DescribeUser}, any case
     * @return the action, or empty if unknown or of another service
     */
    public Optional<ConnectAction> action(String action) {
        if (action == null) {
            return Optional.empty();
        }
        String name = action;
        int colon = action.indexOf(':');
        if (colon >= 0) {
            if (!action.substring(0, colon).equalsIgnoreCase(SERVICE_PREFIX)) {
                return Optional.empty();
            }
            name = action.substring(colon + 1);
        }
        return Optional.ofNullable(actionsByLowerName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** @return all resource types in SAR order */
    public List<ResourceType> resourceTypes() {
        return resourceTypes;
    }

    /** @return the resource type with this exact name (e.g. {@code routing-profile}) */
    public Optional<ResourceType> resourceType(String name) {
        return Optional.ofNullable(resourceTypesByName.get(name));
    }

    /** @return all condition keys (service-specific {@code connect:*} and the {@code aws:*} keys the SAR lists) */
    public List<ConditionKey> conditionKeys() {
        return conditionKeys;
    }

    /**
     * Looks a condition key up case-insensitively. A concrete key such as {@code aws:ResourceTag/Dept}
     * or {@code connect:SearchTag/team} resolves to its templated entry ({@code .../${TagKey}}).
     */
    public Optional<ConditionKey> conditionKey(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        ConditionKey exact = conditionKeysByLowerName.get(lower);
        if (exact != null) {
            return Optional.of(exact);
        }
        return conditionKeys.stream().filter(ConditionKey::isTemplated)
                .filter(k -> lower.startsWith(k.templatePrefix().toLowerCase(Locale.ROOT))
                        && lower.length() > k.templatePrefix().length())
                .findFirst();
    }

    /**
     * Expands an IAM action pattern against the Connect actions.
     *
     * @param pattern e.g. {@code connect:Describe*}, {@code connect:*User?}, {@code *}; glob {@code *} and
     *                {@code ?}, case-insensitive on both the prefix and the name
     * @return matching actions as {@code connect:Name}, sorted by name; empty if none (or another service)
     */
    public List<String> expandActionPattern(String pattern) {
        if (pattern == null) {
            return List.of();
        }
        int colon = pattern.indexOf(':');
        ActionGlob service = new ActionGlob(colon < 0 ? pattern : pattern.substring(0, colon));
        ActionGlob name = new ActionGlob(colon < 0 ? "*" : pattern.substring(colon + 1));
        if (colon < 0 && !pattern.equals("*")) {
            return List.of();
        }
        if (!service.matches(SERVICE_PREFIX)) {
            return List.of();
        }
        return actions.stream().filter(a -> name.matches(a.name())).map(ConnectAction::iamAction).toList();
    }

    /** @return the ARN parser built from this catalog's resource type templates */
    public ArnParser arns() {
        return arnParser;
    }

    /**
     * Identifies which of the action's resource types an ARN is (resolves shapes shared by several
     * types, e.g. {@code customer-managed-view-version} vs {@code qualified-customer-managed-view}).
     *
     * @return the resource type name; empty if the action is unknown or the ARN is none of its types
     * @throws MalformedArnException if the ARN is malformed
     */
    public Optional<String> resourceTypeFor(String action, String arn) {
        Optional<ConnectAction> a = action(action);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        return arnParser.resourceTypeFor(a.get(), arn);
    }
}
