package dev.edgeiam.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The header names {@link AuthorizerEventBytes} remembers from earlier reads on the same thread are handed out only
 * for the same lower-cased name: names with equal hash codes and lengths ("az" and "b[", "bz" and "c["), names
 * equal but for case, and random names read in turn each come back as themselves, lower-cased.
 */
class AuthorizerEventBytesHeaderNamesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static AuthorizerRequest read(ObjectNode sample, List<String> headerNames) throws IOException {
        ObjectNode event = sample.deepCopy();
        ObjectNode headers = event.putObject("headers");
        ObjectNode multi = event.putObject("multiValueHeaders");
        for (String name : headerNames) {
            headers.put(name, "v-" + name);
            multi.putArray(name).add("v-" + name);
        }
        AuthorizerRequest request = AuthorizerEventBytes.read(JSON.writeValueAsBytes(event), 64, 131_072);
        assertNotNull(request, "read by the bytes reader: " + headerNames);
        return request;
    }

    private static void assertNames(List<String> given, AuthorizerRequest request) {
        TreeSet<String> expected = new TreeSet<>();
        given.forEach(n -> expected.add(n.toLowerCase(Locale.ROOT)));
        assertEquals(expected, new TreeSet<>(request.credentialHeaders().keySet()), given.toString());
        assertEquals(expected, new TreeSet<>(request.headers().keySet()), given.toString());
        for (Map.Entry<String, String> e : request.credentialHeaders().entrySet()) {
            String original = given.stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(e.getKey())).findFirst()
                    .orElseThrow();
            assertEquals("v-" + original, e.getValue(), "the value under its own name");
        }
    }

    @Test
    void namesWithEqualHashesAreNotMixedUp() throws IOException {
        ObjectNode sample = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("events", "rest-request.json")));
        assertEquals("az".hashCode(), "b[".hashCode());
        List<List<String>> turns = List.of(List.of("AZ"), List.of("b["), List.of("Az", "Bz"), List.of("B[", "c["),
                List.of("az"), List.of("C["), List.of("bZ"));
        for (int round = 0; round < 3; round++) {
            for (List<String> names : turns) {
                assertNames(names, read(sample, names));
            }
        }
    }

    @Test
    void randomNamesReadInTurnComeBackAsThemselves() throws IOException {
        ObjectNode sample = (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("events", "rest-request.json")));
        SplittableRandom r = new SplittableRandom(6_12_2026L);
        String alphabet = "aAbBzZ[-_09";
        for (int i = 0; i < 4_000; i++) {
            TreeSet<String> folded = new TreeSet<>();
            List<String> names = new java.util.ArrayList<>();
            for (int k = 1 + r.nextInt(6); k > 0; k--) {
                StringBuilder b = new StringBuilder();
                for (int n = 1 + r.nextInt(3); n > 0; n--) {
                    b.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                if (folded.add(b.toString().toLowerCase(Locale.ROOT))) {
                    names.add(b.toString());
                }
            }
            assertNames(names, read(sample, names));
        }
    }
}
