package dev.edgeiam.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.compile.CompiledPolicy;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every AWS managed policy parses under the IAM grammar and compiles (no timing assertions; time is printed). */
class ManagedPoliciesTest {

    @Test
    void allAwsManagedPoliciesParseAndCompile() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/managed/aws-managed-policies.json")) {
            root = new ObjectMapper().readTree(in);
        }
        JsonNode policies = root.get("policies");
        assertEquals(1594, policies.size());
        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = policies.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            names.add(e.getKey());
            texts.add(e.getValue().toPrettyString());
        }
        List<String> failures = new ArrayList<>();
        int statements = 0;
        long start = System.nanoTime();
        for (int i = 0; i < texts.size(); i++) {
            try {
                PolicyDocument doc = PolicyParser.parse(texts.get(i), PolicyType.AWS_MANAGED,
                        "arn:aws:iam::aws:policy/" + names.get(i));
                statements += CompiledPolicy.compile(doc).statements().size();
            } catch (PolicyException e) {
                failures.add(names.get(i) + ": " + e.getMessage());
            }
        }
        long micros = (System.nanoTime() - start) / 1_000;
        System.out.printf("parsed and compiled %d AWS managed policies (%d statements) in %d ms (single cold pass)%n",
                texts.size(), statements, micros / 1_000);
        assertTrue(failures.isEmpty(), failures.size() + " managed policies failed: " + failures);
        assertTrue(statements > 8000, "statements counted: " + statements);
    }
}
