package dev.edgeiam.policy;

import dev.edgeiam.policy.value.CidrBlock;
import dev.edgeiam.policy.value.IamBinary;
import dev.edgeiam.policy.value.IamBoolean;
import dev.edgeiam.policy.value.IamDate;
import dev.edgeiam.policy.value.IamNumber;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an IAM policy document and checks it against the IAM JSON policy grammar ([Gram], [Ver], [Sid],
 * [Stmt], [Quota]), refusing — with a {@link PolicyException} that names the problem, JSON pointer and
 * line:column — everything IAM refuses: invalid JSON, duplicate keys, unknown elements, a missing or
 * invalid {@code Effect}, both or neither of {@code Action}/{@code NotAction} (likewise for
 * {@code Resource}), empty lists, {@code Principal} in an identity policy, bad or duplicate {@code Sid}s,
 * unknown condition operators, condition values of the wrong JSON type or not parseable for their operator,
 * unsupported {@code Version}s and documents over the quota of their {@link PolicyType}.
 * Nothing that is not understood is dropped. Thread-safe and stateless.
 */
public final class PolicyParser {

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_ELEMENTS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Principal", "NotPrincipal", "Condition");
    private static final Set<String> PRINCIPAL_KINDS = Set.of("AWS", "Service", "Federated", "CanonicalUser");

    private PolicyParser() {
    }

    /** Parses {@code text} as a policy of the given type; {@code policyId} names it in results and errors. */
    public static PolicyDocument parse(String text, PolicyType type, String policyId) {
        if (text == null) {
            throw PolicyException.malformed("the policy document is missing", "", SourcePosition.UNKNOWN);
        }
        checkSize(text, type);
        LocatedJson root = LocatedJsonReader.read(text);
        return new PolicyParser.Reader(type, policyId).document(root);
    }

    /** [Quota]: the quota counts characters other than white space. */
    private static void checkSize(String text, PolicyType type) {
        if (type.maxCharacters().isEmpty()) {
            return;
        }
        int max = type.maxCharacters().getAsInt();
        int count = 0;
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
                continue;
            }
            if (!(c == ' ' || c == '\t' || c == '\r')) {
                if (++count > max) {
                    int total = count;
                    for (int j = i + 1; j < text.length(); j++) {
                        char d = text.charAt(j);
                        if (!(d == ' ' || d == '\t' || d == '\r' || d == '\n')) {
                            total++;
                        }
                    }
                    throw new PolicyException(PolicyException.LIMIT_EXCEEDED, "the policy document has " + total
                            + " characters (white space not counted); the quota for a " + describe(type) + " is "
                            + max, "", new SourcePosition(line, column, i));
                }
            }
            column++;
        }
    }

    private static String describe(PolicyType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " policy";
    }

    /** One parse: holds the policy type and the Sids seen so far. */
    private static final class Reader {
        private final PolicyType type;
        private final String policyId;
        private final Map<String, SourcePosition> sids = new HashMap<>();

        Reader(PolicyType type, String policyId) {
            this.type = type;
            this.policyId = policyId;
        }

        PolicyDocument document(LocatedJson root) {
            LocatedJson.JObject object = asObject(root, "the policy document");
            unknownElements(object, TOP_LEVEL, "top-level");
            PolicyVersion version = PolicyVersion.V2008_10_17;
            boolean versionGiven = false;
            LocatedJson.Member versionMember = object.members().get("Version");
            if (versionMember != null) {
                String text = asString(versionMember.value(), "Version");
                version = PolicyVersion.fromText(text);
                if (version == null) {
                    throw error("Version \"" + text + "\" is not supported (use \"2012-10-17\" or \"2008-10-17\")",
                            versionMember.value());
                }
                versionGiven = true;
            }
            String id = null;
            LocatedJson.Member idMember = object.members().get("Id");
            if (idMember != null) {
                id = asString(idMember.value(), "Id");
            }
            LocatedJson.Member statementMember = object.members().get("Statement");
            if (statementMember == null) {
                throw error("the policy has no Statement element", object);
            }
            List<Statement> statements = new ArrayList<>();
            LocatedJson value = statementMember.value();
            if (value instanceof LocatedJson.JArray array) {
                if (array.items().isEmpty()) {
                    throw error("Statement must contain at least one statement", array);
                }
                for (LocatedJson item : array.items()) {
                    statements.add(statement(item, statements.size()));
                }
            } else if (value instanceof LocatedJson.JObject) {
                statements.add(statement(value, 0));
            } else {
                throw error("Statement must be an object or an array of objects, not " + value.kindName(), value);
            }
            return new PolicyDocument(policyId, type, version, versionGiven, id, statements);
        }

        private Statement statement(LocatedJson node, int index) {
            LocatedJson.JObject object = asObject(node, "a statement");
            unknownElements(object, STATEMENT_ELEMENTS, "statement");
            Map<String, LocatedJson.Member> m = object.members();

            String sid = null;
            if (m.containsKey("Sid")) {
                LocatedJson sidNode = m.get("Sid").value();
                sid = asString(sidNode, "Sid");
                for (int i = 0; i < sid.length(); i++) {
                    char c = sid.charAt(i);
                    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                        throw error("Sid \"" + sid + "\" may contain only letters A-Z, a-z and digits 0-9", sidNode);
                    }
                }
                if (!sid.isEmpty()) {
                    SourcePosition first = sids.putIfAbsent(sid, sidNode.start());
                    if (first != null) {
                        throw error("duplicate Sid \"" + sid + "\" (first at " + first + ")", sidNode);
                    }
                }
            }

            LocatedJson.Member effectMember = m.get("Effect");
            if (effectMember == null) {
                throw error("the statement has no Effect element", object);
            }
            String effectText = asString(effectMember.value(), "Effect");
            Effect effect = Effect.fromText(effectText);
            if (effect == null) {
                throw error("Effect must be \"Allow\" or \"Deny\", not \"" + effectText + "\"", effectMember.value());
            }

            ElementList action = exactlyOne(object, "Action", "NotAction", true);
            for (int i = 0; i < action.values().size(); i++) {
                checkAction(action.values().get(i), valueNode(m.get(action.negated() ? "NotAction" : "Action"), i));
            }

            ElementList resource = exactlyOne(object, "Resource", "NotResource", !type.resourceBased());
            if (resource != null) {
                for (int i = 0; i < resource.values().size(); i++) {
                    checkResource(resource.values().get(i),
                            valueNode(m.get(resource.negated() ? "NotResource" : "Resource"), i));
                }
            }

            PrincipalElement principal = principal(object);

            List<Condition> conditions = new ArrayList<>();
            if (m.containsKey("Condition")) {
                conditions(m.get("Condition").value(), conditions);
            }
            return new Statement(index, sid, effect, action, resource, principal, conditions,
                    new SourceSpan(object.start(), object.end()), object.pointer());
        }

        private ElementList exactlyOne(LocatedJson.JObject statement, String positive, String negative,
                                       boolean required) {
            LocatedJson.Member pos = statement.members().get(positive);
            LocatedJson.Member neg = statement.members().get(negative);
            if (pos != null && neg != null) {
                throw PolicyException.malformed("a statement may not contain both " + positive + " and " + negative,
                        statement.pointer(), neg.keyPosition());
            }
            if (pos == null && neg == null) {
                if (required) {
                    throw error("the statement has neither " + positive + " nor " + negative, statement);
                }
                return null;
            }
            LocatedJson.Member member = pos != null ? pos : neg;
            return new ElementList(neg != null, stringList(member.value(), member.key()), member.value().pointer());
        }

        private void checkAction(String action, LocatedJson at) {
            if (action.equals("*")) {
                return;
            }
            int colon = action.indexOf(':');
            if (colon <= 0 || colon == action.length() - 1) {
                throw error("action \"" + action + "\" must be \"*\" or have the form service:ActionName", at);
            }
            for (int i = 0; i < action.length(); i++) {
                char c = action.charAt(i);
                boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '_' || c == '*' || c == '?' || (c == ':' && i == colon);
                if (!ok) {
                    throw error("action \"" + action + "\" contains the character '" + c
                            + "', which is not valid in an action name", at);
                }
            }
        }

        private void checkResource(String resource, LocatedJson at) {
            if (resource.equals("*") || resource.startsWith("arn:")) {
                return;
            }
            throw error("resource \"" + resource + "\" must be \"*\" or an ARN beginning with \"arn:\"", at);
        }

        private PrincipalElement principal(LocatedJson.JObject statement) {
            LocatedJson.Member pos = statement.members().get("Principal");
            LocatedJson.Member neg = statement.members().get("NotPrincipal");
            if (!type.resourceBased()) {
                if (pos != null || neg != null) {
                    LocatedJson.Member present = pos != null ? pos : neg;
                    throw error(present.key() + " is not allowed in an identity-based policy", present.value());
                }
                return null;
            }
            if (pos != null && neg != null) {
                throw error("a statement may not contain both Principal and NotPrincipal", neg.value());
            }
            if (pos == null && neg == null) {
                throw error("a statement of a resource-based policy needs Principal or NotPrincipal", statement);
            }
            LocatedJson.Member member = pos != null ? pos : neg;
            LocatedJson value = member.value();
            if (value instanceof LocatedJson.JString s) {
                if (!s.value().equals("*")) {
                    throw error(member.key() + " must be \"*\" or an object such as {\"AWS\": [...]}", value);
                }
                return new PrincipalElement(neg != null, true, Map.of(), value.pointer());
            }
            LocatedJson.JObject object = asObject(value, member.key());
            Map<String, List<String>> principals = new LinkedHashMap<>();
            for (LocatedJson.Member kind : object.members().values()) {
                if (!PRINCIPAL_KINDS.contains(kind.key())) {
                    throw error("unknown principal type \"" + kind.key()
                            + "\" (expected AWS, Service, Federated or CanonicalUser)", kind.value());
                }
                principals.put(kind.key(), stringList(kind.value(), member.key() + "." + kind.key()));
            }
            if (principals.isEmpty()) {
                throw error(member.key() + " names no principal", value);
            }
            return new PrincipalElement(neg != null, false, principals, value.pointer());
        }

        private void conditions(LocatedJson node, List<Condition> out) {
            LocatedJson.JObject block = asObject(node, "Condition");
            for (LocatedJson.Member operatorMember : block.members().values()) {
                ConditionOperator operator = ConditionOperator.parse(operatorMember.key());
                if (operator == null) {
                    throw PolicyException.malformed("unknown condition operator \"" + operatorMember.key() + "\"",
                            operatorMember.value().pointer(), operatorMember.keyPosition());
                }
                LocatedJson.JObject keys = asObject(operatorMember.value(), "condition operator " + operator);
                for (LocatedJson.Member keyMember : keys.members().values()) {
                    if (keyMember.key().isEmpty()) {
                        throw PolicyException.malformed("a condition key may not be empty",
                                keyMember.value().pointer(), keyMember.keyPosition());
                    }
                    List<ConditionValue> values = conditionValues(keyMember.value(), operator);
                    out.add(new Condition(operator, keyMember.key(), values, keyMember.value().pointer(),
                            keyMember.keyPosition()));
                }
            }
        }

        private List<ConditionValue> conditionValues(LocatedJson node, ConditionOperator operator) {
            List<ConditionValue> values = new ArrayList<>();
            if (node instanceof LocatedJson.JArray array) {
                if (array.items().isEmpty()) {
                    throw error("a condition needs at least one value", array);
                }
                for (LocatedJson item : array.items()) {
                    values.add(conditionValue(item, operator));
                }
            } else {
                values.add(conditionValue(node, operator));
            }
            return values;
        }

        private ConditionValue conditionValue(LocatedJson node, ConditionOperator operator) {
            ConditionValue value;
            if (node instanceof LocatedJson.JString s) {
                value = new ConditionValue(s.value(), ConditionValue.Kind.STRING, s.start(), s.pointer());
            } else if (node instanceof LocatedJson.JNumber n) {
                value = new ConditionValue(n.text(), ConditionValue.Kind.NUMBER, n.start(), n.pointer());
            } else if (node instanceof LocatedJson.JBoolean b) {
                value = new ConditionValue(Boolean.toString(b.value()), ConditionValue.Kind.BOOLEAN, b.start(),
                        b.pointer());
            } else {
                throw error("a condition value must be a string, number or boolean, not " + node.kindName(), node);
            }
            String problem = typeProblem(value.text(), operator.base().family());
            if (problem != null) {
                throw error("value \"" + value.text() + "\" of " + operator + " " + problem, node);
            }
            return value;
        }

        /** Values that cannot mean anything for their operator are refused, never silently non-matching. */
        private static String typeProblem(String text, BaseOperator.Family family) {
            switch (family) {
                case NUMERIC:
                    return IamNumber.parse(text) == null ? "is not a number" : null;
                case DATE:
                    return IamDate.isValid(text) ? null : "is not an ISO 8601 date or epoch seconds";
                case BOOLEAN:
                case NULL:
                    return IamBoolean.parse(text) == null ? "must be \"true\" or \"false\"" : null;
                case BINARY:
                    return IamBinary.parse(text) == null ? "is not valid base64" : null;
                case IP:
                    return CidrBlock.parse(text) == null ? "is not an IPv4 or IPv6 address or CIDR block" : null;
                default:
                    return null;
            }
        }

        private List<String> stringList(LocatedJson node, String element) {
            if (node instanceof LocatedJson.JString s) {
                return List.of(s.value());
            }
            if (node instanceof LocatedJson.JArray array) {
                if (array.items().isEmpty()) {
                    throw error(element + " must list at least one value", array);
                }
                List<String> out = new ArrayList<>(array.items().size());
                for (LocatedJson item : array.items()) {
                    if (!(item instanceof LocatedJson.JString s)) {
                        throw error("each " + element + " value must be a string, not " + item.kindName(), item);
                    }
                    out.add(s.value());
                }
                return out;
            }
            throw error(element + " must be a string or an array of strings, not " + node.kindName(), node);
        }

        private static LocatedJson valueNode(LocatedJson.Member member, int index) {
            LocatedJson v = member.value();
            return v instanceof LocatedJson.JArray a ? a.items().get(index) : v;
        }

        private void unknownElements(LocatedJson.JObject object, Set<String> allowed, String level) {
            for (LocatedJson.Member member : object.members().values()) {
                if (!allowed.contains(member.key())) {
                    throw PolicyException.malformed("unknown " + level + " element \"" + member.key() + "\"",
                            member.value().pointer(), member.keyPosition());
                }
            }
        }

        private LocatedJson.JObject asObject(LocatedJson node, String what) {
            if (node instanceof LocatedJson.JObject o) {
                return o;
            }
            throw error(what + " must be a JSON object, not " + node.kindName(), node);
        }

        private String asString(LocatedJson node, String element) {
            if (node instanceof LocatedJson.JString s) {
                return s.value();
            }
            throw error(element + " must be a string, not " + node.kindName(), node);
        }

        private PolicyException error(String problem, LocatedJson at) {
            return PolicyException.malformed(problem, at.pointer(), at.start());
        }
    }
}
