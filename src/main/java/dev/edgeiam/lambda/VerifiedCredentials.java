package dev.edgeiam.lambda;

import dev.edgeiam.cache.BoundedCache;
import dev.edgeiam.cache.Caches;
import dev.edgeiam.cache.GenerationGuard;
import dev.edgeiam.identity.IdentityOutcome;
import dev.edgeiam.request.DeferredText;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Remembers credentials that verified, so a caller's every request does not pay for a signature check, a trust
 * policy evaluation or an STS call. Keyed by the credential's SHA-256 (the credential itself is not kept); an entry
 * lives until the earlier of the session's expiry and a fixed bound (default 5 minutes, the principal cache's TTL),
 * and only successful verifications are kept — rejections are re-checked every time. Bounded and expiring on the
 * injected clock ({@link Caches#expiring}). {@link #clear()} (on IAM changes: a role's trust policy or a
 * federation issuer's policies may have changed) also keeps a verification that was already running from being
 * remembered afterwards ({@link GenerationGuard}: its check and put are one step with the clear, so every entry held
 * was verified in the current generation and is served without a check of its own).
 */
final class VerifiedCredentials {

    private record Held(IdentityOutcome.Caller caller, Instant until) {
    }

    private final Clock clock;
    private final Duration bound;
    private final BoundedCache<CredentialDigest, Held> entries;
    /** Moved on by {@link #clear()}: a verification that began before a clear is not remembered after it. */
    private final GenerationGuard generation = new GenerationGuard();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    VerifiedCredentials(Clock clock, Duration bound, int maxEntries) {
        this.clock = clock;
        this.bound = bound;
        this.entries = Caches.expiring(clock, bound, maxEntries);
    }

    /**
     * The caller the credential verifies as, remembered or verified now by {@code verify}, which is given the
     * credential as a string (made from a {@link DeferredText} only then: a remembered credential is only digested).
     */
    IdentityOutcome resolve(CharSequence credential, Function<String, IdentityOutcome> verify) {
        if (credential == null || credential.isEmpty()) {
            return verify.apply(credential == null ? null : credential.toString());
        }
        CredentialDigest key = CredentialDigest.of(credential);
        Instant now = clock.instant();
        long started = generation.current();
        Held e = entries.getIfPresent(key);
        if (e != null) {
            if (now.isBefore(e.until()) && e.caller().session().validAt(now)) {
                hits.increment();
                return e.caller();
            }
            entries.remove(key, e);
        }
        misses.increment();
        IdentityOutcome outcome = verify.apply(credential.toString());
        if (outcome instanceof IdentityOutcome.Caller caller && caller.session().expiryKnown()) {
            // the earlier of the session's expiry and the bound, without adding a bound that may reach past
            // Instant.MAX (the setting is any non-negative duration)
            Instant expires = caller.session().expiresAt();
            Instant until = Duration.between(now, expires).compareTo(bound) <= 0 ? expires : now.plus(bound);
            Held held = new Held(caller, until);
            generation.putIfUnchanged(started, entries, key, held);
        }
        return outcome;
    }

    /** Credentials answered from the cache since it was made (for the metrics). */
    long hits() {
        return hits.sum();
    }

    /** Credentials that had to be verified since it was made (a missing credential is neither). */
    long misses() {
        return misses.sum();
    }

    void clear() {
        generation.invalidate(entries::invalidateAll);
    }

    /**
     * SHA-256 of a credential's UTF-8 bytes, the cache's key (the credential itself is not kept). A bearer token is
     * ASCII and about a kilobyte: still in the event's bytes ({@link DeferredText}) it is digested from them; as a
     * string it is fed to a per-thread digest through a small buffer instead of being copied into a byte array
     * first; anything else is encoded whole, so every way gives the digest of the same bytes.
     */
    static final class CredentialDigest {

        private static final ThreadLocal<Encoder> ENCODERS = new ThreadLocal<>() {
            @Override
            protected Encoder initialValue() {
                return new Encoder();
            }
        };

        private final long a;
        private final long b;
        private final long c;
        private final long d;

        private CredentialDigest(byte[] sha256) {
            this.a = word(sha256, 0);
            this.b = word(sha256, 8);
            this.c = word(sha256, 16);
            this.d = word(sha256, 24);
        }

        private static long word(byte[] bytes, int at) {
            long w = 0;
            for (int i = at; i < at + 8; i++) {
                w = (w << 8) | (bytes[i] & 0xFF);
            }
            return w;
        }

        /** The digest of the credential's text: of a {@link DeferredText}, of the bytes it was read from. */
        static CredentialDigest of(CharSequence credential) {
            Encoder encoder = ENCODERS.get();
            return new CredentialDigest(credential instanceof DeferredText text ? encoder.sha256(text)
                    : encoder.sha256(credential.toString()));
        }

        /** The digest as 32 bytes (for tests). */
        byte[] bytes() {
            return ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CredentialDigest k && k.a == a && k.b == b && k.c == c && k.d == d;
        }

        @Override
        public int hashCode() {
            return (int) a;
        }

        private static final class Encoder {
            private final MessageDigest sha;
            private static final int CHUNK = 256;
            private final char[] chars = new char[CHUNK];
            private final byte[] chunk = new byte[CHUNK];

            Encoder() {
                try {
                    sha = MessageDigest.getInstance("SHA-256");
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("SHA-256 is always available", e);
                }
            }

            /**
             * The text's UTF-8 bytes; for a text with an unpaired surrogate, which UTF-8 writes as {@code ?} (so
             * {@code "a"} + U+D800 and {@code "a?"} would share a key), a 0xFF byte — never part of UTF-8 — then its
             * UTF-16BE bytes, which keep every char.
             */
            private static byte[] lossless(String text) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                if (new String(utf8, StandardCharsets.UTF_8).equals(text)) {
                    return utf8;
                }
                byte[] utf16 = text.getBytes(StandardCharsets.UTF_16BE);
                byte[] marked = new byte[utf16.length + 1];
                marked[0] = (byte) 0xFF;
                System.arraycopy(utf16, 0, marked, 1, utf16.length);
                return marked;
            }

            /** SHA-256 of an ASCII text's bytes, which are its UTF-8 bytes (as {@link #sha256(String)} takes them). */
            byte[] sha256(DeferredText text) {
                sha.reset();
                text.digestInto(sha);
                return sha.digest();
            }

            /**
             * SHA-256 of the text's UTF-8 bytes ({@link #lossless}). An ASCII text (a bearer token, a presigned URL)
             * is fed a chunk at a time without encoding it whole: the chunk's chars are copied out in bulk, or-ed
             * together (any char of 0x80 or more sends the whole text to {@link #lossless} instead) and narrowed to
             * bytes — three loops the JIT can vectorise, where one loop reading {@code charAt} and testing each char
             * could not.
             */
            byte[] sha256(String text) {
                sha.reset();
                int n = text.length();
                for (int from = 0; from < n; from += CHUNK) {
                    int length = Math.min(CHUNK, n - from);
                    text.getChars(from, from + length, chars, 0);
                    int any = 0;
                    for (int i = 0; i < length; i++) {
                        any |= chars[i];
                    }
                    if (any >= 0x80) {
                        sha.reset();
                        return sha.digest(lossless(text));
                    }
                    for (int i = 0; i < length; i++) {
                        chunk[i] = (byte) chars[i];
                    }
                    sha.update(chunk, 0, length);
                }
                return sha.digest();
            }
        }
    }
}
