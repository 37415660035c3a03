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
import dev.edgeiam.request.IamNames;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Derives the request context keys an API Gateway authorizer can know without the body ([Keys]).
 *
 * <p>Always (global keys): {@code aws:RequestedRegion} (the configured Connect Region), {@code aws:SourceIp}
 * (unknown for a TOKEN event), {@code aws:SecureTransport} ({@code true}), {@code aws:ViaAWSService}
 * ({@code false}), {@code aws:CurrentTime} (ISO 8601, UTC, seconds), {@code aws:EpochTime} (seconds),
 * {@code aws:UserAgent} (unknown when the event shows none: IAM always has one), {@code aws:referer} (only when the
 * header is present; unknown when the event carries no headers).
 *
 * <p>Per action, only when the SAR lists the key for the action (AWS leaves other keys absent):
 * <ul>
 * <li>{@code connect:InstanceId} — the instance in the route's resolved ARNs (or visible in a hidden resource's
 * ARN pattern); omitted, with a note, when the ARNs name different instances.</li>
 * <li>{@code connect:AttributeType} — path label {@code AttributeType} of DescribeInstanceAttribute /
 * UpdateInstanceAttribute.</li>
 * <li>{@code connect:StorageResourceType} — query {@code resourceType} (member {@code ResourceType}) of
 * Describe/Disassociate/UpdateInstanceStorageConfig (AssociateInstanceStorageConfig carries it in the body).</li>
 * <li>{@code aws:TagKeys} — every value of the query list whose member is {@code TagKeys}: UntagResource
 * ({@code tagKeys}) and UntagContact ({@code TagKeys}).</li>
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

    /** Where a request came from: its address, or the VPC endpoint keys IAM carries instead (IAM-folded). */
    static final Set<String> SOURCE_KEYS = Set.of("aws:sourceip", "aws:sourcevpc", "aws:sourcevpce",
            "aws:sourcevpcarn", "aws:vpcsourceip", "aws:vpceaccount", "aws:vpceorgid", "aws:vpceorgpaths");

    private static final int SOURCE_NOT_SEEN = 1;
    private static final int AGENT_NOT_SEEN = 2;
    private static final int REFERER_NOT_SEEN = 4;
    /**
     * The unknown inputs for each combination of the bits above: the source keys ({@link #SOURCE_KEYS}),
     * {@code aws:useragent}, {@code aws:referer}; made once, not per request.
     */
    private static final List<Set<String>> NOT_SEEN_SETS = notSeenSets();

    private static List<Set<String>> notSeenSets() {
        List<Set<String>> sets = new ArrayList<>(8);
        for (int bits = 0; bits < 8; bits++) {
            Set<String> set = new LinkedHashSet<>();
            if ((bits & SOURCE_NOT_SEEN) != 0) {
                set.addAll(SOURCE_KEYS);
            }
            if ((bits & AGENT_NOT_SEEN) != 0) {
                set.add("aws:useragent");
            }
            if ((bits & REFERER_NOT_SEEN) != 0) {
                set.add("aws:referer");
            }
            sets.add(Set.copyOf(set));
        }
        return List.copyOf(sets);
    }

    private final ConnectCatalog catalog;
    private final RouteTable routes;
    /** The deployment's stable keys, built for the last configuration asked (one per deployment in practice). */
    private volatile StableKeys stable;
    /** Lower-case condition keys per Connect action, folded once (the catalog is fixed). */
    private final java.util.concurrent.ConcurrentHashMap<String, Set<String>> supportedByAction =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record StableKeys(ArnContext config, List<ContextValue> keys) {
    }

    public EdgeContextKeys(ConnectCatalog catalog, RouteTable routes) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    /** {@link #stableKeys(ArnContext)}, built once per configuration instead of per request. */
    public List<ContextValue> stableKeysOf(ArnContext config) {
        StableKeys s = stable;
        if (s == null || !s.config().equals(config)) {
            s = new StableKeys(config, stableKeys(config));
            stable = s;
        }
        return s.keys();
    }

    /**
     * Keys that hold for every request to this deployment: {@code aws:RequestedRegion} (the configured Connect
     * Region: the back end calls Connect there), {@code aws:SecureTransport} {@code true} (API Gateway endpoints
     * accept HTTPS only; a client's {@code X-Forwarded-Proto} header says nothing about the request AWS sees) and
     * {@code aws:ViaAWSService} {@code false} — "always present" per the key's availability, false when the
     * caller signs the request itself rather than a service calling with its credentials
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice);
     * a caller of this API calls Connect directly. Left absent, a {@code Deny} on {@code aws:ViaAWSService false}
     * (a common guard against direct use of credentials) was skipped.
     */
    public static List<ContextValue> stableKeys(ArnContext config) {
        return List.of(ContextValue.single("aws:RequestedRegion", config.region()),
                new ContextValue("aws:SecureTransport", List.of("true"), false, ContextKeyType.BOOLEAN),
                new ContextValue("aws:ViaAWSService", List.of("false"), false, ContextKeyType.BOOLEAN));
    }

    /**
     * @param request what the authorizer saw
     * @param config  partition, Region and account of the Connect instance
     * @param match   the matched route, empty when none matched (then only global keys)
     * @return the keys this request carries, and the inputs it does not show ({@link UnknownInputs}: a TOKEN
     *         event's source address and headers; query-derived keys are simply left out, which the body-carried
     *         rule already treats as unknown)
     */
    public EdgeContext derive(EdgeRequest request, ArnContext config, Optional<RouteMatch> match) {
        List<ContextValue> keys = new ArrayList<>(stableKeysOf(config));
        List<String> notes = new ArrayList<>();
        int notSeen = 0; // which of the inputs every request has this one does not show (NOT_SEEN_SETS)
        if (request.sourceIp() != null && !request.sourceIp().isEmpty()) {
            keys.add(new ContextValue("aws:SourceIp", List.of(request.sourceIp()), false, ContextKeyType.IP));
        } else {
            // the network path is not known either: the keys IAM carries for a request through a VPC endpoint
            notSeen |= SOURCE_NOT_SEEN;
            notes.add("aws:SourceIp unknown: the event does not carry the source address (or it came through a VPC"
                    + " endpoint)");
        }
        long second = Math.floorDiv(request.requestTimeEpochMillis(), 1000L);
        keys.addAll(TimeWindow.keysAt(second));
        // The event gives milliseconds; at which precision IAM compares aws:CurrentTime is not documented, so a
        // policy date inside the request's second is not decided by truncation: the time is "somewhere in it".
        TimeWindow requestSecond = TimeWindow.spanning(request.requestTimeEpochMillis(),
                request.requestTimeEpochMillis());
        List<String> agents = request.headerValues("user-agent");
        String agent = request.userAgent() != null ? request.userAgent() : agents.size() == 1 ? agents.get(0) : null;
        // on an HTTP API the header may be several values joined even where the context field holds one: which
        // value AWS reads is then unknown too (R13.2)
        if (agent != null && agents.size() <= 1 && !mayBeJoined(request, agent)
                && (agents.isEmpty() || !mayBeJoined(request, agents.get(0)))) {
            keys.add(ContextValue.single("aws:UserAgent", agent));
        } else {
            notSeen |= AGENT_NOT_SEEN; // aws:UserAgent is always present in IAM's request context: absent or repeated = not seen
        }
        List<String> referers = request.headerValues("referer");
        if (referers.size() == 1 && !mayBeJoined(request, referers.get(0))) {
            keys.add(ContextValue.single("aws:referer", referers.get(0)));
        } else if (!referers.isEmpty() || !request.headersKnown()) {
            notSeen |= REFERER_NOT_SEEN; // a repeated (or maybe joined) Referer: which value AWS would read is not known
        }
        Set<String> unknown = NOT_SEEN_SETS.get(notSeen);
        UnknownInputs notShown = UnknownInputs.of(unknown, requestSecond);
        if (match.isEmpty() || match.get().iamAction().isEmpty()) {
            return new EdgeContext(keys, notes, notShown);
        }
        RouteMatch m = match.get();
        Set<String> supported = supportedKeys(m.iamAction().get());
        if (supported == null) {
            return new EdgeContext(keys, notes, notShown);
        }

        if (supported.contains("connect:instanceid")) {
            InstanceKey instance = instanceKey(m);
            if (instance.key() != null) {
                keys.add(instance.key());
            } else {
                notes.add(instance.note());
            }
        }

        Optional<RouteDefinition> route = m.custom() ? Optional.empty() : routes.route(m.operation());
        Set<String> unknownValues = null; // member keys whose value is not known, with the inputs not shown
        for (Map.Entry<String, String> e : MEMBER_KEYS.entrySet()) {
            if (!supported.contains(IamNames.fold(e.getKey()))) {
                continue;
            }
            String value = m.pathParameters().get(e.getValue());
            if (value == null && route.isPresent()) {
                String wire = wireName(route.get(), e.getValue());
                value = wire == null ? null : m.query().only(wire);
            }
            if (value != null && !value.equals(value.toUpperCase(Locale.ROOT))) {
                // Amazon Connect documents these values as an upper-case list (CONTACT_LENS, CHAT_TRANSCRIPTS, ...);
                // whether it accepts another case is not documented: the key's value is not known
                if (unknownValues == null) {
                    unknownValues = new LinkedHashSet<>(unknown);
                }
                unknownValues.add(IamNames.fold(e.getKey()));
            } else if (value != null) {
                keys.add(ContextValue.single(e.getKey(), value));
            }
        }
        if (supported.contains("aws:tagkeys") && route.isPresent()) {
            String wire = wireName(route.get(), "TagKeys");
            if (wire != null && m.query().has(wire)) {
                keys.add(ContextValue.multi("aws:TagKeys", m.query().all(wire)));
            }
        }
        return new EdgeContext(keys, notes, unknownValues == null ? notShown
                : UnknownInputs.of(unknownValues, requestSecond));
    }

    /**
     * Whether a header value may be several values joined: HTTP API payload 2.0 has no multi-value headers —
     * "Duplicate headers are combined with commas and included in the headers field"
     * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html) — so a
     * value with a comma may be a repeated header, whose value AWS would read is not known (as for a repeated header
     * of a REST event, R3). A single value with a comma (a browser's {@code (KHTML, like Gecko)}) cannot be told
     * apart: it is unknown too, which matters only to a policy that reads the key (R12.4).
     */
    static boolean mayBeJoined(EdgeRequest request, String value) {
        // payload 1.0 of an HTTP API too: its headers come from the same joined map (multiValueHeaders is not
        // promised there), so a comma value may be two headers (R13.3)
        return (request.format() == EventFormat.HTTP_V2 || request.format() == EventFormat.HTTP_V1)
                && value.indexOf(',') >= 0;
    }

    /** The action's condition keys in lower case, or null when the catalog does not know the action. */
    private Set<String> supportedKeys(String iamAction) {
        Set<String> known = supportedByAction.get(iamAction);
        if (known != null) {
            return known;
        }
        Optional<ConnectAction> action = catalog.action(iamAction);
        if (action.isEmpty()) {
            return null;
        }
        Set<String> supported = new LinkedHashSet<>();
        for (String k : action.get().conditionKeys()) {
            supported.add(k.toLowerCase(Locale.ROOT));
        }
        Set<String> frozen = java.util.Collections.unmodifiableSet(supported);
        if (supportedByAction.size() < 4_096) { // bounded by the catalog's actions; the bound guards odd input
            supportedByAction.putIfAbsent(iamAction, frozen);
        }
        return frozen;
    }

    /**
     * {@code connect:InstanceId} as a route match gives it: the key when its resources name one instance, else why it
     * is omitted. A function of the match alone, which is immutable; the route matcher hands out the same match
     * again for the same route, so the last one derived is kept (one immutable entry, shared by the threads).
     */
    private record InstanceKey(RouteMatch match, ContextValue key, String note) {
    }

    private volatile InstanceKey lastInstanceKey;

    private InstanceKey instanceKey(RouteMatch m) {
        InstanceKey last = lastInstanceKey;
        if (last != null && last.match() == m) {
            return last;
        }
        Set<String> instances = new LinkedHashSet<>();
        for (TargetResource r : m.resources()) {
            instanceOf(r.arn(), instances);
        }
        for (NotVisibleResource nv : m.notVisible()) {
            instanceOf(nv.arnPattern(), instances);
        }
        InstanceKey derived;
        if (instances.size() == 1) {
            derived = new InstanceKey(m, ContextValue.single("connect:InstanceId", instances.iterator().next()), null);
        } else if (instances.size() > 1) {
            derived = new InstanceKey(m, null, "connect:InstanceId omitted: the request names several instances "
                    + instances);
        } else {
            derived = new InstanceKey(m, null, "connect:InstanceId omitted: no instance is visible in the request");
        }
        lastInstanceKey = derived;
        return derived;
    }

    private static void instanceOf(String arn, Set<String> out) {
        String id = instanceIdOf(arn);
        if (id != null) {
            out.add(id);
        }
    }

    /**
     * The instance id of an Amazon Connect ARN ({@code arn:<partition>:connect:<region>:<account>:instance/<id>},
     * then {@code /}, {@code :} or the end), or null: the id is the longest run without {@code /}, {@code :} or
     * {@code *} and must not be empty (a pattern's {@code *} in the id hides it). Scanned by hand, without a regular
     * expression; {@code EdgeContextKeysInstanceIdTest} holds it to the expression it replaced.
     */
    static String instanceIdOf(String arn) {
        if (!arn.startsWith("arn:")) {
            return null;
        }
        int partitionEnd = arn.indexOf(':', 4);
        if (partitionEnd <= 4 || !arn.startsWith("connect:", partitionEnd + 1)) {
            return null;
        }
        int regionEnd = arn.indexOf(':', partitionEnd + 9);
        int accountEnd = regionEnd < 0 ? -1 : arn.indexOf(':', regionEnd + 1);
        if (accountEnd < 0 || !arn.startsWith("instance/", accountEnd + 1)) {
            return null;
        }
        int start = accountEnd + 10;
        int end = start;
        while (end < arn.length() && arn.charAt(end) != '/' && arn.charAt(end) != ':' && arn.charAt(end) != '*') {
            end++;
        }
        if (end == start || (end < arn.length() && arn.charAt(end) == '*')) {
            return null;
        }
        return arn.substring(start, end);
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
