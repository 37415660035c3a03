package dev.edgeiam.request;

/**
 * Supplies values for policy variables ([Vars]): the single value of a request context key, by lower-case
 * key name, or null when the key is absent or multivalued (multivalued keys cannot be variables).
 */
@FunctionalInterface
public interface VariableSource {

    /** No variable has a value. */
    VariableSource NONE = new VariableSource() {
        @Override
        public String variable(String lowerCaseKey) {
            return null;
        }
    };

    String variable(String lowerCaseKey);
}
