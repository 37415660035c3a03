package dev.edgeiam.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import org.jose4j.keys.EllipticCurves;

/**
 * The signature check of a compact JWS for the three algorithms {@link BearerTokenVerifier} accepts, with the JDK's
 * own {@link Signature} providers (RFC 7518 §3, https://www.rfc-editor.org/rfc/rfc7518#section-3.1):
 * <ul>
 *   <li>{@code RS256}: RSASSA-PKCS1-v1_5 with SHA-256 (§3.3), an RSA key of at least 2,048 bits ("A key of size
 *       2048 bits or larger MUST be used with these algorithms");</li>
 *   <li>{@code PS256}: RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a 32-byte salt (§3.5: "The size of the salt
 *       value is the same size as the hash function output"), the same key-size rule;</li>
 *   <li>{@code ES256}: ECDSA on P-256 with SHA-256 (§3.4), the signature exactly the 64-octet R || S ("The result is
 *       the 64-octet sequence"); no DER form is accepted.</li>
 * </ul>
 * Any other algorithm, or a key that does not suit the algorithm, does not verify. The signing input is the ASCII
 * of {@code header.payload} exactly as the token carries them (RFC 7515 §5.2).
 *
 * <p>Why not jose4j's {@code JsonWebSignature} (still used for the JWKS keys and the claims): its first use
 * registers and probes every JWS and JWE algorithm of the library against the installed JCA providers, which in a
 * fresh Lambda JVM (C1 only) cost about 110–140 ms on the first invocation, against about 6 ms for the one
 * {@link Signature} needed here (BENCHMARKS.md "Start-up against a bare Quarkus Lambda").
 */
final class JwsSignature {

    private static final PSSParameterSpec PS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            32, PSSParameterSpec.TRAILER_FIELD_BC);
    private static final int MIN_RSA_BITS = 2048;
    private static final int ES256_SIGNATURE_BYTES = 64;

    private JwsSignature() {
    }

    /**
     * Whether {@code signature} is a valid {@code alg} signature of {@code signingInput} under {@code key}.
     *
     * @throws GeneralSecurityException when the JDK cannot run the check (a provider failure); the caller treats it
     *                                  as a signature that does not verify
     */
    static boolean verify(String alg, Key key, String signingInput, byte[] signature)
            throws GeneralSecurityException {
        Signature check;
        switch (alg) {
            case "RS256" -> {
                if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    return false;
                }
                check = Signature.getInstance("SHA256withRSA");
                check.initVerify(rsa);
            }
            case "PS256" -> {
                if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    return false;
                }
                check = Signature.getInstance("RSASSA-PSS");
                check.setParameter(PS256);
                check.initVerify(rsa);
            }
            case "ES256" -> {
                if (!(key instanceof ECPublicKey ec) || !EllipticCurves.P_256.equals(
                        EllipticCurves.getName(ec.getParams().getCurve()))
                        || signature.length != ES256_SIGNATURE_BYTES) {
                    return false;
                }
                check = Signature.getInstance("SHA256withECDSAinP1363Format");
                check.initVerify(ec);
            }
            default -> {
                return false;
            }
        }
        check.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return check.verify(signature);
    }
}
