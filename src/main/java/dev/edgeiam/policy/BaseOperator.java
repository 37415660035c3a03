package dev.edgeiam.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Every base condition operator IAM defines ([Ops]), with its value family and whether it is a negated
 * operator (values combine as NOR, and a missing key makes it true — [Cond], [Multi]).
 */
public enum BaseOperator {
    STRING_EQUALS("StringEquals", Family.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING, true),
    STRING_LIKE("StringLike", Family.STRING, false),
    STRING_NOT_LIKE("StringNotLike", Family.STRING, true),
    NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true),
    NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false),
    DATE_EQUALS("DateEquals", Family.DATE, false),
    DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true),
    DATE_LESS_THAN("DateLessThan", Family.DATE, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false),
    DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false),
    BOOL("Bool", Family.BOOLEAN, false),
    BINARY_EQUALS("BinaryEquals", Family.BINARY, false),
    IP_ADDRESS("IpAddress", Family.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", Family.IP, true),
    ARN_EQUALS("ArnEquals", Family.ARN, false),
    ARN_LIKE("ArnLike", Family.ARN, false),
    ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, true),
    ARN_NOT_LIKE("ArnNotLike", Family.ARN, true),
    NULL("Null", Family.NULL, false);

    /** The kind of value an operator compares; decides how policy values are typed at compile time. */
    public enum Family {
        STRING, NUMERIC, DATE, BOOLEAN, BINARY, IP, ARN, NULL;

        /** [Vars]: policy variables are substituted only in String and ARN operator values. */
        public boolean allowsVariables() {
            return this == STRING || this == ARN;
        }
    }

    private static final Map<String, BaseOperator> BY_NAME = new HashMap<>();

    static {
        for (BaseOperator op : values()) {
            BY_NAME.put(op.operatorName, op);
        }
    }

    private final String operatorName;
    private final Family family;
    private final boolean negated;

    BaseOperator(String operatorName, Family family, boolean negated) {
        this.operatorName = operatorName;
        this.family = family;
        this.negated = negated;
    }

    public String operatorName() {
        return operatorName;
    }

    public Family family() {
        return family;
    }

    public boolean negated() {
        return negated;
    }

    static BaseOperator byName(String name) {
        return BY_NAME.get(name);
    }
}
