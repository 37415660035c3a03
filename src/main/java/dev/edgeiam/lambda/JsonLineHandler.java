package dev.edgeiam.lambda;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Writes the message of each record as it is, one line on standard output — for the categories whose messages are
 * already complete JSON objects: the invocation (audit) line and the Embedded Metric Format line. CloudWatch Logs
 * reads a log event as EMF only when the whole event is the JSON object, so these lines must not be wrapped by the
 * JSON console format every other log line gets ({@code quarkus.log.console.json}). Installed once on each category
 * (which stops sending to the root handlers); tests may add their own handler beside it to read the lines.
 */
final class JsonLineHandler extends Handler {

    private final PrintStream out;

    private JsonLineHandler(PrintStream out) {
        this.out = out;
    }

    /** Makes {@code category} write its messages raw to standard output (idempotent). */
    static Logger install(String category) {
        Logger logger = Logger.getLogger(category);
        synchronized (JsonLineHandler.class) {
            for (Handler h : logger.getHandlers()) {
                if (h instanceof JsonLineHandler) {
                    return logger;
                }
            }
            logger.addHandler(new JsonLineHandler(System.out));
            logger.setUseParentHandlers(false);
        }
        return logger;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message != null && isLoggable(record)) {
            out.println(message); // PrintStream.println is one synchronized write of the line
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
