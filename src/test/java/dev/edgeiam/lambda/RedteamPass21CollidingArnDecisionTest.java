package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.authorize.CacheModel;
import dev.edgeiam.gateway.AuthorizerEventBytes;
import dev.edgeiam.gateway.AuthorizerRequest;
import dev.edgeiam.gateway.RedteamPass21Hashes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.edgeiam.lambda.EdgeHarness.CONNECT;
import static dev.edgeiam.lambda.EdgeHarness.INSTANCE;
import static dev.edgeiam.lambda.EdgeHarness.STAGE;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red-team pass 21 (cfa5382), decision level: method ARNs with one {@code RecentTexts.hash} and one length (birthday
 * search over the user id, ARNs of 100 to 1,600 characters) that name different users. One long-lived harness per
 * pair answers, on one thread, REST TOKEN, REST REQUEST and HTTP API 2.0 events read from their bytes by
 * {@link AuthorizerEventBytes} — its answer used as the dispatcher uses it, without the harness's reader check — for
 * the allowed user and then the other: the other must never be allowed (a table handing out the ARN of the same
 * hash would allow it).
 */
class RedteamPass21CollidingArnDecisionTest {

    static final String CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";

    static List<String[]> userPairs(int arnLength, SplittableRandom r) {
        String prefix = STAGE + "/GET/users/" + INSTANCE + "/";
        int free = arnLength - prefix.length();
        StringBuilder filler = new StringBuilder();
        for (int i = 0; i < free - 7; i++) {
            filler.append(CHARS.charAt(r.nextInt(CHARS.length())));
        }
        byte[] buf = (prefix + filler + "xxxxxxx").getBytes(StandardCharsets.US_ASCII);
        Map<Integer, String> seen = new HashMap<>();
        List<String[]> out = new ArrayList<>();
        for (int t = 0; t < 200_000 && out.size() < 3; t++) {
            for (int i = buf.length - 7; i < buf.length; i++) {
                buf[i] = (byte) CHARS.charAt(r.nextInt(CHARS.length()));
            }
            String user = new String(buf, prefix.length(), free, StandardCharsets.US_ASCII);
            String before = seen.putIfAbsent(RedteamPass21Hashes.hash(buf, 0, buf.length, false), user);
            if (before != null && !before.equals(user)) {
                out.add(new String[] {before, user});
            }
        }
        return out;
    }

    static JsonNode answerFromBytes(EdgeHarness h, ObjectNode event) throws Exception {
        byte[] bytes = EdgeHarness.JSON.writeValueAsBytes(event);
        AuthorizerRequest direct = AuthorizerEventBytes.read(bytes, 64, 131_072);
        if (direct == null) {
            return h.gateway.answer(event).response();
        }
        return h.gateway.answer(direct).response();
    }

    static boolean allowed(JsonNode answer) {
        return answer.path("context").path("decision").asText().equals("Allow");
    }

    @Test
    void aUserNamedByAnArnOfTheSameHashIsNeverAllowed() throws Exception {
        SplittableRandom r = new SplittableRandom(21_07L);
        List<String[]> pairs = new ArrayList<>();
        int p = (STAGE + "/GET/users/" + INSTANCE + "/").length();
        for (int length : new int[] {p + 7, p + 8, p + 9, p + 15, p + 16, p + 17, 799, 800, 1_599, 1_600}) {
            pairs.addAll(userPairs(length, r));
        }
        assertTrue(pairs.size() >= 9, "pairs: " + pairs.size());
        List<String> wrong = new ArrayList<>();
        int answers = 0;
        int allows = 0;
        for (String[] pair : pairs) {
            String allowedUser = pair[0];
            String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                    + "\"connect:DescribeUser\",\"Resource\":\"" + CONNECT + "/agent/" + allowedUser + "\"}]}";
            EdgeHarness h = new EdgeHarness(CacheModel.NOT_CACHED, policy);
            String tok = h.token();
            for (int round = 0; round < 3; round++) {
                for (String user : new String[] {pair[0], pair[1], pair[0], pair[1]}) {
                    String path = "/users/" + INSTANCE + "/" + user;
                    List<ObjectNode> events = List.of(h.tokenEvent(tok, "GET", path),
                            h.restRequest(tok, "GET", path, Map.of(), "198.51.100.23"),
                            h.httpRequest(tok, "GET", path, "", "ANY /{proxy+}", List.of(tok)));
                    for (ObjectNode e : events) {
                        JsonNode a = answerFromBytes(h, e);
                        answers++;
                        boolean expected = user.equals(allowedUser);
                        if (allowed(a)) {
                            allows++;
                        }
                        if (allowed(a) && !expected) {
                            wrong.add("allowed " + user + " (only " + allowedUser + " is): " + a.path("context"));
                        }
                        // a wrong Deny would show the reader handed out the other ARN too
                        if (!allowed(a) && expected && e.path("type").asText().equals("REQUEST")) {
                            wrong.add("denied the allowed user " + user + ": " + a.path("context"));
                        }
                    }
                }
            }
        }
        System.out.println("RedteamPass21CollidingArnDecisionTest: pairs=" + pairs.size() + " answers=" + answers
                + " allows=" + allows);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong.subList(0, Math.min(5, wrong.size()))));
        assertTrue(allows > 0);
    }
}
