package dev.edgeiam.policy;

/**
 * The policy language version ([Ver] "IAM JSON policy elements: Version").
 * Policy variables are recognised only in {@code 2012-10-17}; with {@code 2008-10-17} or no
 * {@code Version} element, {@code ${...}} is literal text.
 */
public enum PolicyVersion {
    V2012_10_17("2012-10-17"),
    V2008_10_17("2008-10-17");

    private final String text;

    PolicyVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public boolean supportsVariables() {
        return this == V2012_10_17;
    }

    static PolicyVersion fromText(String text) {
        for (PolicyVersion v : values()) {
            if (v.text.equals(text)) {
                return v;
            }
        }
        return null;
    }
}
