package dev.edgeiam.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.lambda.EventDispatcher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The warm REST REQUEST invocation of {@link AuthorizerBenchmark} ({@code events/rest-request.json}) for a caller whose
 * policies read a resource tag — here a Deny of {@code connect:DeleteQueue} on {@code aws:ResourceTag/locked}, which
 * the request's own action does not read. Such a caller's route-level grants are kept no longer than the tags may lag
 * (red-team pass 26, R26b.1): here the function's default tag TTL, five minutes, so a warm invocation finds them kept,
 * as for any other caller. Tags come from an in-memory source (none).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TagReadingCallerBenchmark {

    static final String DENY_ON_TAG = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
            + "\"Action\":\"connect:DeleteQueue\",\"Resource\":\"*\","
            + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/locked\":\"true\"}}}]}";

    private EventDispatcher dispatcher;
    private byte[] bytes;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream(4096);

    @Setup
    public void setup() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode account;
        try (InputStream in = TagReadingCallerBenchmark.class.getResourceAsStream("/snapshot/sample-account.json")) {
            account = (ObjectNode) json.readTree(in);
        }
        for (var role : account.withArray("RoleDetailList")) {
            ArrayNode inline = ((ObjectNode) role).withArray("RolePolicyList");
            ObjectNode p = inline.addObject();
            p.put("PolicyName", "DenyLockedQueueDeletion");
            p.set("PolicyDocument", json.readTree(DENY_ON_TAG));
        }
        dispatcher = AuthorizerBenchmark.Wired.over(SnapshotPolicySource.fromJson(account),
                new AuthorizerBenchmark.NoTags(java.time.Duration.ofMinutes(5))).dispatcher();
        bytes = Files.readAllBytes(Path.of("events", "rest-request.json"));
        String first = new String(dispatcher.dispatch(bytes).responseJson(), StandardCharsets.UTF_8);
        if (!first.contains("\"policyDocument\"") || !first.contains("\"Allow\"")) {
            throw new IllegalStateException("the sample event was not allowed with a policy: " + first);
        }
    }

    @Benchmark
    public ByteArrayOutputStream warmInvocationTagReadingCaller() throws IOException {
        output.reset();
        dispatcher.dispatch(bytes).writeResponse(output);
        return output;
    }
}
