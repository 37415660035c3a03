package dev.edgeiam.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEST ONLY: the one reference evaluator of the property and fuzz tests ({@link DecideExplainAgreementTest},
 * {@link EvaluatorFuzzTest}), written from the IAM User Guide and sharing nothing with the code it checks: it reads
 * policy JSON with Jackson's tree model (not {@code PolicyParser}), matches with its own wildcard routine (not
 * {@code CompiledPattern}/{@code GlobEngine}), substitutes policy variables itself (not
 * {@code RequestContext.variable}) and implements the condition operators itself (not {@code CompiledCondition}
 * or {@code ValueTest}). Its only contact with production is {@link Request#toRequestContext}, which hands the
 * same request to the code under test and is never read back here. It is deliberately slow and plain: every
 * statement of every policy of every layer is checked, no index, no cache.
 *
 * <p>Sources (cited below by the bracketed name):
 * <ul>
 * <li>[Eval] <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html">
 * Policy evaluation logic</a></li>
 * <li>[Ops] <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">
 * IAM JSON policy elements: Condition operators</a></li>
 * <li>[Multi] <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html">
 * Single-valued vs. multivalued context keys</a> and "Conditions with multiple context keys or values"</li>
 * <li>[Vars] <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html">
 * IAM policy elements: Variables and tags</a></li>
 * <li>[Act] <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html">
 * IAM JSON policy elements: Action</a>; [Res]
 * <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html">
 * IAM JSON policy elements: Resource</a></li>
 * </ul>
 *
 * <p><b>The subset it implements</b> — what the two generators produce, and what the evaluation corpus needs so
 * that {@link ReferenceEvaluatorCorpusTest} can check the reference itself against cases written from the IAM
 * pages; anything else throws
 * {@link Unsupported}, so a generator that outgrows the reference fails loudly instead of comparing against a
 * guess:
 * <ul>
 * <li>Layers: identity policies, an optional permissions boundary, optional session policies, zero or more SCP
 * levels, and whether the caller is a federated-user session. No resource-based policies, no RCPs, no
 * {@code Principal}. A new layer is one more entry in {@link #decide}.</li>
 * <li>Policies: {@code Version} {@code 2012-10-17} (variables on), {@code 2008-10-17} or none (variables off);
 * {@code Statement} as an object or an array; {@code Sid}, {@code Effect}, {@code Action}/{@code NotAction},
 * {@code Resource}/{@code NotResource} (a string or an array of strings), {@code Condition}. The policies are
 * assumed valid: production has already accepted them.</li>
 * <li>Operators: the String, Numeric, Date, {@code Bool}, IP and ARN families with their negations, the
 * {@code IfExists} suffix, {@code Null}, {@code BinaryEquals} (base-64 on both sides), and the
 * {@code ForAnyValue:}/{@code ForAllValues:} prefixes. Dates: the W3C ISO 8601 profile [Ops] lists, or epoch
 * seconds. IP: dotted-quad IPv4 and RFC 4291 IPv6 text without an embedded IPv4 tail, with an optional
 * {@code /prefix}.</li>
 * <li>Variables: {@code ${key}}, {@code ${key, 'default'}} and the escapes {@code ${*}}, {@code ${?}},
 * {@code ${$}}, in the resource part of {@code Resource}/{@code NotResource} and in String and ARN condition
 * values; a variable before the fifth colon of a {@code Resource} is outside the subset.</li>
 * </ul>
 *
 * <p><b>Where AWS's pages are silent</b> the reference takes the reading the project has chosen and pinned with
 * tests, and says so at the spot ("project choice"): action and key names fold only A–Z; a variable's value is
 * literal text (its {@code *} is not a wildcard); an empty string is a present value for {@code Null}, while a
 * key with no values at all is absent for every operator ({@code …IfExists} under a set prefix included —
 * production reads {@code ForAnyValue:…IfExists} on an empty set as false, an open question the generators do not
 * reach); a multivalued key under a bare operator matches no positive operator and every negated one;
 * {@code Bool} ignores case; an unreadable context value (not a number, date, boolean or address) matches no
 * policy value; a context value written as a CIDR block is in a policy block that holds the whole of it.
 */
final class ReferenceEvaluator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceEvaluator() {
    }

    /** Thrown for a policy construct outside the subset above. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String what) {
            super("outside the reference evaluator's subset: " + what);
        }
    }

    // ================================================================== the question

    /** The policies of one caller, as JSON text, by layer. {@code boundary} and {@code session} may be null. */
    record PolicySet(List<String> identity, List<String> boundary, List<String> session,
                     List<List<String>> scpLevels, boolean federatedUser) {
    }

    /** One request context key as given: its name as spelled, its values, and whether it is multivalued. */
    record Entry(String name, List<String> values, boolean multivalued) {
    }

    /** The request: action, resource ARN and context keys (a later key replaces an earlier one of the same name). */
    static final class Request {
        private final String action;
        private final String resource;
        private final Map<String, Entry> keys = new LinkedHashMap<>();

        Request(String action, String resource) {
            this.action = action;
            this.resource = resource;
        }

        Request put(String key, String value) {
            keys.put(fold(key), new Entry(key, List.of(value), false));
            return this;
        }

        Request putList(String key, List<String> values) {
            keys.put(fold(key), new Entry(key, List.copyOf(values), true));
            return this;
        }

        String action() {
            return action;
        }

        String resource() {
            return resource;
        }

        /** Condition key names are case-insensitive [Ops]; null when absent. */
        Entry get(String key) {
            return keys.get(fold(key));
        }

        /** The same request for the code under test. The reference never reads the result. */
        RequestContext toRequestContext() {
            RequestContext.Builder b = RequestContext.builder(action, resource);
            for (Entry e : keys.values()) {
                b.put(e.multivalued() ? ContextValue.multi(e.name(), e.values())
                        : ContextValue.single(e.name(), e.values().get(0)));
            }
            return b.build();
        }

        @Override
        public String toString() {
            return action + " on " + resource + " with " + keys.values();
        }
    }

    // ================================================================== [Eval]

    /**
     * [Eval]: an applicable {@code Deny} in any policy decides an explicit deny; otherwise the request is allowed
     * only when the identity policies allow and every policy type that caps them allows too — each SCP level, the
     * permissions boundary if set, the session policies if passed (they only limit what the identity policies
     * grant); a federated-user session with no session policy has no permissions. Everything else is an implicit
     * deny.
     */
    static EvalDecision decide(PolicySet set, Request request) {
        List<Policy> identity = parse(set.identity());
        List<Policy> boundary = set.boundary() == null ? null : parse(set.boundary());
        List<Policy> session = set.session() == null ? null : parse(set.session());
        List<List<Policy>> scps = new ArrayList<>();
        for (List<String> level : set.scpLevels()) {
            scps.add(parse(level));
        }

        List<List<Policy>> every = new ArrayList<>(scps);
        every.add(identity);
        if (boundary != null) {
            every.add(boundary);
        }
        if (session != null) {
            every.add(session);
        }
        for (List<Policy> layer : every) {
            if (anyApplies(layer, false, request)) {
                return EvalDecision.EXPLICIT_DENY;
            }
        }
        // [XAcct] (facts §8): a request for a resource of another account needs a resource-based policy on the
        // resource side; this subset has none, so such a request is an implicit deny once no Deny applied.
        if (crossAccount(request)) {
            return EvalDecision.IMPLICIT_DENY;
        }
        // The layers whose Allow the request needs; a resource-based policy would be an alternative to identity.
        boolean allowed = anyApplies(identity, true, request);
        for (List<Policy> level : scps) {
            allowed &= anyApplies(level, true, request);
        }
        if (boundary != null) {
            allowed &= anyApplies(boundary, true, request);
        }
        if (session != null) {
            allowed &= anyApplies(session, true, request);
        } else if (set.federatedUser()) {
            allowed = false;
        }
        return allowed ? EvalDecision.ALLOWED : EvalDecision.IMPLICIT_DENY;
    }

    /**
     * Whether the principal's account (the {@code aws:PrincipalAccount} key, else the account field of
     * {@code aws:PrincipalArn}) and the resource's (the account field of its ARN) are both known and differ; an
     * unknown one counts as the same account.
     */
    static boolean crossAccount(Request request) {
        String principal = single(request.get("aws:PrincipalAccount"));
        if (principal == null) {
            principal = accountField(single(request.get("aws:PrincipalArn")));
        }
        String resource = accountField(request.resource());
        return principal != null && resource != null && !principal.equals(resource);
    }

    private static String single(Entry e) {
        return e == null || e.multivalued() || e.values().size() != 1 || e.values().get(0).isEmpty() ? null
                : e.values().get(0);
    }

    /** The fifth colon-separated field of an ARN ({@code arn:partition:service:region:account:...}), or null. */
    private static String accountField(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        return parts.length < 6 || parts[4].isEmpty() ? null : parts[4];
    }

    private static boolean anyApplies(List<Policy> policies, boolean allow, Request request) {
        for (Policy p : policies) {
            for (Stmt s : p.statements()) {
                if (s.allow() == allow && s.applies(p.variables(), request)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ================================================================== policies, read from the JSON tree

    private record Policy(boolean variables, List<Stmt> statements) {
    }

    private record Cond(String operator, String key, List<String> values) {
    }

    private record Stmt(boolean allow, boolean notAction, List<String> actions, boolean notResource,
                        List<String> resources, List<Cond> conditions) {

        /** A statement applies when its action, resource and every condition match. */
        boolean applies(boolean variables, Request request) {
            boolean action = false;
            for (String a : actions) {
                action |= actionMatches(a, request.action());
            }
            if (action == notAction) {
                return false;
            }
            boolean resource = false;
            for (String r : resources) {
                resource |= resourceMatches(r, variables, request);
            }
            if (resource == notResource) {
                return false;
            }
            for (Cond c : conditions) {
                if (!holds(c, variables, request)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static List<Policy> parse(List<String> texts) {
        List<Policy> out = new ArrayList<>();
        for (String text : texts) {
            out.add(parse(text));
        }
        return out;
    }

    private static Policy parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("the reference cannot read a policy production accepted: " + text, e);
        }
        // [Vars]: variables need Version 2012-10-17; under an older or absent Version ${…} is literal text.
        boolean variables = "2012-10-17".equals(root.path("Version").asText(null));
        JsonNode statements = root.get("Statement");
        List<Stmt> out = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(s -> out.add(statement(s)));
        } else {
            out.add(statement(statements));
        }
        return new Policy(variables, out);
    }

    private static Stmt statement(JsonNode s) {
        Iterator<String> names = s.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!List.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition").contains(n)) {
                throw new Unsupported("statement element " + n);
            }
        }
        List<Cond> conditions = new ArrayList<>();
        JsonNode block = s.path("Condition");
        block.fieldNames().forEachRemaining(op -> block.get(op).fieldNames().forEachRemaining(
                key -> conditions.add(new Cond(op, key, strings(block.get(op).get(key))))));
        return new Stmt("Allow".equals(s.get("Effect").asText()), s.has("NotAction"),
                strings(s.has("NotAction") ? s.get("NotAction") : s.get("Action")), s.has("NotResource"),
                strings(s.has("NotResource") ? s.get("NotResource") : s.get("Resource")), conditions);
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> out.add(scalar(v)));
        } else {
            out.add(scalar(node));
        }
        return out;
    }

    private static String scalar(JsonNode v) {
        if (!v.isValueNode() || v.isNull()) {
            throw new Unsupported("a non-scalar value " + v);
        }
        return v.asText();
    }

    // ================================================================== names [Act] [Ops]

    /**
     * Action names and condition key names are case-insensitive ([Act], [Ops]). Project choice: IAM's names are
     * ASCII, so only A–Z fold — a look-alike such as U+212A KELVIN SIGN is not the letter k.
     */
    static String fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c);
        }
        return out.toString();
    }

    /** [Act]: {@code *} and {@code ?} anywhere in the action name, compared case-insensitively. */
    private static boolean actionMatches(String pattern, String action) {
        List<Tok> tokens = new ArrayList<>();
        for (char c : fold(pattern).toCharArray()) {
            tokens.add(c == '*' ? Tok.star(true) : c == '?' ? Tok.one(true) : Tok.lit(c));
        }
        return glob(tokens, fold(action));
    }

    // ================================================================== wildcard matching

    /**
     * One pattern token: a literal character, {@code ?} (one character) or {@code *} (any run, also empty); a
     * wildcard with {@code colons} false cannot match {@code ':'}.
     */
    private record Tok(char c, int kind, boolean colons) {
        static final int LIT = 0;
        static final int ONE = 1;
        static final int STAR = 2;

        static Tok lit(char c) {
            return new Tok(c, LIT, true);
        }

        static Tok one(boolean colons) {
            return new Tok('?', ONE, colons);
        }

        static Tok star(boolean colons) {
            return new Tok('*', STAR, colons);
        }

        boolean accepts(char x) {
            return kind == LIT ? c == x : colons || x != ':';
        }
    }

    /** Whole-text match, case-sensitive, by the textbook table: can tokens i.. match text j..? */
    private static boolean glob(List<Tok> p, String text) {
        int n = text.length();
        boolean[] next = new boolean[n + 1];
        next[n] = true;
        for (int i = p.size() - 1; i >= 0; i--) {
            Tok t = p.get(i);
            boolean[] cur = new boolean[n + 1];
            for (int j = n; j >= 0; j--) {
                boolean here = j < n && t.accepts(text.charAt(j));
                cur[j] = t.kind() == Tok.STAR ? next[j] || (here && cur[j + 1]) : here && next[j + 1];
            }
            next = cur;
        }
        return next[0];
    }

    // ================================================================== policy variables [Vars]

    /** A piece of policy text before substitution: a token, or a variable (key, default or null). */
    private record Piece(Tok tok, String key, String fallback) {
    }

    /**
     * [Vars]: {@code ${key}} or {@code ${key, 'default'}} (when {@code variables}); {@code ${*}}, {@code ${?}},
     * {@code ${$}} are the literal characters; text that is not a well-formed reference stays literal. When
     * {@code wildcards}, {@code *} and {@code ?} of the policy text are wildcards that may match {@code ':'}.
     */
    private static List<Piece> template(String text, boolean variables, boolean wildcards) {
        List<Piece> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (variables && text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close > 0) {
                    Piece ref = reference(text.substring(i + 2, close));
                    if (ref != null) {
                        out.add(ref);
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.add(new Piece(wildcards && c == '*' ? Tok.star(true) : wildcards && c == '?' ? Tok.one(true)
                    : Tok.lit(c), null, null));
            i++;
        }
        return out;
    }

    private static Piece reference(String inside) {
        if (inside.equals("*") || inside.equals("?") || inside.equals("$")) {
            return new Piece(Tok.lit(inside.charAt(0)), null, null);
        }
        int comma = inside.indexOf(',');
        String key = (comma < 0 ? inside : inside.substring(0, comma)).strip();
        if (key.isEmpty() || key.contains("$") || key.contains("{")) {
            return null; // a key name holds neither: "${${k}" is a literal "${" and then a reference
        }
        if (comma < 0) {
            return new Piece(null, key, null);
        }
        String rest = inside.substring(comma + 1).strip();
        if (rest.length() < 2 || rest.charAt(0) != '\'' || !rest.endsWith("'")) {
            return null;
        }
        return new Piece(null, key, rest.substring(1, rest.length() - 1));
    }

    /**
     * The pieces with each variable replaced by its value, as literal characters (project choice: a value cannot
     * carry wildcards into the pattern); null when a variable has no value and no default — [Vars]: a variable
     * AWS cannot resolve makes the element match nothing. Only a present, single-valued key is a variable [Vars].
     */
    private static List<Tok> substitute(List<Piece> pieces, Request request) {
        List<Tok> out = new ArrayList<>();
        for (Piece p : pieces) {
            if (p.tok() != null) {
                out.add(p.tok());
                continue;
            }
            Entry e = request.get(p.key());
            String value = e != null && !e.multivalued() && e.values().size() == 1 ? e.values().get(0) : p.fallback();
            if (value == null) {
                return null;
            }
            for (char c : value.toCharArray()) {
                out.add(Tok.lit(c));
            }
        }
        return out;
    }

    // ================================================================== Resource [Res]

    /**
     * [Res]: "You can use multiple * or ? characters in each segment. If the * wildcard is the last character
     * of a resource ARN segment, it can expand to match beyond the colon boundaries." So in the five components
     * before the fifth colon a {@code ?}, and a {@code *} not ending its component, stay within it; after the
     * fifth colon the resource part is one string. Variables only there [Vars]. Case-sensitive (project choice).
     */
    private static boolean resourceMatches(String pattern, boolean variables, Request request) {
        int split = -1;
        for (int n = 0; n < 5; n++) {
            split = pattern.indexOf(':', split + 1);
            if (split < 0) {
                break;
            }
        }
        String head = split < 0 ? pattern : pattern.substring(0, split + 1);
        if (variables && head.contains("${")) {
            throw new Unsupported("a policy variable before the fifth colon of " + pattern);
        }
        List<Tok> tokens = new ArrayList<>();
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            boolean endsComponent = i + 1 == head.length() || head.charAt(i + 1) == ':';
            tokens.add(c == '*' ? Tok.star(endsComponent) : c == '?' ? Tok.one(false) : Tok.lit(c));
        }
        if (split >= 0) {
            List<Tok> rest = substitute(template(pattern.substring(split + 1), variables, true), request);
            if (rest == null) {
                return false;
            }
            tokens.addAll(rest);
        }
        return glob(tokens, request.resource());
    }

    // ================================================================== Condition [Ops] [Multi]

    private enum Family { STRING, NUMERIC, DATE, BOOL, BINARY, IP, ARN }

    /**
     * [Ops]: a key absent from the request makes every operator false, except that a negated one ("requires that
     * the key is not matched, such as StringNotLike or ArnNotLike") is true, {@code …IfExists} is true, and
     * {@code Null} tests presence. [Multi]: values of one key are ORed — NORed for a negated operator;
     * {@code ForAnyValue:} needs one context value to satisfy the operator (false for a missing or empty key),
     * {@code ForAllValues:} needs every one to (true for a missing or empty key). A key with no values is absent.
     */
    private static boolean holds(Cond c, boolean variables, Request request) {
        String op = c.operator();
        boolean forAny = op.startsWith("ForAnyValue:");
        boolean forAll = op.startsWith("ForAllValues:");
        String base = forAny || forAll ? op.substring(op.indexOf(':') + 1) : op;
        Entry value = request.get(c.key());
        boolean absent = value == null || value.values().isEmpty();
        if (base.equals("Null")) {
            // [Ops] Null: "true" — the key is absent (or null); "false" — present. Project choice: "" is present.
            boolean any = false;
            for (String v : c.values()) {
                any |= v.equalsIgnoreCase("true") == absent;
            }
            return any;
        }
        boolean ifExists = base.endsWith("IfExists");
        if (ifExists) {
            base = base.substring(0, base.length() - "IfExists".length());
        }
        boolean negated = base.contains("Not");
        if (absent) {
            return ifExists || forAll || (!forAny && negated);
        }
        if (forAny) {
            for (String v : value.values()) {
                if (matchesAny(base, c.values(), v, variables, request) != negated) {
                    return true;
                }
            }
            return false;
        }
        if (forAll) {
            for (String v : value.values()) {
                if (matchesAny(base, c.values(), v, variables, request) == negated) {
                    return false;
                }
            }
            return true;
        }
        if (value.multivalued() || value.values().size() != 1) {
            // [Multi]: a multivalued key needs a set operator; AWS gives no answer. Project choice: no positive
            // operator matches, every negated one does (a Deny written that way still applies).
            return negated;
        }
        return matchesAny(base, c.values(), value.values().get(0), variables, request) != negated;
    }

    /** Whether the context value matches at least one policy value under the (un-negated) operator. */
    private static boolean matchesAny(String base, List<String> policyValues, String context, boolean variables,
                                      Request request) {
        String positive = base.replace("Not", "");
        Family family = family(positive);
        for (String p : policyValues) {
            if (matchesOne(positive, family, p, context, variables, request)) {
                return true;
            }
        }
        return false;
    }

    private static Family family(String positive) {
        return switch (positive) {
            case "StringEquals", "StringEqualsIgnoreCase", "StringLike" -> Family.STRING;
            case "NumericEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
                 "NumericGreaterThanEquals" -> Family.NUMERIC;
            case "DateEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals" ->
                    Family.DATE;
            case "Bool" -> Family.BOOL;
            case "BinaryEquals" -> Family.BINARY;
            case "IpAddress" -> Family.IP;
            case "ArnEquals", "ArnLike" -> Family.ARN;
            default -> throw new Unsupported("condition operator " + positive);
        };
    }

    private static boolean matchesOne(String op, Family family, String policy, String context, boolean variables,
                                      Request request) {
        switch (family) {
            case STRING: {
                // [Ops]: Equals — exact, case-sensitive; IgnoreCase — exact ignoring case; Like — * and ? anywhere.
                // Variables are allowed in String values [Vars].
                boolean like = op.equals("StringLike");
                List<Tok> tokens = substitute(template(policy, variables, like), request);
                if (tokens == null) {
                    return false;
                }
                if (like) {
                    return glob(tokens, context);
                }
                StringBuilder literal = new StringBuilder();
                tokens.forEach(t -> literal.append(t.c()));
                return op.equals("StringEqualsIgnoreCase") ? literal.toString().equalsIgnoreCase(context)
                        : literal.toString().equals(context);
            }
            case NUMERIC: {
                BigDecimal a = number(context);
                BigDecimal b = number(policy);
                if (b == null) {
                    throw new Unsupported("numeric policy value " + policy);
                }
                return a != null && compare(op.substring("Numeric".length()), a.compareTo(b));
            }
            case DATE: {
                Instant a = date(context);
                Instant b = date(policy);
                if (b == null) {
                    throw new Unsupported("date policy value " + policy);
                }
                return a != null && compare(op.substring("Date".length()), a.compareTo(b));
            }
            case BOOL: {
                // Project choice: "true"/"false" in any case; anything else is not a boolean.
                Boolean a = bool(context);
                Boolean b = bool(policy);
                if (b == null) {
                    throw new Unsupported("Bool policy value " + policy);
                }
                return b.equals(a);
            }
            case BINARY: {
                // [Ops] BinaryEquals compares the key's bytes with the policy's base-64 encoded value; the context
                // value arrives base-64 encoded too, as the simulator's ContextEntries take it.
                byte[] a = base64(context);
                byte[] b = base64(policy);
                if (b == null) {
                    throw new Unsupported("BinaryEquals policy value " + policy);
                }
                return a != null && Arrays.equals(a, b);
            }
            case IP: {
                // [Ops]: the policy value is a block in CIDR notation; an address without a prefix is one host.
                // Project choice: a context value given as a block matches when the policy's block holds all of it.
                Object[] block = block(policy);
                if (block == null) {
                    throw new Unsupported("IP policy value " + policy);
                }
                Object[] a = block(context);
                return a != null && ((byte[]) a[0]).length == ((byte[]) block[0]).length
                        && (int) a[1] >= (int) block[1] && samePrefix((byte[]) a[0], (byte[]) block[0], (int) block[1]);
            }
            case ARN:
                return arnMatches(policy, context, variables, request);
            default:
                throw new AssertionError(family);
        }
    }

    private static boolean compare(String how, int order) {
        return switch (how) {
            case "Equals" -> order == 0;
            case "LessThan" -> order < 0;
            case "LessThanEquals" -> order <= 0;
            case "GreaterThan" -> order > 0;
            case "GreaterThanEquals" -> order >= 0;
            default -> throw new Unsupported("comparison " + how);
        };
    }

    /** [Ops] Numeric: "integer or decimal" — an optional sign, digits and at most one point. */
    private static BigDecimal number(String s) {
        return s.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)") ? new BigDecimal(s) : null;
    }

    /**
     * [Ops] Date: the W3C profile of ISO 8601 ({@code YYYY}, {@code YYYY-MM}, {@code YYYY-MM-DD}, then a time
     * {@code Thh:mm}, {@code Thh:mm:ss} or {@code Thh:mm:ss.s} with a zone {@code Z} or {@code ±hh:mm}), or epoch
     * seconds. A date without a time is the start of that period in UTC; four digits are a year, not epoch
     * seconds (project choices, where AWS is silent).
     */
    private static Instant date(String s) {
        try {
            if (s.matches("[0-9]{4}")) {
                return LocalDate.of(Integer.parseInt(s), 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (s.matches("[0-9]{4}-[0-9]{2}")) {
                return LocalDate.parse(s + "-01").atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (s.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (s.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?"
                    + "(Z|[+-][0-9]{2}:[0-9]{2})")) {
                return OffsetDateTime.parse(s).toInstant();
            }
            if (s.matches("[+-]?[0-9]+(\\.[0-9]+)?")) {
                BigDecimal seconds = new BigDecimal(s);
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.subtract(new BigDecimal(seconds.longValue())).movePointRight(9).intValue());
            }
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
        return null;
    }

    private static byte[] base64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Boolean bool(String s) {
        return s.equalsIgnoreCase("true") ? Boolean.TRUE : s.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }

    /** {address bytes, prefix length} of {@code address[/prefix]}, or null when not one. */
    private static Object[] block(String s) {
        int slash = s.indexOf('/');
        byte[] a = address(slash < 0 ? s : s.substring(0, slash));
        if (a == null) {
            return null;
        }
        if (slash < 0) {
            return new Object[] {a, a.length * 8};
        }
        String p = s.substring(slash + 1);
        if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > a.length * 8) {
            return null;
        }
        return new Object[] {a, Integer.parseInt(p)};
    }

    /** Four or sixteen bytes, or null: dotted-quad IPv4, or IPv6 hex groups with at most one {@code ::}. */
    private static byte[] address(String s) {
        if (s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            byte[] out = new byte[4];
            String[] parts = s.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                out[i] = (byte) v;
            }
            return out;
        }
        if (!s.matches("[0-9A-Fa-f:]+") || s.indexOf("::") != s.lastIndexOf("::") || s.contains(":::")) {
            return null;
        }
        int gap = s.indexOf("::");
        List<String> left = groups(gap < 0 ? s : s.substring(0, gap));
        List<String> right = gap < 0 ? List.of() : groups(s.substring(gap + 2));
        if (left == null || right == null) {
            return null;
        }
        int total = left.size() + right.size();
        if (gap < 0 ? total != 8 : total > 7) {
            return null;
        }
        List<String> all = new ArrayList<>(left);
        for (int i = total; i < 8; i++) {
            all.add("0");
        }
        all.addAll(right);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            int v = Integer.parseInt(all.get(i), 16);
            out[2 * i] = (byte) (v >> 8);
            out[2 * i + 1] = (byte) v;
        }
        return out;
    }

    private static List<String> groups(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String g : s.split(":", -1)) {
            if (g.isEmpty() || g.length() > 4) {
                return null;
            }
            out.add(g);
        }
        return out;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /**
     * [Ops] ARN operators: each of the ARN's six colon-delimited components is compared separately, each may hold
     * {@code *} and {@code ?}; Equals and Like behave alike; case-sensitive; variables allowed. So both texts are
     * cut at their first five colons (a colon inside a {@code ${…}} reference is not one), and the components are
     * matched pairwise.
     */
    private static boolean arnMatches(String policy, String context, boolean variables, Request request) {
        List<List<Piece>> parts = new ArrayList<>();
        parts.add(new ArrayList<>());
        for (Piece p : template(policy, variables, true)) {
            if (p.tok() != null && p.tok().kind() == Tok.LIT && p.tok().c() == ':' && parts.size() < 6) {
                parts.add(new ArrayList<>());
            } else {
                parts.get(parts.size() - 1).add(p);
            }
        }
        String[] text = context.split(":", 6);
        if (text.length != parts.size()) {
            return false;
        }
        for (int i = 0; i < text.length; i++) {
            List<Tok> tokens = substitute(parts.get(i), request);
            if (tokens == null || !glob(tokens, text[i])) {
                return false;
            }
        }
        return true;
    }
}
