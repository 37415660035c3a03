package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Builds the resources of a {@link CustomRouteMapping}: fills the {@code {name}} placeholders of each
 * ARN template from path labels, query parameters and the {@link ArnContext}; a missing value becomes
 * {@code *} in a {@link NotVisibleResource}. The resource type is identified with the catalog
 * ({@link ArnParser#resourceTypeFor} when the action is a catalog action), or {@code custom} for ARNs
 * outside the Connect resource types.
 */
final class CustomMappingResolver {

    private final ConnectCatalog catalog;

    CustomMappingResolver(ConnectCatalog catalog) {
        this.catalog = catalog;
    }

    RouteResourceResolver.Resolution resolve(CustomRouteMapping mapping, Map<String, String> path,
                                             Map<String, String> query, ArnContext context) {
        List<TargetResource> resources = new ArrayList<>();
        List<NotVisibleResource> hidden = new ArrayList<>();
        List<String> problems = new ArrayList<>();
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
                String value = path.containsKey(name) ? path.get(name)
                        : query.containsKey(name) ? query.get(name) : context.value(name);
                if (value == null) {
                    unseen.add(name);
                    value = "*";
                } else if (value.isEmpty() || value.indexOf('/') >= 0 || value.indexOf(':') >= 0) {
                    bad = name + "='" + value + "' is not a valid ARN identifier (empty, or contains '/' or ':')";
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
        return new RouteResourceResolver.Resolution(resources, hidden, problems);
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
