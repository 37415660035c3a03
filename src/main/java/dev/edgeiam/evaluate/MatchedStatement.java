package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.policy.SourcePosition;

/**
 * A statement that took part in a decision: which policy (its id), which layer, its Sid, its 0-based index
 * in the policy, its effect and where it is in the policy text.
 */
public record MatchedStatement(String policyId, PolicyLayer.Kind layer, String sid, int statementIndex, Effect effect,
                               SourcePosition start, SourcePosition end) {

    static MatchedStatement of(CompiledStatement s, PolicyLayer.Kind layer) {
        return new MatchedStatement(s.policy().policyId(), layer, s.source().sid(), s.source().index(), s.effect(),
                s.source().span().start(), s.source().span().end());
    }
}
