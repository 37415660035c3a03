package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.gateway.AuthorizerEventBytes;
import dev.edgeiam.gateway.AuthorizerEventReader;
import dev.edgeiam.gateway.AuthorizerRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red-team pass 17: sequences of events read on ONE thread by {@link AuthorizerEventBytes} (which now keeps per-thread
 * scratch: the duplicate-name array and a 128-slot table of lower-cased header names) against the tree reader, event
 * by event. Header names come from a pool built to stress the name table: names whose lower-cased forms share a
 * {@code String.hashCode} (so the same slot), names sharing a slot without sharing a hash, names equal but for case,
 * the identity header in many spellings, non-ASCII names (KELVIN SIGN, long s, Latin-1), huge names, and events that
 * the reader declines part-way (truncated, duplicated members, too many members) interleaved with taken ones.
 */
class RedteamPass17BytesSequenceTest {

    private static final ObjectMapper PARSER = EventDispatcher.parser(new EventLimits(262_144, 64, 131_072));
    private static final ObjectMapper WRITER = new ObjectMapper();

    static int taken;
    static int declined;

    /** Lower-case strings with equal hash codes: each 2-char block "az" / "b[" / "c<" ... hashes alike. */
    private static List<String> equalHashBlocks() {
        // "az".hashCode() == "b[".hashCode() == "c<".hashCode(); all lower-case-stable ('[' and '<' are not letters)
        List<String> blocks = List.of("az", "b[", "c<");
        List<String> out = new ArrayList<>();
        for (String a : blocks) {
            for (String b : blocks) {
                for (String c : blocks) {
                    out.add("x-" + a + b + c);
                }
            }
        }
        return out;
    }

    private static List<String> pool(SplittableRandom r) {
        List<String> names = new ArrayList<>(equalHashBlocks());
        names.addAll(List.of("Authorization", "authorization", "AUTHORIZATION", "aUTHORIZATION", "X-Api-Key",
                "x-api-key", "Host", "host", "User-Agent", "user-agent", "Referer", "X-Forwarded-For",
                "x-forwarded-for", "Content-Type", "Cookie", "cookie", "X-Amzn-Trace-Id",
                "\u212Aey", "key", "KEY", "\u017Fession", "session", "X-\u00C4", "x-\u00E4", "X-\u00E4",
                "authori\u017Fation", "authorization\u0000".substring(0, 13), "", "a", "A"));
        // names sharing a slot of the 128-slot table without sharing a hash
        int target = slot("authorization");
        for (int i = 0, found = 0; found < 12 && i < 2_000_000; i++) {
            String n = "h" + i;
            if (slot(n) == target) {
                names.add(n);
                names.add(n.toUpperCase(Locale.ROOT));
                found++;
            }
        }
        StringBuilder huge = new StringBuilder("X-");
        for (int i = 0; i < 1022; i++) {
            huge.append((char) ('a' + i % 26));
        }
        names.add(huge.toString());
        names.add(huge.toString().toUpperCase(Locale.ROOT));
        names.add(huge.substring(0, 1022) + "Zz");
        names.add(huge + "q");
        return names;
    }

    static int slot(String lowerCaseName) {
        int h = lowerCaseName.hashCode();
        return (h ^ (h >>> 16)) & 127;
    }

    private static byte[] event(ObjectNode sample, List<String> headerNames, SplittableRandom r, int n)
            throws IOException {
        ObjectNode event = sample.deepCopy();
        ObjectNode headers = event.putObject("headers");
        ObjectNode multi = event.has("multiValueHeaders") || r.nextBoolean() ? event.putObject("multiValueHeaders")
                : null;
        for (String name : headerNames) {
            String v = "v" + n + "-" + name.length() + "-" + Integer.toHexString(name.hashCode());
            headers.put(name, v);
            if (multi != null) {
                multi.putArray(name).add(v);
            }
        }
        if (event.path("identitySource").isArray() && r.nextBoolean()) {
            event.putArray("identitySource").add("v" + n);
        }
        return WRITER.writeValueAsBytes(event).clone();
    }

    private static void compare(byte[] bytes, String label) {
        if (!EventDispatcher.wellFormedUtf8(bytes)) {
            declined++;
            return;
        }
        AuthorizerRequest direct = AuthorizerEventBytes.read(bytes, 64, 131_072);
        if (direct == null) {
            declined++;
            return;
        }
        JsonNode whole;
        try {
            whole = PARSER.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("taken but the parser refuses it: " + label + " "
                    + new String(bytes, StandardCharsets.UTF_8));
        }
        AuthorizerRequest general = AuthorizerEventReader.read(whole);
        assertEquals(general, direct, () -> "readers disagree (" + label + ") on " + whole);
        // header look-ups by every spelling of the identity header
        for (String h : List.of("Authorization", "authorization", "x-api-key", "X-API-KEY")) {
            assertEquals(general.header(h), direct.header(h), label);
        }
        taken++;
    }

    private static byte[] spoil(byte[] good, SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0:
                return Arrays.copyOf(good, Math.max(1, r.nextInt(good.length))); // truncated part-way
            case 1: {
                String s = new String(good, StandardCharsets.UTF_8);
                int at = s.indexOf("\"headers\":{");
                if (at < 0) {
                    return Arrays.copyOf(good, good.length / 2);
                }
                // a duplicate header name (declined: the parser refuses it)
                int open = at + "\"headers\":{".length();
                String rest = s.substring(open);
                int close = rest.indexOf("\",");
                if (close < 0) {
                    return Arrays.copyOf(good, good.length / 2);
                }
                String first = rest.substring(0, close + 2);
                return (s.substring(0, open) + first + first + rest.substring(close + 2)).getBytes(
                        StandardCharsets.UTF_8);
            }
            case 2: {
                // a header object with more than 64 members
                String s = new String(good, StandardCharsets.UTF_8);
                StringBuilder many = new StringBuilder();
                for (int i = 0; i < 70; i++) {
                    many.append("\"Zq").append(i).append("\":\"x\",");
                }
                return s.replace("\"headers\":{", "\"headers\":{" + many).getBytes(StandardCharsets.UTF_8);
            }
            default: {
                // an escaped header name (declined)
                String s = new String(good, StandardCharsets.UTF_8);
                return s.replace("\"headers\":{", "\"headers\":{\"Auth\\u006frization\":\"Bearer evil\",")
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void sequencesOnOneThreadReadAsTheTreeReaderReadsThem() throws IOException {
        List<ObjectNode> samples = new ArrayList<>();
        for (String f : List.of("rest-request.json", "http-v2-request.json", "websocket-connect.json",
                "rest-request-custom-route.json", "rest-request-other-agent.json")) {
            samples.add((ObjectNode) WRITER.readTree(Files.readAllBytes(Path.of("events", f))));
        }
        SplittableRandom r = new SplittableRandom(17_2026L);
        List<String> pool = pool(r);
        assertTrue(pool.size() > 60);
        int events = 0;
        for (int i = 0; i < 60_000; i++) {
            ObjectNode sample = samples.get(r.nextInt(samples.size()));
            List<String> names = new ArrayList<>();
            java.util.Set<String> folded = new java.util.HashSet<>();
            for (int k = r.nextInt(12); k > 0; k--) {
                String n = pool.get(r.nextInt(pool.size()));
                if (r.nextInt(20) == 0 || folded.add(n.toLowerCase(Locale.ROOT))) {
                    names.add(n); // sometimes a name equal but for case to one already there
                }
            }
            byte[] good = event(sample, new ArrayList<>(new java.util.LinkedHashSet<>(names)), r, i);
            if (r.nextInt(5) == 0) {
                compare(spoil(good, r), "spoiled " + i);
                events++;
            }
            compare(good, "event " + i + " " + names);
            events++;
        }
        System.out.println("RedteamPass17BytesSequenceTest: events=" + events + " taken=" + taken + " declined="
                + declined);
    }
}
