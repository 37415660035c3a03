package dev.edgeiam.request;

/**
 * Case folding for the names IAM compares case-insensitively: action names ([Act]) and condition key names
 * ([Cond]). IAM's names are ASCII, so only A–Z fold; {@code String.toLowerCase} would also fold look-alikes such as
 * U+212A KELVIN SIGN to {@code k} and let a spoofed name match a real one.
 */
public final class IamNames {

    private IamNames() {
    }

    /** The name with A–Z lower-cased and every other character unchanged. */
    public static String fold(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? s : out.toString();
    }
}
