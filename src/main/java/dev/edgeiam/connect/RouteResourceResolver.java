package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the resource ARNs of a matched route from the request values an authorizer sees (path
 * labels, query parameters) and the configured {@link ArnContext}.
 *
 * <p>Rules, following the notes of {@code connect-api-routes.json} and the SAR:
 * <ul>
 * <li>{@code body:}, {@code generated} and {@code notInRequestTopLevel} variables are unseen: the
 *     resource is reported as {@link NotVisibleResource} with {@code *} for them.</li>
 * <li>Path/query identifiers may be full ARNs (Connect accepts an instance, flow, view, ... ARN in
 *     place of the ID, URL-encoded in the path): the same-named part is taken from the parsed ARN, and
 *     its partition/Region/account replace the configured ones.</li>
 * <li>Resource types of one action whose identifier comes from the same request value are
 *     alternatives (e.g. {@code TagResource}'s 26 types from {@code resourceArn}; {@code DescribeView}'s
 *     view / qualified view / AWS-managed view from {@code ViewId}; {@code metric} vs
 *     {@code qualified-metric}): the one that forms a valid ARN and uses the most request values wins.
 *     A plain view ID is thus a customer-managed view; an AWS-managed view must be given by ARN.</li>
 * <li>An action without resource types supports only {@code Resource "*"}.</li>
 * <li>A route's {@linkplain RouteDefinition#olderReferenceResources older-reference resources} are resolved one by one
 *     after the others, each as a resource of its own.</li>
 * </ul>
 */
final class RouteResourceResolver {

    private final ArnParser arns;

    RouteResourceResolver(ArnParser arns) {
        this.arns = arns;
    }

    private sealed interface Outcome permits Built, Hidden, Invalid {}

    private record Built(TargetResource target, int requestValuesUsed) implements Outcome {}

    private record Hidden(NotVisibleResource resource) implements Outcome {}

    private record Invalid(String type, String reason) implements Outcome {}

    /** Accumulates the result lists. */
    record Resolution(List<TargetResource> resources, List<NotVisibleResource> notVisible, List<String> problems,
                      List<String> ambiguities) {}

    Resolution resolve(RouteDefinition route, Map<String, String> path, QueryParameters query, ArnContext context) {
        Resolution current = resolveCurrent(route, path, query, context);
        if (route.olderReferenceResources().isEmpty() || route.iamAction().isEmpty()) {
            return current;
        }
        for (RouteResource r : route.olderReferenceResources()) {
            file(evaluate(r, path, query, context), current.resources(), current.notVisible(), current.problems());
        }
        return current;
    }

    private Resolution resolveCurrent(RouteDefinition route, Map<String, String> path, QueryParameters query,
                                      ArnContext context) {
        List<TargetResource> resources = new ArrayList<>();
        List<NotVisibleResource> hidden = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (route.iamAction().isPresent() && route.resources().isEmpty()) {
            resources.add(new TargetResource("*", true, "*"));
            return new Resolution(resources, hidden, problems, List.of());
        }
        if (route.resources().size() == 1) {
            // one resource: a group of its own whatever its identifier (most routes; no grouping keys built)
            file(evaluate(route.resources().get(0), path, query, context), resources, hidden, problems);
            return new Resolution(resources, hidden, problems, List.of());
        }
        Map<String, List<RouteResource>> groups = new LinkedHashMap<>();
        int unique = 0;
        for (RouteResource r : route.resources()) {
            VariableSource id = r.groupingSource();
            boolean shared = id != null && (id.kind() == VariableSource.Kind.PATH || id.kind() == VariableSource.Kind.QUERY)
                    && lookup(id, path, query) != null;
            String key = shared ? id.kind() + ":" + id.name() : "#" + unique++;
            List<RouteResource> group = groups.get(key);
            if (group == null) {
                group = new ArrayList<>();
                groups.put(key, group);
            }
            group.add(r);
        }
        for (List<RouteResource> group : groups.values()) {
            List<Outcome> outcomes = new ArrayList<>(group.size());
            for (RouteResource r : group) {
                outcomes.add(evaluate(r, path, query, context));
            }
            if (group.size() == 1) {
                file(outcomes.get(0), resources, hidden, problems);
                continue;
            }
            Built best = null;
            for (Outcome o : outcomes) {
                if (o instanceof Built b && (best == null || b.requestValuesUsed() > best.requestValuesUsed())) {
                    best = b;
                }
            }
            if (best != null) {
                resources.add(best.target());
            } else {
                List<String> reasons = new ArrayList<>();
                for (Outcome o : outcomes) {
                    if (o instanceof Invalid i) {
                        reasons.add(i.type() + ": " + i.reason());
                    }
                }
                List<String> types = new ArrayList<>(group.size());
                for (RouteResource r : group) {
                    types.add(r.type());
                }
                problems.add("request value identifies none of " + types + " (" + String.join("; ", reasons) + ")");
            }
        }
        return new Resolution(resources, hidden, problems, List.of());
    }

    /** Adds one resource's outcome to the list of its kind. */
    private static void file(Outcome outcome, List<TargetResource> resources, List<NotVisibleResource> hidden,
                             List<String> problems) {
        if (outcome instanceof Built b) {
            resources.add(b.target());
        } else if (outcome instanceof Hidden h) {
            hidden.add(h.resource());
        } else if (outcome instanceof Invalid i) {
            problems.add(i.type() + ": " + i.reason());
        } else {
            throw new IllegalStateException("not a resource outcome: " + outcome);
        }
    }

    /** A path label, or a query member sent exactly once (a repeated one is refused by the route table). */
    private static String lookup(VariableSource source, Map<String, String> path, QueryParameters query) {
        return switch (source.kind()) {
            case PATH -> path.get(source.name());
            case QUERY -> query.only(source.name());
            default -> null;
        };
    }

    private static final List<String> CONTEXT_VARIABLES = List.of(ArnTemplate.PARTITION, ArnTemplate.REGION,
            ArnTemplate.ACCOUNT);

    private Outcome evaluate(RouteResource r, Map<String, String> path, QueryParameters query, ArnContext context) {
        ArnTemplate template = r.template();
        Map<String, String> values = new HashMap<>();
        List<String> unseen = List.of(); // made only when a variable is not seen
        ConnectArn fromArn = null;
        List<ConnectArn> arnValues = List.of(); // made only when a value is an ARN
        int used = 0;
        for (Map.Entry<String, VariableSource> e : r.variables().entrySet()) {
            String variable = e.getKey();
            VariableSource source = e.getValue();
            if (source.kind() == VariableSource.Kind.CONTEXT) {
                continue;
            }
            String raw = lookup(source, path, query);
            if (raw == null) {
                if (unseen.isEmpty()) {
                    unseen = new ArrayList<>();
                }
                unseen.add(variable);
                continue;
            }
            used++;
            if (raw.startsWith("arn:")) {
                boolean identifies = variable.equals(template.identifierVariable())
                        || source.modifier() == VariableSource.Modifier.ARN_COMPONENT;
                List<ConnectArn> candidates;
                try {
                    candidates = arns.parseCandidates(raw);
                } catch (MalformedArnException ex) {
                    return new Invalid(r.type(), source.name() + " " + ex.getMessage());
                }
                ConnectArn chosen = null;
                for (ConnectArn c : candidates) {
                    if (identifies ? c.resourceType().equals(r.type()) : c.part(variable) != null) {
                        chosen = c;
                        break;
                    }
                }
                if (chosen == null) {
                    return new Invalid(r.type(), source.name() + " '" + raw + "' is " + candidates.get(0).resourceType()
                            + (identifies ? ", not " + r.type() : " and has no " + variable));
                }
                String foreign = foreignTo(chosen, context);
                if (foreign != null) {
                    return new Invalid(r.type(), source.name() + " '" + raw + "' " + foreign);
                }
                values.put(variable, chosen.part(variable));
                if (arnValues.isEmpty()) {
                    arnValues = new ArrayList<>(2);
                }
                arnValues.add(chosen);
                if (identifies || fromArn == null) {
                    fromArn = chosen;
                }
            } else if (source.modifier() == VariableSource.Modifier.ARN_COMPONENT) {
                return new Invalid(r.type(), source.name() + " '" + raw + "' is not an ARN");
            } else if (source.modifier() == VariableSource.Modifier.QUALIFIER_SUFFIX) {
                int colon = raw.indexOf(':');
                if (colon < 0) {
                    return new Invalid(r.type(), source.name() + " '" + raw + "' has no ':' qualifier suffix");
                }
                values.put(variable, raw.substring(colon + 1));
            } else if (hasQualifierFrom(r, source.name()) && raw.indexOf(':') >= 0) {
                values.put(variable, raw.substring(0, raw.indexOf(':')));
            } else {
                values.put(variable, raw);
            }
        }
        for (String v : CONTEXT_VARIABLES) {
            if (r.variables().containsKey(v) && !values.containsKey(v) && !unseen.contains(v)) {
                values.put(v, fromArn != null ? fromArn.part(v) : context.value(v));
            }
        }
        // An ARN given for one identifier names its instance (and parents) too: it must agree with the request's
        // other values, or the ARN would be silently re-homed to another instance.
        for (ConnectArn a : arnValues) {
            for (String v : template.resourceVariables()) {
                String own = a.part(v);
                String other = values.get(v);
                if (own != null && other != null && !own.equals(other)) {
                    return new Invalid(r.type(), "the ARN " + a.arn() + " names " + v + " '" + own
                            + "' but the request's " + v + " is '" + other + "'");
                }
            }
        }
        for (String v : template.resourceVariables()) {
            String value = values.get(v);
            if (value != null && !ArnTemplate.identifierAccepts(value)) {
                return new Invalid(r.type(), v + "='" + value + "' is not a valid identifier (empty, or contains '/', ':', '*', '?' or a control character)");
            }
        }
        if (!unseen.isEmpty()) {
            String pattern = template.render(new ValueOf(values, "*"));
            return new Hidden(new NotVisibleResource(r.type(), r.required(), pattern, unseen));
        }
        String arn = template.render(new ValueOf(values, null));
        // Safety net: the built ARN must fit its own type's template (checked against that one template only, so
        // the request path does not try all 45 resource types).
        int resourcePart = resourcePartStart(arn);
        if (resourcePart < 0 || !template.matchesResource(arn.substring(resourcePart))) {
            return new Invalid(r.type(), "built ARN " + arn + " is not a " + r.type());
        }
        return new Built(new TargetResource(r.type(), r.required(), arn), used);
    }

    /**
     * Why an ARN given as an identifier lies outside the configured Amazon Connect partition, Region and account
     * (the function authorizes requests to that one deployment: an ARN elsewhere names a resource the back end's
     * Connect endpoint does not hold), or null when it does not. An account literal of the type's own template
     * ({@code aws} for AWS-managed views) is not foreign.
     */
    static String foreignTo(ConnectArn arn, ArnContext context) {
        if (!arn.partition().equals(context.partition())) {
            return "names partition '" + arn.partition() + "', not the configured '" + context.partition() + "'";
        }
        if (!arn.region().equals(context.region())) {
            return "names Region '" + arn.region() + "', not the configured '" + context.region() + "'";
        }
        if (!arn.account().equals(context.account()) && !arn.account().equals(arn.template().accountLiteral())) {
            return "names account '" + arn.account() + "', not the configured '" + context.account() + "'";
        }
        return null;
    }

    /** A variable's value for {@link ArnTemplate#render}: the one taken from the request, else {@code absent}. */
    private static final class ValueOf implements Function<String, String> {
        private final Map<String, String> values;
        private final String absent;

        ValueOf(Map<String, String> values, String absent) {
            this.values = values;
            this.absent = absent;
        }

        @Override
        public String apply(String variable) {
            return values.getOrDefault(variable, absent);
        }
    }

    /** Where the resource part begins: after the fifth colon; -1 when the ARN has fewer. */
    private static int resourcePartStart(String arn) {
        int at = -1;
        for (int i = 0; i < 5; i++) {
            at = arn.indexOf(':', at + 1);
            if (at < 0) {
                return -1;
            }
        }
        return at + 1;
    }

    private static boolean hasQualifierFrom(RouteResource r, String sourceName) {
        for (VariableSource s : r.variables().values()) {
            if (s.modifier() == VariableSource.Modifier.QUALIFIER_SUFFIX && s.name().equals(sourceName)) {
                return true;
            }
        }
        return false;
    }
}
