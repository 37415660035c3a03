package dev.edgeiam.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgeiam.gateway.AuthorizerEventBytes;
import dev.edgeiam.gateway.AuthorizerEventReader;
import dev.edgeiam.gateway.AuthorizerRequest;
import dev.edgeiam.gateway.MethodArn;
import dev.edgeiam.request.Arns;
import dev.edgeiam.request.DeferredText;

/**
 * Red-team pass 20, the new memos and deferred texts one by one against references that share nothing with them:
 * {@link Arns#account}'s per-thread identity memo, {@link MethodArn#parse}'s last-parse memo with {@code arn()} and
 * {@code verbAndPath()}, the bytes reader's deferred header values (63..66 chars, escapes, DEL, non-ASCII,
 * headers and multiValueHeaders disagreeing, names in any case) and per-thread scratch pairs (members present in one
 * event and absent from the next, events declined part-way, objects of 64 members), and the verified-credential
 * key taken from the event's bytes ({@code CredentialDigest}).
 */
class RedteamPass20UnitsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The account of an ARN as the IAM reference splits it: the fifth ':'-separated field, else null. */
    static String referenceAccount(String arn) {
        if (!arn.startsWith("arn:")) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        if (parts.length < 6) {
            return null;
        }
        return parts[4].isEmpty() ? null : parts[4]; // no account: the ARN names none
    }

    @Test
    void arnsAccountIsTheAccountOfEveryArnAskedWhateverItsIdentity() throws Exception {
        SplittableRandom r = new SplittableRandom(2001);
        List<String> wrong = new ArrayList<>();
        int asked = 0;
        List<String> accounts = List.of("111122223333", "444455556666", "", "999988887777", "aws", "12345678901x");
        List<String> held = new ArrayList<>();
        for (int i = 0; i < 200_000 && wrong.size() < 5; i++) {
            String arn;
            int kind = r.nextInt(6);
            if (kind == 0 && !held.isEmpty()) {
                arn = held.get(r.nextInt(held.size())); // the same instance again
            } else if (kind == 1 && !held.isEmpty()) {
                arn = new String(held.get(r.nextInt(held.size()))); // an equal copy, another instance
            } else if (kind == 2) {
                // built by substring of a longer text (shares nothing but content)
                String acct = accounts.get(r.nextInt(accounts.size()));
                String whole = "xxarn:aws:iam::" + acct + ":role/R" + r.nextInt(40) + "yy";
                arn = whole.substring(2, whole.length() - 2);
            } else {
                String acct = accounts.get(r.nextInt(accounts.size()));
                arn = switch (r.nextInt(5)) {
                    case 0 -> "arn:aws:iam::" + acct + ":role/R" + r.nextInt(40);
                    case 1 -> "arn:aws:connect:us-east-1:" + acct + ":instance/" + r.nextInt(40);
                    case 2 -> "arn:aws:execute-api:us-east-1:" + acct + ":api/prod/GET/x";
                    case 3 -> "arn:aws:s3:::" + acct;
                    default -> "notarn:" + acct;
                };
            }
            if (held.size() < 64) {
                held.add(arn);
            } else if (r.nextInt(4) == 0) {
                held.set(r.nextInt(held.size()), arn);
            }
            asked++;
            String got = Arns.account(arn);
            String expected = referenceAccount(arn);
            if (!java.util.Objects.equals(got, expected)) {
                wrong.add(arn + ": " + got + " expected " + expected);
            }
        }
        // the same on eight threads at once, on shared instances
        List<String> shared = new ArrayList<>(held);
        ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                SplittableRandom rr = new SplittableRandom(seed);
                for (int i = 0; i < 50_000; i++) {
                    String arn = shared.get(rr.nextInt(shared.size()));
                    if (!java.util.Objects.equals(Arns.account(arn), referenceAccount(arn))) {
                        bad.add(arn);
                        return;
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        System.out.println("RedteamPass20UnitsTest Arns: asked=" + (asked + 400_000));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(bad.isEmpty(), bad.toString());
    }

    /** A method ARN as the API Gateway guide spells it, split by a reference that shares nothing with parse. */
    static List<String> referenceFields(String arn) {
        String[] six = arn.split(":", 6);
        String resource = six[5];
        String[] parts = resource.split("/", 4);
        String verbPath = resource.substring(parts[0].length() + 1 + parts[1].length() + 1);
        String verb;
        String path;
        if (verbPath.equals("$connect") || verbPath.equals("$disconnect") || verbPath.equals("$default")) {
            verb = verbPath;
            path = "";
        } else {
            int slash = verbPath.indexOf('/');
            verb = verbPath.substring(0, slash);
            path = verbPath.substring(slash);
        }
        return List.of(six[1], six[3], six[4], parts[0], parts[1], verb, path);
    }

    static String arn(SplittableRandom r) {
        List<String> twins = List.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa", "C#", "Bb");
        String t1 = twins.get(r.nextInt(twins.size()));
        String t2 = twins.get(r.nextInt(twins.size()));
        String stage = List.of("prod", "Aa", "BB", "stage*", "st?ge").get(r.nextInt(5));
        String account = List.of("111122223333", "111122223334", "444455556666").get(r.nextInt(3));
        String region = List.of("us-east-1", "us-east-2", "eu-west-1").get(r.nextInt(3));
        String api = List.of("k7p2q9x4zd", "Aa", "BB", "k7p2q9x4ze").get(r.nextInt(4));
        String prefix = "arn:aws:execute-api:" + region + ":" + account + ":" + api + "/" + stage + "/";
        return switch (r.nextInt(7)) {
            case 0 -> prefix + "$connect";
            case 1 -> prefix + "GET/users/" + t1 + "/" + t2;
            case 2 -> prefix + "POST/users/" + t1 + "/" + t2;
            case 3 -> prefix + "GET/users/" + t1 + "*" + t2 + "/?";
            case 4 -> {
                // near MethodArn's 1,600-char bound
                StringBuilder b = new StringBuilder(prefix + "GET/x/");
                int target = 1_596 + r.nextInt(6);
                while (b.length() < target) {
                    b.append(r.nextBoolean() ? "Aa" : "BB");
                }
                yield b.substring(0, target);
            }
            case 5 -> prefix + "GET/" + t1 + ":" + t2;
            default -> prefix + "$default";
        };
    }

    @Test
    void methodArnParseMemoGivesEachTextItsOwnFields() {
        SplittableRandom r = new SplittableRandom(2002);
        List<String> wrong = new ArrayList<>();
        List<String> recent = new ArrayList<>();
        int parsed = 0;
        for (int i = 0; i < 200_000 && wrong.size() < 5; i++) {
            String text;
            int kind = r.nextInt(5);
            if (kind == 0 && !recent.isEmpty()) {
                text = recent.get(r.nextInt(recent.size())); // the same instance again
            } else if (kind == 1 && !recent.isEmpty()) {
                text = new String(recent.get(r.nextInt(recent.size())));
            } else if (kind == 2 && !recent.isEmpty()) {
                // one character changed anywhere in a recent ARN
                String base = recent.get(r.nextInt(recent.size()));
                int at = r.nextInt(base.length());
                char c = base.charAt(at);
                char d = c == 'A' ? 'B' : c == 'B' ? 'A' : c == 'a' ? 'b' : (char) (c ^ 1);
                text = base.substring(0, at) + d + base.substring(at + 1);
            } else {
                text = arn(r);
            }
            if (recent.size() < 16) {
                recent.add(text);
            } else {
                recent.set(r.nextInt(16), text);
            }
            List<String> expected;
            try {
                expected = text.length() > 1600 ? null : referenceFields(text);
            } catch (RuntimeException e) {
                expected = null;
            }
            MethodArn m;
            try {
                m = MethodArn.parse(text);
            } catch (IllegalArgumentException e) {
                m = null;
            }
            parsed++;
            if (m == null) {
                continue; // the reference may be laxer: refusing is never an Allow
            }
            if (expected == null) {
                wrong.add("parsed what the reference refuses: " + text);
                continue;
            }
            List<String> got = List.of(m.partition(), m.region(), m.account(), m.apiId(), m.stage(), m.verb(),
                    m.path());
            if (!got.equals(expected)) {
                wrong.add(text + "\n  got " + got + "\n  expected " + expected);
            }
            if (!m.arn().equals(text)) {
                wrong.add("arn() " + m.arn() + " of " + text);
            }
            if (!m.verbAndPath().equals(expected.get(5) + expected.get(6))) {
                wrong.add("verbAndPath() " + m.verbAndPath() + " of " + text);
            }
            // a parse kept from before, asked again after other parses
            if (r.nextInt(50) == 0) {
                String next = arn(r);
                MethodArn other = next.length() > 1600 ? m : MethodArn.parse(next);
                if (!m.arn().equals(text) || !m.verbAndPath().equals(expected.get(5) + expected.get(6))) {
                    wrong.add("an earlier parse changed after another: " + text);
                }
                assertNotNull(other);
            }
        }
        // a parse asked on another thread
        MethodArn here = MethodArn.parse("arn:aws:execute-api:us-east-1:111122223333:BB/Aa/GET/users/AaBB");
        String text = here.arn();
        String[] there = new String[2];
        Thread t = new Thread(() -> {
            MethodArn.parse("arn:aws:execute-api:us-east-1:111122223333:Aa/BB/GET/users/BBAa");
            there[0] = here.arn();
            there[1] = here.verbAndPath();
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals(text, there[0]);
        assertEquals(here.verb() + here.path(), there[1]);
        System.out.println("RedteamPass20UnitsTest MethodArn: parsed=" + parsed);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** Header values near the deferral bound, spelled plainly and otherwise. */
    static String headerJson(String value, SplittableRandom r) {
        String json = JSON.valueToTree(value).toString();
        if (r.nextInt(3) == 0) {
            return RedteamPass20WarmPathTest.escapedFirst(value);
        }
        if (r.nextInt(5) == 0 && value.contains("/")) {
            return json.replace("/", "\\/");
        }
        return json;
    }

    static String value(SplittableRandom r) {
        int length = List.of(62, 63, 64, 65, 66, 67, 300, 1_200).get(r.nextInt(8));
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            int k = r.nextInt(r.nextBoolean() ? 40 : 400);
            b.append(k == 0 ? "\u007f" : k == 1 ? "/" : k == 2 ? "\u00e9" : k == 3 ? "\t" : k == 4 ? "\"" : k == 5
                    ? "\\" : k < 20 ? "Aa" : "BB");
        }
        return b.substring(0, length);
    }

    static String names(SplittableRandom r) {
        return List.of("Authorization", "authorization", "AUTHORIZATION", "User-Agent", "Referer", "X-Amzn-X",
                "Cookie", "x-a", "X-B").get(r.nextInt(9));
    }

    static byte[] event(SplittableRandom r, int n) {
        StringBuilder e = new StringBuilder("{\"type\":\"REQUEST\",");
        boolean http = r.nextInt(3) == 0;
        if (http) {
            e.append("\"version\":\"2.0\",\"routeArn\":\"arn:aws:execute-api:us-east-1:111122223333:api/prod/GET/x\",");
        } else {
            e.append("\"methodArn\":\"arn:aws:execute-api:us-east-1:111122223333:api/prod/GET/x\",");
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        if (r.nextInt(5) != 0) {
            e.append("\"headers\":{");
            int count = r.nextInt(4) == 0 ? 64 : r.nextInt(8);
            for (int i = 0; i < count; i++) {
                String name = i < 9 ? names(r) : "X-H" + i + "-" + n;
                if (!used.add(name.toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                }
                e.append(e.charAt(e.length() - 1) == '{' ? "" : ",").append('"').append(name).append("\":")
                        .append(headerJson(value(r), r));
            }
            e.append("},");
        }
        if (!http && r.nextInt(3) != 0) {
            e.append("\"multiValueHeaders\":{");
            int count = r.nextInt(6);
            java.util.Set<String> multi = new java.util.HashSet<>();
            for (int i = 0; i < count; i++) {
                String name = names(r);
                if (!multi.add(name)) {
                    continue;
                }
                e.append(e.charAt(e.length() - 1) == '{' ? "" : ",").append('"').append(name).append("\":[");
                int values = r.nextInt(3);
                for (int v = 0; v < values; v++) {
                    e.append(v == 0 ? "" : ",").append(r.nextInt(6) == 0 ? "null" : headerJson(value(r), r));
                }
                e.append("]");
            }
            e.append("},");
        }
        if (r.nextBoolean()) {
            e.append("\"queryStringParameters\":{");
            int count = r.nextInt(4);
            for (int i = 0; i < count; i++) {
                e.append(i == 0 ? "" : ",").append("\"q").append(r.nextInt(3) + i * 3).append("\":")
                        .append(headerJson(value(r), r));
            }
            e.append("},");
        }
        e.append("\"requestContext\":{\"requestTimeEpoch\":1764590400000,\"identity\":{\"sourceIp\":\"198.51.100.1\"}}}");
        return e.toString().getBytes(StandardCharsets.UTF_8);
    }

    static final com.fasterxml.jackson.databind.ObjectMapper PARSER = RedteamPass20WarmPathTest.PARSER;

    @Test
    void deferredHeaderValuesAndScratchPairsReadAsTheTreeReaderReadsThem() throws Exception {
        SplittableRandom r = new SplittableRandom(2003);
        List<String> wrong = new ArrayList<>();
        int taken = 0;
        int declined = 0;
        int deferred = 0;
        for (int i = 0; i < 40_000 && wrong.size() < 5; i++) {
            byte[] bytes = event(r, i);
            if (r.nextInt(6) == 0) {
                // declined part-way: truncated after the headers were read
                byte[] cut = Arrays.copyOf(bytes, bytes.length - 1 - r.nextInt(40));
                if (AuthorizerEventBytes.read(cut, 64, 131_072) != null) {
                    wrong.add("took a truncated event");
                }
                declined++;
            }
            JsonNode tree;
            try {
                tree = PARSER.readTree(bytes);
            } catch (java.io.IOException e) {
                tree = null;
            }
            AuthorizerRequest direct = AuthorizerEventBytes.read(bytes, 64, 131_072);
            if (direct == null) {
                declined++;
                continue;
            }
            if (tree == null) {
                wrong.add("took what the parser refuses: " + new String(bytes, StandardCharsets.UTF_8));
                continue;
            }
            taken++;
            AuthorizerRequest general = AuthorizerEventReader.read(tree);
            // the credential as the authorizer takes it (deferred, not made) before anything else reads the map
            for (String h : List.of("Authorization", "authorization", "User-Agent", "cookie")) {
                CharSequence text = direct.headerText(h);
                if (text instanceof DeferredText) {
                    deferred++;
                    byte[] viaBytes = VerifiedCredentials.CredentialDigest.of(text).bytes();
                    byte[] viaString = VerifiedCredentials.CredentialDigest.of(text.toString()).bytes();
                    if (!Arrays.equals(viaBytes, viaString)) {
                        wrong.add("digest of the bytes is not the digest of the string: " + text);
                    }
                }
                String expected = general.header(h);
                if (!java.util.Objects.equals(text == null ? null : text.toString(), expected)) {
                    wrong.add(h + ": " + text + " expected " + expected + " in "
                            + new String(bytes, StandardCharsets.UTF_8));
                }
            }
            if (!general.equals(direct)) {
                wrong.add("readers disagree on " + new String(bytes, StandardCharsets.UTF_8) + "\n  bytes: " + direct
                        + "\n  tree:  " + general);
            }
            if (!general.toEdgeRequest(0).equals(direct.toEdgeRequest(0))) {
                wrong.add("edge requests disagree on " + new String(bytes, StandardCharsets.UTF_8));
            }
        }
        System.out.println("RedteamPass20UnitsTest bytes: taken=" + taken + " declined=" + declined + " deferred="
                + deferred);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(deferred > 1_000, "deferred: " + deferred);
    }

    @Test
    void credentialKeysOfDifferentTextsDiffer() {
        SplittableRandom r = new SplittableRandom(2004);
        java.util.Map<VerifiedCredentials.CredentialDigest, String> seen = new java.util.HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            String base = "Bearer " + value(r).replace("\"", "").replace("\\", "");
            String text = switch (r.nextInt(5)) {
                case 0 -> base + " ";
                case 1 -> base.toLowerCase(java.util.Locale.ROOT);
                case 2 -> base.replace("Bearer ", "Bearer  ");
                case 3 -> base.substring(0, base.length() - 1);
                default -> base;
            };
            byte[] json = ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
            boolean ascii = text.chars().allMatch(c -> c < 0x80 && c >= 0x20);
            VerifiedCredentials.CredentialDigest key = ascii
                    ? VerifiedCredentials.CredentialDigest.of(DeferredText.ascii(json, 1, json.length - 1))
                    : VerifiedCredentials.CredentialDigest.of(text);
            assertEquals(key, VerifiedCredentials.CredentialDigest.of(text));
            String before = seen.putIfAbsent(key, text);
            if (before != null) {
                assertEquals(before, text, "two texts share a key");
            }
        }
        assertNotEquals(VerifiedCredentials.CredentialDigest.of("a\ud800"),
                VerifiedCredentials.CredentialDigest.of("a?"));
    }

    /**
     * The bytes of an event are only ever the event's: the request read from them is not changed by the next
     * event read on the thread (its deferred values are in the first event's own array), nor by the scratch lists.
     */
    @Test
    void aRequestReadEarlierIsNotChangedByLaterReads() throws Exception {
        SplittableRandom r = new SplittableRandom(2005);
        List<AuthorizerRequest> kept = new ArrayList<>();
        List<AuthorizerRequest> expected = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = event(r, i);
            AuthorizerRequest direct = AuthorizerEventBytes.read(bytes, 64, 131_072);
            if (direct == null) {
                continue;
            }
            kept.add(direct);
            expected.add(AuthorizerEventReader.read(PARSER.readTree(bytes)));
        }
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(expected.get(i), kept.get(i), "request " + i);
        }
        assertTrue(kept.size() > 1_000);
        Map<String, String> none = Map.of();
        assertNotNull(none);
    }
}
