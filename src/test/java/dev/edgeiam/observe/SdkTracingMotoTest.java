package dev.edgeiam.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.aws.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real AWS SDK clients (IAM, S3) against moto_server with {@link SdkTracing} registered as the function registers
 * it: each API call of a sampled invocation reaches a stand-in X-Ray daemon (a UDP socket) as one subsegment under
 * the invocation's segment, with the operation, the HTTP status, the request id and the error/fault flags; an
 * unsampled invocation sends nothing.
 */
class SdkTracingMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SAMPLED = "Root=1-6759e988-bd862e3fe1be46a994272793;Parent=63995c3f42cd8ad8;Sampled=1";

    private static MotoServer moto;
    private static DatagramSocket daemon;
    private static XRaySubsegments sender;
    private static final AtomicReference<String> header = new AtomicReference<>(SAMPLED);
    private static IamClient iam;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        daemon.setSoTimeout(3_000);
        sender = XRaySubsegments.fromEnvironment(n -> n.equals(XRaySubsegments.DAEMON_ADDRESS)
                ? "tcp:127.0.0.1:2000 udp:127.0.0.1:" + daemon.getLocalPort() : null);
        SdkTracing tracing = new SdkTracing(sender, () -> TraceHeader.parse(header.get()));
        iam = moto.iam(tracing);
        s3 = moto.s3(tracing);
    }

    @AfterAll
    static void stop() {
        iam.close();
        s3.close();
        sender.close();
        daemon.close();
        moto.close();
    }

    private static JsonNode received() throws Exception {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        daemon.receive(packet);
        String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith(XRaySubsegments.HEADER), text);
        return JSON.readTree(text.substring(XRaySubsegments.HEADER.length()));
    }

    @Test
    void aSuccessfulCallIsASubsegmentWithItsRequestId() throws Exception {
        header.set(SAMPLED);
        String requestId = iam.createRole(r -> r.roleName("TracedRole").assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[]}")).responseMetadata().requestId();
        JsonNode doc = received();
        assertEquals("Iam", doc.path("name").asText());
        assertEquals("CreateRole", doc.path("aws").path("operation").asText());
        assertEquals(requestId, doc.path("aws").path("request_id").asText());
        assertEquals("1-6759e988-bd862e3fe1be46a994272793", doc.path("trace_id").asText());
        assertEquals("63995c3f42cd8ad8", doc.path("parent_id").asText());
        assertEquals("subsegment", doc.path("type").asText());
        assertEquals(200, doc.path("http").path("response").path("status").asInt());
        assertTrue(doc.path("end_time").asDouble() >= doc.path("start_time").asDouble());
        assertTrue(doc.path("start_time").asDouble() > 1.7e9, "epoch seconds");
        assertFalse(doc.has("error") || doc.has("fault"), doc.toString());
    }

    @Test
    void aServiceErrorIsAnErrorSubsegment() throws Exception {
        header.set(SAMPLED);
        assertThrows(NoSuchEntityException.class, () -> iam.getRole(r -> r.roleName("NoSuchTracedRole")));
        JsonNode doc = received();
        assertEquals("GetRole", doc.path("aws").path("operation").asText());
        assertEquals(404, doc.path("http").path("response").path("status").asInt());
        assertTrue(doc.path("error").asBoolean(), doc.toString());
        assertFalse(doc.has("fault"));

        assertThrows(Exception.class, () -> s3.getObject(r -> r.bucket("no-such-traced-bucket").key("k"),
                software.amazon.awssdk.core.sync.ResponseTransformer.toBytes()));
        JsonNode s3doc = received();
        assertEquals("S3", s3doc.path("name").asText());
        assertEquals("GetObject", s3doc.path("aws").path("operation").asText());
        assertEquals("us-east-1", s3doc.path("aws").path("region").asText());
        assertTrue(s3doc.path("error").asBoolean(), s3doc.toString());
    }

    @Test
    void anUnsampledInvocationSendsNothing() {
        header.set(SAMPLED.replace("Sampled=1", "Sampled=0"));
        iam.listRoles();
        assertThrows(SocketTimeoutException.class, SdkTracingMotoTest::received);
        header.set(SAMPLED);
    }
}
