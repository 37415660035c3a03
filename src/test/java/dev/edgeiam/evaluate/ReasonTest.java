package dev.edgeiam.evaluate;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision vocabulary is closed and documented: each {@link Reason}'s label is unique, kebab-case (a
 * {@code credential-rejected:} label carries one {@code :} qualifier, itself kebab-case) and listed in README's
 * "Decision reasons" table with its category; every row of that table is a label the code has.
 */
class ReasonTest {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*(:[a-z0-9]+(-[a-z0-9]+)*)?");
    /** A row of README's reason table: | `label` | `category` | meaning |. */
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)` \\| .+\\|$", Pattern.MULTILINE);

    private static Map<String, String> documented() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Decision reasons");
        assertTrue(start >= 0, "README.md has no 'Decision reasons' section");
        int end = readme.indexOf("\n## ", start + 1);
        Matcher m = ROW.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        Map<String, String> rows = new HashMap<>();
        while (m.find()) {
            assertNull(rows.put(m.group(1), m.group(2)), "README lists " + m.group(1) + " twice");
        }
        return rows;
    }

    @TestFactory
    List<DynamicTest> everyReasonIsAUniqueDocumentedKebabCaseLabel() throws IOException {
        Map<String, String> documented = documented();
        return Arrays.stream(Reason.values()).map(r -> DynamicTest.dynamicTest(r.name(), () -> {
            assertTrue(LABEL.matcher(r.label()).matches(), r.label() + " is not kebab-case");
            assertEquals(1, Arrays.stream(Reason.values()).filter(o -> o.label().equals(r.label())).count(),
                    r.label() + " is the label of more than one reason");
            String category = documented.get(r.label());
            assertNotNull(category, r.label() + " is missing from README's 'Decision reasons' table");
            assertEquals(r.category().label(), category, r.label() + ": README gives another category");
            assertEquals(r.label(), r.toString(), "string concatenation must give the wire label");
        })).toList();
    }

    @Test
    void everyDocumentedReasonExists() throws IOException {
        Map<String, Reason> byLabel = new HashMap<>();
        for (Reason r : Reason.values()) {
            byLabel.put(r.label(), r);
        }
        for (String label : documented().keySet()) {
            assertNotNull(byLabel.get(label), "README lists " + label + ", which no Reason has");
        }
    }

    @Test
    void onlyAllowedAllowsAndTheWireWordFollowsTheCategory() {
        for (Reason r : Reason.values()) {
            assertEquals(r == Reason.ALLOWED, r.allowed(), r.label());
            assertEquals(r.allowed() ? "Allow" : "Deny", r.category().wire(), r.label());
        }
        for (Reason.Category c : Reason.Category.values()) {
            assertTrue(LABEL.matcher(c.label()).matches(), c.label());
        }
    }
}
