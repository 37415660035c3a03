package dev.edgeiam.gateway;

import dev.edgeiam.authorize.EventFormat;
import dev.edgeiam.connect.QueryParameters;
import dev.edgeiam.request.DeferredText;
import dev.edgeiam.request.NameMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an API Gateway authorizer event from its JSON bytes straight into an {@link AuthorizerRequest}, without a
 * tree: the warm path's reader. It takes only the plain shape API Gateway sends — strict RFC 8259 JSON, every member
 * it reads of the type API Gateway gives it — and <em>declines</em> (returns null) everything else, which the caller
 * then reads as before ({@link AuthorizerEventReader#readPruned} and {@link AuthorizerEventReader#read}, which also
 * give the precise error). So it can only answer where that reader answers, and must answer the same:
 * {@code AuthorizerEventBytesTest} holds it to {@code read} on the sample events, generated events and byte-level
 * mutations of them, and checks that it declines where the JSON parser would refuse.
 *
 * <p>Declined, among others: anything the dispatcher's JSON parser refuses (syntax, duplicate member names in any
 * object, nesting beyond its limit, strings beyond its length limit) — checked here at least as strictly, without
 * relying on the parser's exact limits: names with escapes, more than {@value #MAX_MEMBERS} members in one object,
 * names longer than {@value #MAX_NAME_BYTES} bytes or numbers longer than {@value #MAX_NUMBER_BYTES} bytes; a member
 * the reader reads holding a value of another type than API Gateway's (a number where a string is expected, an
 * object where a string map is expected ...); two header names equal but for case (the reader's merge of such
 * names depends on hash order); a method ARN {@link MethodArn#parse} refuses (the caller reports it).
 *
 * <p>The bytes must be well-formed UTF-8 (the dispatcher checks it first: {@code EventDispatcher.wellFormedUtf8}).
 */
public final class AuthorizerEventBytes {

    static final int MAX_MEMBERS = 64;
    static final int MAX_NAME_BYTES = 1024;
    static final int MAX_NUMBER_BYTES = 64;

    /** Thrown inside the reader when the event is not one it takes; never leaves {@link #read}. */
    private static final class Decline extends RuntimeException {
        private static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    // the leaves read, by slot
    private static final int TYPE = 0;
    private static final int VERSION = 1;
    private static final int METHOD_ARN = 2;
    private static final int ROUTE_ARN = 3;
    private static final int AUTHORIZATION_TOKEN = 4;
    private static final int ROUTE_KEY = 5;
    private static final int HTTP_METHOD = 6;
    private static final int RESOURCE = 7;
    private static final int RAW_QUERY_STRING = 8;
    private static final int HTTP_SOURCE_IP = 9;
    private static final int HTTP_USER_AGENT = 10;
    private static final int TIME_EPOCH = 11;
    private static final int REQUEST_TIME_EPOCH = 12;
    private static final int REQUEST_TIME = 13;
    private static final int REQUEST_ID = 14;
    private static final int EVENT_TYPE = 15;
    private static final int IDENTITY_SOURCE_IP = 16;
    private static final int IDENTITY_USER_AGENT = 17;
    private static final int IDENTITY_VPCE_ID = 18;
    private static final int SLOTS = 19;

    // what a slot holds (absent is the default, 0)
    private static final byte ABSENT = 0;
    private static final byte NULL = 1;
    private static final byte STRING = 2;
    private static final byte INTEGER = 3;

    private static final byte[][] TOP_NAMES = names("type", "version", "methodArn", "routeArn", "authorizationToken",
            "routeKey", "httpMethod", "resource", "rawQueryString");
    private static final int[] TOP_SLOTS = {TYPE, VERSION, METHOD_ARN, ROUTE_ARN, AUTHORIZATION_TOKEN, ROUTE_KEY,
            HTTP_METHOD, RESOURCE, RAW_QUERY_STRING};
    private static final byte[] HEADERS = ascii("headers");
    private static final byte[] MULTI_VALUE_HEADERS = ascii("multiValueHeaders");
    private static final byte[] QUERY = ascii("queryStringParameters");
    private static final byte[] MULTI_VALUE_QUERY = ascii("multiValueQueryStringParameters");
    private static final byte[] IDENTITY_SOURCE = ascii("identitySource");
    private static final byte[] REQUEST_CONTEXT = ascii("requestContext");
    private static final byte[] HTTP = ascii("http");
    private static final byte[] IDENTITY = ascii("identity");
    private static final byte[][] CONTEXT_NAMES = names("timeEpoch", "requestTimeEpoch", "requestTime", "requestId",
            "eventType");
    private static final int[] CONTEXT_SLOTS = {TIME_EPOCH, REQUEST_TIME_EPOCH, REQUEST_TIME, REQUEST_ID, EVENT_TYPE};
    private static final byte[][] HTTP_NAMES = names("sourceIp", "userAgent");
    private static final int[] HTTP_SLOTS = {HTTP_SOURCE_IP, HTTP_USER_AGENT};
    private static final byte[][] IDENTITY_NAMES = names("sourceIp", "userAgent", "vpceId");
    private static final int[] IDENTITY_SLOTS = {IDENTITY_SOURCE_IP, IDENTITY_USER_AGENT, IDENTITY_VPCE_ID};

    private final byte[] in;
    private final int maxDepth;
    private final int maxStringBytes;
    private int at;

    /** Per slot, what the event holds there and its text (the thread's arrays, emptied for each read). */
    private final byte[] kinds;
    private final String[] texts;
    /** The only numbers read ({@code asLong}): {@code requestContext.timeEpoch} and {@code requestTimeEpoch}. */
    private long timeEpoch;
    private long requestTimeEpoch;
    /**
     * The member names of the objects open at {@link #at}, for the duplicate check (the thread's array,
     * {@link #scratch}), {@value #NAME_INTS} ints each: where the name starts, its length and its
     * {@link RecentTexts#hash} (which only spares most byte comparisons).
     */
    private int[] names;
    private int namesTop;
    private static final int NAME_INTS = 3;
    private final Scratch scratch;

    /**
     * {@code headers} (names lower-cased) and {@code queryStringParameters}: null when absent or JSON null, else
     * name/value pairs.
     */
    private List<Object> headerPairs;
    private List<Object> queryPairs;
    /** {@code multiValueHeaders}, {@code multiValueQueryStringParameters}: name, then its values (null: none). */
    private List<Object> multiHeaderPairs;
    private List<Object> multiQueryPairs;
    private List<String> identitySource;

    private AuthorizerEventBytes(byte[] in, int maxDepth, int maxStringLength, Scratch scratch) {
        this.in = in;
        this.maxDepth = maxDepth;
        this.maxStringBytes = maxStringLength;
        this.scratch = scratch;
        this.names = scratch.names;
        this.kinds = scratch.kinds;
        this.texts = scratch.texts;
        Arrays.fill(kinds, ABSENT);
        Arrays.fill(texts, null);
    }

    /**
     * What a thread's reads reuse: the duplicate check's array (grown as needed, never holding anything past a read
     * that matters: only offsets into that read's bytes), and the header names and short values already made
     * ({@link RecentTexts}: the same names and many of the same values come in every event).
     */
    private static final class Scratch {
        static final int HEADERS = 0;
        static final int QUERY = 1;
        static final int MULTI_HEADERS = 2;
        static final int MULTI_QUERY = 3;
        /** A list that held more pairs than this is dropped after the read, not kept with its capacity. */
        private static final int KEPT_CAPACITY = 256;

        /**
         * The pairs of {@code headers}, {@code queryStringParameters}, {@code multiValueHeaders} and
         * {@code multiValueQueryStringParameters}, each read at most once per event (a repeated member is declined
         * before its value is read): handed out empty, emptied after the read (they hold the event's texts, a token's
         * among them). Only the reader holds them; what it makes of them is copied ({@code NameMap.of}, the query's map).
         */
        private final List<List<Object>> pairs = new ArrayList<>(List.of(new ArrayList<>(32), new ArrayList<>(32),
                new ArrayList<>(32), new ArrayList<>(32)));
        /** The pairs {@code multiValuedHeaders} gathers before they are copied into the headers' map. */
        Object[] headerLists = new Object[64];

        List<Object> pairs(int which) {
            List<Object> list = pairs.get(which);
            list.clear();
            return list;
        }

        void forget() {
            for (int i = 0; i < pairs.size(); i++) {
                List<Object> list = pairs.get(i);
                if (list.size() > KEPT_CAPACITY) {
                    pairs.set(i, new ArrayList<>(32));
                } else {
                    list.clear();
                }
            }
            if (headerLists.length > 2 * KEPT_CAPACITY) {
                headerLists = new Object[64];
            } else {
                Arrays.fill(headerLists, null);
            }
        }

        int[] names = new int[NAME_INTS * 64];
        final byte[] kinds = new byte[SLOTS];
        final String[] texts = new String[SLOTS];
        final RecentTexts headerNames = new RecentTexts(512);
        final RecentTexts values = new RecentTexts(512);
        /** Method and route ARNs, up to the 1,600 characters {@code MethodArn.parse} takes. */
        final RecentTexts arns = new RecentTexts(64, 1_600);
    }

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    /**
     * Forgets {@code credential} from this thread's short values made lately ({@link RecentTexts}): the authorizer
     * calls it with the credential it took from the request, so a short token or key (a long one is never kept) does
     * not stay in memory after its request. The next event that carries it reads it anew.
     */
    public static void forgetValue(CharSequence credential) {
        if (credential != null) {
            SCRATCH.get().values.forget(credential);
        }
    }

    /** Whether this thread's short values made lately hold {@code text} (for tests). */
    public static boolean holdsValue(CharSequence text) {
        return SCRATCH.get().values.holds(text);
    }

    /**
     * The request the event describes, or null when this reader declines the event (see the class comment) — the
     * caller then reads it the general way.
     *
     * @param event           the event, well-formed UTF-8
     * @param maxDepth        the dispatcher parser's nesting limit
     * @param maxStringLength the dispatcher parser's string length limit (in characters; checked here in bytes,
     *                        which are never fewer)
     */
    public static AuthorizerRequest read(byte[] event, int maxDepth, int maxStringLength) {
        if (maxDepth < 8) {
            return null; // the members read sit three deep: a parser limit that low is left to the parser
        }
        Scratch scratch = SCRATCH.get();
        scratch.values.startRead();
        AuthorizerEventBytes reader = new AuthorizerEventBytes(event, maxDepth, maxStringLength, scratch);
        AuthorizerRequest request = null;
        try {
            int members = reader.event();
            request = members < 2 ? null : reader.request();
            return request;
        } catch (RuntimeException e) {
            // declined; refused by MethodArn.parse; an index past the end of truncated input ...: the general read
            // answers, or gives the precise error
            return null;
        } finally {
            reader.forget();
            if (request == null) {
                // not answered from here, so its credential may never be forgotten by the authorizer: nothing this
                // read put in the short values stays
                scratch.values.forgetThisRead();
            }
        }
    }

    /** Lets go of the texts read into the thread's slots (a TOKEN event's token among them) once the read is done. */
    private void forget() {
        Arrays.fill(texts, null);
        scratch.forget();
    }

    // ---- JSON: strict RFC 8259 over the whole event ----

    /** Reads the event object and everything after it; returns how many members it has. */
    private int event() {
        whitespace();
        int base = objectStart();
        int members = 0;
        if (!objectEnd(base)) {
            do {
                int start = name(base);
                int end = at - 1;
                members++;
                colon();
                topMember(start, end);
            } while (moreMembers(base));
        }
        whitespace();
        if (at != in.length) {
            throw Decline.INSTANCE; // trailing content
        }
        return members;
    }

    private void topMember(int start, int end) {
        for (int i = 0; i < TOP_NAMES.length; i++) {
            if (is(start, end, TOP_NAMES[i])) {
                leaf(TOP_SLOTS[i]);
                return;
            }
        }
        if (is(start, end, HEADERS)) {
            headerPairs = stringMap(true, scratch.pairs(Scratch.HEADERS));
        } else if (is(start, end, QUERY)) {
            queryPairs = stringMap(false, scratch.pairs(Scratch.QUERY));
        } else if (is(start, end, MULTI_VALUE_HEADERS)) {
            multiHeaderPairs = multiMap(true, scratch.pairs(Scratch.MULTI_HEADERS));
        } else if (is(start, end, MULTI_VALUE_QUERY)) {
            multiQueryPairs = multiMap(false, scratch.pairs(Scratch.MULTI_QUERY));
        } else if (is(start, end, IDENTITY_SOURCE)) {
            identitySource = stringArray();
        } else if (is(start, end, REQUEST_CONTEXT)) {
            requestContext();
        } else {
            skipValue(1);
        }
    }

    private void requestContext() {
        int base = objectStart();
        if (!objectEnd(base)) {
            do {
                int start = name(base);
                int end = at - 1;
                colon();
                if (is(start, end, HTTP)) {
                    leaves(HTTP_NAMES, HTTP_SLOTS, 3);
                } else if (is(start, end, IDENTITY)) {
                    leaves(IDENTITY_NAMES, IDENTITY_SLOTS, 3);
                } else if (!leafNamed(start, end, CONTEXT_NAMES, CONTEXT_SLOTS)) {
                    skipValue(2);
                }
            } while (moreMembers(base));
        }
    }

    /** An object of which the named members are leaves and the others are skipped. */
    private void leaves(byte[][] leafNames, int[] slots, int depth) {
        int base = objectStart();
        if (!objectEnd(base)) {
            do {
                int start = name(base);
                int end = at - 1;
                colon();
                if (!leafNamed(start, end, leafNames, slots)) {
                    skipValue(depth);
                }
            } while (moreMembers(base));
        }
    }

    private boolean leafNamed(int start, int end, byte[][] leafNames, int[] slots) {
        for (int i = 0; i < leafNames.length; i++) {
            if (is(start, end, leafNames[i])) {
                leaf(slots[i]);
                return true;
            }
        }
        return false;
    }

    /** A string, null or integer literal into a slot; any other value is declined. */
    private void leaf(int slot) {
        byte c = peek();
        if (c == '"') {
            kinds[slot] = STRING;
            // a caller's every request names the same method ARN while it polls one route: remembered too
            // the TOKEN event's token and HTTP API's raw query (which may carry one) are not kept, however short
            texts[slot] = slot == METHOD_ARN || slot == ROUTE_ARN ? string(scratch.arns)
                    : slot == AUTHORIZATION_TOKEN || slot == RAW_QUERY_STRING ? string(RecentTexts.NONE) : string();
        } else if (c == 'n') {
            literal("null");
            kinds[slot] = NULL;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            kinds[slot] = INTEGER;
            long value = integer();
            if (slot == TIME_EPOCH) {
                timeEpoch = value;
            } else if (slot == REQUEST_TIME_EPOCH) {
                requestTimeEpoch = value;
            } // any other slot holding a number is declined when read (asText)
        } else {
            throw Decline.INSTANCE;
        }
    }

    /**
     * An object of string (or null) members, or JSON null; pairs of name and value (null values left out). For
     * headers ({@code lowerCaseNames}) a long value may be left in the bytes ({@link #headerValue()}).
     */
    private List<Object> stringMap(boolean lowerCaseNames, List<Object> pairs) {
        if (peek() == 'n') {
            literal("null");
            return null;
        }
        int base = objectStart();
        if (!objectEnd(base)) {
            do {
                int start = name(base);
                int end = at - 1;
                colon();
                if (peek() == '"') {
                    pairs.add(lowerCaseNames ? lowerCaseText(start, end) : text(start, end));
                    pairs.add(lowerCaseNames ? headerValue() : string());
                } else if (peek() == 'n') {
                    literal("null");
                } else {
                    throw Decline.INSTANCE;
                }
            } while (moreMembers(base));
        }
        return pairs;
    }

    /**
     * An object whose members are arrays of strings, or JSON null itself (null); name (lower-cased for headers) then
     * its values (a {@code List<String>}). For {@code headers} a member may be JSON null (no values: null) and an
     * element may be JSON null (left out), as the general reader takes them; for the query either is declined (the
     * general reader then counts the query as unknown).
     */
    private List<Object> multiMap(boolean headers, List<Object> pairs) {
        if (peek() == 'n') {
            literal("null");
            return null;
        }
        int base = objectStart();
        if (!objectEnd(base)) {
            do {
                int start = name(base);
                int end = at - 1;
                colon();
                pairs.add(headers ? lowerCaseText(start, end) : text(start, end));
                if (headers && peek() == 'n') {
                    literal("null");
                    pairs.add(null);
                } else {
                    pairs.add(headers ? headerValues() : stringArray(false));
                }
            } while (moreMembers(base));
        }
        return pairs;
    }

    /** An array of strings, or JSON null (null). */
    private List<String> stringArray() {
        if (peek() == 'n') {
            literal("null");
            return null;
        }
        return stringArray(false);
    }

    /** An array of strings, immutable; JSON null elements are left out when {@code nullsSkipped}, else declined. */
    private List<String> stringArray(boolean nullsSkipped) {
        Object values = stringArray(nullsSkipped, false);
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) values;
        return list;
    }

    /**
     * A header's array of values ({@code multiValueHeaders}): as {@link #stringArray(boolean)} with JSON null elements
     * left out, but an array of one long value left in the bytes is a {@link OneValue}, made into its list when read.
     */
    private Object headerValues() {
        return stringArray(true, true);
    }

    private Object stringArray(boolean nullsSkipped, boolean headerValues) {
        if (peek() != '[') {
            throw Decline.INSTANCE;
        }
        Object first = null;
        List<String> more = null;
        if (!arrayStartEmpty()) {
            do {
                if (peek() == '"') {
                    Object value = headerValues && first == null ? headerValue() : string();
                    if (first == null) {
                        first = value;
                    } else {
                        if (more == null) {
                            more = new ArrayList<>(4);
                            more.add(first.toString());
                        }
                        more.add((String) value);
                    }
                } else if (nullsSkipped && peek() == 'n') {
                    literal("null");
                } else {
                    throw Decline.INSTANCE;
                }
            } while (moreElements());
        }
        return more != null ? List.copyOf(more) : first instanceof DeferredText text ? new OneValue(text)
                : first != null ? List.of(first) : List.of();
    }

    /**
     * A header value: as {@link #string()}, but a plain ASCII value longer than {@link RecentTexts#MAX_LENGTH} (a
     * bearer token, a long cookie) is left in the event's bytes ({@link DeferredText}), made into a string only if
     * something reads it. A warm request's token is then only digested ({@code VerifiedCredentials}), never copied.
     */
    private Object headerValue() {
        expect('"');
        int start = at;
        int end = plainRun(start);
        if (in[end] == '"' && end - start > RecentTexts.MAX_LENGTH && end - start <= maxStringBytes) {
            at = end + 1;
            return DeferredText.ascii(in, start, end);
        }
        at = start - 1;
        return string();
    }

    /** The list of one header value left in the bytes, made when the map it is in is read. */
    private record OneValue(DeferredText value) implements NameMap.Deferred<List<String>> {
        @Override
        public List<String> made() {
            return List.of(value.toString());
        }
    }

    /**
     * An object's opening brace at {@link #at} (else declined); returns where its member names start in
     * {@link #names}, for the duplicate check and for {@link #objectEnd}/{@link #moreMembers} to drop them after.
     */
    private int objectStart() {
        expect('{');
        whitespace();
        return namesTop;
    }

    /** Whether the object closes here (an empty object, its brace consumed); its names are dropped. */
    private boolean objectEnd(int base) {
        if (peek() != '}') {
            return false;
        }
        at++;
        namesTop = base;
        return true;
    }

    /** An array's opening bracket at {@link #at} (else declined); true when the array is empty (and closed). */
    private boolean arrayStartEmpty() {
        expect('[');
        whitespace();
        if (peek() == ']') {
            at++;
            return true;
        }
        return false;
    }

    /** After an element: true when a comma (and another element) follows; otherwise the closing bracket must. */
    private boolean moreElements() {
        if (comma()) {
            return true;
        }
        expect(']');
        return false;
    }

    /** Whitespace, then a comma and the whitespace after it (true), or not a comma (false, nothing more consumed). */
    private boolean comma() {
        whitespace();
        if (peek() == ',') {
            at++;
            whitespace();
            return true;
        }
        return false;
    }

    /**
     * After a member's value: true when a comma (and another member) follows; otherwise the object's closing brace
     * must (else declined), and its names are dropped.
     */
    private boolean moreMembers(int base) {
        if (comma()) {
            return true;
        }
        expect('}');
        namesTop = base;
        return false;
    }

    /** Validates any value, building nothing; {@code depth} is the nesting of the value's container. */
    private void skipValue(int depth) {
        byte c = peek();
        switch (c) {
            case '"' -> skipString();
            case 'n' -> literal("null");
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case '{' -> {
                checkDepth(depth + 1);
                int base = objectStart();
                if (!objectEnd(base)) {
                    do {
                        name(base);
                        colon();
                        skipValue(depth + 1);
                    } while (moreMembers(base));
                }
            }
            case '[' -> {
                checkDepth(depth + 1);
                if (!arrayStartEmpty()) {
                    do {
                        skipValue(depth + 1);
                    } while (moreElements());
                }
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw Decline.INSTANCE;
                }
            }
        }
    }

    private void checkDepth(int depth) {
        if (depth >= maxDepth || depth > 32) {
            throw Decline.INSTANCE;
        }
    }

    /**
     * A member name at {@link #at} (a quoted string without escapes), checked against the names already seen in the
     * same object (those from {@code base}); returns its first byte's index, with {@link #at} after the closing quote.
     */
    private int name(int base) {
        expect('"');
        int start = at;
        int end = textEnd(start);
        if (in[end] != '"') {
            throw Decline.INSTANCE; // an escape or a control character
        }
        int length = end - start;
        if (length > MAX_NAME_BYTES) {
            throw Decline.INSTANCE;
        }
        at = end + 1;
        if ((namesTop - base) / NAME_INTS >= MAX_MEMBERS) {
            throw Decline.INSTANCE;
        }
        int hash = RecentTexts.hash(in, start, end, false);
        for (int i = base; i < namesTop; i += NAME_INTS) {
            if (names[i + 2] == hash && names[i + 1] == length
                    && Arrays.equals(in, names[i], names[i] + length, in, start, end)) {
                throw Decline.INSTANCE; // a duplicate member: the parser refuses the event
            }
        }
        if (namesTop + NAME_INTS > names.length) {
            names = Arrays.copyOf(names, names.length * 2);
            scratch.names = names;
        }
        names[namesTop] = start;
        names[namesTop + 1] = length;
        names[namesTop + 2] = hash;
        namesTop += NAME_INTS;
        return start;
    }

    /** A string value at {@link #at}, decoded; {@link #at} after its closing quote. */
    private String string() {
        return string(scratch.values);
    }

    /** As {@link #string()}, an ASCII text made or found in {@code recent}. */
    private String string(RecentTexts recent) {
        expect('"');
        int start = at;
        int end = plainRun(start);
        boolean ascii = in[end] >= 0;
        if (!ascii) {
            end = textEnd(end);
        }
        byte c = in[end];
        if (c == '\\') {
            at = end;
            return escapedString(start);
        }
        if (c != '"') {
            throw Decline.INSTANCE; // a control character
        }
        int length = end - start;
        if (length > maxStringBytes) {
            throw Decline.INSTANCE;
        }
        at = end + 1;
        return ascii ? recent.ascii(in, start, end, false)
                : new String(in, start, length, StandardCharsets.UTF_8);
    }

    /** The rest of a string with escapes (RFC 8259 section 7), from its first byte {@code start}. */
    private String escapedString(int start) {
        StringBuilder out = new StringBuilder(at - start + 16);
        out.append(new String(in, start, at - start, StandardCharsets.UTF_8));
        int runStart = at;
        byte c;
        while ((c = in[at]) != '"') {
            if (c >= 0 && c < 0x20) {
                throw Decline.INSTANCE;
            }
            if (c != '\\') {
                at++;
                continue;
            }
            out.append(new String(in, runStart, at - runStart, StandardCharsets.UTF_8));
            byte e = in[at + 1];
            if (e == 'u') {
                out.append((char) hex4(at + 2));
                at += 4;
            } else {
                int ch = escaped(e);
                if (ch < 0) {
                    throw Decline.INSTANCE;
                }
                out.append((char) ch);
            }
            at += 2;
            runStart = at;
        }
        out.append(new String(in, runStart, at - runStart, StandardCharsets.UTF_8));
        if (at - start > maxStringBytes) {
            throw Decline.INSTANCE;
        }
        at++;
        return out.toString();
    }

    private void skipString() {
        expect('"');
        int start = at;
        byte c;
        while (true) {
            at = textEnd(at);
            c = in[at];
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                throw Decline.INSTANCE; // a control character
            }
            byte e = in[at + 1];
            if (e == 'u') {
                hex4(at + 2);
                at += 6;
            } else if (escaped(e) >= 0) {
                at += 2;
            } else {
                throw Decline.INSTANCE;
            }
        }
        if (at - start > maxStringBytes) {
            throw Decline.INSTANCE;
        }
        at++;
    }

    /** The char a two-character escape {@code \\e} stands for (RFC 8259 section 7), or -1 when it is not one. */
    private static int escaped(byte e) {
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> -1;
        };
    }

    private int hex4(int from) {
        int v = 0;
        for (int i = from; i < from + 4; i++) {
            int d = Character.digit(in[i], 16);
            if (d < 0 || in[i] < 0) {
                throw Decline.INSTANCE;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** A number in RFC 8259's grammar; {@link #at} after it. */
    private void number() {
        int start = at;
        if (in[at] == '-') {
            at++;
        }
        digits(true);
        if (at < in.length && in[at] == '.') {
            at++;
            digits(false);
        }
        if (at < in.length && (in[at] == 'e' || in[at] == 'E')) {
            at++;
            if (in[at] == '+' || in[at] == '-') {
                at++;
            }
            digits(false);
        }
        if (at - start > MAX_NUMBER_BYTES) {
            throw Decline.INSTANCE;
        }
    }

    /** One or more digits; an integer part has no leading zero. */
    private void digits(boolean integerPart) {
        int start = at;
        while (at < in.length && in[at] >= '0' && in[at] <= '9') {
            at++;
        }
        if (at == start || (integerPart && in[start] == '0' && at - start > 1)) {
            throw Decline.INSTANCE;
        }
    }

    /** An integer literal of at most 18 digits (no fraction or exponent, which the general reader formats). */
    private long integer() {
        int start = at;
        number();
        int digitsStart = in[start] == '-' ? start + 1 : start;
        if (at - digitsStart > 18) {
            throw Decline.INSTANCE;
        }
        long value = 0;
        for (int i = digitsStart; i < at; i++) {
            if (in[i] < '0' || in[i] > '9') {
                throw Decline.INSTANCE; // a fraction or an exponent
            }
            value = value * 10 + (in[i] - '0'); // at most 18 digits: no overflow
        }
        return digitsStart == start ? value : -value;
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (in[at + i] != word.charAt(i)) {
                throw Decline.INSTANCE;
            }
        }
        at += word.length();
    }

    private void colon() {
        whitespace();
        expect(':');
        whitespace();
    }

    private void whitespace() {
        int i = at;
        while (i < in.length) {
            byte c = in[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            i++;
        }
        at = i;
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The index of the first quote, backslash or control character from {@code from}, passing over non-ASCII bytes
     * (UTF-8, checked well-formed by the caller).
     */
    private int textEnd(int from) {
        int end = plainRun(from);
        while (in[end] < 0) {
            end = plainRun(end + 1);
        }
        return end;
    }

    /**
     * The index of the first byte from {@code from} that ends a plain run inside a string: a quote, a backslash, a
     * control character (below 0x20) or a non-ASCII byte. Eight bytes at a time: for a word {@code w},
     * {@code (w - 0x01..) & ~w & 0x80..} is non-zero exactly when some byte of {@code w} is zero, so with {@code w}
     * XOR-ed with the quote's (or backslash's) byte it finds either; {@code (w - 0x20..) & ~w & 0x80..} finds a byte
     * below 0x20, and {@code w & 0x80..} a non-ASCII byte. A word with any of them is then scanned byte by byte.
     * Throws past the end of the input (an unterminated string, which the caller declines).
     */
    private int plainRun(int from) {
        int i = from;
        while (i + 8 <= in.length) {
            long w = (long) LONGS.get(in, i);
            long quote = w ^ (ONES * '"');
            long backslash = w ^ (ONES * '\\');
            long special = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((w - ONES * 0x20) & ~w)
                    | w;
            if ((special & HIGHS) != 0) {
                break;
            }
            i += 8;
        }
        while (true) {
            byte c = in[i];
            if (c == '"' || c == '\\' || c < 0x20) { // a negative byte is non-ASCII
                return i;
            }
            i++;
        }
    }

    private byte peek() {
        if (at >= in.length) {
            throw Decline.INSTANCE;
        }
        return in[at];
    }

    private void expect(char c) {
        if (peek() != c) {
            throw Decline.INSTANCE;
        }
        at++;
    }

    private boolean is(int start, int end, byte[] name) {
        return end - start == name.length && Arrays.equals(in, start, end, name, 0, name.length);
    }

    /**
     * A header name as the general reader keys it, {@code toLowerCase(Locale.ROOT)}: for an ASCII name that is A–Z to
     * a–z, folded here from the bytes; any other name is decoded and lower-cased by {@link String#toLowerCase}.
     */
    private String lowerCaseText(int start, int end) {
        for (int i = start; i < end; i++) {
            if (in[i] < 0) {
                return text(start, end).toLowerCase(Locale.ROOT);
            }
        }
        return scratch.headerNames.ascii(in, start, end, true);
    }

    private String text(int start, int end) {
        for (int i = start; i < end; i++) {
            if (in[i] < 0) {
                return new String(in, start, end - start, StandardCharsets.UTF_8);
            }
        }
        return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
    }

    // ---- the request, as AuthorizerEventReader.read builds it from the tree ----

    /** {@code JsonNode.asText()}: absent "", JSON null "null". */
    private String asText(int slot) {
        return switch (kinds[slot]) {
            case ABSENT -> "";
            case NULL -> "null";
            case STRING -> texts[slot];
            default -> throw Decline.INSTANCE;
        };
    }

    /** {@code JsonNode.asText(fallback)}: absent and JSON null give the fallback. */
    private String asText(int slot, String fallback) {
        return switch (kinds[slot]) {
            case ABSENT, NULL -> fallback;
            case STRING -> texts[slot];
            default -> throw Decline.INSTANCE;
        };
    }

    /** {@code JsonNode.asLong(0)}. */
    private long asLong(int slot) {
        return switch (kinds[slot]) {
            case ABSENT, NULL -> 0L;
            case INTEGER -> slot == TIME_EPOCH ? timeEpoch : slot == REQUEST_TIME_EPOCH ? requestTimeEpoch
                    : failedRead();
            default -> throw Decline.INSTANCE;
        };
    }

    private static long failedRead() {
        throw Decline.INSTANCE;
    }

    private boolean nonNull(int slot) {
        return kinds[slot] == STRING || kinds[slot] == INTEGER;
    }

    /** {@code AuthorizerEventReader.text}: a string member, or the reader's error (the general read reports it). */
    private String required(int slot) {
        if (kinds[slot] != STRING) {
            throw Decline.INSTANCE;
        }
        return texts[slot];
    }

    private AuthorizerRequest request() {
        String type = asText(TYPE, "");
        boolean token = type.equals("TOKEN");
        if (!(token || type.equals("REQUEST")) || !(nonNull(METHOD_ARN) || nonNull(ROUTE_ARN))) {
            return null; // not an authorizer event
        }
        if (token) {
            MethodArn arn = MethodArn.parse(required(METHOD_ARN));
            return new AuthorizerRequest(EventFormat.REST_TOKEN, arn,
                    kinds[AUTHORIZATION_TOKEN] == STRING ? texts[AUTHORIZATION_TOKEN] : null, Map.of(), Map.of(),
                    Map.of(), false, QueryParameters.NONE, false, null, null, 0L, null, null, null);
        }
        NameMap<String> singleHeaders = lowerCaseHeaders();
        Map<String, String> singleQuery = queryPairs == null ? NameMap.of(List.of()) : distinct(queryPairs);
        if ("2.0".equals(asText(VERSION))) {
            MethodArn arn = MethodArn.parse(required(ROUTE_ARN));
            QueryParameters query = switch (kinds[RAW_QUERY_STRING]) {
                case ABSENT, NULL -> QueryParameters.NONE;
                case STRING -> AuthorizerEventReader.parseRawQuery(texts[RAW_QUERY_STRING]);
                default -> throw Decline.INSTANCE;
            };
            boolean queryKnown = query != null && AuthorizerEventReader.agreesJoined(query, singleQuery);
            Object[] listed = new Object[2 * singleHeaders.size()];
            NameMap<String> single = singleHeaders;
            for (int i = 0; i < single.size(); i++) {
                listed[2 * i] = single.name(i);
                listed[2 * i + 1] = listOf(single.held(i));
            }
            Map<String, List<String>> headers = NameMap.of(listed, single.size());
            return new AuthorizerRequest(EventFormat.HTTP_V2, arn, null, singleHeaders, singleQuery, headers, true,
                    queryKnown ? query : QueryParameters.NONE, queryKnown, asText(HTTP_SOURCE_IP, null),
                    asText(HTTP_USER_AGENT, null), asLong(TIME_EPOCH), asText(ROUTE_KEY, null), identitySource,
                    asText(REQUEST_ID, null));
        }
        MethodArn arn = MethodArn.parse(required(METHOD_ARN));
        long time = asLong(REQUEST_TIME_EPOCH);
        if (time == 0 && nonNull(REQUEST_TIME)) {
            time = AuthorizerEventReader.parseRequestTime(asText(REQUEST_TIME));
        }
        QueryParameters query = multiValuedQuery();
        boolean queryKnown = query != null && AuthorizerEventReader.agreesLast(query, singleQuery);
        Map<String, List<String>> headers = multiValuedHeaders(singleHeaders);
        boolean webSocket = "CONNECT".equals(asText(EVENT_TYPE)) || arn.webSocket();
        String routeKey = webSocket ? "$connect" : String.join(" ", asText(HTTP_METHOD, arn.verb()), asText(RESOURCE, ""));
        EventFormat format = webSocket ? EventFormat.WEBSOCKET_CONNECT
                : "1.0".equals(asText(VERSION)) ? EventFormat.HTTP_V1 : EventFormat.REST_REQUEST;
        boolean viaVpcEndpoint = !asText(IDENTITY_VPCE_ID, "").isEmpty();
        return new AuthorizerRequest(format, arn, null, singleHeaders, singleQuery, headers, true,
                queryKnown ? query : QueryParameters.NONE, queryKnown,
                viaVpcEndpoint ? null : asText(IDENTITY_SOURCE_IP, null), asText(IDENTITY_USER_AGENT, null), time,
                routeKey, null, asText(REQUEST_ID, null));
    }

    /**
     * {@code headers} by lower-cased name. Two names equal but for case are declined: the general reader joins
     * their values in its hash map's order.
     */
    private NameMap<String> lowerCaseHeaders() {
        return headerPairs == null ? NameMap.of(List.of()) : distinct(headerPairs);
    }

    /** The pairs as a map; a repeated name (for headers: equal but for case) is declined. */
    private static NameMap<String> distinct(List<Object> pairs) {
        try {
            return NameMap.of(pairs);
        } catch (IllegalArgumentException repeated) {
            throw Decline.INSTANCE;
        }
    }

    /** {@code multiValueQueryStringParameters}: absent or null is no query. */
    private QueryParameters multiValuedQuery() {
        if (multiQueryPairs == null) {
            return QueryParameters.NONE;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < multiQueryPairs.size(); i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) multiQueryPairs.get(i + 1);
            out.put((String) multiQueryPairs.get(i), values);
        }
        return new QueryParameters(out);
    }

    /**
     * {@code multiValueHeaders} by lower-cased name (the values of names equal but for case joined in the event's
     * order), then each header it lacks from {@code headers}.
     */
    private Map<String, List<String>> multiValuedHeaders(NameMap<String> single) {
        int multi = multiHeaderPairs == null ? 0 : multiHeaderPairs.size() / 2;
        int most = 2 * (multi + single.size());
        if (scratch.headerLists.length < most) {
            scratch.headerLists = new Object[Math.max(most, 2 * scratch.headerLists.length)];
        }
        Object[] out = scratch.headerLists; // emptied after the read (Scratch.forget); the map made copies it
        int count = 0;
        for (int i = 0; i < multi; i++) {
            String name = (String) multiHeaderPairs.get(2 * i);
            Object values = multiHeaderPairs.get(2 * i + 1);
            int at = indexOf(out, count, name);
            if (at < 0) {
                out[2 * count] = name;
                out[2 * count + 1] = values == null ? List.of() : values;
                count++;
            } else if (values != null && !made(values).isEmpty()) {
                List<String> joined = new ArrayList<>(made(out[2 * at + 1]));
                joined.addAll(made(values));
                out[2 * at + 1] = List.copyOf(joined);
            }
        }
        for (int i = 0; i < single.size(); i++) {
            if (indexOf(out, count, single.name(i)) < 0) {
                out[2 * count] = single.name(i);
                out[2 * count + 1] = listOf(single.held(i));
                count++;
            }
        }
        return NameMap.of(out, count);
    }

    /** The list of one header value as held: a value left in the bytes stays there ({@link OneValue}). */
    private static Object listOf(Object value) {
        return value instanceof DeferredText text ? new OneValue(text) : List.of((String) value);
    }

    /** A header's values as held in the pairs ({@link #headerValues()}), made. */
    @SuppressWarnings("unchecked")
    private static List<String> made(Object values) {
        return values instanceof OneValue one ? one.made() : (List<String>) values;
    }

    /** The index of the pair named {@code name} among the first {@code count} pairs of {@code pairs}, or -1. */
    private static int indexOf(Object[] pairs, int count, String name) {
        for (int i = 0; i < count; i++) {
            if (pairs[2 * i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] names(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = ascii(names[i]);
        }
        return out;
    }
}
