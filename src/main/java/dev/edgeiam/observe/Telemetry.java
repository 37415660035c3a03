package dev.edgeiam.observe;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

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

    /** The metric namespace unless configured ({@code authorizer.metrics.namespace}). */
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
    private final String[] directives;
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
        // The directives differ only by which optional groups a line has: made once, indexed by (view age, decision).
        this.directives = new String[4];
        for (int i = 0; i < 4; i++) {
            List<Emf.Directive> list = new ArrayList<>(List.of(INVOCATIONS, HEALTH));
            if ((i & 1) != 0) {
                list.add(VIEW_AGE);
            }
            if ((i & 2) != 0) {
                list.add(DECISIONS);
            }
            directives[i] = Emf.directivesJson(namespace, list);
        }
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
                        DecisionLogFields decision) {
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
                                  long latencyMicros, String failure, DecisionLogFields decision) {
        StringBuilder b = new StringBuilder(1_024);
        b.append("{\"requestId\":");
        string(b, s.requestId());
        b.append(",\"timestamp\":\"").append(Instant.ofEpochMilli(timestamp)).append('"');
        b.append(",\"level\":\"").append(error ? "ERROR" : "INFO").append('"');
        b.append(",\"logType\":\"invocation\",\"coldStart\":").append(s.coldStart());
        b.append(",\"traceId\":");
        string(b, s.trace().root());
        b.append(",\"eventKind\":");
        string(b, eventKind);
        b.append(",\"outcome\":");
        string(b, outcome);
        b.append(",\"latencyMicros\":").append(latencyMicros);
        if (failure != null) {
            b.append(",\"failure\":");
            string(b, failure);
        }
        if (decision != null) {
            for (int i = 0; i < DecisionLogFields.NAMES.length; i++) {
                b.append(",\"").append(DecisionLogFields.NAMES[i]).append("\":");
                string(b, decision.value(i));
            }
        }
        return b.append('}').toString();
    }

    private String metricsLine(Started s, long timestamp, boolean error, String eventKind, String outcome,
                               long latencyMicros, DecisionLogFields decision, Counters d) {
        long viewAge = viewAgeMillis.getAsLong();
        String decided = decision == null ? null : decisionDimension(decision.decision());
        StringBuilder b = new StringBuilder(2_048);
        b.append("{\"_aws\":{\"Timestamp\":").append(timestamp).append(",\"CloudWatchMetrics\":")
                .append(directives[(viewAge >= 0 ? 1 : 0) + (decided != null ? 2 : 0)]).append('}');
        b.append(",\"logType\":\"metrics\",\"requestId\":");
        string(b, s.requestId());
        b.append(",\"FunctionName\":");
        string(b, functionName);
        b.append(",\"EventKind\":");
        string(b, eventKind);
        b.append(",\"Invocations\":1,\"Latency\":").append(latencyMicros);
        b.append(",\"PrincipalCacheHits\":").append(d.principalCacheHits());
        b.append(",\"PrincipalCacheMisses\":").append(d.principalCacheMisses());
        b.append(",\"CredentialCacheHits\":").append(d.credentialCacheHits());
        b.append(",\"CredentialCacheMisses\":").append(d.credentialCacheMisses());
        b.append(",\"PolicySourceFailures\":").append(d.policySourceFailures());
        b.append(",\"TagLookupFailures\":").append(d.tagLookupFailures());
        b.append(",\"UnrecognizedEvents\":").append("Unrecognized".equals(eventKind) ? 1 : 0);
        b.append(",\"InternalErrors\":").append(error ? 1 : 0);
        // The deliberate invocation failure behind a REST/WebSocket 401, which Lambda counts in its Errors metric.
        b.append(",\"UnauthorizedAnswers\":").append("Unauthorized".equals(outcome) ? 1 : 0);
        if (viewAge >= 0) {
            b.append(",\"AccountViewAge\":").append(viewAge / 1000.0);
        }
        if (decided != null) {
            b.append(",\"Decision\":\"").append(decided).append('"');
            b.append(",\"Reason\":");
            string(b, reasonDimension(decision.reason()));
            b.append(",\"Decisions\":1");
        }
        return b.append('}').toString();
    }

    /** A JSON string (quoted and escaped as Jackson escapes it), or {@code null}. */
    static void string(StringBuilder b, String value) {
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, b);
        b.append('"');
    }

    private static String decisionDimension(String d) {
        return "Allow".equals(d) || "Deny".equals(d) ? d : null;
    }

    /** The reason as a dimension value: a label the code wrote, or {@code other} (bounds the cardinality). */
    public static String reasonDimension(String reason) {
        return reason != null && REASON_LABEL.matcher(reason).matches() ? reason : "other";
    }
}
