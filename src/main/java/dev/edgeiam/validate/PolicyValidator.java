package dev.edgeiam.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.connect.ActionResourceType;
import dev.edgeiam.connect.ConditionKey;
import dev.edgeiam.connect.ConnectAction;
import dev.edgeiam.connect.ConnectCatalog;
import dev.edgeiam.connect.ResourceType;
import dev.edgeiam.policy.BaseOperator;
import dev.edgeiam.policy.Condition;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.policy.PolicyDocument;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.policy.SourcePosition;
import dev.edgeiam.policy.Statement;
import dev.edgeiam.request.Arns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Policy checks in the manner of IAM Access Analyzer {@code ValidatePolicy}, for the services we have data for
 * (Amazon Connect). Output has Access Analyzer's shape: {@code {"findings": [{findingType, issueCode,
 * findingDetails, learnMoreLink, locations: [{path: [{value}|{index}], span: {start, end}}]}]}}.
 *
 * <p>Checks (issue code, type):
 * <ul>
 * <li>Grammar ({@link PolicyParser}): {@code JSON_SYNTAX_ERROR} for invalid JSON, {@code POLICY_SIZE_EXCEEDED}
 * for a document over its quota, {@code MALFORMED_POLICY} for anything else IAM refuses — ERROR, and no other
 * check runs.</li>
 * <li>{@code MISSING_VERSION} (WARNING): no {@code Version}, so policy variables are literal text.</li>
 * <li>{@code INVALID_ACTION} (ERROR): a {@code connect:} action that does not exist, or a {@code connect:} wildcard
 * that matches no action. Actions of other services are <b>not</b> checked (we have no data for them), nor are
 * patterns whose service prefix has a wildcard.</li>
 * <li>{@code INVALID_ARN_RESOURCE} (ERROR): a {@code Resource} ARN of service {@code connect} that fits none of the
 * resource types of the statement's Connect actions (pattern intersection; skipped for {@code NotAction},
 * {@code *}, and statements whose Connect actions all support only {@code "*"}).</li>
 * <li>{@code ARN_FIXED_FIELD_CASE} (WARNING): upper case in a {@code Resource}/{@code NotResource} ARN's
 * partition, service, region or account (any service): AWS does not say whether those compare case-insensitively;
 * the engine's never-over-grant reading makes such a Deny apply to the lower-case ARN too, but IAM may not, and such
 * an Allow grants nothing here.</li>
 * <li>{@code RESOURCE_POLICY} documents need {@code Principal}/{@code NotPrincipal} in every statement and identity
 * documents may not have one (MALFORMED_POLICY), as Access Analyzer requires.</li>
 * <li>{@code WILDCARD_IN_RESOURCE_TYPE} (WARNING): a wildcard inside the resource-type word of a Connect ARN
 * ({@code inst*}, {@code instance/ID/q*}) — "you cannot use a wildcard in the resource-type portion" [ARN].</li>
 * <li>{@code INVALID_GLOBAL_CONDITION_KEY} (ERROR): an {@code aws:} key that is not a global key;
 * {@code INVALID_SERVICE_CONDITION_KEY} (ERROR): a {@code connect:} key that Connect does not define;
 * {@code INVALID_CONDITION_KEY} (WARNING): a {@code connect:} key none of the statement's Connect actions (or their
 * resource types) supports. Keys of other services are not checked.</li>
 * <li>{@code MISMATCHED_TYPE} (WARNING): an operator family that does not fit the key's type (e.g.
 * {@code NumericLessThan} on a String key).</li>
 * <li>{@code ALLOW_WITH_NOT_ACTION} (SECURITY_WARNING): {@code Allow} + {@code NotAction} + {@code Resource "*"}
 * grants every other action of every service.</li>
 * <li>{@code REDUNDANT_STATEMENT} (SUGGESTION): a statement whose actions and resources are all covered by another
 * statement with the same effect and no conditions.</li>
 * </ul>
 * Issue codes follow Access Analyzer's names where one exists; {@code MALFORMED_POLICY},
 * {@code POLICY_SIZE_EXCEEDED}, {@code WILDCARD_IN_RESOURCE_TYPE}, {@code ARN_FIXED_FIELD_CASE} and
 * {@code ALLOW_WITH_NOT_ACTION} are ours.
 * Stateless and thread-safe.
 */
public final class PolicyValidator {

    public static final String IDENTITY_POLICY = "IDENTITY_POLICY";
    public static final String RESOURCE_POLICY = "RESOURCE_POLICY";
    public static final String SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY";

    private static final String SERVICE = ConnectCatalog.SERVICE_PREFIX;

    private final ConnectCatalog catalog;

    public PolicyValidator(ConnectCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    private static final class DefaultHolder {
        static final PolicyValidator INSTANCE = new PolicyValidator(ConnectCatalog.defaultCatalog());
    }

    /**
     * Validates a policy with the default catalog.
     *
     * @param policyText the policy document
     * @param policyType {@code IDENTITY_POLICY}, {@code RESOURCE_POLICY} or {@code SERVICE_CONTROL_POLICY}
     * @return {@code {"findings": [...]}}
     * @throws IllegalArgumentException for an unknown policy type (a bad request, not a finding)
     */
    public static ObjectNode validate(String policyText, String policyType) {
        return toJson(DefaultHolder.INSTANCE.findings(policyText, policyType));
    }

    /** {@code {"actions": ["connect:...", ...]}} for an action pattern such as {@code connect:Describe*}. */
    public static ObjectNode expandActions(String pattern) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode actions = out.putArray("actions");
        ConnectCatalog.defaultCatalog().expandActionPattern(pattern).forEach(actions::add);
        return out;
    }

    /**
     * Handles {@code {"ValidatePolicy": {"policyDocument": "...", "policyType": "IDENTITY_POLICY"}}} and
     * {@code {"ExpandActions": {"pattern": "connect:Describe*"}}}.
     *
     * @throws IllegalArgumentException for any other request shape
     */
    public static ObjectNode handle(JsonNode request) {
        if (request != null && request.has("ValidatePolicy")) {
            JsonNode v = request.get("ValidatePolicy");
            String type = v.path("policyType").asText(IDENTITY_POLICY);
            if (!v.path("policyDocument").isTextual()) {
                throw new IllegalArgumentException("ValidatePolicy.policyDocument must be a string");
            }
            return validate(v.get("policyDocument").asText(), type);
        }
        if (request != null && request.has("ExpandActions")) {
            JsonNode pattern = request.get("ExpandActions").path("pattern");
            if (!pattern.isTextual()) {
                throw new IllegalArgumentException("ExpandActions.pattern must be a string");
            }
            return expandActions(pattern.asText());
        }
        throw new IllegalArgumentException("expected a ValidatePolicy or ExpandActions request");
    }

    static ObjectNode toJson(List<Finding> findings) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode array = out.putArray("findings");
        findings.forEach(f -> array.add(f.toJson()));
        return out;
    }

    /** The findings, in document order per check. */
    public List<Finding> findings(String policyText, String policyType) {
        PolicyType type = switch (policyType == null ? "" : policyType) {
            // Access Analyzer checks documents, not attachments: no per-identity quota for identity policies.
            case IDENTITY_POLICY -> PolicyType.AWS_MANAGED;
            // Principal required in every statement, as Access Analyzer requires it of resource policies
            case RESOURCE_POLICY -> PolicyType.RESOURCE;
            case SERVICE_CONTROL_POLICY -> PolicyType.SERVICE_CONTROL;
            default -> throw new IllegalArgumentException("unknown policyType " + policyType
                    + " (expected IDENTITY_POLICY, RESOURCE_POLICY or SERVICE_CONTROL_POLICY)");
        };
        List<Finding> out = new ArrayList<>();
        JsonLocator locator = new JsonLocator(policyText == null ? "" : policyText);
        PolicyDocument doc;
        try {
            doc = PolicyParser.parse(policyText, type, "policy");
        } catch (PolicyException e) {
            out.add(parseError(e, locator));
            return out;
        }
        if (!doc.versionGiven()) {
            out.add(new Finding(FindingType.WARNING, "MISSING_VERSION", "Add a Version element (\"2012-10-17\"): "
                    + "without it the policy uses 2008-10-17 and policy variables are plain text.", "",
                    List.of(new Finding.Location(List.of(), locator.value("")))));
        }
        for (Statement s : doc.statements()) {
            checkStatement(s, locator, out);
        }
        checkRedundancy(doc, locator, out);
        return out;
    }

    // ------------------------------------------------------------------ grammar

    private static Finding parseError(PolicyException e, JsonLocator locator) {
        String code;
        if (PolicyException.LIMIT_EXCEEDED.equals(e.errorCode())) {
            code = "POLICY_SIZE_EXCEEDED";
        } else if (e.problem().startsWith("invalid JSON") || e.problem().contains("is empty")
                || e.problem().startsWith("unexpected content after")) {
            code = "JSON_SYNTAX_ERROR";
        } else {
            code = "MALFORMED_POLICY";
        }
        SourcePosition p = e.position();
        Finding.Position at = p.line() > 0
                ? new Finding.Position(p.line(), Math.max(0, p.column() - 1), (int) Math.max(0, p.offset()))
                : new Finding.Position(1, 0, 0);
        Finding.Span span = new Finding.Span(at, at);
        Finding.Span located = locator.value(e.pointer());
        if (!e.pointer().isEmpty() && located.start().offset() == at.offset()) {
            span = located;
        }
        return new Finding(FindingType.ERROR, code, e.problem(), "",
                List.of(new Finding.Location(locator.path(e.pointer()), span)));
    }

    // ------------------------------------------------------------------ per statement

    /** Connect actions the statement names, or null when it cannot be told (NotAction, *, wildcard service). */
    private Set<ConnectAction> connectActions(Statement s) {
        if (s.action().negated()) {
            return null;
        }
        Set<ConnectAction> out = new LinkedHashSet<>();
        for (String a : s.action().values()) {
            String service = serviceOf(a);
            if (service == null || service.contains("*") || service.contains("?")) {
                return null;
            }
            if (service.equals(SERVICE)) {
                for (String name : catalog.expandActionPattern(a)) {
                    catalog.action(name).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    private static String serviceOf(String action) {
        int colon = action.indexOf(':');
        return colon < 0 ? null : action.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    private static String element(String pointer, JsonLocator locator, int index) {
        return locator.isArray(pointer) ? pointer + "/" + index : pointer;
    }

    /**
     * {@code ARN_FIXED_FIELD_CASE}: upper case in an ARN's partition, service, region or account. AWS's ARNs spell
     * those in lower case and its text does not say whether they compare case-insensitively, so the engine reads
     * such a pattern the way that can never over-grant (a Deny also applies to the lower-case ARN; an Allow grants
     * only what it grants read case-sensitively, i.e. nothing AWS names). Either way the pattern is a trap: a Deny
     * that IAM may not apply, an Allow that never grants here.
     */
    private static Finding caseFinding(Statement s, String r, Finding.Location where) {
        boolean denyLike = (s.effect() == Effect.DENY) != s.resource().negated();
        String consequence = denyLike
                ? "This statement is read as applying to the lower-case ARN as well (never over-grant), but IAM may"
                + " compare these fields case-sensitively and then this " + s.effect().text() + " would silently never"
                + " apply there."
                : "This statement grants only what it grants read case-sensitively: nothing AWS names in lower case.";
        return new Finding(FindingType.WARNING, "ARN_FIXED_FIELD_CASE", "The resource " + r + " has upper-case"
                + " letters in its partition, service, region or account; AWS ARNs write these in lower case. "
                + consequence + " Write them in lower case.", "", List.of(where));
    }

    private void checkStatement(Statement s, JsonLocator locator, List<Finding> out) {
        // actions
        List<String> actions = s.action().values();
        for (int i = 0; i < actions.size(); i++) {
            String a = actions.get(i);
            if (!SERVICE.equals(serviceOf(a))) {
                continue;
            }
            boolean wildcard = dev.edgeiam.request.Wildcards.hasWildcard(a);
            if (catalog.expandActionPattern(a).isEmpty()) {
                out.add(new Finding(FindingType.ERROR, "INVALID_ACTION", wildcard
                        ? "The action pattern " + a + " matches no Amazon Connect action."
                        : "The action " + a + " does not exist in Amazon Connect.", "",
                        List.of(locator.valueLocation(element(s.action().pointer(), locator, i)))));
            }
        }
        Set<ConnectAction> connect = connectActions(s);

        // resources
        if (s.resource() != null) {
            List<String> resources = s.resource().values();
            for (int i = 0; i < resources.size(); i++) {
                String r = resources.get(i);
                if (r.startsWith("arn:") && !Arns.foldFixedFields(r).equals(r)) {
                    out.add(caseFinding(s, r, locator.valueLocation(element(s.resource().pointer(), locator, i))));
                }
                String[] parts = r.split(":", 6);
                if (parts.length < 6 || !parts[2].equals(SERVICE)) {
                    continue;
                }
                Finding.Location where = locator.valueLocation(element(s.resource().pointer(), locator, i));
                if (wildcardInResourceType(parts[5])) {
                    out.add(new Finding(FindingType.WARNING, "WILDCARD_IN_RESOURCE_TYPE", "The resource " + r
                            + " has a wildcard in its resource-type part; IAM does not expand wildcards there as a type"
                            + " name, so write the type out (e.g. instance/*/queue/*).", "", List.of(where)));
                }
                if (!s.resource().negated() && connect != null && !connect.isEmpty()) {
                    Set<String> types = new LinkedHashSet<>();
                    connect.forEach(c -> c.resourceTypes().forEach(t -> types.add(t.name())));
                    if (!types.isEmpty() && !fitsAnyType(r, types)) {
                        out.add(new Finding(FindingType.ERROR, "INVALID_ARN_RESOURCE", "The resource " + r
                                + " matches none of the resource types of the statement's Amazon Connect actions "
                                + types + ".", "", List.of(where)));
                    }
                }
            }
        }

        // conditions
        for (Condition c : s.conditions()) {
            checkCondition(c, connect, locator, out);
        }

        // Allow + NotAction + Resource "*"
        if (s.effect() == Effect.ALLOW && s.action().negated() && s.resource() != null && !s.resource().negated()
                && s.resource().values().contains("*")) {
            out.add(new Finding(FindingType.SECURITY_WARNING, "ALLOW_WITH_NOT_ACTION", "Using Allow with NotAction "
                    + "and Resource \"*\" grants every action of every service except the ones listed; list the "
                    + "allowed actions instead.", "", List.of(locator.keyLocation(s.action().pointer()))));
        }
    }

    /** A wildcard inside a type word: the first segment of the resource part, and the third under {@code instance/}. */
    static boolean wildcardInResourceType(String resourcePart) {
        String[] segments = resourcePart.split("/", -1);
        if (hasPartialWildcard(segments[0])) {
            return true;
        }
        return segments[0].equals("instance") && segments.length > 2 && hasPartialWildcard(segments[2]);
    }

    private static boolean hasPartialWildcard(String segment) {
        return !segment.equals("*") && dev.edgeiam.request.Wildcards.hasWildcard(segment);
    }

    private boolean fitsAnyType(String resource, Set<String> typeNames) {
        String glob = resource.replaceAll("\\$\\{[^}]*}", "*");
        for (String name : typeNames) {
            ResourceType t = catalog.resourceType(name).orElse(null);
            if (t == null) {
                return true;
            }
            String template = t.arn().replaceAll("\\$\\{[^}]*}", String.valueOf(GlobIntersection.ID));
            if (GlobIntersection.intersects(glob, template)) {
                return true;
            }
        }
        return false;
    }

    private void checkCondition(Condition c, Set<ConnectAction> connect, JsonLocator locator, List<Finding> out) {
        String key = c.key();
        String lower = key.toLowerCase(Locale.ROOT);
        Finding.Location where = locator.keyLocation(c.pointer());
        String type = null;
        if (lower.startsWith("aws:")) {
            type = GlobalConditionKeys.defaults().type(key); // read on first use (see there)
            if (type == null) {
                type = catalog.conditionKey(key).map(ConditionKey::type).orElse(null);
            }
            if (type == null) {
                out.add(new Finding(FindingType.ERROR, "INVALID_GLOBAL_CONDITION_KEY", "The condition key " + key
                        + " is not a global condition key.", "", List.of(where)));
                return;
            }
        } else if (lower.startsWith(SERVICE + ":")) {
            ConditionKey k = catalog.conditionKey(key).orElse(null);
            if (k == null) {
                out.add(new Finding(FindingType.ERROR, "INVALID_SERVICE_CONDITION_KEY", "The condition key " + key
                        + " is not defined by Amazon Connect.", "", List.of(where)));
                return;
            }
            type = k.type();
            if (connect != null && !connect.isEmpty() && !supported(k, connect)) {
                out.add(new Finding(FindingType.WARNING, "INVALID_CONDITION_KEY", "None of the statement's Amazon "
                        + "Connect actions supports the condition key " + key + ", so the key is never present and the"
                        + " condition " + c.operator() + " never sees a value.", "", List.of(where)));
            }
        } else {
            return; // other services: no data
        }
        String mismatch = mismatch(key, type, c.operator().base());
        if (mismatch != null) {
            out.add(new Finding(FindingType.WARNING, "MISMATCHED_TYPE", "The operator " + c.operator()
                    + " compares " + mismatch + ", but " + key + " is of type " + type + ".", "", List.of(where)));
        }
    }

    private boolean supported(ConditionKey key, Set<ConnectAction> actions) {
        for (ConnectAction a : actions) {
            if (a.conditionKeys().stream().anyMatch(k -> k.equalsIgnoreCase(key.name()))) {
                return true;
            }
            for (ActionResourceType rt : a.resourceTypes()) {
                ResourceType t = catalog.resourceType(rt.name()).orElse(null);
                if (t != null && t.conditionKeys().stream().anyMatch(k -> k.equalsIgnoreCase(key.name()))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What the operator compares when it does not fit the key type, else null. */
    static String mismatch(String key, String type, BaseOperator operator) {
        BaseOperator.Family f = operator.family();
        if (f == BaseOperator.Family.NULL) {
            return null;
        }
        String t = type.toLowerCase(Locale.ROOT);
        boolean ok = switch (t) {
            case "string", "arrayofstring" -> f == BaseOperator.Family.STRING
                    || (f == BaseOperator.Family.ARN && key.toLowerCase(Locale.ROOT).endsWith("arn"));
            case "arn", "arrayofarn" -> f == BaseOperator.Family.ARN || f == BaseOperator.Family.STRING;
            case "numeric", "arrayofnumeric" -> f == BaseOperator.Family.NUMERIC;
            case "date", "arrayofdate" -> f == BaseOperator.Family.DATE
                    || (f == BaseOperator.Family.NUMERIC && key.equalsIgnoreCase("aws:EpochTime"));
            case "bool", "boolean", "arrayofbool" -> f == BaseOperator.Family.BOOLEAN;
            case "ipaddress", "arrayofipaddress" -> f == BaseOperator.Family.IP;
            case "binary" -> f == BaseOperator.Family.BINARY;
            default -> true;
        };
        return ok ? null : f.name().toLowerCase(Locale.ROOT) + " values";
    }

    // ------------------------------------------------------------------ redundancy

    private static void checkRedundancy(PolicyDocument doc, JsonLocator locator, List<Finding> out) {
        List<Statement> statements = doc.statements();
        for (int j = 0; j < statements.size(); j++) {
            Statement a = statements.get(j);
            for (int i = 0; i < statements.size(); i++) {
                if (i == j) {
                    continue;
                }
                Statement b = statements.get(i);
                if (covers(b, a) && !(covers(a, b) && i > j)) {
                    out.add(new Finding(FindingType.SUGGESTION, "REDUNDANT_STATEMENT", "Statement " + j
                            + (a.sid() == null ? "" : " (" + a.sid() + ")") + " is redundant: statement " + i
                            + (b.sid() == null ? "" : " (" + b.sid() + ")") + " has the same effect, no conditions, and"
                            + " covers all of its actions and resources.", "",
                            List.of(locator.valueLocation(a.pointer()), locator.valueLocation(b.pointer()))));
                    break;
                }
            }
        }
    }

    /** Whether {@code b} applies whenever {@code a} does: same effect, b unconditional, b's lists cover a's. */
    private static boolean covers(Statement b, Statement a) {
        if (a.effect() != b.effect() || !b.conditions().isEmpty() || a.action().negated() || b.action().negated()
                || a.resource() == null || b.resource() == null || a.resource().negated() || b.resource().negated()) {
            return false;
        }
        if (a.principal() == null ? b.principal() != null : !samePrincipals(a, b)) {
            return false;
        }
        return allCovered(b.action().values(), a.action().values(), true)
                && allCovered(b.resource().values(), a.resource().values(), false);
    }

    private static boolean samePrincipals(Statement a, Statement b) {
        return b.principal() != null && a.principal().negated() == b.principal().negated()
                && a.principal().anyone() == b.principal().anyone()
                && a.principal().principals().equals(b.principal().principals());
    }

    private static boolean allCovered(List<String> wide, List<String> narrow, boolean ignoreCase) {
        for (String n : narrow) {
            boolean covered = false;
            for (String w : wide) {
                if (patternCovers(w, n, ignoreCase)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every string matching {@code narrow} matches {@code wide}: equal text, {@code wide} is {@code *}, or
     * {@code wide} is a literal prefix followed by one {@code *} and {@code narrow} starts with that prefix.
     * Incomplete on purpose: when unsure, not covered (no suggestion).
     */
    static boolean patternCovers(String wide, String narrow, boolean ignoreCase) {
        String w = ignoreCase ? wide.toLowerCase(Locale.ROOT) : wide;
        String n = ignoreCase ? narrow.toLowerCase(Locale.ROOT) : narrow;
        if (w.equals(n) || w.equals("*")) {
            return true;
        }
        if (w.contains("${") || n.contains("${")) {
            return false;
        }
        int star = w.indexOf('*');
        if (star == w.length() - 1 && w.indexOf('?') < 0) {
            return n.startsWith(w.substring(0, star));
        }
        return false;
    }

    /** Exposed for the dispatcher's logs: the issue codes of a findings document. */
    public static List<String> issueCodes(ObjectNode findings) {
        List<String> codes = new ArrayList<>();
        findings.path("findings").forEach(f -> codes.add(f.path("issueCode").asText()));
        return codes;
    }

    /** For callers that want counts per type. */
    public static Map<String, Integer> countByType(List<Finding> findings) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        findings.forEach(f -> counts.merge(f.findingType().name(), 1, Integer::sum));
        return counts;
    }
}
