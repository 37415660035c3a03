package dev.edgeiam.request;

/**
 * Supplies values for policy variables ([Vars]): the single value of a request context key, by lower-case
 * key name, or null when the key is absent or multivalued (multivalued keys cannot be variables).
 */
@FunctionalInterface
public interface VariableSource {

    VariableSource NONE = key -> null;

    String variable(String lowerCaseKey);
}
