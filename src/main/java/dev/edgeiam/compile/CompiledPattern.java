package dev.edgeiam.compile;

import dev.edgeiam.request.VariableSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy string compiled once into a matcher: an action pattern, a {@code Resource} ARN pattern, a
 * {@code StringLike} value, a {@code StringEquals} value or an {@code ArnLike} value, with its wildcards
 * classified and its policy variables ([Vars]) pre-split.
 *
 * <p>Matching never parses, never compiles and, for patterns without variables that need no automaton,
 * never allocates. A variable's value is substituted as literal text: wildcard characters inside a tag
 * value or other request value are not wildcards (a value cannot inject pattern syntax; the {@code ${*}}
 * escapes exist for a policy author's own literal characters). A variable with no value and no default
 * makes the whole pattern match nothing.
 */
public final class CompiledPattern {

    private static final byte VARIABLE = 5;

    private enum Shape { EXACT, ANYTHING, PREFIX, GLOB }

    private final String source;
    private final Shape shape;
    private final boolean ignoreCase;
    private final String literal;
    private final byte[] kinds;
    private final char[] chars;
    private final String[] variableKeys;
    private final String[] variableDefaults;
    private final boolean automaton;
    /**
     * For a case-sensitive glob without variables whose wildcards are all colon-crossing {@code *} (no {@code ?}):
     * the literal runs between the stars — prefix, middles, suffix (each possibly empty) — matched with
     * {@link String#startsWith}, {@link String#indexOf} and {@link String#endsWith} instead of token by token. Same
     * answers as {@link GlobEngine#greedy} (a property test compares them); null when not applicable.
     */
    private final String[] literalRuns;

    private CompiledPattern(String source, List<Token> tokens, boolean ignoreCase) {
        this.source = source;
        this.ignoreCase = ignoreCase;
        int n = tokens.size();
        this.kinds = new byte[n];
        this.chars = new char[n];
        List<String> keys = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        boolean wildcards = false;
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            kinds[i] = t.kind;
            if (t.kind == VARIABLE) {
                chars[i] = (char) keys.size();
                keys.add(t.variableKey);
                defaults.add(t.variableDefault);
            } else {
                chars[i] = t.c;
                wildcards |= t.kind != GlobEngine.LITERAL;
            }
        }
        this.variableKeys = keys.toArray(new String[0]);
        this.variableDefaults = defaults.toArray(new String[0]);
        this.automaton = GlobEngine.needsNfa(kinds, n);
        if (variableKeys.length > 0 || automaton) {
            this.shape = Shape.GLOB;
            this.literal = null;
        } else if (!wildcards) {
            this.shape = Shape.EXACT;
            this.literal = new String(chars);
        } else if (n == 1 && kinds[0] == GlobEngine.STAR_ANY) {
            this.shape = Shape.ANYTHING;
            this.literal = null;
        } else if (kinds[n - 1] == GlobEngine.STAR_ANY && onlyLiterals(kinds, n - 1)) {
            this.shape = Shape.PREFIX;
            this.literal = new String(chars, 0, n - 1);
        } else {
            this.shape = Shape.GLOB;
            this.literal = null;
        }
        this.literalRuns = shape == Shape.GLOB && !automaton && !ignoreCase && variableKeys.length == 0
                ? literalRuns(kinds, chars) : null;
    }

    /** The literal runs around the {@code *}s, or null when a token is neither a literal nor a crossing star. */
    private static String[] literalRuns(byte[] kinds, char[] chars) {
        List<String> runs = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == GlobEngine.STAR_ANY) {
                runs.add(new String(chars, start, i - start));
                start = i + 1;
            } else if (kinds[i] != GlobEngine.LITERAL) {
                return null;
            }
        }
        runs.add(new String(chars, start, kinds.length - start));
        return runs.size() < 2 ? null : runs.toArray(new String[0]);
    }

    /**
     * Leftmost placement of each literal run, as {@link GlobEngine#greedy} does: the prefix must start the text,
     * the suffix end it (without overlapping the prefix), and each middle run is placed at its first occurrence
     * after the previous one — if that occurrence ends past the suffix, every later one does too.
     */
    private static boolean matchRuns(String[] runs, String text) {
        String prefix = runs[0];
        String suffix = runs[runs.length - 1];
        int n = text.length();
        if (n < prefix.length() + suffix.length() || !text.startsWith(prefix) || !text.endsWith(suffix)) {
            return false;
        }
        int t = prefix.length();
        int end = n - suffix.length();
        for (int i = 1; i < runs.length - 1; i++) {
            String run = runs[i];
            if (run.isEmpty()) {
                continue;
            }
            int found = text.indexOf(run, t);
            if (found < 0 || found + run.length() > end) {
                return false;
            }
            t = found + run.length();
        }
        return true;
    }

    private static boolean onlyLiterals(byte[] kinds, int upTo) {
        for (int i = 0; i < upTo; i++) {
            if (kinds[i] != GlobEngine.LITERAL) {
                return false;
            }
        }
        return true;
    }

    /** The text the pattern was compiled from. */
    public String source() {
        return source;
    }

    public boolean hasVariables() {
        return variableKeys.length > 0;
    }

    /** Lower-case names of the variables the pattern uses. */
    public List<String> variables() {
        return List.of(variableKeys);
    }

    /** True when the pattern is a plain string with no wildcard and no variable. */
    public boolean isLiteral() {
        return shape == Shape.EXACT;
    }

    /** True for a lone {@code *}. */
    public boolean matchesEverything() {
        return shape == Shape.ANYTHING;
    }

    public boolean matches(CharSequence text) {
        return matches(text, VariableSource.NONE);
    }

    public boolean matches(CharSequence text, VariableSource variables) {
        switch (shape) {
            case EXACT:
                return ignoreCase ? literal.contentEquals(text) || equalsIgnoringCase(literal, text)
                        : literal.contentEquals(text);
            case ANYTHING:
                return true;
            case PREFIX:
                if (!ignoreCase && text instanceof String string) {
                    return string.startsWith(literal);
                }
                return text.length() >= literal.length() && startsWith(text, literal);
            default:
                return matchGlob(text, variables);
        }
    }

    private boolean startsWith(CharSequence text, String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            char a = prefix.charAt(i);
            char b = text.charAt(i);
            if (a != b && !(ignoreCase && GlobEngine.sameIgnoringCase(a, b))) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoringCase(String a, CharSequence b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            if (!GlobEngine.sameIgnoringCase(a.charAt(i), b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private boolean matchGlob(CharSequence text, VariableSource variables) {
        if (literalRuns != null && text instanceof String string) {
            return matchRuns(literalRuns, string);
        }
        byte[] k = kinds;
        char[] c = chars;
        int length = kinds.length;
        Scratch scratch = null;
        if (variableKeys.length > 0) {
            scratch = Scratch.get();
            length = expand(scratch, variables);
            if (length < 0) {
                return false;
            }
            k = scratch.kinds;
            c = scratch.chars;
        }
        if (!automaton) {
            return GlobEngine.greedy(k, c, length, text, ignoreCase);
        }
        if (scratch == null) {
            scratch = Scratch.get();
        }
        return GlobEngine.nfa(k, c, length, text, ignoreCase, scratch.bits(GlobEngine.scratchWords(length)));
    }

    /** Copies the tokens into scratch with each variable replaced by its value; -1 if one has no value. */
    private int expand(Scratch scratch, VariableSource variables) {
        int total = 0;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == VARIABLE) {
                String value = valueOf(chars[i], variables);
                if (value == null) {
                    return -1;
                }
                total += value.length();
            } else {
                total++;
            }
        }
        scratch.ensure(total);
        int at = 0;
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == VARIABLE) {
                String value = valueOf(chars[i], variables);
                for (int j = 0; j < value.length(); j++) {
                    scratch.kinds[at] = GlobEngine.LITERAL;
                    scratch.chars[at++] = value.charAt(j);
                }
            } else {
                scratch.kinds[at] = kinds[i];
                scratch.chars[at++] = chars[i];
            }
        }
        return at;
    }

    private String valueOf(int variable, VariableSource variables) {
        String value = variables.variable(variableKeys[variable]);
        return value != null ? value : variableDefaults[variable];
    }

    @Override
    public String toString() {
        return source;
    }

    // ---------------------------------------------------------------- factories

    /**
     * An {@code Action}/{@code NotAction} entry ([Act]): {@code *} and {@code ?}; compared case-insensitively by
     * lower-casing the pattern here and the action once per request, so {@link #matches} expects a lower-case
     * action name ({@code RequestContext.actionLowerCase()}).
     */
    public static CompiledPattern action(String pattern) {
        String lower = dev.edgeiam.request.IamNames.fold(pattern);
        List<Token> tokens = new ArrayList<>(lower.length());
        addWildcardText(tokens, lower, GlobEngine.STAR_ANY, GlobEngine.ONE_ANY);
        return new CompiledPattern(pattern, tokens, false);
    }

    /** A {@code StringLike}/{@code StringNotLike} value: case-sensitive glob, variables when enabled. */
    public static CompiledPattern stringLike(String value, boolean variables) {
        List<Token> tokens = new ArrayList<>(value.length());
        addTemplate(tokens, value, variables, true, GlobEngine.STAR_ANY, GlobEngine.ONE_ANY);
        return new CompiledPattern(value, tokens, false);
    }

    /** A {@code StringEquals}-family value: exact text ({@code *} is literal), variables when enabled. */
    public static CompiledPattern literal(String value, boolean variables, boolean ignoreCase) {
        List<Token> tokens = new ArrayList<>(value.length());
        addTemplate(tokens, value, variables, false, GlobEngine.STAR_ANY, GlobEngine.ONE_ANY);
        return new CompiledPattern(value, tokens, ignoreCase);
    }

    /**
     * A {@code Resource}/{@code NotResource} entry ([Res]). In the first five colon-separated components a
     * {@code ?}, and a {@code *} that is not the last character of its component, stay within the component;
     * a {@code *} that ends a component may reach across later colons (so {@code arn:aws:connect:*} covers every
     * Connect ARN). After the fifth colon the resource part is one string in which {@code *} and {@code ?}
     * also match {@code /} and {@code :}. Variables are recognised only in the resource part ([Vars]).
     * Matching is case-sensitive throughout (ARNs are case-sensitive; a documented choice).
     */
    public static CompiledPattern resource(String pattern, boolean variables) {
        List<Token> tokens = new ArrayList<>(pattern.length());
        int split = indexOfNthColon(pattern, 5, variables);
        String head = split < 0 ? pattern : pattern.substring(0, split + 1);
        for (int i = 0; i < head.length(); i++) {
            char ch = head.charAt(i);
            if (ch == '*') {
                boolean endsSegment = i + 1 == head.length() || head.charAt(i + 1) == ':';
                tokens.add(Token.of(endsSegment ? GlobEngine.STAR_ANY : GlobEngine.STAR_NO_COLON, '*'));
            } else if (ch == '?') {
                tokens.add(Token.of(GlobEngine.ONE_NO_COLON, '?'));
            } else {
                tokens.add(Token.of(GlobEngine.LITERAL, ch));
            }
        }
        if (split >= 0) {
            addTemplate(tokens, pattern.substring(split + 1), variables, true, GlobEngine.STAR_ANY,
                    GlobEngine.ONE_ANY);
        }
        return new CompiledPattern(pattern, tokens, false);
    }

    /**
     * An {@code ArnEquals}/{@code ArnLike} value ([Ops]): each of the six colon-delimited components is matched
     * separately, so wildcards in the first five never cross a colon; the sixth (resource) component runs to
     * the end and its wildcards match anything. Case-sensitive; variables when enabled.
     */
    public static CompiledPattern arnCondition(String pattern, boolean variables) {
        List<Token> tokens = new ArrayList<>(pattern.length());
        int split = indexOfNthColon(pattern, 5, variables);
        String head = split < 0 ? pattern : pattern.substring(0, split + 1);
        addTemplate(tokens, head, variables, true, GlobEngine.STAR_NO_COLON, GlobEngine.ONE_NO_COLON);
        if (split >= 0) {
            addTemplate(tokens, pattern.substring(split + 1), variables, true, GlobEngine.STAR_ANY,
                    GlobEngine.ONE_ANY);
        }
        return new CompiledPattern(pattern, tokens, false);
    }

    /**
     * The index of the n-th colon that separates ARN components; with variables enabled, colons inside a
     * {@code ${...}} reference (as in {@code ${aws:PrincipalAccount}}) do not count.
     */
    private static int indexOfNthColon(String s, int n, boolean variables) {
        int seen = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (variables && c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                int close = s.indexOf('}', i + 2);
                if (close > 0) {
                    i = close;
                    continue;
                }
            }
            if (c == ':' && ++seen == n) {
                return i;
            }
        }
        return -1;
    }

    private static void addWildcardText(List<Token> tokens, String text, byte star, byte one) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            tokens.add(ch == '*' ? Token.of(star, ch) : ch == '?' ? Token.of(one, ch) : Token.of(GlobEngine.LITERAL, ch));
        }
    }

    /**
     * Splits text into literal characters, wildcards (when {@code wildcards}) and, when {@code variables},
     * {@code ${key}} / {@code ${key, 'default'}} references and the escapes {@code ${*}}, {@code ${?}},
     * {@code ${$}}. A {@code ${} that is not a well-formed reference stays literal text.
     */
    private static void addTemplate(List<Token> tokens, String text, boolean variables, boolean wildcards,
                                    byte star, byte one) {
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (variables && ch == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close > 0) {
                    Token reference = PolicyVariableSyntax.parse(text.substring(i + 2, close));
                    if (reference != null) {
                        tokens.add(reference);
                        i = close + 1;
                        continue;
                    }
                }
            }
            if (wildcards && ch == '*') {
                tokens.add(Token.of(star, ch));
            } else if (wildcards && ch == '?') {
                tokens.add(Token.of(one, ch));
            } else {
                tokens.add(Token.of(GlobEngine.LITERAL, ch));
            }
            i++;
        }
    }

    /** One pattern token before packing into the parallel arrays. */
    static final class Token {
        final byte kind;
        final char c;
        final String variableKey;
        final String variableDefault;

        private Token(byte kind, char c, String variableKey, String variableDefault) {
            this.kind = kind;
            this.c = c;
            this.variableKey = variableKey;
            this.variableDefault = variableDefault;
        }

        static Token of(byte kind, char c) {
            return new Token(kind, c, null, null);
        }

        static Token variable(String key, String defaultValue) {
            return new Token(VARIABLE, '\0', dev.edgeiam.request.IamNames.fold(key), defaultValue);
        }
    }

    /** Per-thread buffers for variable expansion and the automaton, grown on demand and then reused. */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> LOCAL = new ThreadLocal<>() {
            @Override
            protected Scratch initialValue() {
                return new Scratch();
            }
        };

        byte[] kinds = new byte[128];
        char[] chars = new char[128];
        long[] bits = new long[8];

        static Scratch get() {
            return LOCAL.get();
        }

        void ensure(int length) {
            if (kinds.length < length) {
                kinds = new byte[Math.max(length, kinds.length * 2)];
                chars = new char[kinds.length];
            }
        }

        long[] bits(int words) {
            if (bits.length < words) {
                bits = new long[Math.max(words, bits.length * 2)];
            }
            return bits;
        }
    }
}
