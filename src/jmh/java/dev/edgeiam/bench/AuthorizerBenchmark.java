package dev.edgeiam.bench;

import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.lambda.EventDispatcher;
import dev.edgeiam.lambda.EventLimits;
import dev.edgeiam.lambda.GatewayAuthorizer;
import dev.edgeiam.observe.Telemetry;
import dev.edgeiam.observe.TraceHeader;
import dev.edgeiam.principal.PrincipalCache;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A warm authorizer invocation inside the handler, JSON bytes in to JSON bytes out: the sample REST {@code REQUEST}
 * event (or the TOKEN event) for agent carol, with her verified token, compiled principal and route grants already
 * cached — what every request after the first costs. Wired as {@code LambdaBeans} wires production, without Quarkus:
 * the bundled sample account as policy source and the TEST-ONLY development issuer (run from the repository root,
 * where {@code events/} and {@code src/test/resources/dev-keys/} are).
 *
 * <p>{@link #warmInvocationObserved} adds what {@code AuthorizerFunction} writes per invocation: the invocation
 * (audit) line and the Embedded Metric Format line ({@link Telemetry}), made as strings — the cost of writing them to
 * standard output depends on where that goes and is not part of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AuthorizerBenchmark {

    /**
     * {@code rest-request-full} is {@code rest-request} as API Gateway sends it, with every member: its headers again
     * in {@code multiValueHeaders} (the token twice), the request context's other fields.
     */
    @Param({"rest-request", "rest-token", "rest-request-other-agent", "rest-request-full"})
    public String event;

    private EventDispatcher dispatcher;
    private Telemetry telemetry;
    private EventDispatcher.Dispatch answered;
    private byte[] bytes;
    /**
     * The event as {@value #UNIQUE} requests of the same caller, route and decision, each with its own request id,
     * time and trace header (what changes from one real request to the next), for {@link #warmInvocationUnique}.
     */
    private byte[][] unique;
    private int next;
    static final int UNIQUE = 4_096;

    /** The authorizer as the function wires it, over {@code source}, with the dev issuer's keys and no tags. */
    record Wired(EventDispatcher dispatcher, GatewayAuthorizer gateway, PrincipalCache cache) {
        static Wired over(SnapshotPolicySource source) {
            return over(source, NO_TAGS);
        }

        static Wired over(SnapshotPolicySource source, dev.edgeiam.authorize.ResourceTagSource tags) {
            Clock clock = Clock.systemUTC();
            ArnContext connect = new ArnContext("aws", "us-east-1", "111122223333");
            PrincipalCache cache = PrincipalCache.create(source, PrincipalCache.Settings.DEFAULTS, clock);
            PolicySourceDirectory directory = new PolicySourceDirectory(source, connect.account(), clock,
                    Duration.ofMinutes(5));
            IdentitySettings identity = IdentitySettings.fromEnvironment(Map.of(
                    "AUTHORIZER_JWKS_URL", "file:src/test/resources/dev-keys/jwks.json",
                    "AUTHORIZER_ISSUER", "https://issuer.dev.edgeiam.test",
                    "AUTHORIZER_AUDIENCE", "connect-authorizer-dev"));
            CallerIdentityResolver identities = CallerIdentityResolver.create(identity, clock, directory, cache, null);
            GatewayAuthorizer gateway = GatewayAuthorizer.create(
                    new GatewayAuthorizer.Settings("Authorization", null, false, connect),
                    identities, cache, RouteTable.defaultTable(), tags, source::managedPolicyText, clock);
            EventDispatcher dispatcher = new EventDispatcher(Map.of(EventDispatcher.EventKind.AUTHORIZER,
                    gateway.handler()), new EventLimits(262_144, 64, 131_072));
            return new Wired(dispatcher, gateway, cache);
        }
    }

    /** No resource has tags (none is read: the sample callers' policies read no tag). */
    static final dev.edgeiam.authorize.ResourceTagSource NO_TAGS = new NoTags(java.time.Duration.ZERO);

    /** Every resource is untagged, as a tag cache with this TTL would say. */
    static final class NoTags implements dev.edgeiam.authorize.ResourceTagSource {
        private final java.time.Duration maxAge;

        NoTags(java.time.Duration maxAge) {
            this.maxAge = maxAge;
        }

        @Override
        public Map<String, String> tags(String arn) {
            return Map.of();
        }

        @Override
        public java.time.Duration maxAge() {
            return maxAge;
        }
    }

    @Setup
    public void setup() throws IOException {
        Clock clock = Clock.systemUTC();
        Wired wired = Wired.over(SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json"));
        PrincipalCache cache = wired.cache();
        GatewayAuthorizer gateway = wired.gateway();
        dispatcher = wired.dispatcher();
        telemetry = new Telemetry(Telemetry.DEFAULT_NAMESPACE, "edgeiam-authorizer-bench", () -> {
            PrincipalCache.Stats s = cache.stats();
            return new Telemetry.Counters(s.hits() + s.staleHits(), s.misses(), s.failedLoads(),
                    gateway.credentialCacheHits(), gateway.credentialCacheMisses(), 0);
        }, () -> -1, () -> TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
                clock);
        bytes = Files.readAllBytes(Path.of("events", event + ".json"));
        String first = new String(dispatcher.dispatch(bytes).responseJson(), StandardCharsets.UTF_8);
        answered = dispatcher.dispatch(bytes);
        if (!first.contains("\"policyDocument\"")) {
            throw new IllegalStateException("the sample event was not answered with a policy: " + first);
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        unique = new byte[UNIQUE][];
        for (int i = 0; i < UNIQUE; i++) {
            com.fasterxml.jackson.databind.node.ObjectNode e =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(bytes);
            if (e.get("requestContext") instanceof com.fasterxml.jackson.databind.node.ObjectNode context) {
                context.put("requestId", new java.util.UUID(0x5b7e0a428d3f4c55L, i).toString());
                context.put("requestTimeEpoch", context.path("requestTimeEpoch").asLong() + i);
            }
            String trace = String.format("Root=1-5759e988-%024x", i);
            if (e.get("headers") instanceof com.fasterxml.jackson.databind.node.ObjectNode headers) {
                headers.put("X-Amzn-Trace-Id", trace);
            }
            if (e.get("multiValueHeaders") instanceof com.fasterxml.jackson.databind.node.ObjectNode headers
                    && headers.has("X-Amzn-Trace-Id")) {
                headers.putArray("X-Amzn-Trace-Id").add(trace);
            }
            unique[i] = json.writeValueAsBytes(e);
            String answer = new String(dispatcher.dispatch(unique[i]).responseJson(), StandardCharsets.UTF_8);
            if (!answer.equals(first)) {
                throw new IllegalStateException("a unique request was answered otherwise: " + answer);
            }
        }
    }

    /**
     * The stream the answer is written to, as {@code AuthorizerFunction} writes it to the Lambda runtime's: one per
     * thread, emptied before each invocation (what the runtime does with the stream is not the function's cost).
     */
    private final java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream(4096);

    private java.io.ByteArrayOutputStream answer(byte[] event) throws java.io.IOException {
        output.reset();
        dispatcher.dispatch(event).writeResponse(output);
        return output;
    }

    @Benchmark
    public java.io.ByteArrayOutputStream warmInvocation() throws java.io.IOException {
        return answer(bytes);
    }

    /**
     * {@link #warmInvocation} over {@value #UNIQUE} requests that differ as real ones do (request id, time, trace
     * header): the texts a request brings anew are made anew, where {@link #warmInvocation} sees the same text again.
     */
    @Benchmark
    public java.io.ByteArrayOutputStream warmInvocationUnique() throws java.io.IOException {
        byte[] event = unique[next];
        next = (next + 1) & (UNIQUE - 1);
        return answer(event);
    }

    /** The two log lines alone, for an answer made once at setup: what the output adds to each invocation. */
    @Benchmark
    public Telemetry.Lines linesOnly() {
        Telemetry.Started invocation = telemetry.start("8f3e0c1a-0000-4000-8000-000000000001");
        return telemetry.finish(invocation, answered.kind().label(), answered.outcome(), 29, answered.failure(),
                answered.logFields());
    }

    /** {@link #warmInvocation} plus the two log lines, as the handler makes them. */
    @Benchmark
    public Telemetry.Lines warmInvocationObserved() {
        long started = System.nanoTime();
        Telemetry.Started invocation = telemetry.start("8f3e0c1a-0000-4000-8000-000000000001");
        output.reset();
        EventDispatcher.Dispatch d = dispatcher.dispatch(bytes);
        try {
            d.writeResponse(output);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return telemetry.finish(invocation, d.kind().label(), d.outcome(), (System.nanoTime() - started) / 1_000,
                d.failure(), d.logFields());
    }
}
