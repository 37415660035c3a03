package dev.edgeiam.policy;

import java.util.List;

/**
 * One test in a statement's {@code Condition} block: operator, context key and the values to compare.
 * Several conditions in a statement are ANDed; the values of one condition are ORed (NOR for negated
 * operators) — [Cond] "IAM JSON policy elements: Condition".
 */
public record Condition(ConditionOperator operator, String key, List<ConditionValue> values, String pointer,
                        SourcePosition position) {

    public Condition {
        values = List.copyOf(values);
    }
}
