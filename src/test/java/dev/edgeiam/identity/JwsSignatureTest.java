package dev.edgeiam.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.SplittableRandom;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/**
 * {@link JwsSignature}: the JDK check that replaced jose4j's {@code JsonWebSignature} on the verification path.
 * A differential property (it must agree with jose4j on valid and damaged signatures of random payloads) and the
 * key and encoding rules of RFC 7518 §3.3–3.5 that jose4j enforced as well.
 */
class JwsSignatureTest {

    private static final PublicJsonWebKey RSA = DevTokens.rsaKey("rsa");
    private static final PublicJsonWebKey EC = DevTokens.ecKey("ec");

    /** Header.payload.signature of a compact JWS signed by jose4j. */
    private record Token(String signingInput, byte[] signature, String compact) {
        static Token sign(String payload, Key key, String alg) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(payload);
            jws.setKey(key);
            jws.setAlgorithmHeaderValue(alg);
            try {
                String compact = jws.getCompactSerialization();
                int dot = compact.lastIndexOf('.');
                return new Token(compact.substring(0, dot), Base64.getUrlDecoder().decode(compact.substring(dot + 1)),
                        compact);
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }

        Token withSignature(byte[] other) {
            return new Token(signingInput, other,
                    signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(other));
        }
    }

    private static boolean jose4j(Token t, Key key, String alg) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg));
        try {
            jws.setCompactSerialization(t.compact());
            jws.setKey(key);
            return jws.verifySignature();
        } catch (JoseException e) {
            return false;
        }
    }

    private static boolean jdk(Token t, Key key, String alg) {
        try {
            return JwsSignature.verify(alg, key, t.signingInput(), t.signature());
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    @Test
    void agreesWithJose4jOnValidAndDamagedSignatures() {
        SplittableRandom random = new SplittableRandom(20261205);
        int valid = 0;
        int damaged = 0;
        for (int i = 0; i < 60; i++) {
            String alg = switch (i % 3) {
                case 0 -> "RS256";
                case 1 -> "PS256";
                default -> "ES256";
            };
            PublicJsonWebKey jwk = alg.equals("ES256") ? EC : RSA;
            StringBuilder payload = new StringBuilder("{\"sub\":\"");
            int n = random.nextInt(1, 200);
            for (int c = 0; c < n; c++) {
                payload.append((char) random.nextInt('a', 'z' + 1));
            }
            Token good = Token.sign(payload.append("\"}").toString(), jwk.getPrivateKey(), alg);
            assertTrue(jdk(good, jwk.getPublicKey(), alg), alg + " valid signature #" + i);
            assertEquals(jose4j(good, jwk.getPublicKey(), alg), jdk(good, jwk.getPublicKey(), alg));
            valid++;

            byte[] flipped = good.signature().clone();
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
            Token bad = good.withSignature(flipped);
            assertFalse(jdk(bad, jwk.getPublicKey(), alg), alg + " one flipped bit #" + i);
            assertEquals(jose4j(bad, jwk.getPublicKey(), alg), jdk(bad, jwk.getPublicKey(), alg));
            damaged++;

            Token otherInput = new Token(good.signingInput() + "x", good.signature(), good.compact());
            assertFalse(jdk(otherInput, jwk.getPublicKey(), alg), alg + " other signing input #" + i);
        }
        assertEquals(60, valid);
        assertEquals(60, damaged);
    }

    @Test
    void aKeyThatDoesNotSuitTheAlgorithmNeverVerifies() {
        Token rs = Token.sign("{}", RSA.getPrivateKey(), "RS256");
        Token es = Token.sign("{}", EC.getPrivateKey(), "ES256");
        assertFalse(jdk(rs, EC.getPublicKey(), "RS256"));
        assertFalse(jdk(rs, EC.getPublicKey(), "PS256"));
        assertFalse(jdk(es, RSA.getPublicKey(), "ES256"));
        // an algorithm outside the three
        assertFalse(jdk(rs, RSA.getPublicKey(), "RS384"));
        assertFalse(jdk(rs, RSA.getPublicKey(), "none"));
    }

    @Test
    void rsaKeysUnder2048BitsAreRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        var pair = g.generateKeyPair();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{}");
        jws.setKey(pair.getPrivate());
        jws.setAlgorithmHeaderValue("RS256");
        jws.setDoKeyValidation(false);
        String compact = jws.getCompactSerialization();
        int dot = compact.lastIndexOf('.');
        Token t = new Token(compact.substring(0, dot), Base64.getUrlDecoder().decode(compact.substring(dot + 1)),
                compact);
        assertFalse(jdk(t, pair.getPublic(), "RS256"));
    }

    @Test
    void es256OnlyOnP256AndOnlyTheSixtyFourOctetForm() throws Exception {
        Token es = Token.sign("{\"a\":1}", EC.getPrivateKey(), "ES256");
        assertTrue(jdk(es, EC.getPublicKey(), "ES256"));
        // the DER encoding of the same R || S is not the JWS form (RFC 7518 §3.4)
        byte[] der = der(es.signature());
        assertFalse(jdk(es.withSignature(der), EC.getPublicKey(), "ES256"));
        // R = S = 0 (the "psychic signature" shape) never verifies
        assertFalse(jdk(es.withSignature(new byte[64]), EC.getPublicKey(), "ES256"));
        // a P-384 key is not an ES256 key
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        var p384 = g.generateKeyPair();
        java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(p384.getPrivate());
        s.update(es.signingInput().getBytes(StandardCharsets.US_ASCII));
        assertFalse(jdk(es.withSignature(s.sign()), p384.getPublic(), "ES256"));
    }

    private static byte[] der(byte[] rs) {
        byte[] r = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, 32)).toByteArray();
        byte[] s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(rs, 32, 64)).toByteArray();
        byte[] out = new byte[6 + r.length + s.length];
        out[0] = 0x30;
        out[1] = (byte) (4 + r.length + s.length);
        out[2] = 0x02;
        out[3] = (byte) r.length;
        System.arraycopy(r, 0, out, 4, r.length);
        out[4 + r.length] = 0x02;
        out[5 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, out, 6 + r.length, s.length);
        return out;
    }
}
