package dev.edgeiam.compile;

import dev.edgeiam.policy.PrincipalElement;
import dev.edgeiam.request.RequestPrincipal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a resource-based policy's {@code Principal}/{@code NotPrincipal} against the caller ([Gram]
 * {@code principal_block}; "AWS JSON policy elements: Principal"). {@code "*"} (or {@code {"AWS": "*"}}) matches
 * everyone; otherwise a listed identifier must equal one the caller is known by, exactly — IAM does not allow
 * wildcards inside principal names, so {@code *} is only meaningful alone. An account id and
 * {@code arn:<partition>:iam::<id>:root} name the same principal.
 */
final class PrincipalMatcher {

    private final boolean negated;
    private final boolean anyone;
    private final Map<String, Set<String>> listed;

    PrincipalMatcher(PrincipalElement element) {
        this.negated = element.negated();
        boolean everyone = element.anyone();
        Map<String, Set<String>> map = new HashMap<>();
        for (Map.Entry<String, List<String>> e : element.principals().entrySet()) {
            Set<String> ids = new HashSet<>();
            for (String id : e.getValue()) {
                if (id.equals("*") && e.getKey().equals("AWS")) {
                    everyone = true;
                }
                ids.add(normalise(e.getKey(), id));
            }
            map.put(e.getKey(), Set.copyOf(ids));
        }
        this.anyone = everyone;
        this.listed = Map.copyOf(map);
    }

    /** An AWS account id becomes its root ARN, so both spellings compare equal. */
    static String normalise(String type, String id) {
        if (type.equals("AWS") && id.length() == 12 && id.chars().allMatch(Character::isDigit)) {
            return "arn:aws:iam::" + id + ":root";
        }
        return id;
    }

    boolean matches(RequestPrincipal caller) {
        boolean named = anyone;
        if (!named && caller != null) {
            for (Map.Entry<String, Set<String>> e : listed.entrySet()) {
                for (String id : caller.identifiers(e.getKey())) {
                    if (e.getValue().contains(normalise(e.getKey(), id))) {
                        named = true;
                        break;
                    }
                }
            }
        }
        return named != negated;
    }
}
