package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Builds the resources of a {@link CustomRouteMapping}: fills the {@code {name}} placeholders of each
 * ARN template — from the route's own path labels first; {@code {Partition}}, {@code {Region}} and
 * {@code {Account}} (unless the path declares a label of that name) from the {@link ArnContext} only, never from
 * the request, so a caller cannot move the evaluated ARN to another partition, Region or account; any other name
 * from the query member of that name, which must be sent once. A missing value becomes {@code *} in a
 * {@link NotVisibleResource}; a value that is not a valid identifier ({@link ArnTemplate#identifierAccepts}: no
 * separator, wildcard or control character) is a problem, so the request is refused. The resource type is
 * identified with the catalog ({@link ArnParser#resourceTypeFor} when the action is a catalog action), or
 * {@code custom} for ARNs outside the Connect resource types.
 */
final class CustomMappingResolver {

    private final ConnectCatalog catalog;

    CustomMappingResolver(ConnectCatalog catalog) {
        this.catalog = catalog;
    }

    RouteResourceResolver.Resolution resolve(CustomRouteMapping mapping, Map<String, String> path,
                                             QueryParameters query, ArnContext context) {
        List<TargetResource> resources = new ArrayList<>();
        List<NotVisibleResource> hidden = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> ambiguities = new ArrayList<>();
        for (String template : mapping.arnTemplates()) {
            if (template.equals("*")) {
                resources.add(new TargetResource("*", true, "*"));
                continue;
            }
            List<String> unseen = new ArrayList<>();
            StringBuilder arn = new StringBuilder();
            Matcher m = CustomRouteMapping.PLACEHOLDER.matcher(template);
            String bad = null;
            while (m.find()) {
                String name = m.group(1);
                String value;
                if (path.containsKey(name)) {
                    value = path.get(name);
                } else if (context.value(name) != null) {
                    value = context.value(name);
                } else if (query.repeated(name)) {
                    ambiguities.add(name + " is sent " + query.all(name).size() + " times in the query");
                    value = "*";
                } else {
                    value = query.only(name);
                }
                if (value == null) {
                    unseen.add(name);
                    value = "*";
                } else if (bad == null && !ArnTemplate.identifierAccepts(value)) {
                    bad = name + "='" + value + "' is not a valid identifier (empty, or contains '/', ':', '*', '?'"
                            + " or a control character)";
                }
                m.appendReplacement(arn, Matcher.quoteReplacement(value));
            }
            m.appendTail(arn);
            if (bad != null) {
                problems.add(template + ": " + bad);
                continue;
            }
            String type = typeOf(mapping.iamAction(), arn.toString());
            if (unseen.isEmpty()) {
                resources.add(new TargetResource(type, true, arn.toString()));
            } else {
                hidden.add(new NotVisibleResource(type, true, arn.toString(), unseen));
            }
        }
        return new RouteResourceResolver.Resolution(resources, hidden, problems, ambiguities);
    }

    private String typeOf(String action, String arn) {
        try {
            Optional<ConnectAction> a = catalog.action(action);
            if (a.isPresent()) {
                Optional<String> t = catalog.arns().resourceTypeFor(a.get(), arn);
                if (t.isPresent()) {
                    return t.get();
                }
            }
            return catalog.arns().parse(arn).resourceType();
        } catch (MalformedArnException e) {
            return "custom";
        }
    }
}
