package dev.edgeiam.authorize;

import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.ConnectAction;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.NotVisibleResource;
import dev.edgeiam.connect.RouteDefinition;
import dev.edgeiam.connect.RouteMatch;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.connect.TargetResource;
import dev.edgeiam.request.ContextKeyType;
import dev.edgeiam.request.ContextValue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives the request context keys an API Gateway authorizer can know without the body ([Keys]).
 *
 * <p>Always (global keys): {@code aws:RequestedRegion} (the configured Connect Region), {@code aws:SourceIp},
 * {@code aws:SecureTransport}, {@code aws:CurrentTime} (ISO 8601, UTC, seconds), {@code aws:EpochTime} (seconds),
 * {@code aws:UserAgent}, {@code aws:referer} (only when the header is present).
 *
 * <p>Per action, only when the SAR lists the key for the action (AWS leaves other keys absent):
 * <ul>
 * <li>{@code connect:InstanceId} — the instance in the route's resolved ARNs (or visible in a hidden resource's
 * ARN pattern); omitted, with a note, when the ARNs name different instances.</li>
 * <li>{@code connect:AttributeType} — path label {@code AttributeType} of DescribeInstanceAttribute /
 * UpdateInstanceAttribute.</li>
 * <li>{@code connect:StorageResourceType} — query {@code resourceType} (member {@code ResourceType}) of
 * Describe/Disassociate/UpdateInstanceStorageConfig (AssociateInstanceStorageConfig carries it in the body).</li>
 * <li>{@code aws:TagKeys} — the query list whose member is {@code TagKeys}: UntagResource ({@code tagKeys}) and
 * UntagContact ({@code TagKeys}).</li>
 * </ul>
 * Findings from {@code connect-api-routes.json}: no Connect route carries tags ({@code aws:RequestTag/<k>}) in the
 * path or query — TagResource, TagContact and every Create* send them in the body — so {@code aws:RequestTag} is
 * never derived at the edge (only the simulator can supply it). Every other {@code connect:} key (Channel,
 * ContactAssociationId, UserArn, FlowType, PreferredUserArn, SearchTag, MonitorCapabilities, ...) comes from the
 * body or from the resource itself and is left absent; there is no {@code connect:UserId} key.
 */
public final class EdgeContextKeys {

    /** connect: keys with a path or query source: key → API member name (path labels and query members). */
    static final Map<String, String> MEMBER_KEYS = Map.of(
            "connect:AttributeType", "AttributeType",
            "connect:StorageResourceType", "ResourceType");

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern INSTANCE = Pattern.compile("^arn:[^:]+:connect:[^:]*:[^:]*:instance/([^/:*]+)(?:[/:]|$)");

    private final ConnectCatalog catalog;
    private final RouteTable routes;

    public EdgeContextKeys(ConnectCatalog catalog, RouteTable routes) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    /**
     * @param request what the authorizer saw
     * @param config  partition, Region and account of the Connect instance
     * @param match   the matched route, empty when none matched (then only global keys)
     */
    public EdgeContext derive(EdgeRequest request, ArnContext config, Optional<RouteMatch> match) {
        List<ContextValue> keys = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        keys.add(ContextValue.single("aws:RequestedRegion", config.region()));
        if (request.sourceIp() != null && !request.sourceIp().isEmpty()) {
            keys.add(new ContextValue("aws:SourceIp", List.of(request.sourceIp()), false, ContextKeyType.IP));
        }
        keys.add(new ContextValue("aws:SecureTransport", List.of(Boolean.toString(request.https())), false,
                ContextKeyType.BOOLEAN));
        Instant now = Instant.ofEpochMilli(request.requestTimeEpochMillis());
        keys.add(new ContextValue("aws:CurrentTime", List.of(ISO_SECONDS.format(now)), false, ContextKeyType.DATE));
        keys.add(new ContextValue("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())), false,
                ContextKeyType.DATE));
        String agent = request.userAgent() != null ? request.userAgent() : request.header("User-Agent");
        if (agent != null) {
            keys.add(ContextValue.single("aws:UserAgent", agent));
        }
        String referer = request.header("Referer");
        if (referer != null) {
            keys.add(ContextValue.single("aws:referer", referer));
        }
        if (match.isEmpty() || match.get().iamAction().isEmpty()) {
            return new EdgeContext(keys, notes);
        }
        RouteMatch m = match.get();
        Optional<ConnectAction> action = catalog.action(m.iamAction().get());
        if (action.isEmpty()) {
            return new EdgeContext(keys, notes);
        }
        Set<String> supported = new LinkedHashSet<>();
        action.get().conditionKeys().forEach(k -> supported.add(k.toLowerCase(Locale.ROOT)));

        if (supported.contains("connect:instanceid")) {
            Set<String> instances = new LinkedHashSet<>();
            for (TargetResource r : m.resources()) {
                instanceOf(r.arn(), instances);
            }
            for (NotVisibleResource nv : m.notVisible()) {
                instanceOf(nv.arnPattern(), instances);
            }
            if (instances.size() == 1) {
                keys.add(ContextValue.single("connect:InstanceId", instances.iterator().next()));
            } else if (instances.size() > 1) {
                notes.add("connect:InstanceId omitted: the request names several instances " + instances);
            } else {
                notes.add("connect:InstanceId omitted: no instance is visible in the request");
            }
        }

        Optional<RouteDefinition> route = m.custom() ? Optional.empty() : routes.route(m.operation());
        for (Map.Entry<String, String> e : MEMBER_KEYS.entrySet()) {
            if (!supported.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String value = m.pathParameters().get(e.getValue());
            if (value == null && route.isPresent()) {
                String wire = wireName(route.get(), e.getValue());
                List<String> values = wire == null ? List.of() : request.query().getOrDefault(wire, List.of());
                value = values.isEmpty() ? null : values.get(0);
            }
            if (value != null) {
                keys.add(ContextValue.single(e.getKey(), value));
            }
        }
        if (supported.contains("aws:tagkeys") && route.isPresent()) {
            String wire = wireName(route.get(), "TagKeys");
            if (wire != null && request.query().containsKey(wire)) {
                keys.add(ContextValue.multi("aws:TagKeys", request.query().get(wire)));
            }
        }
        return new EdgeContext(keys, notes);
    }

    private static void instanceOf(String arn, Set<String> out) {
        Matcher matcher = INSTANCE.matcher(arn);
        if (matcher.find()) {
            out.add(matcher.group(1));
        }
    }

    /** The query wire name bound to an input member (compared case-insensitively), or null. */
    private static String wireName(RouteDefinition route, String member) {
        for (Map.Entry<String, String> q : route.queryParameters().entrySet()) {
            if (q.getValue().equalsIgnoreCase(member)) {
                return q.getKey();
            }
        }
        return null;
    }
}
