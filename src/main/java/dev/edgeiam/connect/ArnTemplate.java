package dev.edgeiam.connect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A parsed ARN template from the Service Authorization Reference "Resource types" table, e.g.
 * {@code arn:${Partition}:connect:${Region}:${Account}:instance/${InstanceId}/agent/${UserId}}.
 *
 * <p>General ARN format (IAM User Guide, "Amazon Resource Names"):
 * {@code arn:partition:service:region:account-id:resource}. The resource part of a template is split
 * into tokens: literal pieces ({@code instance}, {@code agent}, or the literal {@code *} of the
 * {@code wildcard-*} types), variables ({@code ${UserId}}) and the separators {@code /} and {@code :}.
 * A variable matches one non-empty piece that contains neither separator. The matcher is built from
 * the template text only; no per-type tables are hand-written.
 */
public final class ArnTemplate {

    /** Template variable for the partition ({@code aws}, {@code aws-cn}, {@code aws-us-gov}, ...). */
    public static final String PARTITION = "Partition";
    /** Template variable for the Region. */
    public static final String REGION = "Region";
    /** Template variable for the 12-digit account ID. */
    public static final String ACCOUNT = "Account";

    /** A token of the resource part: a literal piece, a variable, or a separator. */
    sealed interface Token permits Literal, Variable, Separator {}

    record Literal(String text) implements Token {}

    record Variable(String name) implements Token {}

    record Separator(char symbol) implements Token {}

    private final String resourceType;
    private final String template;
    private final String service;
    private final String accountLiteral;
    private final List<Token> resourceTokens;
    private final List<String> resourceVariables;
    private final int literalCount;

    private ArnTemplate(String resourceType, String template, String service, String accountLiteral,
                        List<Token> resourceTokens) {
        this.resourceType = resourceType;
        this.template = template;
        this.service = service;
        this.accountLiteral = accountLiteral;
        this.resourceTokens = List.copyOf(resourceTokens);
        List<String> variables = new ArrayList<>();
        int literals = 0;
        for (Token t : this.resourceTokens) { // a loop, not a stream: every template is built on a cold start
            if (t instanceof Variable v) {
                variables.add(v.name());
            } else if (t instanceof Literal) {
                literals++;
            }
        }
        this.resourceVariables = List.copyOf(variables);
        this.literalCount = literals;
    }

    /**
     * Parses a SAR ARN template.
     *
     * @throws IllegalArgumentException if the template does not have the
     *         {@code arn:${Partition}:service:${Region}:account:resource} shape
     */
    public static ArnTemplate parse(String resourceType, String template) {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(template, "template");
        String[] c = template.split(":", 6);
        if (c.length != 6 || !c[0].equals("arn") || !c[1].equals(var(PARTITION)) || !c[3].equals(var(REGION))) {
            throw new IllegalArgumentException("unsupported ARN template for " + resourceType + ": " + template);
        }
        String accountLiteral = c[4].equals(var(ACCOUNT)) ? null : c[4];
        if (accountLiteral != null && (accountLiteral.isEmpty() || accountLiteral.contains("$"))) {
            throw new IllegalArgumentException("unsupported account in ARN template for " + resourceType + ": " + template);
        }
        List<Token> tokens = new ArrayList<>();
        for (String piece : splitKeepingSeparators(c[5])) {
            if (piece.equals("/") || piece.equals(":")) {
                tokens.add(new Separator(piece.charAt(0)));
            } else if (piece.startsWith("${") && piece.endsWith("}") && piece.indexOf('$', 1) < 0) {
                tokens.add(new Variable(piece.substring(2, piece.length() - 1)));
            } else if (piece.isEmpty() || piece.contains("$")) {
                throw new IllegalArgumentException("unsupported resource part in ARN template for " + resourceType + ": " + template);
            } else {
                tokens.add(new Literal(piece));
            }
        }
        return new ArnTemplate(resourceType, template, c[2], accountLiteral, tokens);
    }

    /**
     * Splits text into pieces and the separators {@code /} and {@code :}; empty pieces are kept, so
     * {@code "a//b"} gives {@code [a, /, "", /, b]}.
     */
    static List<String> splitKeepingSeparators(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '/' || ch == ':') {
                out.add(piece.toString());
                out.add(String.valueOf(ch));
                piece.setLength(0);
            } else {
                piece.append(ch);
            }
        }
        out.add(piece.toString());
        return out;
    }

    private static String var(String name) {
        return "${" + name + "}";
    }

    /** @return the resource type this template belongs to */
    public String resourceType() {
        return resourceType;
    }

    /** @return the SAR template text */
    public String template() {
        return template;
    }

    /** @return the ARN service namespace */
    public String service() {
        return service;
    }

    /** @return the literal account of the template ({@code aws} for AWS-managed views), or null for {@code ${Account}} */
    public String accountLiteral() {
        return accountLiteral;
    }

    /** @return the resource part of the template, e.g. {@code instance/${InstanceId}/queue/${QueueId}} */
    public String resourcePart() {
        return template.split(":", 6)[5];
    }

    /** @return the variables of the resource part in template order (e.g. {@code [InstanceId, QueueId]}) */
    public List<String> resourceVariables() {
        return resourceVariables;
    }

    /**
     * @return all variables in template order: {@code Partition}, {@code Region}, {@code Account}
     *         (unless the account is literal) and the resource variables
     */
    public List<String> variables() {
        List<String> all = new ArrayList<>(List.of(PARTITION, REGION));
        if (accountLiteral == null) {
            all.add(ACCOUNT);
        }
        all.addAll(resourceVariables);
        return List.copyOf(all);
    }

    /** @return the last resource variable, which identifies the resource itself, or null (wildcard types) */
    public String identifierVariable() {
        return resourceVariables.isEmpty() ? null : resourceVariables.get(resourceVariables.size() - 1);
    }

    /** @return the number of literal tokens; more literals means a more specific shape */
    public int literalCount() {
        return literalCount;
    }

    List<Token> resourceTokens() {
        return resourceTokens;
    }

    /**
     * Matches the resource part of an ARN (everything after the fifth {@code :}).
     *
     * @return the resource variables in template order, or null if the shape does not match
     */
    public Map<String, String> matchResource(String resource) {
        List<String> pieces = splitKeepingSeparators(resource);
        if (pieces.size() != resourceTokens.size()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            if (!tokenAccepts(resourceTokens.get(i), pieces.get(i))) {
                return null;
            }
            if (resourceTokens.get(i) instanceof Variable v) {
                values.put(v.name(), pieces.get(i));
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Whether {@link #matchResource} would match, without splitting the text or collecting the values: the text is
     * walked piece by piece in the same alternation (piece, separator, piece, ..., piece) against the tokens.
     */
    public boolean matchesResource(String resource) {
        int at = 0;
        int length = resource.length();
        boolean piece = true;
        for (Token token : resourceTokens) {
            if (piece) {
                int end = at;
                while (end < length && resource.charAt(end) != '/' && resource.charAt(end) != ':') {
                    end++;
                }
                boolean accepted;
                if (token instanceof Literal l) {
                    accepted = l.text().length() == end - at && resource.startsWith(l.text(), at);
                } else if (token instanceof Variable) {
                    accepted = end > at;
                } else if (token instanceof Separator) {
                    accepted = false; // a piece never holds a separator
                } else {
                    throw unknownToken(token);
                }
                if (!accepted) {
                    return false;
                }
                at = end;
            } else {
                if (at >= length) {
                    return false; // fewer pieces than tokens
                }
                char ch = resource.charAt(at);
                boolean accepted;
                if (token instanceof Separator sep) {
                    accepted = sep.symbol() == ch;
                } else if (token instanceof Literal l) {
                    accepted = l.text().length() == 1 && l.text().charAt(0) == ch;
                } else if (token instanceof Variable) {
                    accepted = false; // a separator is never a variable's value
                } else {
                    throw unknownToken(token);
                }
                if (!accepted) {
                    return false;
                }
                at++;
            }
            piece = !piece;
        }
        return !piece && at == length; // the last token took the last piece
    }

    static boolean tokenAccepts(Token token, String piece) {
        if (token instanceof Literal l) {
            return l.text().equals(piece);
        }
        if (token instanceof Separator s) {
            return piece.length() == 1 && piece.charAt(0) == s.symbol();
        }
        if (token instanceof Variable) {
            return !piece.isEmpty() && piece.indexOf('/') < 0 && piece.indexOf(':') < 0;
        }
        throw unknownToken(token);
    }

    /** A token of none of the three kinds {@link Token} permits: never made (the parser makes only those). */
    private static IllegalStateException unknownToken(Token token) {
        return new IllegalStateException("not an ARN template token: " + token);
    }

    /**
     * Whether a value taken from a request can stand for one ARN variable: non-empty, no separator ({@code /},
     * {@code :}), no wildcard character ({@code *}, {@code ?} — a request names one resource, never a pattern of
     * them) and no control character. Amazon Connect's identifiers (UUIDs, enum names, qualifiers) never contain any
     * of these. (ARN patterns in policies may hold wildcards; this is for request values only.)
     */
    public static boolean identifierAccepts(String piece) {
        if (piece == null || piece.isEmpty()) {
            return false;
        }
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            if (c == '/' || c == ':' || c == '*' || c == '?' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Renders the template, replacing every variable (including {@code Partition}, {@code Region} and
     * {@code Account}) by {@code valueOf.apply(name)}. No validation is done here.
     */
    public String render(Function<String, String> valueOf) {
        // sized for the template with its variables filled by ids of up to ~40 characters: one buffer, no regrowth
        StringBuilder sb = new StringBuilder(template.length() + 160).append("arn:").append(valueOf.apply(PARTITION))
                .append(':')
                .append(service).append(':').append(valueOf.apply(REGION)).append(':')
                .append(accountLiteral != null ? accountLiteral : valueOf.apply(ACCOUNT)).append(':');
        for (Token t : resourceTokens) {
            if (t instanceof Literal l) {
                sb.append(l.text());
            } else if (t instanceof Separator s) {
                sb.append(s.symbol());
            } else if (t instanceof Variable v) {
                sb.append(valueOf.apply(v.name()));
            } else {
                throw unknownToken(t);
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArnTemplate other && resourceType.equals(other.resourceType) && template.equals(other.template);
    }

    @Override
    public int hashCode() {
        return Objects.hash(resourceType, template);
    }

    @Override
    public String toString() {
        return resourceType + "=" + template;
    }
}
