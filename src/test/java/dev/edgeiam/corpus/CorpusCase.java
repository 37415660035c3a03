package dev.edgeiam.corpus;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TEST ONLY: one case of the evaluation corpus ({@code src/test/resources/corpus/*.jsonl}) or of the shared
 * conformance set, read from its JSON line into typed fields. A case either expects a decision ({@link #expect})
 * or a policy error ({@link #expectError}) — exactly one of the two; a field this record does not know fails the
 * read, so nothing in a case is silently ignored.
 *
 * @param source              {@code /corpus/file.jsonl:line}, for failure messages
 * @param principal           the caller's ARN; it only names the session kind (see {@link #federatedUser})
 * @param context             the request context keys, in the order given
 * @param identityPolicies    policy documents as JSON text (a case may give a document as an object or as text)
 * @param permissionBoundaries boundary documents; empty when the caller has none
 * @param sessionPolicy       the session policy, or null when none was passed
 * @param serviceControlPolicies one SCP per organization level, root first; empty when none is modelled
 * @param resourcePolicy      the resource-based policy attached to the resource (simulator {@code ResourcePolicy}),
 *                            or null
 * @param resourceOwner       the resource owner ({@code arn:aws:iam::ACCOUNT:root}, simulator {@code ResourceOwner}),
 *                            or null
 * @param resourceControlPolicies one RCP per organization level, root first; empty when none is modelled
 * @param expect              the expected decision, or null for an error case
 * @param expectError         the expected policy error, or null for a decision case
 * @param expectReason        the expected {@code Reason}, or null when the case does not pin it
 */
public record CorpusCase(String id, String description, String source, String principal, String sessionType,
                         String action, String resource, List<ContextEntry> context, List<String> identityPolicies,
                         List<String> permissionBoundaries, String sessionPolicy,
                         List<String> serviceControlPolicies, String resourcePolicy, String resourceOwner,
                         List<String> resourceControlPolicies, Expect expect, ExpectedError expectError,
                         String expectReason) {

    /** The decisions a case can expect, with the corpus's spelling. */
    public enum Expect { Allowed, ExplicitlyDenied, ImplicitlyDenied }

    /**
     * One context key. {@code type} is the simulator's {@code ContextKeyType} name: {@code string} for a JSON
     * string (or other scalar), {@code stringList} for an array, or the type an object {@code {"type", "values"}}
     * names.
     */
    public record ContextEntry(String name, List<String> values, String type) {
    }

    /**
     * The error the first malformed policy must raise: its code, JSON pointer and, when the case gives them, line
     * and column (null when not given).
     */
    public record ExpectedError(String errorCode, String pointer, Integer line, Integer column) {
    }

    private static final Set<String> FIELDS = Set.of("id", "description", "principal", "sessionType", "action",
            "resource", "context", "identityPolicies", "permissionBoundaries", "sessionPolicy", "scps", "expect",
            "expectError", "line", "column", "resourcePolicy", "resourceOwner", "rcps", "expectReason", "combination");

    /**
     * Whether the caller's account (the account field of {@link #principal}'s ARN, as {@code CallerArn}) differs
     * from the resource's (the account field of the resource ARN); false when either is not known.
     */
    public boolean callerInAnotherAccount() {
        String caller = dev.edgeiam.request.Arns.account(principal);
        String owner = dev.edgeiam.request.Arns.account(resource);
        return caller != null && owner != null && !caller.equals(owner);
    }

    /** Whether the case has a resource side (a resource-based policy, a resource owner or RCPs). */
    public boolean hasResourceSide() {
        return resourcePolicy != null || resourceOwner != null || !resourceControlPolicies.isEmpty();
    }

    /** Whether the caller is a federated-user session ({@code GetFederationToken}): no session policy, no access. */
    public boolean federatedUser() {
        return "federated-user".equals(sessionType)
                || (principal != null && principal.startsWith("arn:") && principal.contains(":sts::")
                && principal.contains(":federated-user/"));
    }

    /** Reads a case; throws {@link IllegalArgumentException} naming {@code source} when the line is not one. */
    public static CorpusCase parse(JsonNode c, String source) {
        if (!c.isObject()) {
            throw bad(source, "a case must be a JSON object");
        }
        Iterator<String> names = c.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!FIELDS.contains(n)) {
                throw bad(source, "unknown field \"" + n + "\"");
            }
        }
        if (c.has("expect") == c.has("expectError")) {
            throw bad(source, "a case needs exactly one of \"expect\" and \"expectError\"");
        }
        Expect expect = null;
        if (c.has("expect")) {
            try {
                expect = Expect.valueOf(c.get("expect").asText());
            } catch (IllegalArgumentException e) {
                throw bad(source, "unknown expectation " + c.get("expect"));
            }
        }
        ExpectedError error = null;
        if (c.has("expectError")) {
            JsonNode e = c.get("expectError");
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String n = it.next();
                if (!Set.of("errorCode", "pointer", "line", "column").contains(n)) {
                    throw bad(source, "unknown field \"expectError/" + n + "\"");
                }
            }
            error = new ExpectedError(text(e, "errorCode", source), e.has("pointer") ? text(e, "pointer", source) : null,
                    position(e, c, "line"), position(e, c, "column"));
        } else if (c.has("line") || c.has("column")) {
            throw bad(source, "\"line\"/\"column\" belong to an error case");
        }
        List<ContextEntry> context = new ArrayList<>();
        JsonNode ctx = c.path("context");
        if (!ctx.isMissingNode() && !ctx.isObject()) {
            throw bad(source, "\"context\" must be an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = ctx.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                if (!v.path("values").isArray()) {
                    throw bad(source, "context key " + f.getKey() + ": \"values\" must be an array");
                }
                context.add(new ContextEntry(f.getKey(), scalars(v.get("values"), source), text(v, "type", source)));
            } else if (v.isArray()) {
                context.add(new ContextEntry(f.getKey(), scalars(v, source), "stringList"));
            } else {
                context.add(new ContextEntry(f.getKey(), List.of(scalar(v, source)), "string"));
            }
        }
        if (!c.path("identityPolicies").isArray()) {
            throw bad(source, "\"identityPolicies\" must be an array");
        }
        return new CorpusCase(text(c, "id", source), c.path("description").asText(""), source,
                c.path("principal").asText(null), c.path("sessionType").asText(null), text(c, "action", source),
                text(c, "resource", source), List.copyOf(context), documents(c.get("identityPolicies")),
                c.has("permissionBoundaries") ? documents(c.get("permissionBoundaries")) : List.of(),
                c.has("sessionPolicy") ? document(c.get("sessionPolicy")) : null,
                c.has("scps") ? documents(c.get("scps")) : List.of(),
                c.has("resourcePolicy") ? document(c.get("resourcePolicy")) : null,
                c.has("resourceOwner") ? c.get("resourceOwner").asText() : null,
                c.has("rcps") ? documents(c.get("rcps")) : List.of(), expect, error,
                c.has("expectReason") ? c.get("expectReason").asText() : null);
    }

    /** Line or column, inside {@code expectError} or beside it; null when the case gives neither. */
    private static Integer position(JsonNode error, JsonNode c, String field) {
        JsonNode v = error.has(field) ? error.get(field) : c.get(field);
        return v == null ? null : v.asInt();
    }

    private static List<String> documents(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(p -> out.add(document(p)));
        return List.copyOf(out);
    }

    /** A policy given as text is used as it is (malformed cases depend on its exact characters). */
    private static String document(JsonNode p) {
        return p.isTextual() ? p.asText() : p.toString();
    }

    private static List<String> scalars(JsonNode array, String source) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(scalar(x, source)));
        return List.copyOf(out);
    }

    private static String scalar(JsonNode v, String source) {
        if (!v.isValueNode() || v.isNull()) {
            throw bad(source, "context values must be strings, numbers or booleans: " + v);
        }
        return v.asText();
    }

    private static String text(JsonNode node, String field, String source) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(source, "\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static IllegalArgumentException bad(String source, String problem) {
        return new IllegalArgumentException(source + ": " + problem);
    }

    @Override
    public String toString() {
        return source + " " + id + (description.isEmpty() ? "" : " — " + description);
    }
}
