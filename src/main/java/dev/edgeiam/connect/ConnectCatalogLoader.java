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
 * Jackson tree into a {@link ConnectCatalog}. Fields used: {@code actions[]} (name, accessLevel,
 * description, resourceTypes[{name, required}], conditionKeys, dependentActions,
 * notInSupplementarySnapshot, apiOperation), {@code resourceTypes[]} (name, arn, conditionKeys) and
 * {@code conditionKeys[]} (name, type, multivalued, description). The derived {@code arnRegex} is not
 * used: matchers are built from the {@code arn} templates.
 */
final class ConnectCatalogLoader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConnectCatalogLoader() {
    }

    static ConnectCatalog fromClasspath(String resource) {
        try (InputStream in = ConnectCatalogLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource not found: " + resource);
            }
            return fromJson(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static ConnectCatalog fromJson(JsonNode root) {
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
        List<ResourceType> resourceTypes = new ArrayList<>();
        for (JsonNode r : required(root, "resourceTypes")) {
            String name = text(r, "name");
            resourceTypes.add(new ResourceType(name, ArnTemplate.parse(name, text(r, "arn")), strings(r.path("conditionKeys"))));
        }
        List<ConditionKey> keys = new ArrayList<>();
        for (JsonNode k : required(root, "conditionKeys")) {
            keys.add(new ConditionKey(text(k, "name"), text(k, "type"), k.path("multivalued").asBoolean(false),
                    k.path("description").asText("")));
        }
        return new ConnectCatalog(actions, resourceTypes, keys);
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
            array.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
