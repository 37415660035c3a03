package dev.edgeiam.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code connect-api-routes.json} (Connect REST bindings from the Smithy model joined with the
 * SAR data) with a Jackson tree. An operation gets an IAM action only if the data says
 * {@code iamActionInCatalog=true} <em>and</em> the action exists in the {@link ConnectCatalog}; the
 * presumed names of the other operations are kept for reporting only.
 */
final class RouteTableLoader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RouteTableLoader() {
    }

    /** Which query members of Connect's operations are lists (from the same SDK model as the route table). */
    static final String LIST_MEMBERS_RESOURCE = "/connect/query-list-members.json";

    static List<RouteDefinition> fromClasspath(String resource, ConnectCatalog catalog) {
        return fromJson(read(resource), catalog, listMembers(read(LIST_MEMBERS_RESOURCE)));
    }

    private static JsonNode read(String resource) {
        try (InputStream in = RouteTableLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource not found: " + resource);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static java.util.Set<String> listMembers(JsonNode root) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (JsonNode n : ConnectCatalogLoader.required(root, "listMembers")) {
            out.add(n.asText());
        }
        return java.util.Set.copyOf(out);
    }

    static List<RouteDefinition> fromJson(JsonNode root, ConnectCatalog catalog, java.util.Set<String> listMembers) {
        List<RouteDefinition> routes = new ArrayList<>();
        for (JsonNode op : ConnectCatalogLoader.required(root, "operations")) {
            String operation = ConnectCatalogLoader.text(op, "operation");
            Map<String, String> query = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> q = op.path("queryParams").fields();
            while (q.hasNext()) {
                Map.Entry<String, JsonNode> e = q.next();
                query.put(e.getKey(), e.getValue().path("member").asText(e.getKey()));
            }
            String presumed = ConnectCatalogLoader.text(op, "iamAction");
            Optional<String> action = op.path("iamActionInCatalog").asBoolean(false)
                    ? catalog.action(presumed).map(ConnectAction::iamAction)
                    : Optional.empty();
            List<RouteResource> resources = new ArrayList<>();
            for (JsonNode r : op.path("resources")) {
                String type = ConnectCatalogLoader.text(r, "type");
                ResourceType rt = catalog.resourceType(type)
                        .orElseThrow(() -> new IllegalStateException(operation + ": unknown resource type " + type));
                Map<String, VariableSource> variables = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> v = ConnectCatalogLoader.required(r, "variables").fields();
                while (v.hasNext()) {
                    Map.Entry<String, JsonNode> e = v.next();
                    variables.put(e.getKey(), VariableSource.parse(e.getValue().asText()));
                }
                if (!variables.keySet().containsAll(rt.arnTemplate().variables())) {
                    throw new IllegalStateException(operation + ": variables " + variables.keySet()
                            + " do not cover template of " + type);
                }
                resources.add(new RouteResource(type, r.path("required").asBoolean(false), rt.arnTemplate(), variables));
            }
            java.util.Set<String> lists = new java.util.HashSet<>(query.keySet());
            lists.retainAll(listMembers);
            routes.add(new RouteDefinition(operation, ConnectCatalogLoader.text(op, "method").toUpperCase(Locale.ROOT),
                    PathTemplate.parse(ConnectCatalogLoader.text(op, "uri")), query, lists, action, presumed, resources,
                    op.path("note").asText("")));
        }
        return routes;
    }
}
