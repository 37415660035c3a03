package dev.edgeiam.policy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.fuzz.FuzzInputs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes {@link PolicyParser#parse} with arbitrary text, for every {@link PolicyType}: the only exception it may
 * throw is a {@link PolicyException} with an error code and a position; a document it accepts must compile.
 * Seeds: {@code src/test/resources/dev/edgeiam/policy/PolicyParserFuzzTestInputs/parse/}. See FUZZING.md.
 */
class PolicyParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (PolicyType type : PolicyType.values()) {
            try {
                PolicyDocument document = PolicyParser.parse(text, type, "fuzz");
                assertNotNull(CompiledPolicy.compile(document));
                assertTrue(!document.statements().isEmpty(), "an accepted policy has statements");
            } catch (PolicyException e) {
                assertTrue(PolicyException.MALFORMED.equals(e.errorCode())
                        || PolicyException.LIMIT_EXCEEDED.equals(e.errorCode()), e.errorCode());
                assertNotNull(e.position(), "a PolicyException names a position");
                assertNotNull(e.getMessage());
            }
        }
    }

    /** The same property on the seeds and 3,000 deterministic mutations of them, in every build. */
    @Test
    void parseSeedsAndMutations() {
        FuzzInputs.runSeedsAndMutations(PolicyParserFuzzTest.class, "parse", 3_000, this::parse);
    }
}
