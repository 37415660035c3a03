package dev.edgeiam.lambda.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal AWS Lambda Runtime API (the {@code 2018-06-01} HTTP interface a runtime polls), enough for one runtime
 * process to take queued events and post their answers. JDK classes only, so scripts can run it from
 * {@code target/test-classes} without a Maven classpath.
 *
 * <p>Endpoints: {@code GET /2018-06-01/runtime/invocation/next} (blocks until an event is queued),
 * {@code POST .../invocation/{id}/response}, {@code POST .../invocation/{id}/error}, {@code GET .../restore/next}
 * (SnapStart: answered at once) and
 * {@code POST /2018-06-01/runtime/init/error}.
 */
final class RuntimeApiServer implements AutoCloseable {

    /**
     * What the runtime answered for one event; {@code serviceNanos} is the time from handing the event out
     * ({@code next}) to the runtime posting its answer, as this server sees it.
     */
    record Invocation(String requestId, boolean error, String errorType, byte[] body, long serviceNanos) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final String BASE = "/2018-06-01/runtime";
    private static final String INVOCATION = BASE + "/invocation/";
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    private record Pending(String requestId, byte[] event, CompletableFuture<Invocation> answer,
                           long[] handedOutNanos) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile long firstPollNanos;
    private volatile long restoreNanos;
    /** Completes when the runtime asks for {@code restore/next}. */
    private final CompletableFuture<Void> restoreAsked = new CompletableFuture<>();
    /** {@code restore/next} is answered once this completes (at once unless {@link #holdRestore()} was called). */
    private volatile CompletableFuture<Void> restoreRelease = CompletableFuture.completedFuture(null);

    RuntimeApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // One thread per connection: a runtime's "next" poll blocks while its previous answer is being posted.
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "runtime-api");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(BASE + "/", this::handle);
        server.start();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API} for the runtime process. */
    String address() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** Queues one event; the future completes when the runtime posts its response or error. */
    CompletableFuture<Invocation> submit(byte[] event) {
        Pending pending = new Pending(UUID.randomUUID().toString(), event, new CompletableFuture<>(),
                new long[1]);
        queue.add(pending);
        return pending.answer();
    }

    /** Completes with the error body if the runtime reports that it failed to initialise. */
    CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals(INVOCATION + "next")) {
                next(exchange);
            } else if (method.equals("GET") && path.equals(BASE + "/restore/next")) {
                // SnapStart: the client asks for this after the beforeCheckpoint hooks have run; the snapshot is
                // "taken" and "restored" at once (nothing is checkpointed), and it then runs the afterRestore hooks.
                restoreNanos = System.nanoTime();
                restoreAsked.complete(null);
                try {
                    restoreRelease.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // answer anyway: the test that held it has given up
                }
                exchange.sendResponseHeaders(200, -1);
            } else if (method.equals("POST") && path.equals(BASE + "/init/error")) {
                initError.complete(new String(readBody(exchange), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(202, -1);
            } else if (method.equals("POST") && path.startsWith(INVOCATION)
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                answer(exchange, path);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    /**
     * {@link System#nanoTime()} of the runtime's {@code restore/next} request (a runtime started with
     * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} makes it once its beforeCheckpoint hooks have run), or 0.
     */
    long restoreNanos() {
        return restoreNanos;
    }

    /**
     * Holds the answer to {@code restore/next} until the returned future is completed: the time between the snapshot
     * and the restore, in which a test changes what the restored function will find. Call before the runtime starts.
     */
    CompletableFuture<Void> holdRestore() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        restoreRelease = release;
        return release;
    }

    /** Completes when the runtime has asked for {@code restore/next} (its beforeCheckpoint hooks have run). */
    CompletableFuture<Void> restoreAsked() {
        return restoreAsked;
    }

    /** {@link System#nanoTime()} of the runtime's first {@code next} poll (its initialisation is done), or 0. */
    long firstPollNanos() {
        return firstPollNanos;
    }

    private void next(HttpExchange exchange) throws IOException {
        if (firstPollNanos == 0) {
            firstPollNanos = System.nanoTime();
        }
        Pending pending = null;
        try {
            while (pending == null && !closed) {
                pending = queue.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending == null) {
            exchange.sendResponseHeaders(503, -1);
            return;
        }
        inFlight.put(pending.requestId(), pending);
        var headers = exchange.getResponseHeaders();
        headers.add("Content-Type", "application/json");
        headers.add("Lambda-Runtime-Aws-Request-Id", pending.requestId());
        headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + DEADLINE.toMillis()));
        headers.add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:eu-west-2:111122223333:function:connect-iam-authorizer-local");
        headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
        pending.handedOutNanos()[0] = System.nanoTime();
        exchange.sendResponseHeaders(200, pending.event().length == 0 ? -1 : pending.event().length);
        exchange.getResponseBody().write(pending.event());
    }

    private void answer(HttpExchange exchange, String path) throws IOException {
        String rest = path.substring(INVOCATION.length());
        String requestId = rest.substring(0, rest.indexOf('/'));
        boolean error = rest.endsWith("/error");
        byte[] body = readBody(exchange);
        long answeredNanos = System.nanoTime();
        Pending pending = inFlight.remove(requestId);
        if (pending == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        exchange.sendResponseHeaders(202, -1);
        String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        pending.answer().complete(new Invocation(requestId, error, errorType, body,
                answeredNanos - pending.handedOutNanos()[0]));
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
