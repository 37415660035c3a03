package dev.edgeiam.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The presigned {@code GetCallerIdentity} path sends its request without an SDK service client; the wrapped HTTP
 * client reports it as an STS subsegment: a real URL-connection client against a loopback server that answers as
 * STS does (status and {@code x-amzn-RequestId}), and a stand-in daemon socket.
 */
class TracedHttpClientTest {

    @Test
    void eachRequestIsAnStsSubsegmentWithStatusAndRequestId() throws Exception {
        HttpServer sts = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sts.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("x-amzn-RequestId", "c6104cbe-af31-11e0-8154-cbc7ccf896c7");
            byte[] body = "<ErrorResponse/>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
        try (DatagramSocket daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            daemon.setSoTimeout(5_000);
            XRaySubsegments sender = XRaySubsegments.fromEnvironment(n -> "127.0.0.1:" + daemon.getLocalPort());
            TracedHttpClient client = new TracedHttpClient(UrlConnectionHttpClient.create(), sender,
                    () -> TraceHeader.parse("Root=1-6759e988-bd862e3fe1be46a994272793;Parent=63995c3f42cd8ad8;Sampled=1"),
                    "STS", "GetCallerIdentity");
            SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                    .uri(URI.create("http://127.0.0.1:" + sts.getAddress().getPort() + "/?Action=GetCallerIdentity"))
                    .build();
            HttpExecuteResponse response = client.prepareRequest(HttpExecuteRequest.builder().request(request)
                    .build()).call();
            assertEquals(403, response.httpResponse().statusCode(), "the answer passes through unchanged");
            byte[] buffer = new byte[65_536];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            daemon.receive(packet);
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            JsonNode doc = new ObjectMapper().readTree(text.substring(text.indexOf('\n') + 1));
            assertEquals("STS", doc.path("name").asText());
            assertEquals("GetCallerIdentity", doc.path("aws").path("operation").asText());
            assertEquals("c6104cbe-af31-11e0-8154-cbc7ccf896c7", doc.path("aws").path("request_id").asText());
            assertEquals(403, doc.path("http").path("response").path("status").asInt());
            assertTrue(doc.path("error").asBoolean());
            client.close();
            sender.close();
        } finally {
            sts.stop(0);
        }
    }

    @Test
    void theRegionComesFromARegionalStsHost() {
        assertEquals("eu-west-2", TracedHttpClient.regionOf("sts.eu-west-2.amazonaws.com"));
        assertEquals("us-gov-west-1", TracedHttpClient.regionOf("sts.us-gov-west-1.amazonaws.com"));
        assertNull(TracedHttpClient.regionOf("sts.amazonaws.com"));
        assertNull(TracedHttpClient.regionOf("127.0.0.1"));
    }
}
