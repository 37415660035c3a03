package dev.edgeiam.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;
import dev.edgeiam.request.RequestPrincipal;

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
 * <li>[XAcct] <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html">
 * Cross-account policy evaluation logic</a></li>
 * <li>[Princ] <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html">
 * AWS JSON policy elements: Principal</a></li>
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
 * levels, whether the caller is a federated-user session; on the resource's side an optional resource-based
 * policy ({@code Principal}/{@code NotPrincipal} naming IAM callers by account, user, role, role session,
 * federated-user session or {@code "*"}) and zero or more RCP levels; the caller's ARN and account and the
 * resource's owner. The combination is {@link #decide}'s, written from [Eval] and [XAcct].</li>
 * <li>ARN case: project reading, never over-grant — a {@code Deny} with {@code Resource} and an {@code Allow}
 * with {@code NotResource} also match with partition, service, Region and account in lower case; an
 * {@code Allow} with {@code Resource} matches only as written.</li>
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

    /**
     * The policies of one request, as JSON text, by layer: the caller's side (identity, boundary, session, SCP
     * levels, whether it is a federated-user session) and the resource's side (its resource-based policies, RCP
     * levels). {@code boundary}, {@code session} and {@code resourcePolicy} may be null (none).
     */
    record PolicySet(List<String> identity, List<String> boundary, List<String> session,
                     List<List<String>> scpLevels, boolean federatedUser, List<String> resourcePolicy,
                     List<List<String>> rcpLevels) {

        /** A caller's side only: no resource-based policy, no RCPs. */
        PolicySet(List<String> identity, List<String> boundary, List<String> session, List<List<String>> scpLevels,
                  boolean federatedUser) {
            this(identity, boundary, session, scpLevels, federatedUser, null, List.of());
        }
    }

    /** One request context key as given: its name as spelled, its values, and whether it is multivalued. */
    record Entry(String name, List<String> values, boolean multivalued) {
    }

    /** The request: action, resource ARN and context keys (a later key replaces an earlier one of the same name). */
    static final class Request {
        private final String action;
        private final String resource;
        private final Map<String, Entry> keys = new LinkedHashMap<>();
        private String caller;
        private String callerAccount;
        private String owner;

        Request(String action, String resource) {
            this.action = action;
            this.resource = resource;
        }

        /**
         * The caller's ARN, as {@code Principal} elements name it; with {@code accountGiven} its account field is
         * the principal's account too (as the simulator's {@code CallerArn} gives it), else the account comes from
         * the context keys, if any.
         */
        Request caller(String arn, boolean accountGiven) {
            this.caller = arn;
            this.callerAccount = accountGiven ? accountField(arn) : null;
            return this;
        }

        /** The account that owns a resource whose ARN names none ({@code ResourceOwner}). */
        Request owner(String account) {
            this.owner = account;
            return this;
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
            if (caller != null) {
                b.principal(RequestPrincipal.ofArn(caller));
            }
            if (callerAccount != null) {
                b.principalAccount(callerAccount);
            }
            if (owner != null) {
                b.resourceOwner(owner);
            }
            for (Entry e : keys.values()) {
                b.put(e.multivalued() ? ContextValue.multi(e.name(), e.values())
                        : ContextValue.single(e.name(), e.values().get(0)));
            }
            return b.build();
        }

        @Override
        public String toString() {
            return action + " on " + resource + " with " + keys.values() + " caller " + caller + " (account "
                    + (callerAccount == null ? "from the keys" : "given") + ") owner " + owner;
        }
    }

    // ================================================================== [Eval] [XAcct]

    /**
     * How a {@code Principal} names the caller, which decides what a same-account resource-policy grant is worth
     * ([Eval]): {@code STANDS_ALONE} — the IAM user, the role session, the federated-user session, or everyone
     * ({@code "*"}): "If a resource-based policy grants permission directly to the IAM user or the session
     * principal that is making the request, then an implicit deny in an identity-based policy, a permissions
     * boundary, or a session policy does not impact the final decision"; {@code CAPPED} — the role ARN, or a
     * {@code NotPrincipal} that leaves the caller out: "Resource-based policies that grant permissions to an IAM
     * role ARN are limited by an implicit deny in a permissions boundary or session policy"; {@code ACCOUNT} — the
     * account alone: "you delegate authority to the account" ([Princ]), so no grant by itself.
     */
    private enum Naming { STANDS_ALONE, CAPPED, ACCOUNT }

    /**
     * [Eval]: an applicable {@code Deny} in any policy of either side decides an explicit deny. Then, when the
     * caller's account and the resource's differ ([XAcct]: "the requesting principal must be allowed by the
     * identity-based policy ... and the resource-based policy must allow the principal in the other account"), the
     * caller's side (identity, capped by the boundary, the session policy and each SCP level) and the resource's
     * side (each RCP level, and a resource-policy {@code Allow} naming the caller in any form) must both allow; no
     * resource-based policy is an implicit deny. In one account, the request is allowed when every SCP and RCP
     * level allows and either a resource-policy grant {@link Naming#STANDS_ALONE}, or the identity policies or a
     * {@link Naming#CAPPED} grant allow and the caps (boundary, session policy — a federated-user session with none
     * has no permissions) allow too. Everything else is an implicit deny.
     */
    static Reason.Category decide(PolicySet set, Request request) {
        List<Policy> identity = parse(set.identity());
        List<Policy> boundary = set.boundary() == null ? null : parse(set.boundary());
        List<Policy> session = set.session() == null ? null : parse(set.session());
        List<List<Policy>> scps = new ArrayList<>();
        for (List<String> level : set.scpLevels()) {
            scps.add(parse(level));
        }
        List<List<Policy>> rcps = new ArrayList<>();
        for (List<String> level : set.rcpLevels()) {
            rcps.add(parse(level));
        }
        List<Policy> resourcePolicy = set.resourcePolicy() == null ? null : parse(set.resourcePolicy());

        List<List<Policy>> every = new ArrayList<>(scps);
        every.add(identity);
        if (boundary != null) {
            every.add(boundary);
        }
        if (session != null) {
            every.add(session);
        }
        every.addAll(rcps);
        if (resourcePolicy != null) {
            every.add(resourcePolicy);
        }
        for (List<Policy> layer : every) {
            if (anyApplies(layer, false, request, null)) {
                return Reason.Category.EXPLICIT_DENY;
            }
        }
        boolean organization = true;
        for (List<Policy> level : scps) {
            organization &= anyApplies(level, true, request, null);
        }
        for (List<Policy> level : rcps) {
            organization &= anyApplies(level, true, request, null);
        }
        boolean caps = boundary == null || anyApplies(boundary, true, request, null);
        if (session != null) {
            caps &= anyApplies(session, true, request, null);
        } else if (set.federatedUser()) {
            caps = false;
        }
        boolean identityAllows = anyApplies(identity, true, request, null);
        if (crossAccount(request)) {
            boolean resourceAllows = resourcePolicy != null && anyApplies(resourcePolicy, true, request, null);
            return identityAllows && caps && organization && resourceAllows ? Reason.Category.ALLOWED
                    : Reason.Category.IMPLICIT_DENY;
        }
        boolean alone = resourcePolicy != null && anyApplies(resourcePolicy, true, request, Naming.STANDS_ALONE);
        boolean capped = resourcePolicy != null && anyApplies(resourcePolicy, true, request, Naming.CAPPED);
        boolean allowed = alone || ((identityAllows || capped) && caps);
        return allowed && organization ? Reason.Category.ALLOWED : Reason.Category.IMPLICIT_DENY;
    }

    /**
     * Whether the principal's account (given with the caller, else the {@code aws:PrincipalAccount} key, else the
     * account field of {@code aws:PrincipalArn}) and the resource's (the account field of its ARN, else the
     * owner, else the principal's) are both known and differ. An account field {@code aws} names a resource AWS
     * owns and offers to every account (AWS managed policies): no other account's side to ask
     * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html).
     */
    static boolean crossAccount(Request request) {
        String principal = request.callerAccount;
        if (principal == null) {
            principal = single(request.get("aws:PrincipalAccount"));
        }
        if (principal == null) {
            principal = accountField(single(request.get("aws:PrincipalArn")));
        }
        String resource = accountField(request.resource());
        if (resource == null) {
            resource = request.owner != null ? request.owner : principal;
        }
        return principal != null && resource != null && !resource.equals("aws") && !principal.equals(resource);
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

    /** Whether a statement with that effect applies; {@code naming} non-null: and names the caller that way. */
    private static boolean anyApplies(List<Policy> policies, boolean allow, Request request, Naming naming) {
        for (Policy p : policies) {
            for (Stmt s : p.statements()) {
                if (s.allow() == allow && s.applies(p.variables(), request)
                        && (naming == null || s.principal() != null && s.principal().names(request.caller, naming))) {
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

    private record Stmt(boolean allow, Principal principal, boolean notAction, List<String> actions,
                        boolean notResource, List<String> resources, List<Cond> conditions) {

        /**
         * A statement applies when its {@code Principal}/{@code NotPrincipal} (if any) takes in the caller and its
         * action, resource and every condition match.
         */
        boolean applies(boolean variables, Request request) {
            if (principal != null && !principal.names(request.caller, null)) {
                return false;
            }
            boolean action = false;
            for (String a : actions) {
                action |= actionMatches(a, request.action());
            }
            if (action == notAction) {
                return false;
            }
            boolean resource = false;
            // Never over-grant (project reading of ARN case, SECURITY.md): a Deny with Resource and an Allow with
            // NotResource also match with partition, service, Region and account in lower case; an Allow with
            // Resource (and a Deny with NotResource) only as written, case-sensitively.
            boolean lenient = !allow != notResource;
            for (String r : resources) {
                resource |= resourceMatches(r, variables, request, request.resource());
                if (lenient) {
                    resource |= resourceMatches(lowerFixedFields(r), variables, request,
                            lowerFixedFields(request.resource()));
                }
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

    /**
     * [Princ] A {@code Principal} ({@code negated} false) or {@code NotPrincipal}: {@code "*"} or
     * {@code {"AWS": "*"}} is everyone; otherwise the identifiers listed under {@code AWS} — an account (a 12-digit
     * id or {@code arn:…:iam::ID:root}), an IAM user, an IAM role, an assumed-role session
     * ({@code arn:…:sts::ID:assumed-role/ROLE/SESSION}) or a federated-user session. Principals of other types
     * ({@code Service}, {@code Federated}, …) are kept only to name nobody who calls here: the callers are IAM
     * principals.
     */
    private record Principal(boolean negated, boolean everyone, List<String> aws) {

        static Principal read(JsonNode node, boolean negated) {
            if (node.isTextual()) {
                if (!node.asText().equals("*")) {
                    throw new Unsupported("a Principal string other than \"*\": " + node);
                }
                return new Principal(negated, true, List.of());
            }
            boolean everyone = false;
            List<String> aws = new ArrayList<>();
            Iterator<String> types = node.fieldNames();
            while (types.hasNext()) {
                String type = types.next();
                for (String id : strings(node.get(type))) {
                    if (type.equals("AWS") && id.equals("*")) {
                        everyone = true;
                    } else if (type.equals("AWS")) {
                        aws.add(id);
                    }
                }
            }
            return new Principal(negated, everyone, aws);
        }

        /**
         * Whether this element takes in the caller (null: none known), and when {@code naming} is given, whether
         * it does so in that way. A {@code NotPrincipal} takes in whoever it does not list, as a grant to "other"
         * principals: {@link Naming#CAPPED}.
         */
        boolean names(String caller, Naming naming) {
            boolean listedAny = false;
            boolean listedAs = false;
            for (String id : aws) {
                Naming how = naming(id, caller);
                if (how != null) {
                    listedAny = true;
                    listedAs |= how == naming;
                }
            }
            if (negated) {
                return !everyone && !listedAny && (naming == null || naming == Naming.CAPPED);
            }
            if (naming == null) {
                return everyone || listedAny;
            }
            return (everyone && naming == Naming.STANDS_ALONE) || listedAs;
        }

        /**
         * How the identifier {@code id} names {@code caller}, or null when it does not. [Princ]: an account id or
         * {@code :root} ARN names every principal of that account; a user or role ARN names that user or role —
         * IAM names are unique within an account, so the path ({@code user/team/bob}) is not compared (project
         * choice, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html); a role ARN names
         * the sessions of that role too; a session ARN names that one session.
         */
        private static Naming naming(String id, String caller) {
            if (caller == null) {
                return null;
            }
            String[] c = caller.split(":", 6);
            if (c.length < 6 || !c[0].equals("arn")) {
                return null;
            }
            String partition = c[1];
            String account = c[4];
            if (id.equals(account) || id.equals("arn:" + partition + ":iam::" + account + ":root")) {
                return Naming.ACCOUNT;
            }
            String[] p = id.split(":", 6);
            if (p.length < 6 || !p[1].equals(partition) || !p[4].equals(account)) {
                return null;
            }
            String callerPart = c[5];
            String idPart = p[5];
            if (p[2].equals("iam") && c[2].equals("iam")) {
                for (String kind : List.of("user/", "role/")) {
                    if (idPart.startsWith(kind) && callerPart.startsWith(kind)
                            && lastName(idPart).equals(lastName(callerPart))) {
                        return kind.equals("user/") ? Naming.STANDS_ALONE : Naming.CAPPED;
                    }
                }
                return null;
            }
            if (p[2].equals("iam") && c[2].equals("sts") && idPart.startsWith("role/")
                    && callerPart.startsWith("assumed-role/")) {
                String role = callerPart.substring("assumed-role/".length()).split("/")[0];
                return lastName(idPart).equals(role) ? Naming.CAPPED : null;
            }
            if (p[2].equals("sts") && c[2].equals("sts") && idPart.equals(callerPart)
                    && (idPart.startsWith("assumed-role/") || idPart.startsWith("federated-user/"))) {
                return Naming.STANDS_ALONE;
            }
            return null;
        }

        private static String lastName(String resourcePart) {
            return resourcePart.substring(resourcePart.lastIndexOf('/') + 1);
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
            if (!List.of("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
                    "NotResource", "Condition").contains(n)) {
                throw new Unsupported("statement element " + n);
            }
        }
        List<Cond> conditions = new ArrayList<>();
        JsonNode block = s.path("Condition");
        block.fieldNames().forEachRemaining(op -> block.get(op).fieldNames().forEachRemaining(
                key -> conditions.add(new Cond(op, key, strings(block.get(op).get(key))))));
        Principal principal = s.has("Principal") ? Principal.read(s.get("Principal"), false)
                : s.has("NotPrincipal") ? Principal.read(s.get("NotPrincipal"), true) : null;
        return new Stmt("Allow".equals(s.get("Effect").asText()), principal, s.has("NotAction"),
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
    private static boolean resourceMatches(String pattern, boolean variables, Request request, String resource) {
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
        return glob(tokens, resource);
    }

    /** The ARN with A–Z before its fifth colon (partition, service, Region, account) in lower case. */
    private static String lowerFixedFields(String arn) {
        StringBuilder out = new StringBuilder(arn.length());
        int colons = 0;
        for (int i = 0; i < arn.length(); i++) {
            char c = arn.charAt(i);
            out.append(colons < 5 && c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c);
            if (c == ':') {
                colons++;
            }
        }
        return out.toString();
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
