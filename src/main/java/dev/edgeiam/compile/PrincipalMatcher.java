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
 * {@link RequestPrincipal#canonical} form: a user's or role's ARN with and without its path name the same principal.
 * A bare account id names the account's root in the partition the policy is evaluated in — which is the caller's:
 * a caller's account appears among its identifiers as {@code arn:<its partition>:iam::<id>:root}, so the id matches
 * that root ARN in every partition, while a root ARN matches only in its own.
 *
 * <p>Besides whether the caller is named, the matcher says <em>how</em>: by which {@link PrincipalForm} (the
 * combination rule treats a same-account grant to a user ARN differently from one to a role ARN).
 */
final class PrincipalMatcher {

    private final boolean negated;
    private final boolean anyone;
    private final Map<String, Set<String>> listed;
    /** The bare account ids listed under {@code AWS}. */
    private final Set<String> accounts;

    PrincipalMatcher(PrincipalElement element) {
        this.negated = element.negated();
        boolean everyone = element.anyone();
        Map<String, Set<String>> map = new java.util.HashMap<>();
        Set<String> accountIds = new HashSet<>();
        for (Map.Entry<String, List<String>> e : element.principals().entrySet()) {
            Set<String> ids = new HashSet<>();
            boolean aws = e.getKey().equals(RequestPrincipal.AWS);
            for (String id : e.getValue()) {
                if (id.equals("*") && aws) {
                    everyone = true;
                }
                ids.add(RequestPrincipal.canonical(e.getKey(), id));
                if (aws && RequestPrincipal.isAccountId(id)) {
                    accountIds.add(id);
                }
            }
            map.put(e.getKey(), Set.copyOf(ids));
        }
        this.anyone = everyone;
        this.listed = Map.copyOf(map);
        this.accounts = Set.copyOf(accountIds);
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
        if (!accounts.isEmpty() && (forms == null || forms.contains(PrincipalForm.ACCOUNT))) {
            for (String id : caller.identifiers(RequestPrincipal.AWS)) {
                String account = RequestPrincipal.rootAccount(id);
                if (account != null && accounts.contains(account)) {
                    return true;
                }
            }
        }
        return false;
    }
}
