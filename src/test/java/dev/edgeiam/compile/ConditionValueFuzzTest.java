package dev.edgeiam.compile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.edgeiam.fuzz.FuzzInputs;
import dev.edgeiam.policy.value.CidrBlock;
import dev.edgeiam.policy.value.IamBinary;
import dev.edgeiam.policy.value.IamBoolean;
import dev.edgeiam.policy.value.IamDate;
import dev.edgeiam.policy.value.IamNumber;
import dev.edgeiam.request.VariableSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the condition-value parsers ({@link IamDate#parseMicros}, {@link IamNumber#parse}, {@link CidrBlock#parse},
 * {@link IamBinary#parse}, {@link IamBoolean#parse}) and the pattern compilers ({@link CompiledPattern#resource},
 * {@link CompiledPattern#arnCondition}, {@code stringLike}, {@code literal}) with arbitrary text: none may throw,
 * each input must finish well within a second (matching includes a 4,000-character subject, so a backtracking
 * matcher would show), and a pattern without wildcards and variables must match its own text.
 * Seeds: {@code ConditionValueFuzzTestInputs/parseAndMatch/}.
 */
class ConditionValueFuzzTest {

    private static final long BUDGET_NANOS = 1_000_000_000L;
    private static final VariableSource VARIABLES = Map.of("aws:username", "${aws:username}", "aws:principaltag/team",
            "*", "aws:principalaccount", "111122223333", "aws:sourceip", "10.0.0.1")::get;
    private static final String CONNECT_ARN = "arn:aws:connect:us-east-1:111122223333:instance/inst-1/agent/bob";
    private static final String LONG_SUBJECT = "arn:aws:connect:" + "a:".repeat(1_000) + "a/".repeat(1_000) + "b";

    @FuzzTest(maxDuration = "20s")
    void parseAndMatch(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        long start = System.nanoTime();

        long micros = IamDate.parseMicros(text);
        assertEquals(micros != IamDate.INVALID, IamDate.isValid(text));
        IamNumber.parse(text);
        IamBinary.parse(text);
        IamBoolean.parse(text);
        CidrBlock block = CidrBlock.parse(text);
        byte[] address = CidrBlock.parseAddress(text);
        if (block != null) {
            assertTrue(block.containsBlock(block), "a block contains itself: " + text);
            assertTrue(block.prefixLength() >= 0 && block.prefixLength() <= (block.isIpv6() ? 128 : 32));
        }
        if (address != null) {
            assertTrue(address.length == 4 || address.length == 16, "address length " + address.length);
            if (block != null && text.indexOf('/') < 0) {
                assertTrue(block.contains(address), "an address is in its own /32 or /128: " + text);
            }
        }

        for (boolean variables : new boolean[] {false, true}) {
            CompiledPattern[] patterns = {
                    CompiledPattern.resource(text, variables), CompiledPattern.arnCondition(text, variables),
                    CompiledPattern.stringLike(text, variables), CompiledPattern.literal(text, variables, false),
                    CompiledPattern.literal(text, variables, true), CompiledPattern.action(text),
            };
            for (CompiledPattern p : patterns) {
                p.matches(CONNECT_ARN, VARIABLES);
                p.matches(LONG_SUBJECT, VARIABLES);
                p.matches(text, VariableSource.NONE);
                p.matches(text + text, VARIABLES);
            }
            boolean plain = text.indexOf('*') < 0 && text.indexOf('?') < 0 && (!variables || !text.contains("${"));
            if (plain) {
                for (int i = 0; i < 5; i++) {
                    assertTrue(patterns[i].matches(text, VariableSource.NONE),
                            "pattern #" + i + " without wildcards does not match its own text: " + text);
                }
            }
        }
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < BUDGET_NANOS, "took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void parseAndMatchSeedsAndMutations() {
        FuzzInputs.runSeedsAndMutations(ConditionValueFuzzTest.class, "parseAndMatch", 5_000, this::parseAndMatch);
    }
}
