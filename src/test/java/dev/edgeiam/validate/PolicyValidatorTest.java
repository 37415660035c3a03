package dev.edgeiam.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyValidatorTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One dynamic test per line of {@code validate/cases.jsonl}: the sorted issue codes must be exactly as expected. */
    @TestFactory
    Stream<DynamicTest> corpus() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/validate/cases.jsonl");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode c = JSON.readTree(line);
                String text = c.has("policyText") ? c.get("policyText").asText() : JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(c.get("policy"));
                List<String> expected = new ArrayList<>();
                c.get("expect").forEach(e -> expected.add(e.asText()));
                tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    ObjectNode out = PolicyValidator.validate(text, c.get("policyType").asText());
                    List<String> codes = new ArrayList<>(PolicyValidator.issueCodes(out));
                    codes.sort(null);
                    assertEquals(expected, codes, out.toPrettyString());
                    for (JsonNode f : out.get("findings")) {
                        assertTrue(f.get("locations").size() > 0, "every finding has a location");
                        assertTrue(f.has("learnMoreLink"));
                    }
                }));
            }
        }
        assertTrue(tests.size() >= 50);
        return tests.stream();
    }

    @Test
    void noAwsManagedPolicyMentioningConnectHasAnError() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/managed/aws-managed-policies.json")) {
            root = JSON.readTree(in);
        }
        int checked = 0;
        List<String> errors = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.get("policies").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String text = e.getValue().toPrettyString();
            if (!text.toLowerCase().contains("\"connect:")) {
                continue;
            }
            checked++;
            for (JsonNode f : PolicyValidator.validate(text, PolicyValidator.IDENTITY_POLICY).get("findings")) {
                if (f.get("findingType").asText().equals("ERROR")) {
                    errors.add(e.getKey() + ": " + f.get("issueCode").asText() + " " + f.get("findingDetails").asText());
                }
            }
        }
        System.out.println("validated " + checked + " AWS managed policies that mention connect:");
        assertTrue(checked >= 19, "policies checked: " + checked);
        assertTrue(errors.isEmpty(), errors.size() + " errors: " + String.join("\n", errors));
    }

    @Test
    void locationsFollowAccessAnalyzerShape() throws Exception {
        String text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n"
                + "    \"Action\": [\"connect:DescribeUser\", \"connect:Nope\"],\n    \"Resource\": \"*\"\n  }]\n}";
        JsonNode f = PolicyValidator.validate(text, "IDENTITY_POLICY").get("findings").get(0);
        assertEquals("INVALID_ACTION", f.get("issueCode").asText());
        assertEquals("ERROR", f.get("findingType").asText());
        JsonNode loc = f.get("locations").get(0);
        assertEquals(JSON.readTree("[{\"value\":\"Statement\"},{\"index\":0},{\"value\":\"Action\"},{\"index\":1}]"),
                loc.get("path"));
        JsonNode start = loc.get("span").get("start");
        JsonNode end = loc.get("span").get("end");
        int offset = text.indexOf("\"connect:Nope\"");
        assertEquals(5, start.get("line").asInt());
        assertEquals(offset, start.get("offset").asInt());
        assertEquals(offset - text.lastIndexOf('\n', offset) - 1, start.get("column").asInt(), "column from 0");
        assertEquals(offset + "\"connect:Nope\"".length(), end.get("offset").asInt());
    }

    @Test
    void parseErrorLocation() {
        String text = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Maybe\",\"Action\":\"connect:*\",\"Resource\":\"*\"}}";
        JsonNode f = PolicyValidator.validate(text, "IDENTITY_POLICY").get("findings").get(0);
        assertEquals("MALFORMED_POLICY", f.get("issueCode").asText());
        JsonNode loc = f.get("locations").get(0);
        assertEquals("[{\"value\":\"Statement\"},{\"value\":\"Effect\"}]", loc.get("path").toString());
        assertEquals(text.indexOf("\"Maybe\""), loc.get("span").get("start").get("offset").asInt());
    }

    @Test
    void conditionKeyWithSlashIsOnePathElement() {
        String text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"connect:ListInstances\","
                + "\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:ResourceTag/net\":\"10.0.0.0/8\"}}}]}";
        JsonNode f = PolicyValidator.validate(text, "IDENTITY_POLICY").get("findings").get(0);
        assertEquals("MISMATCHED_TYPE", f.get("issueCode").asText());
        assertEquals("[{\"value\":\"Statement\"},{\"index\":0},{\"value\":\"Condition\"},{\"value\":\"IpAddress\"},"
                + "{\"value\":\"aws:ResourceTag/net\"}]", f.get("locations").get(0).get("path").toString());
        assertEquals(text.indexOf("\"aws:ResourceTag/net\""), f.get("locations").get(0).get("span").get("start")
                .get("offset").asInt());
    }

    @Test
    void handlerRoutesValidateAndExpand() throws Exception {
        ObjectNode v = PolicyValidator.handle(JSON.readTree("{\"ValidatePolicy\":{\"policyDocument\":"
                + "\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\","
                + "\\\"Action\\\":\\\"connect:Nope\\\",\\\"Resource\\\":\\\"*\\\"}}\",\"policyType\":\"IDENTITY_POLICY\"}}"));
        assertEquals(List.of("INVALID_ACTION"), PolicyValidator.issueCodes(v));
        ObjectNode e = PolicyValidator.handle(JSON.readTree("{\"ExpandActions\":{\"pattern\":\"connect:DescribeUser*\"}}"));
        List<String> actions = new ArrayList<>();
        e.get("actions").forEach(a -> actions.add(a.asText()));
        assertTrue(actions.contains("connect:DescribeUser"), actions.toString());
        assertTrue(actions.contains("connect:DescribeUserHierarchyGroup"), actions.toString());
        assertTrue(actions.stream().allMatch(a -> a.startsWith("connect:DescribeUser")));
        assertEquals(0, PolicyValidator.expandActions("s3:*").get("actions").size());
        assertThrows(IllegalArgumentException.class, () -> PolicyValidator.handle(JSON.readTree("{\"Other\":{}}")));
        assertThrows(IllegalArgumentException.class, () -> PolicyValidator.validate("{}", "TRUST_POLICY"));
    }

    @Test
    void globIntersection() {
        assertTrue(GlobIntersection.intersects("arn:aws:connect:*:*:instance/*/queue/*", "arn:*:connect:*:*:instance/*/queue/*"));
        assertTrue(GlobIntersection.intersects("a*c", "ab?"));
        assertTrue(GlobIntersection.intersects("*", "anything"));
        String queue = "arn:\u0001:connect:\u0001:\u0001:instance/\u0001/queue/\u0001";
        assertTrue(!GlobIntersection.intersects("arn:aws:connect:*:*:instance/i/agent/*", queue));
        assertTrue(GlobIntersection.intersects("arn:aws:connect:*:*:instance/i/*", queue));
        assertTrue(GlobIntersection.intersects("arn:aws:connect:*", queue));
        assertTrue(!GlobIntersection.intersects("arn:aws:connect:r:1:instance/a/b/queue/q", queue));
        assertTrue(!GlobIntersection.intersects("abc", "abd"));
        assertTrue(!GlobIntersection.intersects("a?", "abc"));
    }
}
