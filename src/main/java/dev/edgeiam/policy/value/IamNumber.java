package dev.edgeiam.policy.value;

import java.math.BigDecimal;

/**
 * Parses values for IAM's {@code Numeric*} operators: an integer or decimal with optional sign ([Ops]
 * "integer or decimal"). Exponent notation, hexadecimal, NaN and infinities are refused. At most 64
 * characters, so a hostile value cannot make comparison expensive. Returns null when not a number.
 */
public final class IamNumber {

    private IamNumber() {
    }

    public static BigDecimal parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        int i = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        int digits = 0;
        boolean dot = false;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return null;
            }
        }
        if (digits == 0) {
            return null;
        }
        return new BigDecimal(text);
    }
}
