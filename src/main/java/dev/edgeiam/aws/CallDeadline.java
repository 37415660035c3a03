package dev.edgeiam.aws;

import software.amazon.awssdk.http.ExecutableHttpRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The total deadline of an HTTP call the function makes without an SDK service client (the presigned STS check, the
 * signed Connect and API Gateway calls). An HTTP client's socket timeout bounds each read, not a body trickled byte by
 * byte, so a call is aborted by one shared daemon thread when its deadline passes, and its body is read with the
 * deadline and a size bound checked after every read.
 */
final class CallDeadline {

    private static volatile ScheduledExecutorService aborter;

    private CallDeadline() {
    }

    /** Aborts {@code call} once {@code nanos} have passed, unless the returned future is cancelled first. */
    static ScheduledFuture<?> abortAfter(ExecutableHttpRequest call, long nanos) {
        return aborter().schedule(new Abort(call), Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /**
     * Reads the whole body, refusing more than {@code maxBytes} or a read that ends after {@code deadlineNanos}
     * ({@link System#nanoTime()} time); closes the stream.
     */
    static byte[] readBounded(InputStream in, long deadlineNanos, int maxBytes, String what) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new IOException("the " + what + " response is larger than " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new IOException("the " + what + " response took longer than the deadline");
                }
            }
            return out.toByteArray();
        }
    }

    private static ScheduledExecutorService aborter() {
        ScheduledExecutorService a = aborter;
        if (a == null) {
            synchronized (CallDeadline.class) {
                a = aborter;
                if (a == null) {
                    a = Executors.newSingleThreadScheduledExecutor(DaemonThread.INSTANCE);
                    aborter = a;
                }
            }
        }
        return a;
    }

    private static final class Abort implements Runnable {
        private final ExecutableHttpRequest call;

        Abort(ExecutableHttpRequest call) {
            this.call = call;
        }

        @Override
        public void run() {
            call.abort();
        }
    }

    private static final class DaemonThread implements ThreadFactory {
        static final DaemonThread INSTANCE = new DaemonThread();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "aws-call-deadline");
            t.setDaemon(true);
            return t;
        }
    }
}
