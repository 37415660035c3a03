package dev.edgeiam.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The action index of a set of statements: for a request's action it yields exactly the statements whose
 * {@code Action}/{@code NotAction} could match, so evaluation never scans statements about other actions.
 *
 * <p>Each statement sits in at most one bucket per service prefix: statements whose patterns for a service
 * are all exact names are filed under each exact lower-case action name; a statement with a wildcard pattern
 * for a service is filed under that service; statements whose patterns cannot be tied to one service
 * ({@code *}, a wildcard in the service prefix, {@code NotAction}) are checked for every request. So a
 * request visits {@code exact[action]}, {@code byService[service]} and {@code universal}, which are disjoint
 * for any one action, and the number of statements visited does not grow with unrelated statements.
 *
 * <p>Within the service bucket, which statements' action patterns match depends on the action name alone
 * (action patterns have no variables), so {@link #serviceMatching} remembers, per lower-case action, the
 * bucket's matching statements in bucket order: a request then tests only those statements' resources and
 * conditions instead of every wildcard in the service. The memo is the only mutable state; it is a
 * {@link ConcurrentHashMap} filled with {@code computeIfAbsent} (its values are derived, never changed) and
 * bounded by {@value #MEMO_LIMIT} actions, past which the bucket is scanned as before.
 */
public final class StatementIndex {

    private static final CompiledStatement[] NONE = new CompiledStatement[0];

    /** At most this many actions are remembered per index (IAM has a few hundred per service). */
    static final int MEMO_LIMIT = 2_048;

    private final Map<String, CompiledStatement[]> exact;
    private final Map<String, CompiledStatement[]> byService;
    private final CompiledStatement[] universal;
    private final int size;
    private final ConcurrentHashMap<String, CompiledStatement[]> serviceMatchingByAction = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompiledStatement[]> candidatesByAction = new ConcurrentHashMap<>();

    StatementIndex(List<CompiledStatement> statements) {
        Map<String, Set<CompiledStatement>> exactBuild = new LinkedHashMap<>();
        Map<String, Set<CompiledStatement>> serviceBuild = new LinkedHashMap<>();
        List<CompiledStatement> universalBuild = new ArrayList<>();
        for (CompiledStatement s : statements) {
            if (s.notAction() || anyWithoutService(s.actionPatterns())) {
                universalBuild.add(s);
                continue;
            }
            Map<String, List<CompiledPattern>> perService = new LinkedHashMap<>();
            for (CompiledPattern p : s.actionPatterns()) {
                String service = service(p);
                List<CompiledPattern> patterns = perService.get(service);
                if (patterns == null) {
                    patterns = new ArrayList<>();
                    perService.put(service, patterns);
                }
                patterns.add(p);
            }
            for (Map.Entry<String, List<CompiledPattern>> e : perService.entrySet()) {
                if (allLiteral(e.getValue())) {
                    for (CompiledPattern p : e.getValue()) {
                        file(exactBuild, dev.edgeiam.request.IamNames.fold(p.source()), s);
                    }
                } else {
                    file(serviceBuild, e.getKey(), s);
                }
            }
        }
        this.exact = freeze(exactBuild);
        this.byService = freeze(serviceBuild);
        this.universal = universalBuild.toArray(NONE);
        this.size = statements.size();
    }

    /** Whether one of the action patterns has no service prefix without wildcards ({@link #service(CompiledPattern)}). */
    private static boolean anyWithoutService(List<CompiledPattern> patterns) {
        for (CompiledPattern p : patterns) {
            if (service(p) == null) {
                return true;
            }
        }
        return false;
    }

    private static boolean allLiteral(List<CompiledPattern> patterns) {
        for (CompiledPattern p : patterns) {
            if (!p.isLiteral()) {
                return false;
            }
        }
        return true;
    }

    /** Adds the statement to the bucket under {@code key}, making the bucket on first use. */
    private static void file(Map<String, Set<CompiledStatement>> buckets, String key, CompiledStatement s) {
        Set<CompiledStatement> bucket = buckets.get(key);
        if (bucket == null) {
            bucket = new LinkedHashSet<>();
            buckets.put(key, bucket);
        }
        bucket.add(s);
    }

    /** The lower-case service prefix of an action pattern, or null when it has none without wildcards. */
    private static String service(CompiledPattern p) {
        String text = dev.edgeiam.request.IamNames.fold(p.source());
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String prefix = text.substring(0, colon);
        return dev.edgeiam.request.Wildcards.hasWildcard(prefix) ? null : prefix;
    }

    private static Map<String, CompiledStatement[]> freeze(Map<String, Set<CompiledStatement>> build) {
        Map<String, CompiledStatement[]> out = new HashMap<>(Math.max(16, build.size() * 2));
        for (Map.Entry<String, Set<CompiledStatement>> e : build.entrySet()) {
            out.put(e.getKey(), e.getValue().toArray(NONE));
        }
        return out;
    }

    /** Statements filed under the exact lower-case action name. */
    CompiledStatement[] exact(String lowerAction) {
        CompiledStatement[] s = exact.get(lowerAction);
        return s == null ? NONE : s;
    }

    /** Statements with wildcard patterns for the lower-case service prefix. */
    CompiledStatement[] service(String lowerService) {
        CompiledStatement[] s = byService.get(lowerService);
        return s == null ? NONE : s;
    }

    /**
     * The statements of {@code service(lowerService)} whose action patterns match {@code lowerAction} (whose
     * service prefix is {@code lowerService}), in bucket order; or null when the memo is full, in which case the
     * caller scans {@code service(lowerService)} and matches actions itself. Allocation-free once remembered.
     */
    CompiledStatement[] serviceMatching(dev.edgeiam.request.RequestContext request) {
        CompiledStatement[] remembered = serviceMatchingByAction.get(request.actionLowerCase());
        return remembered != null ? remembered : serviceMatching(request.actionLowerCase(), request.servicePrefix());
    }

    /** As {@link #serviceMatching(dev.edgeiam.request.RequestContext)}, given the action and its service prefix. */
    CompiledStatement[] serviceMatching(String lowerAction, String lowerService) {
        CompiledStatement[] remembered = serviceMatchingByAction.get(lowerAction);
        if (remembered != null) {
            return remembered;
        }
        CompiledStatement[] bucket = service(lowerService);
        if (bucket.length == 0) {
            return NONE;
        }
        if (serviceMatchingByAction.size() >= MEMO_LIMIT) {
            return null;
        }
        return serviceMatchingByAction.computeIfAbsent(lowerAction, new MatchingIn(bucket));
    }

    /** For the memo: the statements of one service bucket that match an action ({@link #matching}). */
    private static final class MatchingIn implements Function<String, CompiledStatement[]> {
        private final CompiledStatement[] bucket;

        MatchingIn(CompiledStatement[] bucket) {
            this.bucket = bucket;
        }

        @Override
        public CompiledStatement[] apply(String lowerAction) {
            return matching(bucket, lowerAction);
        }
    }

    private static CompiledStatement[] matching(CompiledStatement[] bucket, String lowerAction) {
        List<CompiledStatement> out = new ArrayList<>();
        for (CompiledStatement s : bucket) {
            if (s.matchesAction(lowerAction)) {
                out.add(s);
            }
        }
        return out.isEmpty() ? NONE : out.toArray(NONE);
    }

    /**
     * Every statement whose {@code Action}/{@code NotAction} matches the request's action, in the order a request
     * visits them — exact bucket, service bucket, universal — so the first that applies is the one the three-step
     * visit would find. Remembered per lower-case action like {@link #serviceMatching}; null when the memo is full
     * (the caller then visits the buckets itself).
     */
    CompiledStatement[] candidates(dev.edgeiam.request.RequestContext request) {
        String action = request.actionLowerCase();
        CompiledStatement[] remembered = candidatesByAction.get(action);
        if (remembered != null) {
            return remembered;
        }
        if (candidatesByAction.size() >= MEMO_LIMIT) {
            return null;
        }
        return candidatesByAction.computeIfAbsent(action, new CandidatesIn(this, request.servicePrefix()));
    }

    /**
     * For the memo: an action's {@link #candidates} in an index, given the action's service prefix — the matching
     * statements of the exact bucket, the service bucket and the universal ones, in that order.
     */
    private static final class CandidatesIn implements Function<String, CompiledStatement[]> {
        private final StatementIndex index;
        private final String service;

        CandidatesIn(StatementIndex index, String service) {
            this.index = index;
            this.service = service;
        }

        @Override
        public CompiledStatement[] apply(String a) {
            List<CompiledStatement> out = new ArrayList<>(List.of(index.exact(a)));
            out.addAll(List.of(matching(index.service(service), a)));
            for (CompiledStatement u : index.universal) {
                if (u.matchesAction(a)) {
                    out.add(u);
                }
            }
            return out.isEmpty() ? NONE : out.toArray(NONE);
        }
    }

    CompiledStatement[] universal() {
        return universal;
    }

    public int size() {
        return size;
    }
}
