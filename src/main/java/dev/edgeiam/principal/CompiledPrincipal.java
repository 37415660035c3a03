package dev.edgeiam.principal;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.evaluate.CompiledPolicySet;
import dev.edgeiam.evaluate.SessionKind;
import dev.edgeiam.policy.PolicyException;
import dev.edgeiam.policy.PolicyParser;
import dev.edgeiam.policy.PolicyType;
import dev.edgeiam.request.ContextValue;
import dev.edgeiam.request.RequestContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A principal ready for the request path: its policies compiled into a {@link CompiledPolicySet} and the
 * principal context keys its identity implies ([Vars] principal table, [Keys]): {@code aws:username} (IAM users
 * only), {@code aws:userid}, {@code aws:PrincipalArn} (the role's ARN for a session, not the session ARN),
 * {@code aws:PrincipalAccount}, {@code aws:PrincipalType} and one {@code aws:PrincipalTag/KEY} per tag.
 * Immutable and thread-safe.
 *
 * @param principal   who
 * @param policies    the identity, boundary (if any) layers and the session kind
 * @param contextKeys the principal keys, to add to a request where it does not give them
 * @param trust       the role's compiled trust policy, or null
 * @param sourceArns  see {@link PrincipalPolicies#sourceArns()}: what the cache's policy index points at
 * @param viewVersion the version of the account view this principal was compiled from (written to every decision
 *                    log line), or null when the source has no versions
 */
public record CompiledPrincipal(Principal principal, CompiledPolicySet policies, List<ContextValue> contextKeys,
                                CompiledPolicy trust, Set<String> sourceArns, String viewVersion) {

    public CompiledPrincipal {
        contextKeys = List.copyOf(contextKeys);
        sourceArns = Set.copyOf(sourceArns);
    }

    /**
     * Parses and compiles every document. Called when the cache fills, never per request. The account's SCP levels
     * (already compiled with the account view, exemptions applied by {@link ServiceControlChain#levelsFor}) become
     * the set's SCP layers, and its organization facts the keys {@code aws:PrincipalOrgID} and
     * {@code aws:PrincipalOrgPaths} ([Keys], https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
     *
     * @throws PolicyException when a stored document does not parse (the caller treats it as a failed load)
     */
    public static CompiledPrincipal compile(PrincipalPolicies policies) {
        Principal p = policies.principal();
        CompiledPolicySet.Builder set = CompiledPolicySet.builder().sessionKind(sessionKind(p.kind()));
        for (NamedPolicy n : policies.identity()) {
            set.identity(compile(n));
        }
        if (policies.boundary() != null) {
            set.boundary(compile(policies.boundary()));
        }
        List<ContextValue> keys = contextKeys(p);
        ServiceControlChain chain = policies.serviceControls();
        if (chain != null) {
            for (ServiceControlChain.Level level : chain.levelsFor(p)) {
                set.serviceControlLevel(level.policies());
            }
            if (chain.organizationId() != null) {
                keys = new ArrayList<>(keys);
                keys.add(ContextValue.single("aws:PrincipalOrgID", chain.organizationId()));
                String path = chain.organizationPath();
                if (path != null) {
                    keys.add(ContextValue.multi("aws:PrincipalOrgPaths", List.of(path)));
                }
            }
        }
        CompiledPolicy trust = policies.trust() == null ? null : compile(policies.trust());
        return new CompiledPrincipal(p, set.build(), keys, trust, policies.sourceArns(), policies.viewVersion());
    }

    private static CompiledPolicy compile(NamedPolicy n) {
        PolicyType type = n.type();
        // An AWS managed policy used as a boundary is written by AWS and may exceed the customer quota.
        if (n.managed() && n.sourceArn().contains(":iam::aws:policy/")) {
            type = PolicyType.AWS_MANAGED;
        }
        return CompiledPolicy.compile(PolicyParser.parse(n.document(), type, n.policyId()));
    }

    static SessionKind sessionKind(Principal.Kind kind) {
        return switch (kind) {
            case USER -> SessionKind.NONE;
            case ROLE, ASSUMED_ROLE -> SessionKind.ROLE_SESSION;
            case FEDERATED_USER -> SessionKind.FEDERATED_USER;
        };
    }

    /** The principal keys exactly as the [Vars] principal table gives them for this kind of caller. */
    static List<ContextValue> contextKeys(Principal p) {
        List<ContextValue> keys = new ArrayList<>();
        if (p.userName() != null) {
            keys.add(ContextValue.single("aws:username", p.userName()));
        }
        if (p.userId() != null) {
            keys.add(ContextValue.single("aws:userid", p.userId()));
        }
        keys.add(ContextValue.single("aws:PrincipalArn", p.entityArn()));
        keys.add(ContextValue.single("aws:PrincipalAccount", p.accountId()));
        keys.add(ContextValue.single("aws:PrincipalType", p.kind().principalType()));
        for (Map.Entry<String, String> tag : p.tags().entrySet()) {
            keys.add(ContextValue.single("aws:PrincipalTag/" + tag.getKey(), tag.getValue()));
        }
        return keys;
    }

    /** Adds the principal keys the request does not already carry (given entries win). */
    public RequestContext.Builder addContextKeys(RequestContext.Builder request) {
        for (ContextValue k : contextKeys) {
            request.putIfAbsent(k);
        }
        return request;
    }

    /** A request for this principal with its keys already in. */
    public RequestContext.Builder request(String action, String resource) {
        return addContextKeys(RequestContext.builder(action, resource));
    }
}
