package dev.edgeiam.compile;

import dev.edgeiam.policy.BaseOperator;
import dev.edgeiam.policy.ConditionValue;
import dev.edgeiam.policy.value.CidrBlock;
import dev.edgeiam.policy.value.IamBinary;
import dev.edgeiam.policy.value.IamBoolean;
import dev.edgeiam.policy.value.IamDate;
import dev.edgeiam.policy.value.IamNumber;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.VariableSource;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * The positive test of a condition operator against one context value: "does this value match any of the
 * policy's values?" ([Ops]). Negation (NOR), set qualifiers and missing keys are applied by
 * {@link CompiledCondition}, so each family is written once. Policy values are typed when compiled.
 */
sealed interface ValueTest {

    boolean test(ContextValue value, int index, VariableSource variables);

    static ValueTest compile(BaseOperator operator, List<ConditionValue> values, boolean variables) {
        int n = values.size();
        switch (operator.family()) {
            case STRING: {
                CompiledPattern[] patterns = new CompiledPattern[n];
                for (int i = 0; i < n; i++) {
                    String text = values.get(i).text();
                    patterns[i] = switch (operator) {
                        case STRING_LIKE, STRING_NOT_LIKE -> CompiledPattern.stringLike(text, variables);
                        case STRING_EQUALS_IGNORE_CASE, STRING_NOT_EQUALS_IGNORE_CASE ->
                                CompiledPattern.literal(text, variables, true);
                        default -> CompiledPattern.literal(text, variables, false);
                    };
                }
                return new Patterns(patterns);
            }
            case ARN: {
                CompiledPattern[] patterns = new CompiledPattern[n];
                for (int i = 0; i < n; i++) {
                    patterns[i] = CompiledPattern.arnCondition(values.get(i).text(), variables);
                }
                return new Patterns(patterns);
            }
            case NUMERIC: {
                BigDecimal[] numbers = new BigDecimal[n];
                for (int i = 0; i < n; i++) {
                    numbers[i] = IamNumber.parse(values.get(i).text());
                }
                return new Numbers(numbers, Comparison.of(operator));
            }
            case DATE: {
                long[] dates = new long[n];
                for (int i = 0; i < n; i++) {
                    dates[i] = IamDate.parseMicros(values.get(i).text());
                }
                return new Dates(dates, Comparison.of(operator));
            }
            case BOOLEAN: {
                boolean[] booleans = new boolean[n];
                for (int i = 0; i < n; i++) {
                    booleans[i] = IamBoolean.parse(values.get(i).text());
                }
                return new Booleans(booleans);
            }
            case BINARY: {
                byte[][] binaries = new byte[n][];
                for (int i = 0; i < n; i++) {
                    binaries[i] = IamBinary.parse(values.get(i).text());
                }
                return new Binaries(binaries);
            }
            case IP: {
                CidrBlock[] blocks = new CidrBlock[n];
                for (int i = 0; i < n; i++) {
                    blocks[i] = CidrBlock.parse(values.get(i).text());
                }
                return new Blocks(blocks);
            }
            default:
                throw new IllegalArgumentException("no value test for " + operator);
        }
    }

    /** How a numeric or date operator compares the context value with a policy value. */
    enum Comparison {
        EQ, LT, LE, GT, GE;

        static Comparison of(BaseOperator operator) {
            return switch (operator) {
                case NUMERIC_LESS_THAN, DATE_LESS_THAN -> LT;
                case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> LE;
                case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> GT;
                case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> GE;
                default -> EQ;
            };
        }

        /** {@code order} is sign(context - policy). */
        boolean holds(int order) {
            return switch (this) {
                case EQ -> order == 0;
                case LT -> order < 0;
                case LE -> order <= 0;
                case GT -> order > 0;
                case GE -> order >= 0;
            };
        }
    }

    record Patterns(CompiledPattern[] patterns) implements ValueTest {
        public boolean test(ContextValue value, int index, VariableSource variables) {
            String text = value.value(index);
            for (CompiledPattern p : patterns) {
                if (p.matches(text, variables)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Numbers(BigDecimal[] numbers, Comparison comparison) implements ValueTest {
        public boolean test(ContextValue value, int index, VariableSource variables) {
            BigDecimal v = value.number(index);
            if (v == null) {
                return false;
            }
            for (BigDecimal p : numbers) {
                if (comparison.holds(v.compareTo(p))) {
                    return true;
                }
            }
            return false;
        }
    }

    record Dates(long[] dates, Comparison comparison) implements ValueTest {
        public boolean test(ContextValue value, int index, VariableSource variables) {
            long v = value.date(index);
            if (v == IamDate.INVALID) {
                return false;
            }
            for (long p : dates) {
                if (comparison.holds(Long.compare(v, p))) {
                    return true;
                }
            }
            return false;
        }
    }

    record Booleans(boolean[] booleans) implements ValueTest {
        public boolean test(ContextValue value, int index, VariableSource variables) {
            Boolean v = value.bool(index);
            if (v == null) {
                return false;
            }
            for (boolean p : booleans) {
                if (p == v) {
                    return true;
                }
            }
            return false;
        }
    }

    record Binaries(byte[][] binaries) implements ValueTest {
        public boolean test(ContextValue value, int index, VariableSource variables) {
            byte[] v = value.binary(index);
            if (v == null) {
                return false;
            }
            for (byte[] p : binaries) {
                if (Arrays.equals(p, v)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Blocks(CidrBlock[] blocks) implements ValueTest {
        public boolean test(ContextValue value, int index, VariableSource variables) {
            CidrBlock v = value.address(index);
            if (v == null) {
                return false;
            }
            for (CidrBlock p : blocks) {
                if (p.containsBlock(v)) {
                    return true;
                }
            }
            return false;
        }
    }
}
