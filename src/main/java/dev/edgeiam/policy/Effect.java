package dev.edgeiam.policy;

/** A statement's {@code Effect}: exactly {@code "Allow"} or {@code "Deny"} (case-sensitive). */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String text;

    Effect(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    static Effect fromText(String text) {
        if ("Allow".equals(text)) {
            return ALLOW;
        }
        if ("Deny".equals(text)) {
            return DENY;
        }
        return null;
    }
}
