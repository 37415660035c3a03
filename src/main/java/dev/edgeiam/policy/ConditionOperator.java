package dev.edgeiam.policy;


/**
 * A condition operator as written in a policy: a {@link BaseOperator}, an optional set qualifier
 * ({@code ForAllValues:} / {@code ForAnyValue:}) and an optional {@code IfExists} suffix
 * ([Ops] "IAM JSON policy elements: Condition operators"; [Multi] for the set qualifiers).
 *
 * <p>Operator names are matched exactly as IAM's grammar spells them (case-sensitive): the documentation
 * lists them only in this spelling, and rejecting another spelling fails closed.
 * {@code IfExists} may follow any operator except {@code Null}.
 */
public record ConditionOperator(SetQualifier qualifier, BaseOperator base, boolean ifExists) {

    /** {@code ForAllValues:}, {@code ForAnyValue:} or none. */
    public enum SetQualifier {
        NONE(""),
        FOR_ALL_VALUES("ForAllValues:"),
        FOR_ANY_VALUE("ForAnyValue:");

        private final String prefix;

        SetQualifier(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    /** Parses an operator name, or returns null when it is not one IAM knows. */
    public static ConditionOperator parse(String text) {
        SetQualifier qualifier = SetQualifier.NONE;
        String rest = text;
        if (rest.startsWith(SetQualifier.FOR_ALL_VALUES.prefix)) {
            qualifier = SetQualifier.FOR_ALL_VALUES;
            rest = rest.substring(SetQualifier.FOR_ALL_VALUES.prefix.length());
        } else if (rest.startsWith(SetQualifier.FOR_ANY_VALUE.prefix)) {
            qualifier = SetQualifier.FOR_ANY_VALUE;
            rest = rest.substring(SetQualifier.FOR_ANY_VALUE.prefix.length());
        }
        boolean ifExists = false;
        if (rest.endsWith("IfExists")) {
            ifExists = true;
            rest = rest.substring(0, rest.length() - "IfExists".length());
        }
        BaseOperator base = BaseOperator.byName(rest);
        if (base == null) {
            return null;
        }
        if (base == BaseOperator.NULL && (ifExists || qualifier != SetQualifier.NONE)) {
            return null;
        }
        return new ConditionOperator(qualifier, base, ifExists);
    }

    /** The name as IAM spells it, e.g. {@code ForAnyValue:StringLikeIfExists}. */
    public String name() {
        return qualifier.prefix + base.operatorName() + (ifExists ? "IfExists" : "");
    }

    @Override
    public String toString() {
        return name();
    }
}
