package dev.edgeiam.request;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link Arns#account} gives the account field as a splitting reference reads it, for random texts asked in random
 * order — the same instances again (its per-thread memo by identity), equal texts that are other instances, and
 * more texts than the memo has slots, so entries are replaced while their ARNs are still asked about.
 */
class ArnsAccountTest {

    private static String reference(String arn) {
        if (!arn.startsWith("arn:")) {
            return null;
        }
        String[] parts = arn.split(":", -1);
        return parts.length >= 6 && !parts[4].isEmpty() ? parts[4] : null;
    }

    @Test
    void readsTheAccountFieldWhicheverInstanceIsAsked() {
        SplittableRandom random = new SplittableRandom(1206);
        String alphabet = "arn:aws:connect:us-east-1:111122223333:instance/x*:";
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder b = new StringBuilder(random.nextBoolean() ? "arn:" : "");
            for (int n = random.nextInt(40); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(b.toString());
        }
        texts.add("arn:aws:connect:us-east-1:111122223333:instance/a");
        texts.add("arn:aws:s3:::bucket/key");
        texts.add("arn:aws:iam::444455556666:role/R");
        for (int round = 0; round < 200_000; round++) {
            String text = texts.get(random.nextInt(texts.size()));
            String asked = random.nextInt(4) == 0 ? new String(text) : text;
            assertEquals(reference(text), Arns.account(asked), text);
        }
        assertNull(Arns.account(null));
        assertEquals("111122223333", Arns.account("arn:aws:connect:us-east-1:111122223333:instance/a"));
        assertNull(Arns.account("arn:aws:s3:::bucket/key"), "an empty account field");
    }
}
