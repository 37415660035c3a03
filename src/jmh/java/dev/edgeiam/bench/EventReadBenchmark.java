package dev.edgeiam.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.edgeiam.gateway.AuthorizerEventBytes;
import dev.edgeiam.gateway.AuthorizerEventReader;
import dev.edgeiam.gateway.AuthorizerRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reading a sample authorizer event into an {@link AuthorizerRequest}: from its bytes without a tree
 * ({@link AuthorizerEventBytes}, the warm path) and through the pruned tree ({@link AuthorizerEventReader}, the
 * general path it stands in for), with the dispatcher's parser settings. Run from the repository root.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventReadBenchmark {

    @Param({"rest-request", "rest-request-full", "http-v2-request"})
    public String event;

    private byte[] bytes;
    private ObjectMapper mapper;

    @Setup
    public void setup() throws IOException {
        bytes = Files.readAllBytes(Path.of("events", event + ".json"));
        mapper = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                                .maxStringLength(131_072).build())
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
        if (fromBytes() == null || !fromBytes().equals(throughTree())) {
            throw new IllegalStateException("the two readers disagree on " + event);
        }
    }

    @Benchmark
    public AuthorizerRequest fromBytes() {
        return AuthorizerEventBytes.read(bytes, 64, 131_072);
    }

    @Benchmark
    public AuthorizerRequest throughTree() throws IOException {
        try (JsonParser parser = mapper.createParser(bytes)) {
            return AuthorizerEventReader.read(AuthorizerEventReader.readPruned(parser));
        }
    }
}
