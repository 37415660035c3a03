package dev.edgeiam.policy;

import java.util.List;

/**
 * One statement of a policy ([Stmt], [Gram]): optional {@code Sid}, {@code Effect}, exactly one of
 * {@code Action}/{@code NotAction}, one of {@code Resource}/{@code NotResource} (optional only in
 * resource-based policies), optional {@code Principal}/{@code NotPrincipal} (only in resource-based
 * policies) and optional {@code Condition}. {@code index} is its 0-based position in the policy.
 */
public record Statement(int index, String sid, Effect effect, ElementList action, ElementList resource,
                        PrincipalElement principal, List<Condition> conditions, SourceSpan span, String pointer) {

    public Statement {
        conditions = List.copyOf(conditions);
    }
}
