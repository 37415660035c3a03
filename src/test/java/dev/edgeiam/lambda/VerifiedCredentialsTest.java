package dev.edgeiam.lambda;

import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.identity.CredentialKind;
import dev.edgeiam.identity.IdentityOutcome;
import dev.edgeiam.evaluate.Reason;
import dev.edgeiam.identity.Session;
import dev.edgeiam.identity.SessionPolicy;
import dev.edgeiam.principal.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class VerifiedCredentialsTest {

    private static Session session(Instant expires) {
        return new Session(SessionKind.ROLE_SESSION, CredentialKind.values()[0],
                "arn:aws:sts::111122223333:assumed-role/R/s", "arn:aws:iam::111122223333:role/R", "111122223333",
                Session.ASSUMED_ROLE, "AROAX:s", "s", null, Map.of(), Set.of(), null, null, null, null,
                SessionPolicy.NONE, expires);
    }

    @Test
    void verifiedCredentialsAreReusedUntilTheEarlierOfBoundAndExpiry() {
        MutableClock clock = new MutableClock();
        VerifiedCredentials cache = new VerifiedCredentials(clock, Duration.ofMinutes(5), 100);
        AtomicInteger checks = new AtomicInteger();
        Instant expiry = clock.instant().plus(Duration.ofMinutes(2));
        java.util.function.Function<String, IdentityOutcome> verify = c -> {
            checks.incrementAndGet();
            return new IdentityOutcome.Caller(session(expiry));
        };
        cache.resolve("token-a", verify);
        cache.resolve("token-a", verify);
        assertEquals(1, checks.get());
        clock.advance(Duration.ofMinutes(3)); // past the session's own expiry
        cache.resolve("token-a", verify);
        assertEquals(2, checks.get());
    }

    /**
     * A verification that was in flight when an IAM change cleared the cache (it may have read the issuing user's or
     * a role's policies before the change) answers its own request but is not remembered.
     */
    @Test
    void aVerificationStraddlingAnInvalidationIsNotRemembered() {
        MutableClock clock = new MutableClock();
        VerifiedCredentials cache = new VerifiedCredentials(clock, Duration.ofMinutes(5), 100);
        AtomicInteger checks = new AtomicInteger();
        Instant expiry = clock.instant().plus(Duration.ofMinutes(10));
        IdentityOutcome first = cache.resolve("token-a", c -> {
            checks.incrementAndGet();
            cache.clear(); // the IAM change arrives while this verification runs
            return new IdentityOutcome.Caller(session(expiry));
        });
        assertInstanceOf(IdentityOutcome.Caller.class, first);
        cache.resolve("token-a", c -> {
            checks.incrementAndGet();
            return new IdentityOutcome.Rejected(Reason.CREDENTIAL_REJECTED_ISSUER_NOT_ALLOWED, "changed");
        });
        assertEquals(2, checks.get(), "the straddling answer was not kept");
    }

    /**
     * The key is SHA-256 of the credential's UTF-8 bytes however it is fed: ASCII through the chunk buffer (lengths
     * around its 256-byte boundary), anything else encoded whole (non-ASCII); a credential with a lone surrogate,
     * which UTF-8 cannot write, as 0xFF and its UTF-16 bytes. Keys are equal exactly when the digests are.
     */
    @Test
    void theKeyIsTheSha256OfTheCredentialsUtf8Bytes() throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1205);
        String alphabet = "abcXYZ012-_.=+/ \t\u007f\u0080\u00e9\u20ac\ud83d\ude00\ud800";
        for (int i = 0; i < 3_000; i++) {
            int length = i < 600 ? i : random.nextInt(2_000);
            StringBuilder text = new StringBuilder();
            boolean ascii = random.nextInt(3) > 0;
            for (int c = 0; c < length; c++) {
                text.append(alphabet.charAt(random.nextInt(ascii ? 16 : alphabet.length())));
            }
            String credential = text.toString();
            byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(keyBytes(credential));
            VerifiedCredentials.CredentialDigest key = VerifiedCredentials.CredentialDigest.of(credential);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, key.bytes(), credential);
            assertEquals(key, VerifiedCredentials.CredentialDigest.of(credential));
            assertEquals(key.hashCode(), VerifiedCredentials.CredentialDigest.of(credential).hashCode());
            String other = credential + "x";
            org.junit.jupiter.api.Assertions.assertNotEquals(key, VerifiedCredentials.CredentialDigest.of(other));
        }
    }

    /**
     * A credential still in the event's bytes ({@code DeferredText}) has the key of its text: the same digest as the
     * string (random ASCII, lengths around the chunk boundary, at random offsets in a larger array), so a verification
     * remembered for one form serves the other, the verifier is given the text, and a text one character apart is
     * another entry.
     */
    @Test
    void aCredentialLeftInTheEventsBytesHasTheKeyOfItsText() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1206);
        MutableClock clock = new MutableClock();
        VerifiedCredentials cache = new VerifiedCredentials(clock, Duration.ofMinutes(5), 10_000);
        Instant expiry = clock.instant().plus(Duration.ofMinutes(2));
        for (int i = 0; i < 2_000; i++) {
            int length = i < 600 ? i + 1 : random.nextInt(1, 3_000);
            byte[] event = new byte[length + 40];
            for (int b = 0; b < event.length; b++) {
                event[b] = (byte) random.nextInt(0x20, 0x7f);
            }
            int start = random.nextInt(40);
            dev.edgeiam.request.DeferredText held = dev.edgeiam.request.DeferredText.ascii(event, start,
                    start + length);
            String text = new String(event, start, length, java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals(VerifiedCredentials.CredentialDigest.of(text), VerifiedCredentials.CredentialDigest.of(held),
                    text);
            org.junit.jupiter.api.Assertions.assertNotEquals(VerifiedCredentials.CredentialDigest.of(text + "x"),
                    VerifiedCredentials.CredentialDigest.of(held));
            boolean heldFirst = random.nextBoolean();
            java.util.List<String> verified = new java.util.ArrayList<>();
            java.util.function.Function<String, IdentityOutcome> verify = c -> {
                verified.add(c);
                return new IdentityOutcome.Caller(session(expiry));
            };
            cache.resolve(heldFirst ? held : text, verify);
            cache.resolve(heldFirst ? text : held, verify);
            assertEquals(java.util.List.of(text), verified, "verified once, given the text");
        }
    }

    /** The bytes the key digests, written here from the rule (a strict encoder decides whether UTF-8 can write it). */
    private static byte[] keyBytes(String credential) {
        try {
            java.nio.ByteBuffer b = java.nio.charset.StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(credential));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            byte[] utf16 = credential.getBytes(java.nio.charset.StandardCharsets.UTF_16BE);
            byte[] out = new byte[utf16.length + 1];
            out[0] = (byte) 0xFF;
            System.arraycopy(utf16, 0, out, 1, utf16.length);
            return out;
        }
    }

    /** A lone surrogate is not read as the '?' UTF-8 would write for it: the two credentials are two entries. */
    @Test
    void aLoneSurrogateIsNotTheQuestionMarkUtf8WritesForIt() {
        for (String base : new String[] {"Bearer a.b.c", "https://sts.amazonaws.com/x" + "y".repeat(300)}) {
            org.junit.jupiter.api.Assertions.assertNotEquals(VerifiedCredentials.CredentialDigest.of(base + "?"),
                    VerifiedCredentials.CredentialDigest.of(base + "\ud800"));
            org.junit.jupiter.api.Assertions.assertNotEquals(VerifiedCredentials.CredentialDigest.of("?" + base),
                    VerifiedCredentials.CredentialDigest.of("\udc00" + base));
        }
    }

    @Test
    void credentialsThatDifferOnlyPastTheFirstChunkAreDifferentEntries() {
        MutableClock clock = new MutableClock();
        VerifiedCredentials cache = new VerifiedCredentials(clock, Duration.ofMinutes(5), 100);
        AtomicInteger checks = new AtomicInteger();
        Instant expiry = clock.instant().plus(Duration.ofMinutes(2));
        String prefix = "Bearer " + "a".repeat(900);
        for (String tail : new String[] {"b", "c", "b", "\u00e9", "c", "\u00e9"}) {
            cache.resolve(prefix + tail, c -> {
                checks.incrementAndGet();
                return new IdentityOutcome.Caller(session(expiry));
            });
        }
        assertEquals(3, checks.get(), "three distinct credentials, each verified once");
    }

    @Test
    void rejectionsAreNeverRemembered() {
        VerifiedCredentials cache = new VerifiedCredentials(new MutableClock(), Duration.ofMinutes(5), 100);
        AtomicInteger checks = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            IdentityOutcome o = cache.resolve("bad", c -> {
                checks.incrementAndGet();
                return new IdentityOutcome.Rejected(Reason.CREDENTIAL_REJECTED_MISSING, "no");
            });
            assertInstanceOf(IdentityOutcome.Rejected.class, o);
        }
        assertEquals(3, checks.get());
    }
}
