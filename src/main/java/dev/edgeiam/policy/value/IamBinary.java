package dev.edgeiam.policy.value;

import java.util.Base64;

/** Values of {@code BinaryEquals}: standard base64 (RFC 4648 §4, padding as written). Null if invalid. */
public final class IamBinary {

    private IamBinary() {
    }

    public static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
