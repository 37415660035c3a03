package dev.edgeiam.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The two lines each invocation writes: the <b>invocation line</b> (the audit record: who asked what, the decision
 * and why — the fields of README "Logs") and the <b>metrics line</b> in CloudWatch Embedded Metric Format
 * ({@link Emf}). Only names the function itself chose and values it computed go into either line: the request id,
 * the trace id, the event kind, the outcome, the decision fields the authorizer hands over (principal ARN, action,
 * resource ARN, decision, reason, cache scope, view version) — never the event, a token, a signature, a key or a
 * policy document.
 *
 * <p>Metric dimensions are low-cardinality by construction: the function name, the event kind (a closed set),
 * {@code Allow}/{@code Deny}, and the reason label (labels the code defines; anything not shaped like one is
 * reported as {@code other}). Never a principal, a resource or a request id.
 *
 * <p>Counters (cache hits, failures) are cumulative in their owners; each metrics line carries what changed since
 * the previous line. Lambda runs one invocation at a time per instance, so the difference belongs to this
 * invocation (work of a background refresh that finishes between two invocations is counted in the next).
 * Thread-safe.
 */
public final class Telemetry {

    /** The metric namespace unless configured ({@code AUTHORIZER_METRICS_NAMESPACE}). */
    public static final String DEFAULT_NAMESPACE = "EdgeIam/Authorizer";
    /** Reason labels as the code writes them: lower-case words joined by '-', optionally one ':' qualifier. */
    private static final Pattern REASON_LABEL = Pattern.compile("[a-z][a-z0-9-]{0,47}(:[a-z][a-z0-9-]{0,47})?");

    /**
     * Cumulative counts kept by the function's parts.
     *
     * @param principalCacheHits    principals answered from the cache (fresh or stale within the bound)
     * @param principalCacheMisses  principals that had to be loaded
     * @param policySourceFailures  loads of the policy source that failed (IAM, the snapshot, the S3 account view)
     * @param credentialCacheHits   credentials answered from the verified-credential cache
     * @param credentialCacheMisses credentials that had to be verified
     * @param tagLookupFailures     resource-tag look-ups (Amazon Connect) that failed
     */
    public record Counters(long principalCacheHits, long principalCacheMisses, long policySourceFailures,
                           long credentialCacheHits, long credentialCacheMisses, long tagLookupFailures) {

        public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0);

        Counters minus(Counters o) {
            return new Counters(principalCacheHits - o.principalCacheHits, principalCacheMisses - o.principalCacheMisses,
                    policySourceFailures - o.policySourceFailures, credentialCacheHits - o.credentialCacheHits,
                    credentialCacheMisses - o.credentialCacheMisses, tagLookupFailures - o.tagLookupFailures);
        }
    }

    /** What is known when an invocation starts. */
    public record Started(String requestId, boolean coldStart, TraceHeader trace) {
    }

    /** One invocation's lines, each one JSON object on one line. */
    public record Lines(String invocation, String metrics) {
    }

    static final Emf.Directive INVOCATIONS = new Emf.Directive(List.of(List.of("FunctionName", "EventKind")),
            List.of(new Emf.Metric("Invocations", Emf.Unit.COUNT), new Emf.Metric("Latency", Emf.Unit.MICROSECONDS)));
    static final Emf.Directive HEALTH = new Emf.Directive(List.of(List.of("FunctionName")), List.of(
            new Emf.Metric("PrincipalCacheHits", Emf.Unit.COUNT), new Emf.Metric("PrincipalCacheMisses", Emf.Unit.COUNT),
            new Emf.Metric("CredentialCacheHits", Emf.Unit.COUNT),
            new Emf.Metric("CredentialCacheMisses", Emf.Unit.COUNT),
            new Emf.Metric("PolicySourceFailures", Emf.Unit.COUNT), new Emf.Metric("TagLookupFailures", Emf.Unit.COUNT),
            new Emf.Metric("UnrecognizedEvents", Emf.Unit.COUNT), new Emf.Metric("InternalErrors", Emf.Unit.COUNT),
            new Emf.Metric("UnauthorizedAnswers", Emf.Unit.COUNT)));
    static final Emf.Directive VIEW_AGE = new Emf.Directive(List.of(List.of("FunctionName")),
            List.of(new Emf.Metric("AccountViewAge", Emf.Unit.SECONDS)));
    static final Emf.Directive DECISIONS = new Emf.Directive(
            List.of(List.of("FunctionName", "Decision"), List.of("FunctionName", "Decision", "Reason")),
            List.of(new Emf.Metric("Decisions", Emf.Unit.COUNT)));

    private final String namespace;
    private final String functionName;
    private final Supplier<Counters> counters;
    private final LongSupplier viewAgeMillis;
    private final Supplier<TraceHeader> trace;
    private final Clock clock;
    private boolean started;
    private Counters last;

    /**
     * @param namespace     the CloudWatch namespace of the metrics
     * @param functionName  the value of the {@code FunctionName} dimension ({@code AWS_LAMBDA_FUNCTION_NAME})
     * @param counters      the current cumulative counters
     * @param viewAgeMillis how long ago the account view in use was last confirmed, or negative when there is none
     *                      (sources other than {@code s3})
     * @param trace         the current invocation's trace header
     */
    public Telemetry(String namespace, String functionName, Supplier<Counters> counters, LongSupplier viewAgeMillis,
                     Supplier<TraceHeader> trace, Clock clock) {
        Emf.checkNamespace(namespace);
        this.namespace = namespace;
        this.functionName = functionName == null || functionName.isEmpty() ? "local" : functionName;
        this.counters = Objects.requireNonNull(counters, "counters");
        this.viewAgeMillis = Objects.requireNonNull(viewAgeMillis, "viewAgeMillis");
        this.trace = Objects.requireNonNull(trace, "trace");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.last = counters.get();
    }

    /** Marks the start of an invocation: the first one of this instance is its cold start. */
    public synchronized Started start(String requestId) {
        boolean cold = !started;
        started = true;
        return new Started(requestId, cold, trace.get());
    }

    /**
     * The lines of a finished invocation.
     *
     * @param eventKind     the event kind's label ({@code Authorizer}, {@code Unrecognized}, ...)
     * @param outcome       {@code ok} or the response's error code
     * @param latencyMicros time inside the handler
     * @param failure       the exception class behind an {@code InternalError}, or null
     * @param decision      the authorizer's decision fields, or null for other event kinds
     */
    public Lines finish(Started s, String eventKind, String outcome, long latencyMicros, String failure,
                        ObjectNode decision) {
        Counters now = counters.get();
        Counters delta;
        synchronized (this) {
            delta = now.minus(last);
            last = now;
        }
        long timestamp = clock.millis();
        boolean error = failure != null || "InternalError".equals(outcome) || "ResponseWriteFailed".equals(outcome);
        return new Lines(invocationLine(s, timestamp, error, eventKind, outcome, latencyMicros, failure, decision),
                metricsLine(s, timestamp, error, eventKind, outcome, latencyMicros, decision, delta));
    }

    private String invocationLine(Started s, long timestamp, boolean error, String eventKind, String outcome,
                                  long latencyMicros, String failure, ObjectNode decision) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("requestId", s.requestId());
        line.put("timestamp", Instant.ofEpochMilli(timestamp).toString());
        line.put("level", error ? "ERROR" : "INFO");
        line.put("logType", "invocation");
        line.put("coldStart", s.coldStart());
        line.put("traceId", s.trace().root());
        line.put("eventKind", eventKind);
        line.put("outcome", outcome);
        line.put("latencyMicros", latencyMicros);
        if (failure != null) {
            line.put("failure", failure);
        }
        if (decision != null) {
            line.setAll(decision);
        }
        return line.toString();
    }

    private String metricsLine(Started s, long timestamp, boolean error, String eventKind, String outcome,
                               long latencyMicros, ObjectNode decision, Counters d) {
        List<Emf.Directive> directives = new ArrayList<>(4);
        directives.add(INVOCATIONS);
        directives.add(HEALTH);
        long viewAge = viewAgeMillis.getAsLong();
        if (viewAge >= 0) {
            directives.add(VIEW_AGE);
        }
        String decided = decision == null ? null : decisionDimension(decision.get("decision"));
        if (decided != null) {
            directives.add(DECISIONS);
        }
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.set("_aws", Emf.metadata(namespace, timestamp, directives));
        line.put("logType", "metrics");
        line.put("requestId", s.requestId());
        line.put("FunctionName", functionName);
        line.put("EventKind", eventKind);
        line.put("Invocations", 1);
        line.put("Latency", latencyMicros);
        line.put("PrincipalCacheHits", d.principalCacheHits());
        line.put("PrincipalCacheMisses", d.principalCacheMisses());
        line.put("CredentialCacheHits", d.credentialCacheHits());
        line.put("CredentialCacheMisses", d.credentialCacheMisses());
        line.put("PolicySourceFailures", d.policySourceFailures());
        line.put("TagLookupFailures", d.tagLookupFailures());
        line.put("UnrecognizedEvents", "Unrecognized".equals(eventKind) ? 1 : 0);
        line.put("InternalErrors", error ? 1 : 0);
        // The deliberate invocation failure behind a REST/WebSocket 401, which Lambda counts in its Errors metric.
        line.put("UnauthorizedAnswers", "Unauthorized".equals(outcome) ? 1 : 0);
        if (viewAge >= 0) {
            line.put("AccountViewAge", viewAge / 1000.0);
        }
        if (decided != null) {
            line.put("Decision", decided);
            line.put("Reason", reasonDimension(decision.path("reason").asText(null)));
            line.put("Decisions", 1);
        }
        return line.toString();
    }

    private static String decisionDimension(JsonNode decision) {
        if (decision == null) {
            return null;
        }
        String d = decision.asText();
        return d.equals("Allow") || d.equals("Deny") ? d : null;
    }

    /** The reason as a dimension value: a label the code wrote, or {@code other} (bounds the cardinality). */
    public static String reasonDimension(String reason) {
        return reason != null && REASON_LABEL.matcher(reason).matches() ? reason : "other";
    }
}
