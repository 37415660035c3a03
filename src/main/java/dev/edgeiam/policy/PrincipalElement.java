package dev.edgeiam.policy;

import java.util.List;
import java.util.Map;

/**
 * {@code Principal} or {@code NotPrincipal} of a resource-based (e.g. trust) policy: either {@code "*"}
 * or a map from principal kind ({@code AWS}, {@code Service}, {@code Federated}, {@code CanonicalUser})
 * to the principals named ([Gram] {@code principal_block}).
 */
public record PrincipalElement(boolean negated, boolean anyone, Map<String, List<String>> principals,
                               String pointer) {

    public PrincipalElement {
        principals = Map.copyOf(principals);
    }
}
