package dev.edgeiam.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code connect-iam.json} (Service Authorization Reference data for {@code connect}) with a
 * Jackson tree into {@link CatalogRows} (the fields read, nothing derived), and builds the {@link ConnectCatalog}
 * from rows ({@link #build}; the compact build-time form, {@link ConnectModelForm}, goes through it too). Fields used: {@code actions[]} (name, accessLevel,
 * description, resourceTypes[{name, required}], conditionKeys, dependentActions,
 * notInSupplementarySnapshot, apiOperation), {@code resourceTypes[]} (name, arn, conditionKeys) and
 * {@code conditionKeys[]} (name, type, multivalued, description). The derived {@code arnRegex} is not
 * used: matchers are built from the {@code arn} templates.
 */
final class ConnectCatalogLoader {

    /** Made on the first JSON read only: a start that reads the compact form needs no mapper here. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private ConnectCatalogLoader() {
    }

    /** One resource type as the data gives it: the ARN template unparsed. */
    record ResourceTypeRow(String name, String arn, List<String> conditionKeys) {
        ResourceTypeRow {
            conditionKeys = List.copyOf(conditionKeys);
        }
    }

    /**
     * The catalog's fields as the data gives them ({@link ConnectAction} and {@link ConditionKey} are such rows
     * already), in data order.
     */
    record CatalogRows(List<ConnectAction> actions, List<ResourceTypeRow> resourceTypes,
                       List<ConditionKey> conditionKeys) {
        CatalogRows {
            actions = List.copyOf(actions);
            resourceTypes = List.copyOf(resourceTypes);
            conditionKeys = List.copyOf(conditionKeys);
        }
    }

    /**
     * The default catalog: the rows of the build's compact form ({@link ConnectModelForm#CATALOG_FORM}), or of
     * {@value ConnectCatalog#IAM_RESOURCE} when the class path has no compact form (a build that skipped it).
     */
    static ConnectCatalog fromDefaultResources() {
        Optional<CatalogRows> compact = ConnectModelForm.catalogFromClasspath();
        return build(compact.isPresent() ? compact.get() : rowsFromClasspath(ConnectCatalog.IAM_RESOURCE));
    }

    static ConnectCatalog fromClasspath(String resource) {
        return build(rowsFromClasspath(resource));
    }

    static CatalogRows rowsFromClasspath(String resource) {
        try (InputStream in = ConnectCatalogLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource not found: " + resource);
            }
            return rows(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static ConnectCatalog fromJson(JsonNode root) {
        return build(rows(root));
    }

    static CatalogRows rows(JsonNode root) {
        List<ConnectAction> actions = new ArrayList<>();
        for (JsonNode a : required(root, "actions")) {
            List<ActionResourceType> types = new ArrayList<>();
            for (JsonNode r : required(a, "resourceTypes")) {
                types.add(new ActionResourceType(text(r, "name"), r.path("required").asBoolean(false)));
            }
            JsonNode api = a.path("apiOperation");
            actions.add(new ConnectAction(text(a, "name"), text(a, "accessLevel"), a.path("description").asText(""),
                    types, strings(a.path("conditionKeys")), strings(a.path("dependentActions")),
                    !a.path("notInSupplementarySnapshot").asBoolean(false),
                    api.isTextual() ? Optional.of(api.asText()) : Optional.empty()));
        }
        List<ResourceTypeRow> resourceTypes = new ArrayList<>();
        for (JsonNode r : required(root, "resourceTypes")) {
            resourceTypes.add(new ResourceTypeRow(text(r, "name"), text(r, "arn"), strings(r.path("conditionKeys"))));
        }
        List<ConditionKey> keys = new ArrayList<>();
        for (JsonNode k : required(root, "conditionKeys")) {
            keys.add(new ConditionKey(text(k, "name"), text(k, "type"), k.path("multivalued").asBoolean(false),
                    k.path("description").asText("")));
        }
        return new CatalogRows(actions, resourceTypes, keys);
    }

    /** The catalog of the rows (ARN templates parsed, every action's resource types checked). */
    static ConnectCatalog build(CatalogRows rows) {
        List<ResourceType> resourceTypes = new ArrayList<>(rows.resourceTypes().size());
        for (ResourceTypeRow r : rows.resourceTypes()) {
            resourceTypes.add(new ResourceType(r.name(), ArnTemplate.parse(r.name(), r.arn()), r.conditionKeys()));
        }
        return new ConnectCatalog(rows.actions(), resourceTypes, rows.conditionKeys());
    }

    static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalStateException("missing field '" + field + "' in " + abbreviate(node));
        }
        return v;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = required(node, field);
        if (!v.isTextual()) {
            throw new IllegalStateException("field '" + field + "' is not a string in " + abbreviate(node));
        }
        return v.asText();
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode e : array) {
                out.add(e.asText());
            }
        }
        return out;
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
