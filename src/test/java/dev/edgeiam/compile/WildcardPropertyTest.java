package dev.edgeiam.compile;

import dev.edgeiam.request.VariableSource;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests for {@link CompiledPattern}: every factory is compared, over thousands of seeded random
 * patterns and texts, with a reference matcher written here independently of {@link GlobEngine}.
 *
 * <p>The reference is a plain memoised dynamic programme over (pattern token, text position) — quadratic and
 * obviously correct — cross-checked against {@code java.util.regex} (literals quoted) on short inputs. Patterns
 * are generated as lists of {@link Piece}s that know both their source text and their meaning, so the
 * reference never re-parses the policy syntax the way the implementation does.
 *
 * <p>Reproduce a run with {@code -Dedgeiam.props.seed=N}; every failure message names the case seed.
 */
class WildcardPropertyTest {

    private static final long MASTER_SEED = Long.getLong("edgeiam.props.seed", 0x5EEDL);
    private static final int CASES = 4_000;

    // ------------------------------------------------------------------ reference matcher

    /** Reference token kinds: a literal, a one-char wildcard or a run wildcard, each maybe barred from ':'. */
    private record RefToken(char literal, boolean wildcard, boolean run, boolean colonOk) {
        static RefToken lit(char c) {
            return new RefToken(c, false, false, true);
        }

        static RefToken one(boolean colonOk) {
            return new RefToken('?', true, false, colonOk);
        }

        static RefToken star(boolean colonOk) {
            return new RefToken('*', true, true, colonOk);
        }

        boolean accepts(char c, boolean ignoreCase) {
            if (wildcard) {
                return colonOk || c != ':';
            }
            return ignoreCase ? Character.toLowerCase(literal) == Character.toLowerCase(c) : literal == c;
        }
    }

    /** m[i][j]: tokens i.. match text j.. — bottom-up, O(|pattern| × |text|). */
    static boolean dpMatch(List<RefToken> p, String text, boolean ignoreCase) {
        int pn = p.size();
        int tn = text.length();
        boolean[] next = new boolean[tn + 1];
        boolean[] cur = new boolean[tn + 1];
        next[tn] = true; // empty pattern matches only the empty rest of the text
        for (int i = pn - 1; i >= 0; i--) {
            RefToken tok = p.get(i);
            for (int j = tn; j >= 0; j--) {
                boolean ok = j < tn && tok.accepts(text.charAt(j), ignoreCase);
                if (tok.run) {
                    cur[j] = next[j] || (ok && cur[j + 1]);
                } else {
                    cur[j] = ok && next[j + 1];
                }
            }
            boolean[] swap = next;
            next = cur;
            cur = swap;
        }
        return next[0];
    }

    /** Second reference for short inputs: the same tokens as a regular expression. */
    static boolean regexMatch(List<RefToken> p, String text, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        for (RefToken t : p) {
            if (!t.wildcard) {
                re.append(Pattern.quote(String.valueOf(t.literal)));
            } else {
                re.append(t.colonOk ? "." : "[^:]");
                if (t.run) {
                    re.append('*');
                }
            }
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(re.toString(), flags).matcher(text).matches();
    }

    // ------------------------------------------------------------------ pattern pieces

    private enum PieceKind { LIT, STAR, ONE, VAR, ESCAPE }

    /** One generated element of a pattern: its source text and what it means. */
    private record Piece(PieceKind kind, char c, String keySpelling, String defaultValue, String source) {
        static Piece lit(char c) {
            return new Piece(PieceKind.LIT, c, null, null, String.valueOf(c));
        }

        static Piece star() {
            return new Piece(PieceKind.STAR, '*', null, null, "*");
        }

        static Piece one() {
            return new Piece(PieceKind.ONE, '?', null, null, "?");
        }

        static Piece escape(char c) {
            return new Piece(PieceKind.ESCAPE, c, null, null, "${" + c + "}");
        }

        static Piece var(String keySpelling, String defaultValue, boolean spaceBeforeDefault) {
            String src = defaultValue == null ? "${" + keySpelling + "}"
                    : "${" + keySpelling + "," + (spaceBeforeDefault ? " " : "") + "'" + defaultValue + "'}";
            return new Piece(PieceKind.VAR, '\0', keySpelling, defaultValue, src);
        }
    }

    private static String source(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        for (Piece p : pieces) {
            sb.append(p.source);
        }
        return sb.toString();
    }

    /**
     * Expands pieces into reference tokens: variables become their value (or default) as literal characters,
     * escapes become literals; {@code wildcards} false makes {@code *}/{@code ?} literal. Null when a variable
     * has neither a value nor a default (the pattern then matches nothing).
     */
    private static List<RefToken> expand(List<Piece> pieces, Map<String, String> vars, boolean wildcards,
                                         boolean starColonOk, boolean oneColonOk) {
        List<RefToken> out = new ArrayList<>();
        for (Piece p : pieces) {
            switch (p.kind) {
                case LIT, ESCAPE -> out.add(RefToken.lit(p.c));
                case STAR -> out.add(wildcards ? RefToken.star(starColonOk) : RefToken.lit('*'));
                case ONE -> out.add(wildcards ? RefToken.one(oneColonOk) : RefToken.lit('?'));
                case VAR -> {
                    String v = vars.get(p.keySpelling.toLowerCase(Locale.ROOT));
                    if (v == null) {
                        v = p.defaultValue;
                    }
                    if (v == null) {
                        return null;
                    }
                    for (char ch : v.toCharArray()) {
                        out.add(RefToken.lit(ch));
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ generators

    private static final char[] ALPHABET = {'a', 'b', ':', '/', '*', '?'};
    private static final char[] TEXT_ALPHABET = {'a', 'b', ':', '/'};
    private static final char[] MIXED_CASE = {'a', 'b', 'A', 'B', ':', '/', '*', '?'};
    /** Keys as policies may spell them (any case) — the source lower-cases them. */
    private static final String[] KEYS = {"aws:username", "AWS:UserName", "aws:PrincipalTag/team", "k", "K"};

    private static String randomString(Random r, char[] alphabet, int maxLength) {
        int n = r.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet[r.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    /** Pieces from a character string: '*' and '?' become wildcards, everything else literal. */
    private static List<Piece> piecesOf(String s) {
        List<Piece> out = new ArrayList<>();
        for (char c : s.toCharArray()) {
            out.add(c == '*' ? Piece.star() : c == '?' ? Piece.one() : Piece.lit(c));
        }
        return out;
    }

    /**
     * A text likely to match: each wildcard of the pattern replaced by a random run or char, then mutated a
     * little half of the time. Purely random texts almost never match a pattern with several literals.
     */
    private static String textFor(Random r, String pattern, char[] alphabet) {
        if (r.nextInt(4) == 0) {
            return randomString(r, alphabet, 12);
        }
        StringBuilder sb = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                sb.append(randomString(r, alphabet, 3));
            } else if (c == '?') {
                sb.append(alphabet[r.nextInt(alphabet.length)]);
            } else {
                sb.append(c);
            }
        }
        if (r.nextBoolean() && sb.length() > 0) {
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, alphabet[r.nextInt(alphabet.length)]);
                default -> sb.setCharAt(at, alphabet[r.nextInt(alphabet.length)]);
            }
        }
        return sb.toString();
    }

    private static long caseSeed(int property, int i) {
        long z = MASTER_SEED * 0x9E3779B97F4A7C15L + property * 0xBF58476D1CE4E5B9L + i;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String where(long seed, String pattern, String text) {
        return "seed=" + seed + " (master " + MASTER_SEED + ") pattern=\"" + pattern + "\" text=\"" + text + "\"";
    }

    private static String where(long seed, String pattern, String text, Map<String, String> vars) {
        return where(seed, pattern, text) + " vars=" + vars;
    }

    // ------------------------------------------------------------------ the references per factory

    /** StringLike / action: '*' any run, '?' any char. */
    private static List<RefToken> globTokens(String pattern) {
        return expand(piecesOf(pattern), Map.of(), true, true, true);
    }

    /**
     * Resource ([Res]): split at the fifth colon of the source. In the head, '?' and a '*' not immediately
     * followed by ':' (or the end of the head) may not match ':'; a '*' ending its segment matches anything.
     * After the fifth colon every wildcard matches anything. Variables only in the resource part.
     */
    private static List<RefToken> resourceTokens(List<Piece> head, List<Piece> rest, Map<String, String> vars) {
        List<RefToken> out = new ArrayList<>();
        for (int i = 0; i < head.size(); i++) {
            Piece p = head.get(i);
            switch (p.kind) {
                case STAR -> {
                    boolean segmentFinal = i + 1 == head.size() || head.get(i + 1).source.equals(":");
                    out.add(RefToken.star(segmentFinal));
                }
                case ONE -> out.add(RefToken.one(false));
                case LIT -> out.add(RefToken.lit(p.c));
                default -> throw new IllegalStateException("no variables in the ARN head");
            }
        }
        if (rest != null) {
            List<RefToken> tail = expand(rest, vars, true, true, true);
            if (tail == null) {
                return null;
            }
            out.addAll(tail);
        }
        return out;
    }

    /**
     * ArnLike ([Ops]), component by component: the pattern (variables substituted as literal text) and the
     * text are each cut at their first five colons; they match when they have the same number of components
     * and each pattern component glob-matches its text component (the sixth runs to the end).
     */
    private static boolean arnReference(List<Piece> pieces, Map<String, String> vars, String text) {
        List<RefToken> tokens = expand(pieces, vars, true, true, true);
        if (tokens == null) {
            return false;
        }
        List<List<RefToken>> components = new ArrayList<>();
        List<RefToken> current = new ArrayList<>();
        for (RefToken t : tokens) {
            if (!t.wildcard && t.literal == ':' && components.size() < 5) {
                components.add(current);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        components.add(current);
        String[] parts = text.split(":", 6);
        if (parts.length != components.size()) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!dpMatch(components.get(i), parts[i], false)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ sanity of the reference itself

    @Test
    void referenceAgreesWithRegexOnShortInputs() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(0, i);
            Random r = new Random(seed);
            String pattern = randomString(r, ALPHABET, 8);
            String text = textFor(r, pattern, TEXT_ALPHABET);
            List<RefToken> tokens = new ArrayList<>();
            for (char c : pattern.toCharArray()) {
                boolean colonOk = r.nextBoolean();
                tokens.add(c == '*' ? RefToken.star(colonOk) : c == '?' ? RefToken.one(colonOk) : RefToken.lit(c));
            }
            assertEquals(regexMatch(tokens, text, false), dpMatch(tokens, text, false), where(seed, pattern, text));
        }
    }

    // ------------------------------------------------------------------ properties: plain factories

    @Test
    void stringLikeAgreesWithReference() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(1, i);
            Random r = new Random(seed);
            String pattern = randomString(r, ALPHABET, 10);
            String text = textFor(r, pattern, TEXT_ALPHABET);
            boolean expected = dpMatch(globTokens(pattern), text, false);
            assertEquals(expected, regexMatch(globTokens(pattern), text, false), "reference disagrees with regex");
            assertEquals(expected, CompiledPattern.stringLike(pattern, false).matches(text),
                    "stringLike " + where(seed, pattern, text));
            // With variables enabled, a pattern containing no "${" means the same thing.
            assertEquals(expected, CompiledPattern.stringLike(pattern, true).matches(text, k -> "x"),
                    "stringLike(variables) " + where(seed, pattern, text));
        }
    }

    /**
     * Patterns made only of literals and {@code *} take {@link CompiledPattern}'s literal-run path (startsWith /
     * indexOf / endsWith) when the text is a {@code String}; any other {@code CharSequence} takes the token engine.
     * Both must agree with the reference — runs that repeat, overlap the suffix, or sit next to each other included.
     */
    @Test
    void starOnlyPatternsAgreeWithReferenceOnBothPaths() {
        char[] patternAlphabet = {'a', 'b', ':', '*', '*'};
        int matched = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(9, i);
            Random r = new Random(seed);
            String pattern = randomString(r, patternAlphabet, 12);
            String text = textFor(r, pattern, TEXT_ALPHABET);
            boolean expected = dpMatch(globTokens(pattern), text, false);
            matched += expected ? 1 : 0;
            CompiledPattern compiled = CompiledPattern.stringLike(pattern, false);
            assertEquals(expected, compiled.matches(text), "literal runs " + where(seed, pattern, text));
            assertEquals(expected, compiled.matches(new StringBuilder(text)), "token engine " + where(seed, pattern, text));
            String arn = "arn:aws:connect:us-east-1:111122223333:" + pattern;
            String arnText = "arn:aws:connect:us-east-1:111122223333:" + text;
            assertEquals(dpMatch(globTokens(arn), arnText, false),
                    CompiledPattern.resource(arn, false).matches(arnText), "resource " + where(seed, arn, arnText));
        }
        assertTrue(matched > CASES / 5, "too few matching cases to mean anything: " + matched);
    }

    /**
     * Actions are case-insensitive ([Act]). {@link CompiledPattern#action} lower-cases the pattern and expects
     * the caller to pass the lower-cased action, as {@code RequestContext.actionLowerCase()} does — so that is
     * what this property feeds it.
     */
    @Test
    void actionAgreesWithCaseInsensitiveReference() {
        char[] textAlphabet = {'a', 'b', 'A', 'B', ':', '/'};
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(2, i);
            Random r = new Random(seed);
            String pattern = randomString(r, MIXED_CASE, 10);
            String text = swapSomeCase(r, textFor(r, pattern, textAlphabet));
            boolean expected = dpMatch(globTokens(pattern), text, true);
            assertEquals(expected, regexMatch(globTokens(pattern), text, true), "reference disagrees with regex");
            assertEquals(expected, CompiledPattern.action(pattern).matches(text.toLowerCase(Locale.ROOT)),
                    "action " + where(seed, pattern, text));
        }
    }

    private static String swapSomeCase(Random r, String s) {
        StringBuilder sb = new StringBuilder(s);
        for (int i = 0; i < sb.length(); i++) {
            if (r.nextInt(3) == 0) {
                char c = sb.charAt(i);
                sb.setCharAt(i, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
            }
        }
        return sb.toString();
    }

    @Test
    void literalAgreesWithEquality() {
        char[] textAlphabet = {'a', 'b', 'A', 'B', ':', '/', '*', '?'};
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(3, i);
            Random r = new Random(seed);
            String pattern = randomString(r, MIXED_CASE, 8);
            String text = r.nextInt(3) == 0 ? randomString(r, textAlphabet, 8)
                    : r.nextBoolean() ? pattern : swapSomeCase(r, pattern);
            assertEquals(pattern.equals(text), CompiledPattern.literal(pattern, false, false).matches(text),
                    "literal " + where(seed, pattern, text));
            assertEquals(pattern.equalsIgnoreCase(text), CompiledPattern.literal(pattern, false, true).matches(text),
                    "literal(ignoreCase) " + where(seed, pattern, text));
            assertEquals(pattern.equals(text), CompiledPattern.literal(pattern, true, false).matches(text, k -> "v"),
                    "literal(variables) " + where(seed, pattern, text));
        }
    }

    // ------------------------------------------------------------------ ARN generators

    private static final String[][] COMPONENT_CHOICES = {
            {"arn"}, {"aws", "aws-cn"}, {"connect", "s3", "iam", ""}, {"us-east-1", "eu-west-1", ""},
            {"111122223333", "999", ""},
    };

    /** ARN-ish texts: six components over a small alphabet, sometimes with fewer or more colons. */
    private static String arnText(Random r) {
        StringBuilder sb = new StringBuilder();
        int components = r.nextInt(8) == 0 ? 1 + r.nextInt(5) : 6;
        for (int c = 0; c < components; c++) {
            if (c > 0) {
                sb.append(':');
            }
            if (c < 5) {
                sb.append(r.nextInt(3) == 0 ? randomString(r, new char[] {'a', 'b', '/'}, 3)
                        : COMPONENT_CHOICES[c][r.nextInt(COMPONENT_CHOICES[c].length)]);
            } else {
                sb.append(randomString(r, TEXT_ALPHABET, 8));
            }
        }
        return sb.toString();
    }

    /** A pattern derived from a text: some characters become '?', some runs become '*', stars are inserted. */
    private static String wildcardify(Random r, String text) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int roll = r.nextInt(10);
            if (roll == 0) {
                sb.append('?');
                i++;
            } else if (roll == 1) {
                sb.append('*');
                i += r.nextInt(Math.min(6, text.length() - i) + 1);
            } else if (roll == 2) {
                sb.append('*');
            } else {
                sb.append(text.charAt(i++));
            }
        }
        if (r.nextInt(4) == 0) {
            sb.append('*');
        }
        return sb.toString();
    }

    /** Pieces of the head (up to and including the fifth colon) and the rest of a raw pattern string. */
    private static List<List<Piece>> splitAtFifthColon(String pattern) {
        int at = -1;
        for (int n = 0; n < 5; n++) {
            at = pattern.indexOf(':', at + 1);
            if (at < 0) {
                return java.util.Arrays.asList(piecesOf(pattern), null);
            }
        }
        return java.util.Arrays.asList(piecesOf(pattern.substring(0, at + 1)), piecesOf(pattern.substring(at + 1)));
    }

    private static String arnPatternText(Random r, String basis) {
        return r.nextInt(5) == 0 ? randomString(r, ALPHABET, 16) : wildcardify(r, basis);
    }

    @Test
    void resourceAgreesWithArnReference() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(4, i);
            Random r = new Random(seed);
            String pattern = arnPatternText(r, arnText(r));
            String text = r.nextBoolean() ? arnText(r) : textFor(r, pattern, TEXT_ALPHABET);
            List<List<Piece>> parts = splitAtFifthColon(pattern);
            boolean expected = dpMatch(resourceTokens(parts.get(0), parts.get(1), Map.of()), text, false);
            assertEquals(expected, CompiledPattern.resource(pattern, false).matches(text),
                    "resource " + where(seed, pattern, text));
            assertEquals(expected, CompiledPattern.resource(pattern, true).matches(text, VariableSource.NONE),
                    "resource(variables) " + where(seed, pattern, text));
        }
    }

    @Test
    void arnConditionAgreesWithComponentwiseReference() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(5, i);
            Random r = new Random(seed);
            String pattern = arnPatternText(r, arnText(r));
            String text = r.nextBoolean() ? arnText(r) : textFor(r, pattern, TEXT_ALPHABET);
            boolean expected = arnReference(piecesOf(pattern), Map.of(), text);
            assertEquals(expected, CompiledPattern.arnCondition(pattern, false).matches(text),
                    "arnCondition " + where(seed, pattern, text));
        }
    }

    /** The [Ops] example: StringLike crosses colons, ArnLike does not. */
    @Test
    void documentedArnLikeVersusStringLikeExample() {
        String pattern = "arn:aws:svc:*:111122223333:finance/*";
        String text = "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assertTrue(CompiledPattern.stringLike(pattern, false).matches(text));
        assertFalse(CompiledPattern.arnCondition(pattern, false).matches(text));
        assertTrue(CompiledPattern.resource("arn:aws:connect:us-east-1:*", false)
                .matches("arn:aws:connect:us-east-1:111122223333:instance/i/user/u"));
    }

    // ------------------------------------------------------------------ NFA path and long patterns

    private static boolean usesAutomaton(CompiledPattern p) {
        try {
            Field f = CompiledPattern.class.getDeclaredField("automaton");
            f.setAccessible(true);
            return f.getBoolean(p);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("CompiledPattern.automaton renamed? update this test", e);
        }
    }

    /** Every pattern here has a '?' or a non-segment-final '*' before the fifth colon, so greedy is unsound. */
    @Test
    void resourceNfaPathAgreesWithReference() {
        int checked = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(6, i);
            Random r = new Random(seed);
            String basis = arnText(r);
            String pattern = wildcardify(r, basis);
            // Force a colon-bound wildcard into the head: a '?' or a '*' followed by a non-colon.
            int colon = nthColon(pattern, 5);
            int headEnd = colon < 0 ? pattern.length() : colon;
            int at = r.nextInt(headEnd + 1);
            pattern = pattern.substring(0, at) + (r.nextBoolean() ? "?" : "*b") + pattern.substring(at);
            String text = r.nextBoolean() ? basis : textFor(r, pattern, TEXT_ALPHABET);
            CompiledPattern compiled = CompiledPattern.resource(pattern, false);
            assertTrue(usesAutomaton(compiled), "expected the NFA path for " + pattern);
            List<List<Piece>> parts = splitAtFifthColon(pattern);
            boolean expected = dpMatch(resourceTokens(parts.get(0), parts.get(1), Map.of()), text, false);
            assertEquals(expected, compiled.matches(text), "resource(NFA) " + where(seed, pattern, text));
            checked += expected ? 1 : 0;
        }
        assertTrue(checked > CASES / 20, "generator should produce matches too, got " + checked);
    }

    private static int nthColon(String s, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf(':', at + 1);
            if (at < 0) {
                return -1;
            }
        }
        return at;
    }

    /** Greedy and the NFA are two algorithms for the same language when every wildcard may cross ':'. */
    @Test
    void greedyAndNfaAgreeOnColonFreeKinds() {
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(7, i);
            Random r = new Random(seed);
            String pattern = randomString(r, ALPHABET, 70 + r.nextInt(60) * (r.nextInt(4) == 0 ? 1 : 0));
            String text = textFor(r, pattern, TEXT_ALPHABET);
            int n = pattern.length();
            byte[] kinds = new byte[n];
            char[] chars = pattern.toCharArray();
            for (int k = 0; k < n; k++) {
                kinds[k] = chars[k] == '*' ? GlobEngine.STAR_ANY : chars[k] == '?' ? GlobEngine.ONE_ANY
                        : GlobEngine.LITERAL;
            }
            boolean expected = dpMatch(globTokens(pattern), text, false);
            assertEquals(expected, GlobEngine.greedy(kinds, chars, n, text, false), "greedy " + where(seed, pattern, text));
            assertEquals(expected, GlobEngine.nfa(kinds, chars, n, text, false,
                    new long[GlobEngine.scratchWords(n)]), "nfa " + where(seed, pattern, text));
        }
    }

    /** Patterns of 65–260 tokens: the NFA state set spans several 64-bit words. */
    @Test
    void patternsLongerThan64TokensAgreeWithReference() {
        int matched = 0;
        for (int i = 0; i < CASES / 2; i++) {
            long seed = caseSeed(8, i);
            Random r = new Random(seed);
            StringBuilder basis = new StringBuilder(arnText(r));
            while (basis.length() < 65 + r.nextInt(120)) {
                basis.append(TEXT_ALPHABET[r.nextInt(TEXT_ALPHABET.length)]);
            }
            String pattern = wildcardify(r, basis.toString());
            while (pattern.length() <= 64) {
                pattern = pattern + (r.nextBoolean() ? "a" : "*");
            }
            String text = r.nextBoolean() ? basis.toString() : textFor(r, pattern, TEXT_ALPHABET);
            String where = where(seed, pattern, text);

            CompiledPattern resource = CompiledPattern.resource(pattern, false);
            List<List<Piece>> parts = splitAtFifthColon(pattern);
            boolean expectResource = dpMatch(resourceTokens(parts.get(0), parts.get(1), Map.of()), text, false);
            assertEquals(expectResource, resource.matches(text), "resource(long) " + where);

            assertEquals(arnReference(piecesOf(pattern), Map.of(), text),
                    CompiledPattern.arnCondition(pattern, false).matches(text), "arnCondition(long) " + where);

            // A colon-free head makes every arnCondition wildcard colon-bound: the NFA over > 64 states.
            String flat = pattern.replace(':', 'b');
            String flatText = text.replace(':', r.nextInt(8) == 0 ? ':' : 'b');
            CompiledPattern flatArn = CompiledPattern.arnCondition(flat, false);
            assertTrue(usesAutomaton(flatArn));
            boolean expectFlat = arnReference(piecesOf(flat), Map.of(), flatText);
            assertEquals(expectFlat, flatArn.matches(flatText), "arnCondition(flat, long) " + where(seed, flat, flatText));
            matched += expectFlat ? 1 : 0;

            assertEquals(dpMatch(globTokens(pattern), text, false),
                    CompiledPattern.stringLike(pattern, false).matches(text), "stringLike(long) " + where);
        }
        assertTrue(matched > 20, "generator should produce long matches too, got " + matched);
    }

    // ------------------------------------------------------------------ policy variables

    private static final String[] VALUE_CHOICES = {"", "a", "ab", "a*", "?", "b/a", "$", "*", "a:b", "${*}"};

    private static Map<String, String> randomVariables(Random r, boolean allowColons) {
        Map<String, String> vars = new HashMap<>();
        for (String key : new String[] {"aws:username", "aws:principaltag/team", "k"}) {
            if (r.nextInt(4) != 0) {
                String v = r.nextBoolean() ? VALUE_CHOICES[r.nextInt(VALUE_CHOICES.length)]
                        : randomString(r, ALPHABET, 4);
                vars.put(key, allowColons ? v : v.replace(':', 'b'));
            }
        }
        return vars;
    }

    /** Random pieces: literals, wildcards, escapes and variable references (with and without defaults). */
    private static List<Piece> randomPieces(Random r, int max, boolean colonsInValues) {
        return randomPieces(r, max, colonsInValues, KEYS);
    }

    private static List<Piece> randomPieces(Random r, int max, boolean colonsInValues, String[] keys) {
        List<Piece> out = new ArrayList<>();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            int roll = r.nextInt(14);
            if (roll < 6) {
                char c = TEXT_ALPHABET[r.nextInt(TEXT_ALPHABET.length)];
                out.add(Piece.lit(colonsInValues || c != ':' ? c : 'a'));
            } else if (roll < 8) {
                out.add(Piece.star());
            } else if (roll < 9) {
                out.add(Piece.one());
            } else if (roll < 11) {
                out.add(Piece.escape("*?$".charAt(r.nextInt(3))));
            } else {
                String def = r.nextBoolean() ? null : randomString(r, colonsInValues ? ALPHABET
                        : new char[] {'a', 'b', '/', '*', '?'}, 3);
                out.add(Piece.var(keys[r.nextInt(keys.length)], def, r.nextBoolean()));
            }
        }
        return out;
    }

    /** A text likely to match the expanded pattern. */
    private static String textForTokens(Random r, List<RefToken> tokens, char[] alphabet) {
        if (tokens == null || r.nextInt(4) == 0) {
            return randomString(r, alphabet, 10);
        }
        StringBuilder sb = new StringBuilder();
        for (RefToken t : tokens) {
            if (!t.wildcard) {
                sb.append(t.literal);
            } else if (t.run) {
                sb.append(randomString(r, alphabet, 2));
            } else {
                sb.append(alphabet[r.nextInt(alphabet.length)]);
            }
        }
        if (r.nextInt(3) == 0 && sb.length() > 0) {
            sb.setCharAt(r.nextInt(sb.length()), alphabet[r.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    private static VariableSource source(Map<String, String> vars) {
        return vars::get;
    }

    @Test
    void stringLikeAndLiteralWithVariables() {
        char[] alphabet = {'a', 'b', ':', '/', '*', '?', '$'};
        int matched = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(9, i);
            Random r = new Random(seed);
            List<Piece> pieces = randomPieces(r, 8, true);
            String pattern = source(pieces);
            Map<String, String> vars = randomVariables(r, true);
            List<RefToken> like = expand(pieces, vars, true, true, true);
            String text = textForTokens(r, like, alphabet);
            boolean expected = like != null && dpMatch(like, text, false);
            matched += expected ? 1 : 0;
            assertEquals(expected, CompiledPattern.stringLike(pattern, true).matches(text, source(vars)),
                    "stringLike(vars) " + where(seed, pattern, text, vars));

            List<RefToken> exact = expand(pieces, vars, false, true, true);
            String exactText = r.nextBoolean() || exact == null ? text : textForTokens(r, exact, alphabet);
            String swapped = swapSomeCase(r, exactText);
            assertEquals(exact != null && dpMatch(exact, exactText, false),
                    CompiledPattern.literal(pattern, true, false).matches(exactText, source(vars)),
                    "literal(vars) " + where(seed, pattern, exactText, vars));
            assertEquals(exact != null && dpMatch(exact, swapped, true),
                    CompiledPattern.literal(pattern, true, true).matches(swapped, source(vars)),
                    "literal(vars, ignoreCase) " + where(seed, pattern, swapped, vars));
        }
        assertTrue(matched > CASES / 10, "generator should produce matches too, got " + matched);
    }

    @Test
    void resourceWithVariablesInTheResourcePart() {
        int matched = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(10, i);
            Random r = new Random(seed);
            String headText = wildcardify(r, arnText(r).replaceAll("^((?:[^:]*:){5}).*$", "$1"));
            if (headText.isEmpty() || nthColon(headText, 5) != headText.length() - 1) {
                headText = "arn:aws:connect:us-east-1:111122223333:";
            }
            List<Piece> head = piecesOf(headText);
            List<Piece> rest = randomPieces(r, 8, true);
            String pattern = headText + source(rest);
            Map<String, String> vars = randomVariables(r, true);
            List<RefToken> tokens = resourceTokens(head, rest, vars);
            String text = textForTokens(r, tokens, TEXT_ALPHABET);
            boolean expected = tokens != null && dpMatch(tokens, text, false);
            matched += expected ? 1 : 0;
            assertEquals(expected, CompiledPattern.resource(pattern, true).matches(text, source(vars)),
                    "resource(vars) " + where(seed, pattern, text, vars));
        }
        assertTrue(matched > CASES / 20, "generator should produce matches too, got " + matched);
    }

    /**
     * ArnLike with variables anywhere ([Ops]: ARN operators take policy variables; [Vars] restricts only
     * Resource to the resource part), including keys whose names contain a colon ({@code aws:username}).
     * Values here contain no ':' so the component split is unambiguous.
     */
    @Test
    void arnConditionWithVariables() {
        arnConditionWithVariables(11, KEYS);
    }

    /** The same property with only colon-free key names, so a key name can never look like a separator. */
    @Test
    void arnConditionWithColonFreeVariableNames() {
        arnConditionWithVariables(12, new String[] {"k", "K"});
    }

    private static void arnConditionWithVariables(int property, String[] keys) {
        int matched = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = caseSeed(property, i);
            Random r = new Random(seed);
            List<Piece> pieces = new ArrayList<>();
            int components = r.nextInt(8) == 0 ? 1 + r.nextInt(6) : 6;
            for (int c = 0; c < components; c++) {
                if (c > 0) {
                    pieces.add(Piece.lit(':'));
                }
                pieces.addAll(randomPieces(r, c == 5 ? 6 : 3, c == 5, keys));
            }
            String pattern = source(pieces);
            Map<String, String> vars = randomVariables(r, false);
            String text = textForTokens(r, expand(pieces, vars, true, true, true), TEXT_ALPHABET);
            boolean expected = arnReference(pieces, vars, text);
            matched += expected ? 1 : 0;
            assertEquals(expected, CompiledPattern.arnCondition(pattern, true).matches(text, source(vars)),
                    "arnCondition(vars) " + where(seed, pattern, text, vars));
        }
        assertTrue(matched > CASES / 20, "generator should produce matches too, got " + matched);
    }

    /** Fixed examples of the variable rules ([Vars]). */
    @Test
    void variableExamples() {
        Map<String, String> bob = Map.of("aws:username", "bob");
        CompiledPattern home = CompiledPattern.resource("arn:aws:s3:::bucket/home/${aws:username}/*", true);
        assertTrue(home.matches("arn:aws:s3:::bucket/home/bob/file", source(bob)));
        assertFalse(home.matches("arn:aws:s3:::bucket/home/alice/file", source(bob)));
        assertFalse(home.matches("arn:aws:s3:::bucket/home//file", VariableSource.NONE), "no value, no default");
        CompiledPattern team = CompiledPattern.stringLike("${aws:PrincipalTag/team, 'company-wide'}", true);
        assertTrue(team.matches("company-wide", VariableSource.NONE));
        assertTrue(team.matches("ops", source(Map.of("aws:principaltag/team", "ops"))));
        // A value's '*' is literal text, not a wildcard.
        assertFalse(CompiledPattern.stringLike("${aws:username}", true).matches("bob", source(Map.of("aws:username", "*"))));
        assertTrue(CompiledPattern.stringLike("${aws:username}", true).matches("*", source(Map.of("aws:username", "*"))));
        assertTrue(CompiledPattern.stringLike("a${*}b${?}${$}", true).matches("a*b?$"));
        assertFalse(CompiledPattern.stringLike("a${*}b", true).matches("axxb"));
    }

    /**
     * Minimal reproducer: an ArnEquals/ArnLike value with a policy variable in the account component. The
     * variable's own name contains a colon ({@code aws:PrincipalAccount}), and that colon must not count as an
     * ARN component separator.
     */
    @Test
    void arnConditionVariableInAccountComponent() {
        CompiledPattern p = CompiledPattern.arnCondition("arn:aws:iam::${aws:PrincipalAccount}:role/Admin", true);
        VariableSource vars = source(Map.of("aws:principalaccount", "111122223333"));
        assertTrue(p.matches("arn:aws:iam::111122223333:role/Admin", vars),
                "ArnEquals arn:aws:iam::${aws:PrincipalAccount}:role/Admin should match the caller's account");
    }

    // ------------------------------------------------------------------ linear time (hang detectors)

    /**
     * Per check, after a short untimed warm-up. Generous on purpose (the machine is shared): the NFA costs
     * text × active states (~10^7 steps here, a few hundred ms cold), while a backtracking matcher would be
     * exponential and even a quadratic one would need ~10^10 steps.
     */
    private static final Duration GUARD = Duration.ofSeconds(3);

    private static String stars(String unit, int n, String end) {
        return unit.repeat(n) + end;
    }

    private static void assertNoMatchInTime(CompiledPattern pattern, String text, VariableSource vars) {
        pattern.matches(text.substring(0, 2_000), vars); // warm-up, untimed
        assertTimeoutPreemptively(GUARD, () -> assertFalse(pattern.matches(text, vars)),
                () -> "hang detector: " + pattern.source() + " against " + text.length() + " chars");
    }

    @Test
    void adversarialGreedyPatternIsLinear() {
        String text = "a".repeat(100_000);
        String pattern = stars("*a", 50, "*b");
        VariableSource none = VariableSource.NONE;
        assertNoMatchInTime(CompiledPattern.stringLike(pattern, false), text, none);
        assertNoMatchInTime(CompiledPattern.action(pattern), text, none);
        assertNoMatchInTime(CompiledPattern.resource("arn:aws:s3:::" + pattern, false), "arn:aws:s3:::" + text, none);
        // Suffix matches but a middle literal is missing: every segment search must stay linear.
        assertNoMatchInTime(CompiledPattern.stringLike(stars("*a", 50, "*c*b"), false), text + "b", none);
        assertNoMatchInTime(CompiledPattern.stringLike(stars("*a?", 50, "*c*"), false), text, none);
    }

    @Test
    void adversarialNfaPatternIsLinear() {
        String text = "a".repeat(100_000);
        VariableSource none = VariableSource.NONE;
        CompiledPattern arn = CompiledPattern.arnCondition(stars("*a", 50, "*b"), false);
        assertTrue(usesAutomaton(arn));
        assertNoMatchInTime(arn, text, none);
        CompiledPattern res = CompiledPattern.resource(stars("*a", 50, "*b"), false);
        assertTrue(usesAutomaton(res));
        assertNoMatchInTime(res, text, none);
        // Head wildcards colon-bound, then a long resource part: the state set stays wide all along.
        CompiledPattern mixed = CompiledPattern.resource("arn:a?s:*x:*:*:" + stars("*a", 60, "*b"), false);
        assertTrue(usesAutomaton(mixed));
        assertNoMatchInTime(mixed, "arn:aws:sx:r:1:" + text, none);
        assertNoMatchInTime(CompiledPattern.arnCondition(stars("?*", 100, "b"), false), text, none);
    }

    @Test
    void adversarialVariablePatternIsLinear() {
        String text = "a".repeat(100_000);
        VariableSource vars = k -> "a";
        assertNoMatchInTime(CompiledPattern.stringLike(stars("*${k}", 50, "*b"), true), text, vars);
        assertNoMatchInTime(CompiledPattern.arnCondition(stars("*${k}", 50, "*b"), true), text, vars);
    }
}
