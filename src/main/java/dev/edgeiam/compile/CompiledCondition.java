package dev.edgeiam.compile;

import dev.edgeiam.policy.BaseOperator;
import dev.edgeiam.policy.Condition;
import dev.edgeiam.policy.ConditionOperator;
import dev.edgeiam.policy.ConditionValue;
import dev.edgeiam.policy.value.IamBoolean;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import java.util.Locale;

/**
 * One compiled condition: key (looked up case-insensitively — [Cond]), operator and typed values.
 *
 * <p>Semantics ([Cond], [Multi], [Ops]):
 * <ul>
 * <li>Values of one key are ORed; for negated operators they combine as NOR (true only if the context value
 * matches none of them).</li>
 * <li>Key absent: {@code ...IfExists} → true; {@code ForAllValues:} → true; {@code ForAnyValue:} → false;
 * otherwise negated operators → true and all others → false.</li>
 * <li>{@code ForAnyValue:} — some context value satisfies the (possibly negated) operator; an empty set → false.
 * {@code ForAllValues:} — every context value does; an empty set → true.</li>
 * <li>A multivalued key under a bare operator: AWS requires a set operator and gives no result; we decide that
 * positive operators do not match and negated ones do (so a Deny written with a bare negated operator still
 * applies — the fail-closed reading).</li>
 * <li>{@code Null}: {@code true} holds when the key is absent, {@code false} when it is present. A key whose value
 * list is empty counts as absent; an empty string is a present value (AWS is silent; choice recorded in tests).</li>
 * </ul>
 */
public final class CompiledCondition {

    private final Condition source;
    private final String lowerKey;
    private final ConditionOperator operator;
    private final boolean negated;
    private final ValueTest test;
    private final boolean nullWhenAbsent;
    private final boolean nullWhenPresent;
    private final java.util.List<String> variables;

    CompiledCondition(Condition source, boolean variables) {
        this.source = source;
        this.lowerKey = dev.edgeiam.request.IamNames.fold(source.key());
        this.operator = source.operator();
        this.negated = operator.base().negated();
        java.util.Set<String> vars = new java.util.LinkedHashSet<>();
        if (variables && operator.base().family().allowsVariables()) {
            for (ConditionValue v : source.values()) {
                vars.addAll(CompiledPattern.stringLike(v.text(), true).variables());
            }
        }
        this.variables = java.util.List.copyOf(vars);
        if (operator.base() == BaseOperator.NULL) {
            boolean absent = false;
            boolean present = false;
            for (ConditionValue v : source.values()) {
                if (IamBoolean.parse(v.text())) {
                    absent = true;
                } else {
                    present = true;
                }
            }
            this.nullWhenAbsent = absent;
            this.nullWhenPresent = present;
            this.test = null;
        } else {
            this.nullWhenAbsent = false;
            this.nullWhenPresent = false;
            this.test = ValueTest.compile(operator.base(), source.values(), variables);
        }
    }

    public Condition source() {
        return source;
    }

    /** The key as the policy spells it. */
    public String key() {
        return source.key();
    }

    /** The key in lower case (IAM compares key names case-insensitively). */
    public String lowerKey() {
        return lowerKey;
    }

    /** Lower-case names of the policy variables used in the condition's values (String and ARN operators). */
    public java.util.List<String> variables() {
        return variables;
    }

    /** Whether the condition holds for the request. */
    public boolean holds(RequestContext request) {
        return holds(request.get(lowerKey), request);
    }

    /** The key's value in the request, or null when absent. */
    public ContextValue lookup(RequestContext request) {
        return request.get(lowerKey);
    }

    /** Whether the condition holds, given the key's value already looked up ({@link #lookup}). */
    public boolean holds(ContextValue value, RequestContext request) {
        if (test == null) {
            boolean absent = value == null || value.size() == 0;
            return absent ? nullWhenAbsent : nullWhenPresent;
        }
        if (value == null) {
            if (operator.ifExists()) {
                return true;
            }
            return switch (operator.qualifier()) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
                case NONE -> negated;
            };
        }
        int n = value.size();
        switch (operator.qualifier()) {
            case FOR_ANY_VALUE:
                for (int i = 0; i < n; i++) {
                    if (test.test(value, i, request) != negated) {
                        return true;
                    }
                }
                return false;
            case FOR_ALL_VALUES:
                for (int i = 0; i < n; i++) {
                    if (test.test(value, i, request) == negated) {
                        return false;
                    }
                }
                return true;
            default:
                if (value.multivalued() || n != 1) {
                    if (n == 0) {
                        return operator.ifExists() || negated;
                    }
                    return negated;
                }
                return test.test(value, 0, request) != negated;
        }
    }

    @Override
    public String toString() {
        return operator + " " + source.key();
    }
}
