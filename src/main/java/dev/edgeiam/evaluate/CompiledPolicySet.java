package dev.edgeiam.evaluate;

import dev.edgeiam.compile.CompiledPolicy;
import dev.edgeiam.compile.PolicyLayer;

import dev.edgeiam.compile.CompiledStatement;
import dev.edgeiam.request.RequestContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Everything that decides for one principal, compiled: identity-based policies, the permissions boundary
 * (absent when none is set), the session policies (absent when none was passed), the SCPs per organization
 * level (outermost first; empty when not modelled) and the kind of session. Immutable and thread-safe:
 * compile once when the principal enters the cache, evaluate concurrently.
 */
public final class CompiledPolicySet {

    private final PolicyLayer identity;
    private final PolicyLayer boundary;
    private final PolicyLayer session;
    private final List<PolicyLayer> serviceControlLevels;
    private final SessionKind sessionKind;
    private final List<PolicyLayer> denyOrder;
    private final List<PolicyLayer> allowOrder;
    /** Lower-case action → keys its statements can read; filled on first ask, bounded by the actions asked. */
    private final ConcurrentMap<String, Set<String>> keysByAction = new ConcurrentHashMap<>();
    /** {@link #readsResourceTagsOfAnyAction}: 0 not computed yet, 1 no, 2 yes. */
    private volatile byte readsAnyResourceTags;
    /** {@link #computeKeys} as {@link #keysByAction}'s mapping function: one per set, so an ask allocates nothing. */
    private final Function<String, Set<String>> keysOfAction = new KeysOfAction(this);

    private CompiledPolicySet(Builder b) {
        this.identity = new PolicyLayer(PolicyLayer.Kind.IDENTITY, b.identity);
        this.boundary = b.boundary == null ? null : new PolicyLayer(PolicyLayer.Kind.PERMISSIONS_BOUNDARY, b.boundary);
        this.session = b.session == null ? null : new PolicyLayer(PolicyLayer.Kind.SESSION, b.session);
        List<PolicyLayer> levels = new ArrayList<>();
        for (List<CompiledPolicy> level : b.serviceControlLevels) {
            levels.add(new PolicyLayer(PolicyLayer.Kind.SERVICE_CONTROL, level));
        }
        this.serviceControlLevels = List.copyOf(levels);
        this.sessionKind = b.sessionKind;
        List<PolicyLayer> order = new ArrayList<>(serviceControlLevels);
        order.add(identity);
        if (boundary != null) {
            order.add(boundary);
        }
        if (session != null) {
            order.add(session);
        }
        this.denyOrder = List.copyOf(order);
        List<PolicyLayer> allow = new ArrayList<>();
        allow.add(identity);
        if (boundary != null) {
            allow.add(boundary);
        }
        if (session != null) {
            allow.add(session);
        }
        allow.addAll(serviceControlLevels);
        this.allowOrder = List.copyOf(allow);
    }

    public static Builder builder() {
        return new Builder();
    }

    public PolicyLayer identity() {
        return identity;
    }

    /** The permissions boundary layer, or null when the principal has none. */
    public PolicyLayer boundary() {
        return boundary;
    }

    /** The session policy layer, or null when no session policy was passed. */
    public PolicyLayer session() {
        return session;
    }

    public List<PolicyLayer> serviceControlLevels() {
        return serviceControlLevels;
    }

    public SessionKind sessionKind() {
        return sessionKind;
    }

    /** Every layer, SCP levels first: where an explicit deny is searched for. */
    public List<PolicyLayer> layers() {
        return denyOrder;
    }

    /**
     * The principal's layers each of which must hold an applying Allow for the request to be allowed (without a
     * resource-based policy): identity, the permissions boundary and the session policy when present, every SCP
     * level — in the order reasons name the first that fails ([Eval]; {@code CombinationRule} decides with the same
     * layers). For checks that ask this of one layer at a time.
     */
    public List<PolicyLayer> layersThatMustAllow() {
        return allowOrder;
    }

    public int statementCount() {
        int n = 0;
        for (PolicyLayer l : denyOrder) {
            n += l.statementCount();
        }
        return n;
    }

    /**
     * The request context keys (lower-case) that statements applying to {@code action} — in any layer, either
     * effect — can read: condition keys and policy variables (see {@link CompiledStatement#referencedKeys()}).
     * Statements are selected by their {@code Action}/{@code NotAction} alone, so the answer is a superset of
     * what any one request reads. Computed once per action and cached in this set (thread-safe,
     * computed without check-then-act). Lets callers skip expensive lookups such as resource tags.
     */
    public Set<String> conditionKeysFor(String action) {
        return keysByAction.computeIfAbsent(dev.edgeiam.request.IamNames.fold(action), keysOfAction);
    }

    /** Whether any statement for {@code action} reads {@code aws:ResourceTag/...} or {@code connect:ResourceTag/...}. */
    public boolean readsResourceTags(String action) {
        for (String key : conditionKeysFor(action)) {
            if (isResourceTagKey(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether any statement of the set, for any action, reads {@code aws:ResourceTag/...} or
     * {@code connect:ResourceTag/...}: then what the set allows can change with a resource's tags alone, and nothing
     * derived from its decisions may be kept longer than the tags are. Computed once per set.
     */
    public boolean readsResourceTagsOfAnyAction() {
        byte known = readsAnyResourceTags;
        if (known == 0) {
            known = anyStatementReadsResourceTags() ? (byte) 2 : (byte) 1;
            readsAnyResourceTags = known; // a racing thread computes the same value
        }
        return known == 2;
    }

    private boolean anyStatementReadsResourceTags() {
        for (PolicyLayer layer : denyOrder) {
            for (CompiledPolicy policy : layer.policies()) {
                for (CompiledStatement s : policy.statements()) {
                    for (String key : s.referencedKeys()) {
                        if (isResourceTagKey(key)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** {@code aws:ResourceTag/<k>} or {@code connect:ResourceTag/<k>}, any case. */
    public static boolean isResourceTagKey(String key) {
        String k = foldedAsFarAsAPrefix(key) ? key : key.toLowerCase(Locale.ROOT);
        return k.startsWith("aws:resourcetag/") || k.startsWith("connect:resourcetag/");
    }

    /**
     * Whether lower-casing would leave the first 20 characters (the longer prefix's length) as they are: none is
     * upper-case or non-ASCII. Keys mostly come folded already, and then no copy is made.
     */
    private static boolean foldedAsFarAsAPrefix(String key) {
        int n = Math.min(key.length(), 20);
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    private Set<String> computeKeys(String lowerAction) {
        RequestContext probe = RequestContext.builder(lowerAction, "*").build();
        Set<String> keys = new LinkedHashSet<>();
        for (PolicyLayer layer : denyOrder) {
            for (CompiledPolicy policy : layer.policies()) {
                for (CompiledStatement s : policy.statements()) {
                    if (s.matchesAction(probe)) {
                        keys.addAll(s.referencedKeys());
                    }
                }
            }
        }
        return Set.copyOf(keys);
    }

    /** {@link #computeKeys} of one set. */
    private static final class KeysOfAction implements Function<String, Set<String>> {
        private final CompiledPolicySet set;

        KeysOfAction(CompiledPolicySet set) {
            this.set = set;
        }

        @Override
        public Set<String> apply(String lowerAction) {
            return set.computeKeys(lowerAction);
        }
    }

    public static final class Builder {
        private final List<CompiledPolicy> identity = new ArrayList<>();
        private List<CompiledPolicy> boundary;
        private List<CompiledPolicy> session;
        private final List<List<CompiledPolicy>> serviceControlLevels = new ArrayList<>();
        private SessionKind sessionKind = SessionKind.NONE;

        public Builder identity(CompiledPolicy policy) {
            identity.add(policy);
            return this;
        }

        public Builder identity(List<CompiledPolicy> policies) {
            identity.addAll(policies);
            return this;
        }

        /** Sets a permissions boundary (several documents are read as one boundary: their allows unite). */
        public Builder boundary(CompiledPolicy policy) {
            if (boundary == null) {
                boundary = new ArrayList<>();
            }
            boundary.add(policy);
            return this;
        }

        /** Adds a session policy (inline or managed; together they cap the session). */
        public Builder session(CompiledPolicy policy) {
            if (session == null) {
                session = new ArrayList<>();
            }
            session.add(policy);
            return this;
        }

        /** Adds one organization level's SCPs; an action must be allowed at every level. */
        public Builder serviceControlLevel(List<CompiledPolicy> level) {
            serviceControlLevels.add(List.copyOf(level));
            return this;
        }

        public Builder sessionKind(SessionKind kind) {
            this.sessionKind = kind;
            return this;
        }

        public CompiledPolicySet build() {
            return new CompiledPolicySet(this);
        }
    }
}
