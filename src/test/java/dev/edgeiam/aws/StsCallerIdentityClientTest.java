package dev.edgeiam.aws;

import com.sun.net.httpserver.HttpServer;
import dev.edgeiam.identity.CallerIdentity;
import dev.edgeiam.identity.CredentialRejectedException;
import dev.edgeiam.identity.IdentityUnavailableException;
import dev.edgeiam.identity.Presign;
import dev.edgeiam.identity.PresignedGetCallerIdentity;
import dev.edgeiam.evaluate.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The STS client against a fake endpoint: XML parsing (hardened), error mapping, response bound. */
class StsCallerIdentityClientTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String OK = """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn>
                <UserId>AIDAALICE</UserId><Account>123456789012</Account></GetCallerIdentityResult>
            </GetCallerIdentityResponse>""";

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> body = new AtomicReference<>(OK);
    private StsCallerIdentityClient client;
    private PresignedGetCallerIdentity request;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        client = StsCallerIdentityClient.create(Duration.ofSeconds(2),
                Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort())::get);
        request = PresignedGetCallerIdentity.parse(Presign.fake("https://sts.amazonaws.com", NOW,
                Duration.ofSeconds(60)), Set.of(), NOW, Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void parsesTheAnswer() throws Exception {
        assertEquals(new CallerIdentity("arn:aws:iam::123456789012:user/alice", "AIDAALICE", "123456789012"),
                client.getCallerIdentity(request));
    }

    @Test
    void clientErrorsAreRejectionsNamingOnlyTheCode() {
        status.set(403);
        body.set("<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>"
                + "<Message>echo X-Amz-Signature=abc</Message></Error></ErrorResponse>");
        CredentialRejectedException e = assertThrows(CredentialRejectedException.class,
                () -> client.getCallerIdentity(request));
        assertEquals(Reason.CREDENTIAL_REJECTED_STS_REJECTED, e.reason());
        assertEquals("STS refused the presigned request (HTTP 403, SignatureDoesNotMatch)", e.getMessage());
    }

    @Test
    void serverErrorsAndOddAnswersAreUnavailable() {
        status.set(503);
        assertThrows(IdentityUnavailableException.class, () -> client.getCallerIdentity(request));
        status.set(200);
        body.set("<ListAllMyBucketsResult/>");
        assertThrows(IdentityUnavailableException.class, () -> client.getCallerIdentity(request));
        body.set(OK.replace("<Arn>", "<Arn>x</Arn><Arn>"));
        assertThrows(IdentityUnavailableException.class, () -> client.getCallerIdentity(request));
        body.set("x".repeat(StsCallerIdentityClient.MAX_RESPONSE_BYTES + 1));
        assertThrows(IdentityUnavailableException.class, () -> client.getCallerIdentity(request));
    }

    @Test
    void doctypesAndExternalEntitiesAreRefused() {
        body.set("""
                <?xml version="1.0"?>
                <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>
                <GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&xxe;</Arn><UserId>u</UserId>
                <Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>""");
        IdentityUnavailableException e = assertThrows(IdentityUnavailableException.class,
                () -> client.getCallerIdentity(request));
        assertFalse(e.getMessage().contains("etc"));
        body.set("""
                <!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <GetCallerIdentityResponse><GetCallerIdentityResult><Arn>&b;</Arn></GetCallerIdentityResult>
                </GetCallerIdentityResponse>""");
        assertThrows(IdentityUnavailableException.class, () -> client.getCallerIdentity(request));
    }
}
