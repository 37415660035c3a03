package dev.edgeiam.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Red-team pass 21 against cfa5382 (RecentTexts hashes eight bytes at a time; the bytes reader's duplicate check by
 * (hash, length) then bytes). Texts with one {@link RecentTexts#hash} and one length — found by birthday search at
 * lengths 0..17, 63..65, up to 1,600 for method ARNs, and by bytes that the 0x20 lower-casing bit maps together
 * ({@code @`}, {@code [{}, {@code ]}}, {@code ^~}, {@code _DEL}) — are read on ONE thread in sequence (so the second
 * hits the first's slot) and in one event. Whenever {@link AuthorizerEventBytes#read} answers, the strict Jackson
 * parser must take the event and the tree reader read an equal request; a repeated member name must be declined in
 * every object, also when other names of its hash and length sit in the same object.
 */
class RedteamPass21HashCollisionTest {

    private static final ObjectMapper PARSER = dev.edgeiam.lambda.EventDispatcher.parser(new dev.edgeiam.lambda.EventLimits(262_144, 64, 131_072));
    private static final ObjectMapper WRITER = new ObjectMapper();

    static final String STAGE = "arn:aws:execute-api:us-east-1:111122223333:k7p2q9x4zd/prod";
    static final String INSTANCE = "11111111-2222-3333-4444-555555555555";
    static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";
    static final String MIXED_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_@`[{]}^~";
    static final int[] LENGTHS = {4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 24, 31, 32, 33, 63, 64, 65};

    static int taken;
    static int declined;
    static int refusedDuplicates;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Pairs of different texts {@code prefix + random + suffix} of total length {@code length}, one hash and one
     * length (and, when {@code lowerCase}, different once lower-cased), by a birthday search over {@code tries} texts.
     */
    static List<String[]> collisions(String prefix, String suffix, int length, boolean lowerCase, String alphabet,
                                     int tries, SplittableRandom r) {
        int free = length - prefix.length() - suffix.length();
        if (free < 3) {
            return List.of();
        }
        byte[] buf = ascii(prefix + "x".repeat(free) + suffix);
        Map<Integer, String> seen = new HashMap<>(tries * 2);
        List<String[]> out = new ArrayList<>();
        int varying = Math.min(free, 8); // the rest of the free part is one random filler per search
        for (int i = prefix.length(); i < prefix.length() + free - varying; i++) {
            buf[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
        }
        int from = prefix.length() + free - varying;
        for (int t = 0; t < tries; t++) {
            for (int i = from; i < from + varying; i++) {
                buf[i] = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            }
            String text = new String(buf, StandardCharsets.ISO_8859_1);
            String before = seen.putIfAbsent(RecentTexts.hash(buf, 0, buf.length, lowerCase), text);
            if (before != null) {
                boolean differ = lowerCase ? !before.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))
                        : !before.equals(text);
                if (differ) {
                    out.add(new String[] {before, text});
                }
            }
        }
        return out;
    }

    /** Pairs equal but for one byte that lower-casing's 0x20 bit maps onto the other ('@' / '`', ...). */
    static List<String[]> caseBitTwins(int length, SplittableRandom r, int count) {
        String lows = "@[]^_";
        List<String[]> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < length; i++) {
                b.append(NAME_CHARS.charAt(r.nextInt(NAME_CHARS.length())));
            }
            int at = r.nextInt(length);
            char low = lows.charAt(r.nextInt(lows.length()));
            b.setCharAt(at, low);
            String a = b.toString();
            b.setCharAt(at, (char) (low | 0x20));
            String c = b.toString();
            if (r.nextBoolean()) { // upper-case letters too: folded alike, still different texts
                a = a.toUpperCase(Locale.ROOT);
            }
            out.add(new String[] {a, c});
        }
        return out;
    }

    // ---- RecentTexts itself ----

    @Test
    void theHashReadsOnlyItsOwnBytesAndTablesHandOutTheTextAskedFor() {
        SplittableRandom r = new SplittableRandom(21_01L);
        int checks = 0;
        for (int length = 0; length <= 80; length++) {
            for (int round = 0; round < 200; round++) {
                byte[] text = new byte[length];
                for (int i = 0; i < length; i++) {
                    text[i] = (byte) MIXED_CHARS.charAt(r.nextInt(MIXED_CHARS.length()));
                }
                for (boolean lower : new boolean[] {false, true}) {
                    // at the very start and end of its array (an 8-byte read past either end would throw)
                    int h = RecentTexts.hash(text, 0, length, lower);
                    int pre = r.nextInt(9);
                    int post = r.nextInt(9);
                    byte[] padded = new byte[pre + length + post];
                    for (int i = 0; i < padded.length; i++) {
                        padded[i] = (byte) r.nextInt(256);
                    }
                    System.arraycopy(text, 0, padded, pre, length);
                    assertEquals(h, RecentTexts.hash(padded, pre, pre + length, lower),
                            "the hash of a text does not depend on the bytes around it");
                    checks++;
                }
            }
        }
        // 0x20 is the only bit lower-casing sets: texts differing elsewhere keep apart in one slot
        RecentTexts one = new RecentTexts(1);
        RecentTexts arns = new RecentTexts(1, 1_600);
        for (int length : new int[] {0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 64}) {
            for (String[] pair : caseBitTwins(Math.max(1, length), r, 50)) {
                for (int round = 0; round < 2; round++) {
                    for (String t : pair) {
                        String s = length == 0 ? "" : t;
                        assertEquals(s.toLowerCase(Locale.ROOT), one.ascii(ascii(s), 0, s.length(), true));
                        assertEquals(s, one.ascii(ascii(s), 0, s.length(), false));
                        assertEquals(s, arns.ascii(ascii(s), 0, s.length(), false));
                        checks += 3;
                    }
                }
            }
        }
        System.out.println("RedteamPass21HashCollisionTest hash checks=" + checks);
    }

    @Test
    void birthdayCollisionsAreToldApartByEveryTable() {
        SplittableRandom r = new SplittableRandom(21_02L);
        int pairs = 0;
        RecentTexts names = new RecentTexts(512);
        RecentTexts arns = new RecentTexts(64, 1_600);
        for (int length : LENGTHS) {
            for (boolean lower : new boolean[] {false, true}) {
                for (String[] pair : collisions("", "", length, lower, lower ? MIXED_CHARS : NAME_CHARS, 150_000, r)) {
                    pairs++;
                    for (int round = 0; round < 3; round++) {
                        for (String t : pair) {
                            byte[] b = ascii("\"" + t + "\"");
                            assertEquals(lower ? t.toLowerCase(Locale.ROOT) : t, names.ascii(b, 1, b.length - 1, lower));
                            assertEquals(t, arns.ascii(b, 1, b.length - 1, false));
                        }
                    }
                }
            }
        }
        System.out.println("RedteamPass21HashCollisionTest birthday pairs=" + pairs);
        assertTrue(pairs > 40, "pairs: " + pairs);
    }

    // ---- the bytes reader ----

    static String q(String s) {
        try {
            return WRITER.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String[]> nv(String... nameValue) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.add(new String[] {nameValue[i], nameValue[i + 1]});
        }
        return out;
    }

    static String restEvent(String arn, List<String[]> headers, List<String[]> query, String ua, String ip,
                            String requestId) {
        return restEvent(arn, headers, query, ua, ip, requestId, "");
    }

    /** A REST REQUEST event built as text: header and query names/values given raw (names unescaped). */
    static String restEvent(String arn, List<String[]> headers, List<String[]> query, String ua, String ip,
                            String requestId, String extraTop) {
        StringBuilder h = new StringBuilder();
        StringBuilder mh = new StringBuilder();
        for (String[] nv : headers) {
            h.append(h.isEmpty() ? "" : ",").append('"').append(nv[0]).append("\":").append(q(nv[1]));
            mh.append(mh.isEmpty() ? "" : ",").append('"').append(nv[0]).append("\":[").append(q(nv[1])).append(']');
        }
        StringBuilder sq = new StringBuilder();
        StringBuilder mq = new StringBuilder();
        for (String[] nv : query) {
            sq.append(sq.isEmpty() ? "" : ",").append('"').append(nv[0]).append("\":").append(q(nv[1]));
            mq.append(mq.isEmpty() ? "" : ",").append('"').append(nv[0]).append("\":[").append(q(nv[1])).append(']');
        }
        return "{\"type\":\"REQUEST\",\"methodArn\":" + q(arn) + ",\"httpMethod\":\"GET\",\"resource\":\"/x\","
                + "\"headers\":{" + h + "},\"multiValueHeaders\":{" + mh + "},"
                + "\"queryStringParameters\":" + (query.isEmpty() ? "null" : "{" + sq + "}") + ","
                + "\"multiValueQueryStringParameters\":" + (query.isEmpty() ? "null" : "{" + mq + "}") + ","
                + extraTop
                + "\"requestContext\":{\"requestTimeEpoch\":1795860942123,\"requestId\":" + q(requestId)
                + ",\"identity\":{\"sourceIp\":" + q(ip) + ",\"userAgent\":" + q(ua) + "}}}";
    }

    /** An HTTP API 2.0 event built as text. */
    static String httpEvent(String arn, List<String[]> headers, String rawQuery, String ua, String ip) {
        StringBuilder h = new StringBuilder();
        for (String[] nv : headers) {
            h.append(h.isEmpty() ? "" : ",").append('"').append(nv[0]).append("\":").append(q(nv[1]));
        }
        return "{\"version\":\"2.0\",\"type\":\"REQUEST\",\"routeArn\":" + q(arn) + ",\"routeKey\":\"ANY /{proxy+}\","
                + "\"rawQueryString\":" + q(rawQuery) + ",\"identitySource\":[\"Bearer x\"],\"headers\":{" + h + "},"
                + "\"requestContext\":{\"timeEpoch\":1795860942123,\"http\":{\"sourceIp\":" + q(ip)
                + ",\"userAgent\":" + q(ua) + "}}}";
    }

    enum Outcome { TAKEN, DECLINED }

    static Outcome compare(String event, String label) {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        AuthorizerRequest direct = AuthorizerEventBytes.read(bytes, 64, 131_072);
        if (direct == null) {
            declined++;
            return Outcome.DECLINED;
        }
        JsonNode tree;
        try {
            tree = PARSER.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("taken, but the parser refuses it (" + label + "): " + e.getMessage() + "\n"
                    + event);
        }
        AuthorizerRequest general = AuthorizerEventReader.read(tree);
        assertEquals(general, direct, () -> "the readers disagree (" + label + ") on " + event);
        assertEquals(general.methodArn().arn(), direct.methodArn().arn(), label);
        assertEquals(general.headers(), direct.headers(), label);
        assertEquals(general.credentialHeaders(), direct.credentialHeaders(), label);
        assertEquals(general.credentialQuery(), direct.credentialQuery(), label);
        assertEquals(general.query(), direct.query(), label);
        taken++;
        return Outcome.TAKEN;
    }

    static String arn(String path) {
        return STAGE + "/GET" + path;
    }

    @Test
    void collidingTextsReadInSequenceOnOneThreadAreTheTextsSent() {
        SplittableRandom r = new SplittableRandom(21_03L);
        int sequences = 0;
        // header names: equal hash once lower-cased (birthday, and the case bit)
        List<String[]> namePairs = new ArrayList<>();
        for (int length : LENGTHS) {
            namePairs.addAll(collisions("x-", "", length, true, NAME_CHARS + "ABCXYZ", 120_000, r));
            namePairs.addAll(caseBitTwins(length, r, 6));
        }
        for (int length : new int[] {1, 2, 3}) {
            namePairs.addAll(caseBitTwins(length, r, 6));
        }
        // values (header, query, user agent, source ip, request id): equal hash as sent
        List<String[]> valuePairs = new ArrayList<>();
        for (int length : LENGTHS) {
            valuePairs.addAll(collisions("", "", length, false, NAME_CHARS + "ABCXYZ./ ", 120_000, r));
        }
        // method ARNs, up to 1,600 characters, the differing part at the end or inside
        List<String[]> arnPairs = new ArrayList<>();
        String base = "/users/" + INSTANCE + "/";
        for (int length : new int[] {STAGE.length() + 4 + base.length() + 8, 120, 121, 127, 128, 129, 600, 1_599,
                1_600}) {
            String prefix = STAGE + "/GET" + base;
            arnPairs.addAll(collisions(prefix, "", length, false, NAME_CHARS, 120_000, r));
            arnPairs.addAll(collisions(prefix, "-tail", length, false, NAME_CHARS, 120_000, r));
        }
        assertTrue(namePairs.size() > 40 && valuePairs.size() > 20 && arnPairs.size() > 10,
                namePairs.size() + " " + valuePairs.size() + " " + arnPairs.size());
        String plainArn = arn(base + "u-1");
        for (int round = 0; round < 2; round++) {
            for (String[] pair : namePairs) {
                for (int k = 0; k < 2; k++) {
                    String first = pair[k];
                    String second = pair[1 - k];
                    // one after the other: the second hits the first's slot
                    compare(restEvent(plainArn, nv(first, "v1"), nv(), "ua", "1.2.3.4",
                            "r"), "name " + first);
                    compare(restEvent(plainArn, nv(second, "v2"), nv(), "ua", "1.2.3.4",
                            "r"), "name " + second);
                    compare(httpEvent(plainArn, nv(second, "v3"), "a=1", "ua", "1.2.3.4"),
                            "http name " + second);
                    // both in one event (different once lower-cased: both kept)
                    Outcome both = compare(restEvent(plainArn, nv(first, "v1", second, "v2"), nv(), "ua", "1.2.3.4", "r"), "both " + first);
                    assertEquals(Outcome.TAKEN, both, "two header names that differ once lower-cased: " + first
                            + " / " + second);
                    sequences++;
                }
            }
            for (String[] pair : valuePairs) {
                for (int k = 0; k < 2; k++) {
                    String a = pair[k];
                    String b = pair[1 - k];
                    compare(restEvent(plainArn, nv("X-V", a), nv("q", a),
                            a, a, a), "value " + a);
                    compare(restEvent(plainArn, nv("X-V", b), nv("q", b),
                            b, b, b), "value " + b);
                    compare(httpEvent(plainArn, nv("user-agent", a, "x-v", b),
                            "q=" + a.replace(' ', '+').replace("&", ""), b, a), "http value " + a);
                    compare(restEvent(plainArn, nv("X-A", a, "X-B", b),
                            nv("q", b, "p", a), b, a, b), "both values " + a);
                    sequences++;
                }
            }
            for (String[] pair : arnPairs) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(Outcome.TAKEN, compare(restEvent(pair[k], nv(), nv(), "ua", "1.2.3.4",
                            "r"), "arn " + pair[k]));
                    assertEquals(Outcome.TAKEN, compare(restEvent(pair[1 - k], nv(), nv(), "ua",
                            "1.2.3.4", "r"), "arn " + pair[1 - k]));
                    compare(httpEvent(pair[k], nv(), "", "ua", "1.2.3.4"), "http arn " + pair[k]);
                    compare("{\"type\":\"TOKEN\",\"authorizationToken\":\"Bearer x\",\"methodArn\":"
                            + q(pair[1 - k]) + "}", "token arn");
                    sequences++;
                }
            }
        }
        System.out.println("RedteamPass21HashCollisionTest sequences=" + sequences + " taken=" + taken
                + " declined=" + declined + " namePairs=" + namePairs.size() + " valuePairs=" + valuePairs.size()
                + " arnPairs=" + arnPairs.size());
    }

    // ---- the duplicate check ----

    /** Where a member can be added: the event's objects read, walked and skipped. */
    static final List<String> PLACES = List.of("top", "headers", "multiValueHeaders", "queryStringParameters",
            "multiValueQueryStringParameters", "requestContext", "identity", "pathParameters", "stageVariables",
            "nestedArray", "deep");

    /**
     * A plain REST event with {@code members} (raw JSON {@code "name":value} pairs) added to the object at
     * {@code place}.
     */
    static String eventWith(String place, List<String> names, int filler) {
        boolean arrays = place.startsWith("multiValue");
        StringBuilder m = new StringBuilder();
        for (String n : names) {
            m.append(",\"").append(n).append("\":").append(arrays ? "[\"v\"]" : "\"v\"");
        }
        StringBuilder fill = new StringBuilder();
        for (int i = 0; i < filler; i++) {
            fill.append(",\"f").append(i).append("\":\"v\"");
        }
        String added = fill.toString() + m;
        String plain = added.isEmpty() ? "" : added.substring(1);
        String top = place.equals("top") ? added : "";
        String headers = "\"Authorization\":\"Bearer x\"" + (place.equals("headers") ? added : "");
        String multi = "\"Authorization\":[\"Bearer x\"]" + (place.equals("multiValueHeaders") ? added : "");
        String query = "\"a\":\"1\"" + (place.equals("queryStringParameters") ? added : "");
        String multiQuery = "\"a\":[\"1\"]" + (place.equals("multiValueQueryStringParameters") ? added : "");
        String context = "\"requestTimeEpoch\":1795860942123" + (place.equals("requestContext") ? added : "");
        String identity = "\"sourceIp\":\"1.2.3.4\"" + (place.equals("identity") ? added : "");
        String path = place.equals("pathParameters") ? "{" + plain + "}" : "null";
        String stage = place.equals("stageVariables") ? "{\"s\":{" + plain + "}}" : "null";
        String nested = place.equals("nestedArray") ? ",\"extra\":[1,{\"k\":[{" + plain + "}]},[]]" : "";
        String deep = "";
        if (place.equals("deep")) {
            // four levels of sixty names each (the names array grows), the repeat in the innermost
            StringBuilder d = new StringBuilder(",\"deep\":");
            for (int level = 0; level < 4; level++) {
                d.append('{');
                for (int i = 0; i < 60; i++) {
                    d.append("\"L").append(level).append('n').append(i).append("\":1,");
                }
                d.append("\"in\":");
            }
            d.append('{').append(plain).append('}');
            d.append("}".repeat(4));
            deep = d.toString();
        }
        return "{\"type\":\"REQUEST\",\"methodArn\":" + q(arn("/users/" + INSTANCE + "/u-1"))
                + ",\"httpMethod\":\"GET\",\"resource\":\"/x\",\"headers\":{" + headers + "},\"multiValueHeaders\":{"
                + multi + "},\"queryStringParameters\":{" + query + "},\"multiValueQueryStringParameters\":{"
                + multiQuery + "},\"pathParameters\":" + path + ",\"stageVariables\":" + stage + nested + deep + top
                + ",\"requestContext\":{" + context + ",\"identity\":{" + identity + "}}}";
    }

    static void assertRepeatRefused(String event, String label) {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        try {
            PARSER.readTree(bytes);
            fail("the parser takes the event with a repeated name (" + label + "): " + event);
        } catch (IOException expected) {
            // refused
        }
        AuthorizerRequest direct = AuthorizerEventBytes.read(bytes, 64, 131_072);
        assertNull(direct, () -> "a repeated member name taken by the bytes reader (" + label + "): " + event);
        refusedDuplicates++;
    }

    @Test
    void aRepeatedNameIsDeclinedAmongNamesOfItsHashAndLength() {
        SplittableRandom r = new SplittableRandom(21_04L);
        List<String[]> pairs = new ArrayList<>();
        for (int length : new int[] {4, 5, 7, 8, 9, 15, 16, 17, 63, 64, 65, 300}) {
            pairs.addAll(collisions("n", "", length, false, NAME_CHARS, 200_000, r));
        }
        assertTrue(pairs.size() > 15, "pairs: " + pairs.size());
        int cases = 0;
        for (String[] pair : pairs) {
            String a = pair[0];
            String b = pair[1];
            assertEquals(RecentTexts.hash(ascii(a), 0, a.length(), false),
                    RecentTexts.hash(ascii(b), 0, b.length(), false));
            for (String place : PLACES) {
                // a and b: one hash, one length, different bytes: not a repeat
                Outcome o = compare(eventWith(place, List.of(a, b), 0), place + " pair");
                if (!place.equals("headers") && !place.equals("multiValueHeaders") || !a.equalsIgnoreCase(b)) {
                    assertEquals(Outcome.TAKEN, o, "names of one hash that differ are not repeats: " + place + " "
                            + a + " / " + b);
                }
                assertRepeatRefused(eventWith(place, List.of(a, b, a), 0), place + " a b a");
                assertRepeatRefused(eventWith(place, List.of(b, a, b), 0), place + " b a b");
                assertRepeatRefused(eventWith(place, List.of(a, a), 0), place + " a a");
                // the repeat as the 64th member of its object, after 61 others and the pair
                int filler = place.equals("top") || place.equals("requestContext") ? 40 : 60;
                assertRepeatRefused(eventWith(place, List.of(a, b, b), filler), place + " at the member limit");
                cases += 5;
            }
        }
        // names around eight bytes that differ in one byte or only in case, in every place
        for (int length : new int[] {0, 1, 2, 6, 7, 8, 9, 10, 15, 16, 17, 64, 1_024}) {
            for (int n = 0; n < 30; n++) {
                StringBuilder s = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    s.append(NAME_CHARS.charAt(r.nextInt(NAME_CHARS.length())));
                }
                String a = s.toString();
                List<String> variants = new ArrayList<>();
                if (length > 0) {
                    int at = r.nextInt(length);
                    variants.add(a.substring(0, at) + (char) (a.charAt(at) ^ 1) + a.substring(at + 1));
                    variants.add(a.substring(0, at) + (char) (a.charAt(at) ^ 0x20) + a.substring(at + 1));
                    variants.add(a.toUpperCase(Locale.ROOT));
                    variants.add(a.substring(0, length - 1) + "\u007f");
                }
                for (String place : PLACES) {
                    assertRepeatRefused(eventWith(place, List.of(a, a), 0), place + " len " + length);
                    for (String v : variants) {
                        if (v.indexOf('"') >= 0 || v.indexOf('\\') >= 0 || v.chars().anyMatch(c -> c < 0x20)) {
                            continue;
                        }
                        compare(eventWith(place, List.of(a, v), 0), place + " variant");
                        assertRepeatRefused(eventWith(place, List.of(a, v, a), 0), place + " variant repeat");
                        cases += 2;
                    }
                }
            }
        }
        // a name longer than MAX_NAME_BYTES: declined either way
        String huge = "h".repeat(1_025);
        assertNull(AuthorizerEventBytes.read(eventWith("top", List.of(huge), 0).getBytes(StandardCharsets.UTF_8),
                64, 131_072));
        System.out.println("RedteamPass21HashCollisionTest duplicate cases=" + cases + " refused="
                + refusedDuplicates + " pairs=" + pairs.size() + " taken=" + taken);
    }

    /** The same repeats, after many events on the thread (the names array grown and reused). */
    @Test
    void repeatsAreDeclinedAfterTheThreadsArraysGrew() {
        SplittableRandom r = new SplittableRandom(21_05L);
        for (int i = 0; i < 3_000; i++) {
            String place = PLACES.get(r.nextInt(PLACES.size()));
            int length = 1 + r.nextInt(20);
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < length; k++) {
                s.append(NAME_CHARS.charAt(r.nextInt(NAME_CHARS.length())));
            }
            String a = s.toString();
            if (r.nextBoolean()) {
                compare(eventWith("deep", List.of("zz"), r.nextInt(50)), "grow");
            }
            assertRepeatRefused(eventWith(place, List.of(a, "other", a), r.nextInt(40)), "after growth " + place);
        }
    }

    /**
     * Events full of colliding names and values cut at every byte, and with every byte deleted: whatever the bytes
     * reader still takes must be what the parser takes and the tree reader reads (a text read across the cut, or a
     * hash read past a name's end, would show here).
     */
    @Test
    void everyCutAndEveryDeletedByteOfCollidingEventsReadsAlike() {
        SplittableRandom r = new SplittableRandom(21_06L);
        List<String[]> names = collisions("x-", "", 9, true, NAME_CHARS, 150_000, r);
        names.addAll(caseBitTwins(8, r, 2));
        names.addAll(caseBitTwins(17, r, 2));
        List<String[]> arns = collisions(STAGE + "/GET/users/" + INSTANCE + "/", "", 130, false, NAME_CHARS, 150_000,
                r);
        assertTrue(!names.isEmpty() && !arns.isEmpty());
        int cases = 0;
        for (int n = 0; n < Math.min(4, Math.min(names.size(), arns.size())); n++) {
            String[] name = names.get(n);
            String[] arn = arns.get(n);
            List<String> events = List.of(
                    restEvent(arn[0], nv(name[0], name[1], name[1], name[0]), nv(name[0], "1", name[1], "2"),
                            name[1], "1.2.3.4", name[0]),
                    httpEvent(arn[1], nv(name[1], name[0], "user-agent", name[1]), "a=" + name[0], name[0],
                            "1.2.3.4"),
                    eventWith("deep", List.of(name[0], name[1]), 3));
            for (String event : events) {
                byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
                for (int cut = 0; cut <= bytes.length; cut++) {
                    String part = new String(bytes, 0, cut, StandardCharsets.UTF_8);
                    compare(part, "cut " + cut);
                    cases++;
                }
                for (int del = 0; del < bytes.length; del++) {
                    compare(event.substring(0, del) + event.substring(del + 1), "deleted " + del);
                    cases++;
                }
            }
        }
        System.out.println("RedteamPass21HashCollisionTest cut/deleted cases=" + cases + " taken=" + taken);
        assertTrue(cases > 5_000, "cases: " + cases);
    }

    @Test
    void sanity() {
        assertNotNull(AuthorizerEventBytes.read(eventWith("top", List.of("a"), 0).getBytes(StandardCharsets.UTF_8),
                64, 131_072));
        assertEquals(Outcome.TAKEN, compare(restEvent(arn("/users/" + INSTANCE + "/u-1"),
                nv("X-A", "1"), nv(), "ua", "1.2.3.4", "r"), "sanity"));
        assertTrue(Arrays.asList(PLACES.toArray()).contains("deep"));
    }
}
