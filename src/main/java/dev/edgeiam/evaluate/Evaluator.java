package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledCondition;
import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.compile.PolicyLayer;
import dev.edgeiam.policy.Effect;
import dev.edgeiam.request.RequestContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * IAM's decision logic for one account ([Eval] "Policy evaluation logic"):
 * <ol>
 * <li>an applying {@code Deny} in any layer — SCPs at any level, identity policies, the permissions boundary,
 * session policies — decides <b>explicit deny</b>;</li>
 * <li>otherwise the request is allowed only if the identity policies allow <b>and</b> the permissions boundary
 * (if set) allows <b>and</b> the session policies (if passed) allow <b>and</b> every SCP level (if modelled)
 * allows; a federated-user session without a session policy has no permissions;</li>
 * <li>anything else is an <b>implicit deny</b>.</li>
 * </ol>
 * {@link #decide} is the allocation-light hot path; {@link #explain} also lists every applying statement, each
 * layer's outcome and the missing context keys. Both apply the same rules (a test checks they agree).
 */
public final class Evaluator {

    public static final String ALLOWED = "allowed";
    public static final String EXPLICIT_DENY = "explicit-deny";
    public static final String NO_IDENTITY_ALLOW = "no-identity-allow";
    public static final String BOUNDARY_IMPLICIT_DENY = "boundary-implicit-deny";
    public static final String SESSION_IMPLICIT_DENY = "session-implicit-deny";
    public static final String FEDERATED_WITHOUT_SESSION_POLICY = "federated-user-without-session-policy";
    public static final String SCP_IMPLICIT_DENY = "scp-implicit-deny";

    private static final Verdict NO_IDENTITY = new Verdict(EvalDecision.IMPLICIT_DENY, NO_IDENTITY_ALLOW, null);
    private static final Verdict NO_BOUNDARY = new Verdict(EvalDecision.IMPLICIT_DENY, BOUNDARY_IMPLICIT_DENY, null);
    private static final Verdict NO_SESSION = new Verdict(EvalDecision.IMPLICIT_DENY, SESSION_IMPLICIT_DENY, null);
    private static final Verdict NO_FEDERATED = new Verdict(EvalDecision.IMPLICIT_DENY,
            FEDERATED_WITHOUT_SESSION_POLICY, null);
    private static final Verdict NO_SCP = new Verdict(EvalDecision.IMPLICIT_DENY, SCP_IMPLICIT_DENY, null);

    private Evaluator() {
    }

    /** Decides the request. No parsing, no compiling; allocates only the returned verdict when one applies. */
    public static Verdict decide(CompiledPolicySet set, RequestContext request) {
        List<PolicyLayer> layers = set.layers();
        for (int i = 0; i < layers.size(); i++) {
            CompiledStatement deny = layers.get(i).firstApplying(request, Effect.DENY);
            if (deny != null) {
                return new Verdict(EvalDecision.EXPLICIT_DENY, EXPLICIT_DENY, deny);
            }
        }
        CompiledStatement allow = set.identity().firstApplying(request, Effect.ALLOW);
        if (allow == null) {
            return NO_IDENTITY;
        }
        if (set.boundary() != null && set.boundary().firstApplying(request, Effect.ALLOW) == null) {
            return NO_BOUNDARY;
        }
        if (set.session() == null) {
            if (set.sessionKind() == SessionKind.FEDERATED_USER) {
                return NO_FEDERATED;
            }
        } else if (set.session().firstApplying(request, Effect.ALLOW) == null) {
            return NO_SESSION;
        }
        List<PolicyLayer> scps = set.serviceControlLevels();
        for (int i = 0; i < scps.size(); i++) {
            if (scps.get(i).firstApplying(request, Effect.ALLOW) == null) {
                return NO_SCP;
            }
        }
        return new Verdict(EvalDecision.ALLOWED, ALLOWED, allow);
    }

    /** Decides the request and explains the decision in full. */
    public static Decision explain(CompiledPolicySet set, RequestContext request) {
        Set<String> missing = new LinkedHashSet<>();
        List<MatchedStatement> denies = new ArrayList<>();
        List<MatchedStatement> allows = new ArrayList<>();
        List<LayerResult> results = new ArrayList<>();
        boolean[] allowedBy = new boolean[1];
        int scpLevel = 0;
        boolean scpsAllow = true;
        boolean identityAllows = false;
        boolean boundaryAllows = true;
        boolean sessionAllows = true;
        for (PolicyLayer layer : set.layers()) {
            int denyCount = denies.size();
            allowedBy[0] = false;
            layer.scan(request, new PolicyLayer.ScanSink() {
                @Override
                public void applies(CompiledStatement statement) {
                    MatchedStatement m = MatchedStatement.of(statement, layer.kind());
                    if (statement.effect() == Effect.DENY) {
                        denies.add(m);
                    } else {
                        allows.add(m);
                        allowedBy[0] = true;
                    }
                }

                @Override
                public void missingKey(CompiledCondition condition) {
                    missing.add(condition.key());
                }
            });
            boolean denied = denies.size() > denyCount;
            EvalDecision outcome = denied ? EvalDecision.EXPLICIT_DENY
                    : allowedBy[0] ? EvalDecision.ALLOWED : EvalDecision.IMPLICIT_DENY;
            int level = layer.kind() == PolicyLayer.Kind.SERVICE_CONTROL ? scpLevel++ : 0;
            results.add(new LayerResult(layer.kind(), level, outcome));
            switch (layer.kind()) {
                case IDENTITY -> identityAllows = allowedBy[0];
                case PERMISSIONS_BOUNDARY -> boundaryAllows = allowedBy[0];
                case SESSION -> sessionAllows = allowedBy[0];
                case SERVICE_CONTROL -> scpsAllow &= allowedBy[0];
            }
        }
        List<String> missingKeys = List.copyOf(missing);
        if (!denies.isEmpty()) {
            return new Decision(EvalDecision.EXPLICIT_DENY, EXPLICIT_DENY, denies, results, missingKeys);
        }
        String reason;
        if (!identityAllows) {
            reason = NO_IDENTITY_ALLOW;
        } else if (!boundaryAllows) {
            reason = BOUNDARY_IMPLICIT_DENY;
        } else if (set.session() == null && set.sessionKind() == SessionKind.FEDERATED_USER) {
            reason = FEDERATED_WITHOUT_SESSION_POLICY;
        } else if (!sessionAllows) {
            reason = SESSION_IMPLICIT_DENY;
        } else if (!scpsAllow) {
            reason = SCP_IMPLICIT_DENY;
        } else {
            return new Decision(EvalDecision.ALLOWED, ALLOWED, allows, results, missingKeys);
        }
        return new Decision(EvalDecision.IMPLICIT_DENY, reason, List.of(), results, missingKeys);
    }
}
