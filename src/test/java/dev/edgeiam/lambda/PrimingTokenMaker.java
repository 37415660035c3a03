package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Makes the key set and the token {@link AuthorizerPathPriming} carries: a fresh 2048-bit RSA key pair, its public
 * half as a JWKS and one RS256 token for the priming issuer and audience (naming no role: priming's verifier takes
 * the deployment's ARN of its role as the default role), valid from 2025-12-01 to 2100-01-01;
 * the private half is never written anywhere and is gone when this program ends, so no one can sign another token
 * for that key. Prints the two Java constants to paste into {@link AuthorizerPathPriming}. Run again (and paste)
 * only to change the token's claims:
 * <pre>
 * java -cp target/test-classes:$(cat target/classpath.txt) dev.edgeiam.lambda.PrimingTokenMaker
 * </pre>
 */
public final class PrimingTokenMaker {

    private PrimingTokenMaker() {
    }

    public static void main(String[] args) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        ObjectNode jwks = JsonNodeFactory.instance.objectNode();
        jwks.putArray("keys").addObject().put("kty", "RSA").put("kid", AuthorizerPathPriming.KEY_ID).put("use", "sig")
                .put("alg", "RS256").put("n", unsigned(key.getModulus())).put("e", unsigned(key.getPublicExponent()));
        ObjectNode header = JsonNodeFactory.instance.objectNode().put("alg", "RS256")
                .put("kid", AuthorizerPathPriming.KEY_ID).put("typ", "JWT");
        ObjectNode claims = JsonNodeFactory.instance.objectNode().put("iss", AuthorizerPathPriming.ISSUER)
                .put("aud", AuthorizerPathPriming.AUDIENCE).put("sub", "edgeiam-priming")
                .put("iat", 1_764_547_200L).put("nbf", 1_764_547_200L).put("exp", 4_102_444_800L);
        claims.putObject("https://aws.amazon.com/tags").putObject("principal_tags").putArray("team")
                .add(AuthorizerPathPriming.TEAM);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(keys.getPrivate());
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String token = signingInput + "." + b64.encodeToString(signature.sign());
        System.out.println("    static final String JWKS = " + javaString(jwks.toString()) + ";");
        System.out.println("    static final String TOKEN = " + javaString(token) + ";");
    }

    /** A JWK integer: its unsigned big-endian bytes in base64url (RFC 7518 §6.3.1.1). */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The text as a Java string literal, split into lines of at most 100 characters. */
    private static String javaString(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i += 100) {
            out.append(i == 0 ? "" : "\n            + ").append('"')
                    .append(text.substring(i, Math.min(text.length(), i + 100)).replace("\\", "\\\\")
                            .replace("\"", "\\\""))
                    .append('"');
        }
        return out.toString();
    }
}
