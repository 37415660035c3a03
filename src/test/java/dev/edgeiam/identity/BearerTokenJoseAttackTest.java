package dev.edgeiam.identity;

import dev.edgeiam.principal.MutableClock;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.*;
import java.security.interfaces.*;
import java.security.spec.*;
import java.time.Duration;
import java.util.*;

/**
 * Red-team cases against the JDK {@link JwsSignature} path of {@link BearerTokenVerifier} (commit 8b4641f) and the
 * JWKS key selection in front of it, run through the whole verifier: {@code alg} spellings and confusion (none, HS256
 * with the RSA public key as secret, RS/PS/ES mix-ups, other hashes and PSS parameters), ECDSA encodings and range
 * (DER, wrong lengths, R or S zero or at least n: CVE-2022-21449), RSA signature range, base64url and compact
 * serialization shapes, header and payload JSON that is not one object, and JWKS keys whose {@code alg}, {@code use},
 * {@code key_ops}, {@code kty} or exponent do not allow the verification. One dynamic test per case: only the listed
 * cases may be accepted, every other one must be a {@link CredentialRejectedException} (never another exception).
 */
class BearerTokenJoseAttackTest {
    /** The cases that carry a genuine signature of the IdP key over exactly the bytes sent. */
    static final Set<String> ACCEPTED = Set.of("baseline RS256", "baseline PS256", "baseline ES256",
            "alg unicode-escaped RS256", "ES256 high-s (the same signature, RFC 7518 does not require low s)",
            "b64 false without crit (RFC 7797 section 6: b64 is ignored unless critical)",
            "kid missing, one key fits the algorithm", "kid null, one key fits the algorithm",
            "jwks key key_ops=verify");
    /**
     * Where the JDK check is stricter than jose4j: jose4j's base64 decoder reads the standard alphabet and skips
     * whitespace, so these spellings of a genuine signature verified there; RFC 7515 §2 defines base64url without
     * any other characters, and the verifier refuses them as MALFORMED before the signature step anyway.
     */
    static final Set<String> STRICTER_THAN_JOSE4J = Set.of("std alphabet", "whitespace");
    record Case(String name, BearerTokenVerifier verifier, String token) { }
    final List<Case> cases = new ArrayList<>();
    static final long NOW = BearerTokenVerifierTest.NOW.getEpochSecond();
    static final PublicJsonWebKey RSA = DevTokens.rsaKey("rsa");
    static final PublicJsonWebKey EC = DevTokens.ecKey("ec");

    static String b64(byte[] b) { return Base64.getUrlEncoder().withoutPadding().encodeToString(b); }
    static String b64(String s) { return b64(s.getBytes(StandardCharsets.UTF_8)); }
    static String claims() {
        return "{\"iss\":\"" + DevTokens.ISSUER + "\",\"aud\":\"" + DevTokens.AUDIENCE + "\",\"sub\":\"u\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 3600) + "}";
    }
    static byte[] sig(String jdkAlg, AlgorithmParameterSpec p, PrivateKey k, String input) throws Exception {
        Signature s = Signature.getInstance(jdkAlg);
        if (p != null) s.setParameter(p);
        s.initSign(k);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return s.sign();
    }
    BearerTokenVerifier verifier(String jwks) {
        JwksCache c = new JwksCache(() -> jwks, new MutableClock(BearerTokenVerifierTest.NOW), Duration.ofHours(1), Duration.ofMinutes(1), 10);
        return new BearerTokenVerifier(c, DevTokens.ISSUER, Set.of(DevTokens.AUDIENCE), Duration.ofSeconds(60), 16384, new MutableClock(BearerTokenVerifierTest.NOW));
    }
    void probe(String name, BearerTokenVerifier v, String token) {
        cases.add(new Case(name, v, token));
    }

    @TestFactory
    List<DynamicTest> eachForgedOrMalformedTokenIsRejected() throws Exception {
        build();
        assertEquals(100, cases.size());
        assertEquals(cases.size(), cases.stream().map(Case::name).distinct().count(), "case names are unique");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            if (ACCEPTED.contains(c.name())) {
                assertEquals("u", c.verifier().verify(c.token()).subject());
            } else {
                assertThrows(CredentialRejectedException.class, () -> c.verifier().verify(c.token()));
            }
        })).toList();
    }

    /**
     * The same cases at the signature step alone, against jose4j's {@code JsonWebSignature} (the check 8b4641f
     * replaced), wherever the token names one of the three algorithms and a key of the JWKS: the two must agree.
     */
    @TestFactory
    List<DynamicTest> theSignatureVerdictAgreesWithJose4j() throws Exception {
        build();
        Map<String, java.security.Key> keys = Map.of("rsa", RSA.getPublicKey(), "ec", EC.getPublicKey());
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            String[] parts = c.token().split("\\.", -1);
            if (parts.length != 3 || c.token().length() > 16384) {
                continue;
            }
            Map<String, Object> header;
            try {
                header = org.jose4j.json.JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(parts[0]),
                        StandardCharsets.UTF_8));
            } catch (Exception e) {
                continue;
            }
            if (header == null) {
                continue;
            }
            Object alg = header.get("alg");
            Object kid = header.get("kid");
            if (!(alg instanceof String a) || !Set.of("RS256", "PS256", "ES256").contains(a) || !(kid instanceof String k) || !keys.containsKey(k)) {
                continue;
            }
            java.security.Key key = keys.get(kid);
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                boolean jdk;
                try {
                    jdk = JwsSignature.verify(a, key, parts[0] + "." + parts[1], Base64.getUrlDecoder().decode(parts[2]));
                } catch (GeneralSecurityException | RuntimeException e) {
                    jdk = false;
                }
                boolean jose4j;
                JsonWebSignature jws = new JsonWebSignature();
                jws.setAlgorithmConstraints(new org.jose4j.jwa.AlgorithmConstraints(
                        org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, "RS256", "PS256", "ES256"));
                try {
                    jws.setCompactSerialization(c.token());
                    jws.setKey(key);
                    jose4j = jws.verifySignature();
                } catch (org.jose4j.lang.JoseException | RuntimeException e) {
                    jose4j = false;
                }
                if (STRICTER_THAN_JOSE4J.contains(c.name())) {
                    assertTrue(jose4j && !jdk, c.name());
                } else {
                    assertEquals(jose4j, jdk, "jose4j and the JDK check disagree on " + c.name());
                }
            }));
        }
        assertTrue(tests.size() >= 50, "most cases reach the signature step: " + tests.size());
        return tests;
    }

    void build() throws Exception {
        String jwks = DevTokens.jwks(List.of(RSA, EC));
        BearerTokenVerifier v = verifier(jwks);
        String payload = b64(claims());
        PrivateKey rk = RSA.getPrivateKey(), ek = EC.getPrivateKey();
        for (String alg : List.of("RS256", "PS256", "ES256")) {
            String h = b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + (alg.equals("ES256") ? "ec" : "rsa") + "\"}");
            String in = h + "." + payload;
            byte[] s = switch (alg) {
                case "RS256" -> sig("SHA256withRSA", null, rk, in);
                case "PS256" -> sig("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), rk, in);
                default -> sig("SHA256withECDSAinP1363Format", null, ek, in);
            };
            probe("baseline " + alg, v, in + "." + b64(s));
        }
        // alg variants
        for (String alg : List.of("none", "None", "NONE", "nOnE", "HS256", "RS384", "ES384", "PS384", "EdDSA", "rs256", "RS256 ", "RS256\\u0000")) {
            String in = b64("{\"alg\":\"" + alg + "\",\"kid\":\"rsa\"}") + "." + payload;
            probe("alg " + alg + " empty sig", v, in + ".");
            probe("alg " + alg + " rs sig", v, in + "." + b64(sig("SHA256withRSA", null, rk, in)));
        }
        // HS256 with public key as secret
        for (byte[] secret : List.of(RSA.getPublicKey().getEncoded(), RSA.toJson().getBytes(StandardCharsets.UTF_8))) {
            String in = b64("{\"alg\":\"HS256\",\"kid\":\"rsa\"}") + "." + payload;
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
            m.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            probe("HS256 pubkey secret " + secret.length, v, in + "." + b64(m.doFinal(in.getBytes(StandardCharsets.US_ASCII))));
        }
        // alg non string
        probe("alg array", v, b64("{\"alg\":[\"RS256\"],\"kid\":\"rsa\"}") + "." + payload + ".AAAA");
        // unicode escape alg
        { String in = b64("{\"alg\":\"\\u0052S256\",\"kid\":\"rsa\"}") + "." + payload; probe("alg unicode-escaped RS256", v, in + "." + b64(sig("SHA256withRSA", null, rk, in))); }
        // RS/PS mixups with same key
        { String in = b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}") + "." + payload;
          probe("RS256 header PSS sig", v, in + "." + b64(sig("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), rk, in)));
          String in2 = b64("{\"alg\":\"PS256\",\"kid\":\"rsa\"}") + "." + payload;
          probe("PS256 header PKCS1 sig", v, in2 + "." + b64(sig("SHA256withRSA", null, rk, in2)));
          for (int salt : new int[]{0, 20, 64, 222}) probe("PS256 salt " + salt, v, in2 + "." + b64(sig("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, salt, 1), rk, in2)));
          probe("PS256 mgf1 sha1", v, in2 + "." + b64(sig("RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA1, 32, 1), rk, in2)));
          probe("PS256 hash sha1", v, in2 + "." + b64(sig("RSASSA-PSS", new PSSParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), rk, in2)));
          probe("PS256 sha384", v, in2 + "." + b64(sig("RSASSA-PSS", new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1), rk, in2)));
          probe("RS256 sha512 pkcs1", v, in + "." + b64(sig("SHA512withRSA", null, rk, in)));
          byte[] good = sig("SHA256withRSA", null, rk, in);
          BigInteger n = ((RSAPublicKey) RSA.getPublicKey()).getModulus();
          BigInteger sv = new BigInteger(1, good);
          probe("RS256 sig + n", v, in + "." + b64(sv.add(n).toByteArray()));
          probe("RS256 sig leading 00", v, in + "." + b64(concat(new byte[]{0}, good)));
          probe("RS256 sig 0", v, in + "." + b64(new byte[256]));
          byte[] one = new byte[256]; one[255] = 1; probe("RS256 sig 1", v, in + "." + b64(one));
          probe("RS256 sig n-1", v, in + "." + b64(fix(n.subtract(BigInteger.ONE), 256)));
          probe("RS256 sig n", v, in + "." + b64(fix(n, 256)));
          probe("RS256 ES kid", v, b64("{\"alg\":\"RS256\",\"kid\":\"ec\"}") + "." + payload + "." + b64(good));
        }
        // ES256 attacks
        { String in = b64("{\"alg\":\"ES256\",\"kid\":\"ec\"}") + "." + payload;
          byte[] good = sig("SHA256withECDSAinP1363Format", null, ek, in);
          BigInteger nn = ((ECPublicKey) EC.getPublicKey()).getParams().getOrder();
          BigInteger r = new BigInteger(1, Arrays.copyOf(good, 32)), s = new BigInteger(1, Arrays.copyOfRange(good, 32, 64));
          probe("ES256 der", v, in + "." + b64(sig("SHA256withECDSA", null, ek, in)));
          probe("ES256 zero", v, in + "." + b64(new byte[64]));
          probe("ES256 r=s=n", v, in + "." + b64(concat(fix(nn, 32), fix(nn, 32))));
          probe("ES256 r=n s=good", v, in + "." + b64(concat(fix(nn, 32), fix(s, 32))));
          probe("ES256 r + n", v, in + "." + b64(concat(fix(r.add(nn), 32), fix(s, 32))));
          probe("ES256 s + n", v, in + "." + b64(concat(fix(r, 32), fix(s.add(nn), 32))));
          probe("ES256 high-s (the same signature, RFC 7518 does not require low s)", v, in + "." + b64(concat(fix(r, 32), fix(nn.subtract(s), 32))));
          probe("ES256 63 bytes", v, in + "." + b64(Arrays.copyOf(good, 63)));
          probe("ES256 65 bytes", v, in + "." + b64(concat(good, new byte[]{0})));
          probe("ES256 66 bytes 0r0s", v, in + "." + b64(concat(concat(new byte[]{0}, Arrays.copyOf(good, 32)), concat(new byte[]{0}, Arrays.copyOfRange(good, 32, 64)))));
          probe("ES256 on rsa kid", v, b64("{\"alg\":\"ES256\",\"kid\":\"rsa\"}") + "." + payload + "." + b64(good));
          probe("ES256 sha384", v, in + "." + b64(sig("SHA384withECDSAinP1363Format", null, ek, in)));
          probe("ES256 NONEwithECDSA raw input", v, in + "." + b64(sig("NONEwithECDSAinP1363Format", null, ek, in.substring(0, 32))));
        }
        // structural
        { String in = b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}") + "." + payload;
          String s = b64(sig("SHA256withRSA", null, rk, in));
          probe("padding", v, in + "." + s + "==");
          probe("std alphabet", v, in + "." + s.replace('-', '+').replace('_', '/'));
          probe("whitespace", v, in + ". " + s);
          probe("extra dot", v, in + "." + s + ".");
          probe("jwe 5 parts", v, in + "." + s + ".AA.AA");
          probe("double dot", v, in + ".." + s);
          probe("empty payload", v, b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}") + ".." + s);
          probe("crit", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\",\"crit\":[\"b64\"],\"b64\":false}"), payload, rk));
          probe("b64 false without crit (RFC 7797 section 6: b64 is ignored unless critical)", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\",\"b64\":false}"), payload, rk));
          probe("header null", v, b64("null") + "." + payload + "." + s);
          probe("header array", v, b64("[]") + "." + payload + "." + s);
          probe("header string", v, b64("\"x\"") + "." + payload + "." + s);
          probe("header trailing garbage", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}xyz"), payload, rk));
          probe("header two objects", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}{\"alg\":\"none\"}"), payload, rk));
          probe("payload null", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}"), b64("null"), rk));
          probe("payload array", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}"), b64("[]"), rk));
          probe("payload trailing garbage", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}"), b64(claims() + "{\"exp\":1}"), rk));
          probe("payload BOM", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}"), b64("\uFEFF" + claims()), rk));
          probe("header BOM", v, signed(b64("\uFEFF{\"alg\":\"RS256\",\"kid\":\"rsa\"}"), payload, rk));
          probe("header single quotes", v, signed(b64("{'alg':'RS256','kid':'rsa'}"), payload, rk));
          probe("header unquoted", v, signed(b64("{alg:RS256,kid:rsa}"), payload, rk));
          probe("payload exp string", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}"), b64(claims().replace("\"exp\":" + (NOW + 3600), "\"exp\":\"" + (NOW + 3600) + "\"")), rk));
          probe("payload exp past (sanity)", v, signed(b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}"), b64(claims().replace("\"exp\":" + (NOW + 3600), "\"exp\":" + (NOW - 3600))), rk));
          probe("kid missing, one key fits the algorithm", v, signed(b64("{\"alg\":\"RS256\"}"), payload, rk));
          probe("kid int", v, signed(b64("{\"alg\":\"RS256\",\"kid\":1}"), payload, rk));
          probe("kid null, one key fits the algorithm", v, signed(b64("{\"alg\":\"RS256\",\"kid\":null}"), payload, rk));
          StringBuilder big = new StringBuilder(); for (int i = 0; i < 20000; i++) big.append('A');
          probe("huge", v, big + "." + payload + "." + s);
          probe("deep json", v, b64("[".repeat(5000)) + "." + payload + "." + s);
          probe("deep json obj", v, b64("{\"a\":".repeat(2000)) + "." + payload + "." + s);
        }
        // JWKS-side: key alg/use/key_ops disagreements, duplicate kid, e=1
        {
            String in = b64("{\"alg\":\"RS256\",\"kid\":\"rsa\"}") + "." + payload;
            String tok = in + "." + b64(sig("SHA256withRSA", null, rk, in));
            Map<String, Object> p = new LinkedHashMap<>(RSA.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            for (String[] kv : new String[][]{{"alg", "PS256"}, {"alg", "HS256"}, {"use", "enc"}, {"key_ops", "encrypt"}, {"key_ops", "verify"}, {"kty", "oct"}}) {
                Map<String, Object> q = new LinkedHashMap<>(p);
                q.put(kv[0], kv[0].equals("key_ops") ? List.of(kv[1]) : kv[1]);
                String doc = org.jose4j.json.JsonUtil.toJson(Map.of("keys", List.of(q)));
                probe("jwks key " + kv[0] + "=" + kv[1], verifier(doc), tok);
            }
            // duplicate kid: attacker can't add; just availability: second key same kid
            PublicJsonWebKey other = DevTokens.rsaKey("rsa");
            probe("dup kid, signing key second", verifier(DevTokens.jwks(List.of(other, RSA))), tok);
            // e = 1 key (a JWKS that lets anyone forge)
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA"); g.initialize(2048);
            RSAPublicKey pk = (RSAPublicKey) g.generateKeyPair().getPublic();
            for (BigInteger e : List.of(BigInteger.ONE, BigInteger.TWO, BigInteger.valueOf(3))) {
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("kty", "RSA"); q.put("kid", "weak"); q.put("n", b64(strip(pk.getModulus().toByteArray()))); q.put("e", b64(strip(e.toByteArray())));
                String doc = org.jose4j.json.JsonUtil.toJson(Map.of("keys", List.of(q)));
                String in2 = b64("{\"alg\":\"RS256\",\"kid\":\"weak\"}") + "." + payload;
                // forge for e=1: signature = EM
                byte[] em = pkcs1(in2, 256);
                probe("jwks e=" + e + " forged EM", verifier(doc), in2 + "." + b64(em));
            }
        }
    }
    static byte[] pkcs1(String in, int k) throws Exception {
        byte[] h = MessageDigest.getInstance("SHA-256").digest(in.getBytes(StandardCharsets.US_ASCII));
        byte[] prefix = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
        byte[] t = concat(prefix, h);
        byte[] em = new byte[k]; em[1] = 1;
        for (int i = 2; i < k - t.length - 1; i++) em[i] = (byte) 0xff;
        System.arraycopy(t, 0, em, k - t.length, t.length);
        return em;
    }
    static String signed(String h, String p, PrivateKey k) throws Exception { String in = h + "." + p; return in + "." + b64(sig("SHA256withRSA", null, k, in)); }
    static byte[] strip(byte[] b) { return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b; }
    static byte[] concat(byte[] a, byte[] b) { byte[] o = Arrays.copyOf(a, a.length + b.length); System.arraycopy(b, 0, o, a.length, b.length); return o; }
    static byte[] fix(BigInteger x, int len) { byte[] b = strip(x.toByteArray()); byte[] o = new byte[len]; System.arraycopy(b, Math.max(0, b.length - len), o, Math.max(0, len - b.length), Math.min(len, b.length)); return o; }
}
