package dev.edgeiam.policy.value;

/**
 * Values of the {@code Bool} operator. AWS documents {@code "true"}/{@code "false"}; other capitalisations
 * are reported to be honoured, so the comparison ignores case (a JSON boolean arrives here as its text).
 * Returns null for anything else.
 */
public final class IamBoolean {

    private IamBoolean() {
    }

    public static Boolean parse(String text) {
        if ("true".equalsIgnoreCase(text)) {
            return Boolean.TRUE;
        }
        if ("false".equalsIgnoreCase(text)) {
            return Boolean.FALSE;
        }
        return null;
    }
}
