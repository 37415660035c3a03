package dev.edgeiam.policy;

/**
 * One value of a condition, as written: its text and whether it was a JSON string, number or boolean
 * (IAM accepts all three and compares their text; [Gram] {@code condition_value}).
 */
public record ConditionValue(String text, Kind kind, SourcePosition position, String pointer) {

    public enum Kind { STRING, NUMBER, BOOLEAN }
}
