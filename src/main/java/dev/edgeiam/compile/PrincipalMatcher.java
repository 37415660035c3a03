package dev.edgeiam.compile;

import dev.edgeiam.policy.PrincipalElement;
import dev.edgeiam.request.PrincipalForm;
import dev.edgeiam.request.RequestPrincipal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a resource-based policy's {@code Principal}/{@code NotPrincipal} against the caller ([Gram]
 * {@code principal_block}; "AWS JSON policy elements: Principal"). {@code "*"} (or {@code {"AWS": "*"}}) matches
 * everyone; otherwise a listed identifier must equal one the caller is known by, exactly — IAM does not allow
 * wildcards inside principal names, so {@code *} is only meaningful alone. Identifiers compare in
 * {@link RequestPrincipal#canonical} form: an account id and {@code arn:<partition>:iam::<id>:root} name the same
 * principal, and so do a user's or role's ARN with and without its path.
 *
 * <p>Besides whether the caller is named, the matcher says <em>how</em>: by which {@link PrincipalForm} (the
 * combination rule treats a same-account grant to a user ARN differently from one to a role ARN).
 */
final class PrincipalMatcher {

    private final boolean negated;
    private final boolean anyone;
    private final Map<String, Set<String>> listed;

    PrincipalMatcher(PrincipalElement element) {
        this.negated = element.negated();
        boolean everyone = element.anyone();
        Map<String, Set<String>> map = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : element.principals().entrySet()) {
            Set<String> ids = new HashSet<>();
            for (String id : e.getValue()) {
                if (id.equals("*") && e.getKey().equals(RequestPrincipal.AWS)) {
                    everyone = true;
                }
                ids.add(RequestPrincipal.canonical(e.getKey(), id));
            }
            map.put(e.getKey(), Set.copyOf(ids));
        }
        this.anyone = everyone;
        this.listed = Map.copyOf(map);
    }

    boolean matches(RequestPrincipal caller) {
        return names(caller, null);
    }

    /**
     * Whether the element names the caller by one of {@code forms} (any form when null). {@code "*"} names it as
     * {@link PrincipalForm#ANYONE}; a {@code NotPrincipal} that does not list the caller as {@link PrincipalForm#OTHER}
     * (AWS says nothing of how such a grant combines within an account; OTHER is the capped reading).
     */
    boolean names(RequestPrincipal caller, Set<PrincipalForm> forms) {
        if (negated) {
            // NotPrincipal: applies to everyone it does not list ("AWS JSON policy elements: NotPrincipal")
            return !listsCaller(caller, null) && (forms == null || forms.contains(PrincipalForm.OTHER));
        }
        if (anyone && (forms == null || forms.contains(PrincipalForm.ANYONE))) {
            return true;
        }
        return listsCaller(caller, forms);
    }

    private boolean listsCaller(RequestPrincipal caller, Set<PrincipalForm> forms) {
        if (anyone && negated) {
            return true;
        }
        if (caller == null) {
            return false;
        }
        for (Map.Entry<String, Set<String>> e : listed.entrySet()) {
            for (String id : caller.identifiers(e.getKey())) {
                if (e.getValue().contains(id)
                        && (forms == null || forms.contains(RequestPrincipal.form(e.getKey(), id)))) {
                    return true;
                }
            }
        }
        return false;
    }
}
