package dev.edgeiam.authorize;

import dev.edgeiam.request.IamNames;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@link RouteAuthorizer#lowerCaseResourcePart} folds A–Z after the fifth colon without building a copy when
 * nothing there is upper-case; compared with the form it replaced (prefix + {@link IamNames#fold} of the rest) on
 * random ARNs with upper-case letters, non-ASCII look-alikes and fewer than five colons.
 */
class LowerCaseResourcePartTest {

    static String reference(String arn) {
        int colons = 0;
        for (int i = 0; i < arn.length(); i++) {
            if (arn.charAt(i) == ':' && ++colons == 5) {
                return arn.substring(0, i + 1) + IamNames.fold(arn.substring(i + 1));
            }
        }
        return arn;
    }

    private static final char[] CHARS = {':', ':', '/', 'a', 'z', 'A', 'Z', '@', '[', '`', '{', '0', '-', '\u212A',
        '\u0130', 'É', '*'};

    @Test
    void foldsAsThePrefixPlusFoldedRestDid() {
        SplittableRandom r = new SplittableRandom(15_9L);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder(r.nextBoolean() ? "arn:aws:connect:us-east-1:111122223333:" : "");
            for (int k = r.nextInt(30); k > 0; k--) {
                sb.append(CHARS[r.nextInt(CHARS.length)]);
            }
            String arn = sb.toString();
            String folded = RouteAuthorizer.lowerCaseResourcePart(arn);
            assertEquals(reference(arn), folded, arn);
            if (folded.equals(arn)) {
                assertSame(arn, folded, "an ARN with nothing to fold is returned as it is");
            }
        }
        assertEquals("arn:aws:connect:us-east-1:111122223333:instance/abc/agent/x\u212A",
                RouteAuthorizer.lowerCaseResourcePart("arn:aws:connect:us-east-1:111122223333:instance/ABC/agent/X\u212A"));
        assertEquals("ARN:AWS:connect:us-east-1:1:instance/a",
                RouteAuthorizer.lowerCaseResourcePart("ARN:AWS:connect:us-east-1:1:instance/A"));
    }
}
