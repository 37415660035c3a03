package dev.edgeiam.aws;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * TEST ONLY: a moto_server subprocess on 127.0.0.1 and a free port. Started once per test class, reset between
 * tests with {@code POST /moto-api/reset}, stopped by destroying the process this class started.
 */
public final class MotoStsServer implements AutoCloseable {

    private final Process process;
    private com.sun.net.httpserver.HttpServer shim;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoStsServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoStsServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        File log = new File("target/moto-server-" + port + ".log");
        Process p = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log).start();
        MotoStsServer server = new MotoStsServer(p, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("moto_server exited with " + p.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = server.http.send(HttpRequest.newBuilder(server.uri("/moto-api/"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return server;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        server.close();
        throw new IOException("moto_server did not start within 60 s; see " + log);
    }

    /**
     * An endpoint in front of moto for presigned requests. moto_server picks the service from the
     * {@code Authorization} header's credential scope (or the body), never from the Host; a presigned GET carries its
     * scope in the {@code X-Amz-Credential} query parameter instead, so moto would answer it as S3. This shim
     * copies that parameter into an {@code Authorization} header and forwards the request unchanged otherwise —
     * standing in for AWS's host-based routing. Production code sends the presigned URL as is.
     */
    public synchronized URI presignedEndpoint() throws IOException {
        if (shim == null) {
            shim = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            shim.createContext("/", exchange -> {
                String query = exchange.getRequestURI().getRawQuery();
                String credential = "";
                for (String pair : query == null ? new String[0] : query.split("&")) {
                    if (pair.startsWith("X-Amz-Credential=")) {
                        credential = java.net.URLDecoder.decode(pair.substring(17),
                                java.nio.charset.StandardCharsets.UTF_8);
                    }
                }
                try {
                    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri("/?" + query)).GET()
                            .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + credential
                                    + ", SignedHeaders=host, Signature=presigned").build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                    try (var out = exchange.getResponseBody()) {
                        out.write(r.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                }
            });
            shim.start();
        }
        return URI.create("http://127.0.0.1:" + shim.getAddress().getPort());
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public void reset() throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IOException("moto reset answered " + r.statusCode());
        }
    }

    @Override
    public void close() {
        if (shim != null) {
            shim.stop(0);
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
