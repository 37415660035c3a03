package dev.edgeiam.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code connect-api-routes.json} (Connect REST bindings from the Smithy model joined with the
 * SAR data). An operation gets an IAM action only if the data says {@code iamActionInCatalog=true}
 * <em>and</em> the action exists in the {@link ConnectCatalog}; the presumed names of the other operations are kept
 * for reporting only.
 *
 * <p>Two steps: the JSON (a Jackson tree) becomes {@link RouteRows} — the fields read, as text, nothing derived — and
 * {@link #build} turns rows into {@link RouteDefinition}s, checking them against the catalog. The build stores the
 * rows in a compact form ({@link ConnectModelForm}) so that a cold start needs no JSON parse; both sources go
 * through the same {@link #build}.
 */
final class RouteTableLoader {

    /** Made on the first JSON read only: a start that reads the compact form needs no mapper here. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private RouteTableLoader() {
    }

    /** Which query members of Connect's operations are lists (from the same SDK model as the route table). */
    static final String LIST_MEMBERS_RESOURCE = "/connect/query-list-members.json";

    /** One resource of an operation as the data gives it: the variables' sources unparsed. */
    record ResourceRow(String type, boolean required, Map<String, String> variables) {
        ResourceRow {
            variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        }
    }

    /**
     * One operation as the data gives it.
     *
     * @param query    query wire name → input member name, in data order
     * @param presumed the data's {@code iamAction} text
     * @param inCatalog the data's {@code iamActionInCatalog}
     * @param pathParams the data's {@code pathParams}
     * @param bodyIdentifiers the data's {@code bodyIdentifiers}
     * @param olderReferenceTypes the data's {@code sourceDiscrepancy.onlyInOlderSnapshot}: resource types (with the
     *                 SAR's {@code *} when required) an older snapshot of the SAR listed for the action and the
     *                 current one does not
     */
    record RouteRow(String operation, String method, String uri, Map<String, String> query, String presumed,
                    boolean inCatalog, List<ResourceRow> resources, String note, List<String> pathParams,
                    List<String> bodyIdentifiers, List<String> olderReferenceTypes) {
        RouteRow {
            query = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(query));
            resources = List.copyOf(resources);
            pathParams = List.copyOf(pathParams);
            bodyIdentifiers = List.copyOf(bodyIdentifiers);
            olderReferenceTypes = List.copyOf(olderReferenceTypes);
        }
    }

    /** The operations of the route data and the list-valued query members. */
    record RouteRows(List<RouteRow> operations, Set<String> listMembers) {
        RouteRows {
            operations = List.copyOf(operations);
            listMembers = Set.copyOf(listMembers);
        }
    }

    /**
     * The default route rows: those of the build's compact form ({@link ConnectModelForm#ROUTES_FORM}), or of
     * {@value RouteTable#ROUTES_RESOURCE} when the class path has no compact form (a build that skipped it).
     */
    static RouteRows defaultRows() {
        Optional<RouteRows> compact = ConnectModelForm.routesFromClasspath();
        return compact.isPresent() ? compact.get() : rowsFromClasspath(RouteTable.ROUTES_RESOURCE);
    }

    /** The routes of {@code resource} (JSON) with the list members of {@link #LIST_MEMBERS_RESOURCE}. */
    static List<RouteDefinition> fromClasspath(String resource, ConnectCatalog catalog) {
        return build(rowsFromClasspath(resource), catalog);
    }

    /** The rows of {@code resource} (JSON) with the list members of {@link #LIST_MEMBERS_RESOURCE}. */
    static RouteRows rowsFromClasspath(String resource) {
        return new RouteRows(rows(read(resource)), listMembers(read(LIST_MEMBERS_RESOURCE)));
    }

    private static JsonNode read(String resource) {
        try (InputStream in = RouteTableLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource not found: " + resource);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    static Set<String> listMembers(JsonNode root) {
        Set<String> out = new HashSet<>();
        for (JsonNode n : ConnectCatalogLoader.required(root, "listMembers")) {
            out.add(n.asText());
        }
        return Set.copyOf(out);
    }

    static List<RouteDefinition> fromJson(JsonNode root, ConnectCatalog catalog, Set<String> listMembers) {
        return build(new RouteRows(rows(root), listMembers), catalog);
    }

    /** The fields of {@code operations[]} the routes are built from. */
    static List<RouteRow> rows(JsonNode root) {
        List<RouteRow> rows = new ArrayList<>();
        for (JsonNode op : ConnectCatalogLoader.required(root, "operations")) {
            String operation = ConnectCatalogLoader.text(op, "operation");
            Map<String, String> query = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> q = op.path("queryParams").fields();
            while (q.hasNext()) {
                Map.Entry<String, JsonNode> e = q.next();
                query.put(e.getKey(), e.getValue().path("member").asText(e.getKey()));
            }
            List<ResourceRow> resources = new ArrayList<>();
            for (JsonNode r : op.path("resources")) {
                Map<String, String> variables = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> v = ConnectCatalogLoader.required(r, "variables").fields();
                while (v.hasNext()) {
                    Map.Entry<String, JsonNode> e = v.next();
                    variables.put(e.getKey(), e.getValue().asText());
                }
                resources.add(new ResourceRow(ConnectCatalogLoader.text(r, "type"), r.path("required").asBoolean(false),
                        variables));
            }
            rows.add(new RouteRow(operation, ConnectCatalogLoader.text(op, "method"), ConnectCatalogLoader.text(op, "uri"),
                    query, ConnectCatalogLoader.text(op, "iamAction"), op.path("iamActionInCatalog").asBoolean(false),
                    resources, op.path("note").asText(""), ConnectCatalogLoader.strings(op.path("pathParams")),
                    ConnectCatalogLoader.strings(op.path("bodyIdentifiers")),
                    ConnectCatalogLoader.strings(op.path("sourceDiscrepancy").path("onlyInOlderSnapshot"))));
        }
        return rows;
    }

    /**
     * The routes of the rows, checked against the catalog: every resource type must be the catalog's, and a
     * resource's variables must cover its type's ARN template.
     *
     * <p>A resource type that an older snapshot of the SAR listed for the action and the current one does not
     * ({@code onlyInOlderSnapshot}: {@code contact*} for {@code StartOutboundVoiceContact}) becomes an
     * {@linkplain RouteDefinition#olderReferenceResources older-reference resource}: which of the two AWS evaluates
     * is not documented, so a request is allowed only where both readings allow it (AWS gives a Deny on an instance's
     * ARN followed by {@code *} as denying every action on the instance,
     * https://docs.aws.amazon.com/connect/latest/adminguide/security_iam_resource-level-policy-examples.html, which
     * under the {@code contact} reading covers outbound calls placed on it). Its variables come from the
     * request as the operation's data names them: a path parameter, else a body identifier, else not in the request
     * (Partition, Region and Account from the context).
     */
    static List<RouteDefinition> build(RouteRows rows, ConnectCatalog catalog) {
        List<RouteDefinition> routes = new ArrayList<>(rows.operations().size());
        for (RouteRow op : rows.operations()) {
            Optional<String> action = Optional.empty();
            if (op.inCatalog()) {
                Optional<ConnectAction> known = catalog.action(op.presumed());
                if (known.isPresent()) {
                    action = Optional.of(known.get().iamAction());
                }
            }
            List<RouteResource> resources = new ArrayList<>();
            for (ResourceRow r : op.resources()) {
                Optional<ResourceType> type = catalog.resourceType(r.type());
                if (type.isEmpty()) {
                    throw new IllegalStateException(op.operation() + ": unknown resource type " + r.type());
                }
                ResourceType rt = type.get();
                Map<String, VariableSource> variables = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : r.variables().entrySet()) {
                    variables.put(e.getKey(), VariableSource.parse(e.getValue()));
                }
                if (!variables.keySet().containsAll(rt.arnTemplate().variables())) {
                    throw new IllegalStateException(op.operation() + ": variables " + variables.keySet()
                            + " do not cover template of " + r.type());
                }
                resources.add(new RouteResource(r.type(), r.required(), rt.arnTemplate(), variables));
            }
            List<RouteResource> older = new ArrayList<>(op.olderReferenceTypes().size());
            for (String t : op.olderReferenceTypes()) {
                boolean required = t.endsWith("*");
                String name = required ? t.substring(0, t.length() - 1) : t;
                Optional<ResourceType> type = catalog.resourceType(name);
                if (type.isEmpty()) {
                    throw new IllegalStateException(op.operation() + ": unknown older-reference resource type " + t);
                }
                Map<String, VariableSource> variables = new LinkedHashMap<>();
                for (String v : type.get().arnTemplate().variables()) {
                    String source = v.equals("Partition") || v.equals("Region") || v.equals("Account") ? "context"
                            : op.pathParams().contains(v) ? "path:" + v
                            : op.bodyIdentifiers().contains(v) ? "body:" + v : "notInRequestTopLevel";
                    variables.put(v, VariableSource.parse(source));
                }
                older.add(new RouteResource(name, required, type.get().arnTemplate(), variables));
            }
            Set<String> lists = new HashSet<>(op.query().keySet());
            lists.retainAll(rows.listMembers());
            routes.add(new RouteDefinition(op.operation(), op.method().toUpperCase(Locale.ROOT),
                    PathTemplate.parse(op.uri()), op.query(), lists, action, op.presumed(), resources, op.note(),
                    older));
        }
        return routes;
    }
}
