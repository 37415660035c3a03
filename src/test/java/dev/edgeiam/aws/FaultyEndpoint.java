package dev.edgeiam.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A loopback HTTP endpoint standing in for an AWS API, scripted per test: healthy answers come from a function of
 * the request's action; {@link #script} may replace the answer for some actions with a fault (an error status and
 * body, a slow answer, a truncated body); {@link #down()} closes the port and {@link #up()} opens it again on the
 * same port. Every request that reaches a handler is counted, in total and per action.
 */
public final class FaultyEndpoint implements AutoCloseable {

    /** One way of answering a request. */
    @FunctionalInterface
    public interface Reply {
        void send(HttpExchange exchange) throws IOException;
    }

    /** IAM's query-API error body. */
    static String iamError(String type, String code, String message) {
        return "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>" + type
                + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error>"
                + "<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>";
    }

    static final String THROTTLING = iamError("Sender", "Throttling", "Rate exceeded");

    public static Reply status(int code, String contentType, String body) {
        return ex -> write(ex, code, contentType, body);
    }

    static Reply xml(int code, String body) {
        return status(code, "text/xml", body);
    }

    /** Sleeps past any client deadline, then answers (if the client is still there). */
    static Reply slow(Duration delay, Reply then) {
        return ex -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.close();
                return;
            }
            then.send(ex);
        };
    }

    /** Promises {@code declared} bytes, sends the first part of {@code body} and drops the connection. */
    static Reply truncated(int code, String contentType, String body) {
        return ex -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(code, bytes.length);
            OutputStream out = ex.getResponseBody();
            out.write(bytes, 0, bytes.length / 3);
            out.flush();
            try {
                out.close(); // fewer bytes than promised: the server closes the connection
            } catch (IOException expected) {
                // "insufficient bytes written to stream"
            }
            ex.close();
        };
    }

    public static void write(HttpExchange ex, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private final Function<String, Reply> healthy;
    /** Action → fault, or null for the healthy answer. */
    volatile Function<String, Reply> script = action -> null;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> byAction = new ConcurrentHashMap<>();
    private final int port;
    private HttpServer server;
    private ExecutorService workers;

    public FaultyEndpoint(Function<String, Reply> healthy) throws IOException {
        this.healthy = healthy;
        start(0);
        this.port = server.getAddress().getPort();
    }

    private void start(int onPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-endpoint");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    private final java.util.List<String> requestLines = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Every request's method and path, in arrival order. */
    public java.util.List<String> requestLines() {
        return java.util.List.copyOf(requestLines);
    }

    private void handle(HttpExchange ex) throws IOException {
        requestLines.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        String action = action(ex);
        requests.incrementAndGet();
        byAction.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
        Reply fault = script.apply(action);
        Reply reply = fault != null ? fault : healthy.apply(action);
        try {
            reply.send(ex);
        } finally {
            ex.close();
        }
    }

    /** {@code Action=} from the query or a form body (IAM, STS), else the first path segment (Connect's REST API). */
    private static String action(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        for (String text : new String[]{query, form}) {
            if (text == null) {
                continue;
            }
            for (String pair : text.split("&")) {
                if (pair.startsWith("Action=")) {
                    return URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8);
                }
            }
        }
        String path = ex.getRequestURI().getPath();
        String[] parts = path.split("/");
        return parts.length > 1 ? parts[1] : path;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int requests() {
        return requests.get();
    }

    public int requests(String action) {
        AtomicInteger n = byAction.get(action);
        return n == null ? 0 : n.get();
    }

    public void healthy() {
        script = action -> null;
    }

    /** Every action answers with this fault. */
    public void failEverything(Reply fault) {
        script = action -> fault;
    }

    /** Closes the port: connections are refused. */
    void down() {
        stop();
    }

    /** Opens the same port again. */
    void up() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                start(port);
                return;
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        throw last;
    }

    private void stop() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            try {
                workers.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
