package dev.edgeiam.observe;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeiam.instance.InstanceRandom;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * Sends X-Ray subsegments to the X-Ray daemon Lambda runs next to the function when active tracing is on
 * ({@code AWS_XRAY_DAEMON_ADDRESS}), as independent subsegment documents over UDP: one datagram per subsegment, no
 * API call, no thread, nothing waited for. Lambda records the function's own segment; each subsegment names it as
 * its parent (the trace header's {@code Parent}).
 * <p>[X-Ray] "Sending segment documents to the X-Ray daemon ... a header {"format": "json", "version": 1} followed
 * by a newline and the segment document" and "independent subsegment: type subsegment, trace_id, parent_id" —
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html
 * <p>A send that fails is dropped: tracing never changes an answer.
 */
public final class XRaySubsegments implements AutoCloseable {

    /** The environment variable Lambda sets to the daemon's address when active tracing is on. */
    public static final String DAEMON_ADDRESS = "AWS_XRAY_DAEMON_ADDRESS";
    static final String HEADER = "{\"format\":\"json\",\"version\":1}\n";

    /**
     * One finished AWS call.
     *
     * @param service   the service name as the SDK names it ({@code Iam}, {@code S3}, {@code Connect}, ...)
     * @param operation the API operation ({@code GetRole}, {@code GetObject}, ...)
     * @param region    the Region called, or null
     * @param requestId the service's request id, or null
     * @param status    the HTTP status, or 0 when no response came
     * @param throttled the service said it was throttling
     */
    public record Call(String service, String operation, String region, String requestId, int status,
                       boolean throttled, double startSeconds, double endSeconds) {
    }

    /** The daemon's address as configured, not resolved: it is resolved, and the socket opened, at the first send. */
    private final InetSocketAddress configured;
    /**
     * Opened by the first traced call, never during the init: a SnapStart snapshot is taken after the init, and a
     * socket (or a resolved address) in it would be restored into every instance (red-team pass 32).
     */
    private Open open;
    private boolean closed;

    private record Open(DatagramSocket socket, InetSocketAddress daemon) {
    }

    XRaySubsegments(InetSocketAddress configured) {
        this.configured = configured;
    }

    /** The sender for the daemon named by the environment, or null when tracing is off (or the address is bad). */
    public static XRaySubsegments fromEnvironment(UnaryOperator<String> env) {
        InetSocketAddress address = udpAddress(env.apply(DAEMON_ADDRESS));
        return address == null ? null : new XRaySubsegments(address);
    }

    /** Whether the socket has been opened (a subsegment was sent or tried); for tests. */
    synchronized boolean opened() {
        return open != null;
    }

    /**
     * The UDP address in {@code host:port} or {@code tcp:host:port udp:host:port} (both forms are documented for
     * {@code AWS_XRAY_DAEMON_ADDRESS}), or null; unresolved (no name look-up here).
     */
    static InetSocketAddress udpAddress(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String chosen = null;
        for (String part : value.trim().split("\\s+")) {
            if (part.startsWith("udp:")) {
                chosen = part.substring(4);
            } else if (!part.startsWith("tcp:") && chosen == null) {
                chosen = part;
            }
        }
        if (chosen == null) {
            return null;
        }
        int colon = chosen.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            int port = Integer.parseInt(chosen.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                return null;
            }
            return InetSocketAddress.createUnresolved(chosen.substring(0, colon), port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Sends the call as a subsegment of the traced invocation; nothing when the trace is not sampled. */
    public void send(TraceHeader trace, Call call) {
        if (trace == null || !trace.traceable()) {
            return;
        }
        byte[] datagram = (HEADER + document(trace, call, newId())).getBytes(StandardCharsets.UTF_8);
        try {
            Open o = open();
            if (o != null) {
                o.socket().send(new DatagramPacket(datagram, datagram.length, o.daemon()));
            }
        } catch (IOException | RuntimeException e) {
            // dropped: a trace is never worth a failed answer
        }
    }

    /** The socket and the resolved daemon address, opened on first use; null when closed or not resolvable now. */
    private synchronized Open open() throws SocketException {
        if (open == null && !closed) {
            InetSocketAddress daemon = new InetSocketAddress(configured.getHostString(), configured.getPort());
            if (daemon.isUnresolved()) {
                return null; // tried again at the next send
            }
            open = new Open(new DatagramSocket(), daemon);
        }
        return open;
    }

    /** The subsegment document (without the daemon header). */
    static String document(TraceHeader trace, Call call, String id) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("name", call.service());
        doc.put("id", id);
        doc.put("trace_id", trace.root());
        doc.put("parent_id", trace.parent());
        doc.put("type", "subsegment");
        doc.put("namespace", "aws");
        doc.put("start_time", call.startSeconds());
        doc.put("end_time", call.endSeconds());
        ObjectNode aws = doc.putObject("aws");
        aws.put("operation", call.operation());
        if (call.region() != null) {
            aws.put("region", call.region());
        }
        if (call.requestId() != null) {
            aws.put("request_id", call.requestId());
        }
        if (call.status() > 0) {
            doc.putObject("http").putObject("response").put("status", call.status());
        }
        // [X-Ray] "error – 4XX Client Error; throttle – 429 Too Many Requests; fault – 5XX Server Error"
        if (call.throttled() || call.status() == 429) {
            doc.put("error", true);
            doc.put("throttle", true);
        } else if (call.status() >= 400 && call.status() < 500) {
            doc.put("error", true);
        } else if (call.status() >= 500 || call.status() == 0) {
            doc.put("fault", true);
        }
        return doc.toString();
    }

    private static String newId() {
        return HexFormat.of().toHexDigits(InstanceRandom.get().nextLong());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (open != null) {
            open.socket().close();
        }
    }
}
