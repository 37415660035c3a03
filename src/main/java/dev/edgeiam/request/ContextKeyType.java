package dev.edgeiam.request;

import java.util.Locale;

/**
 * The twelve value types of IAM's {@code ContextEntry.ContextKeyType} (IAM API reference,
 * {@code ContextEntry}). The {@code ...List} types make a key multivalued ([Multi]).
 */
public enum ContextKeyType {
    STRING("string", false),
    STRING_LIST("stringList", true),
    NUMERIC("numeric", false),
    NUMERIC_LIST("numericList", true),
    BOOLEAN("boolean", false),
    BOOLEAN_LIST("booleanList", true),
    IP("ip", false),
    IP_LIST("ipList", true),
    BINARY("binary", false),
    BINARY_LIST("binaryList", true),
    DATE("date", false),
    DATE_LIST("dateList", true);

    private final String apiName;
    private final boolean multivalued;

    ContextKeyType(String apiName, boolean multivalued) {
        this.apiName = apiName;
        this.multivalued = multivalued;
    }

    public String apiName() {
        return apiName;
    }

    public boolean multivalued() {
        return multivalued;
    }

    /** Looks up an API name ({@code "stringList"}); case-insensitive; null when unknown. */
    public static ContextKeyType fromApiName(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (ContextKeyType t : values()) {
            if (t.apiName.toLowerCase(Locale.ROOT).equals(lower)) {
                return t;
            }
        }
        return null;
    }
}
