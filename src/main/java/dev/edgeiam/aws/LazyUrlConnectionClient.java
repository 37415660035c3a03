package dev.edgeiam.aws;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The SDK's URL-connection HTTP client for the calls sent without an SDK service client (the presigned STS request,
 * the signed Connect and API Gateway calls), built once on first use: its TLS context and trust store cost a cold
 * start a few hundred milliseconds, and most instances never make these calls. A failed build is retried by the next
 * call.
 */
final class LazyUrlConnectionClient implements Supplier<SdkHttpClient> {

    private final Duration timeout;
    private final UnaryOperator<SdkHttpClient> wrap;
    private volatile SdkHttpClient client;

    /**
     * @param timeout connect and read (socket) timeout
     * @param wrap    a last say on the built client (e.g. X-Ray subsegments); identity for none
     */
    LazyUrlConnectionClient(Duration timeout, UnaryOperator<SdkHttpClient> wrap) {
        this.timeout = timeout;
        this.wrap = wrap;
    }

    @Override
    public SdkHttpClient get() {
        SdkHttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = wrap.apply(UrlConnectionHttpClient.builder().connectionTimeout(timeout)
                            .socketTimeout(timeout).build());
                    client = c;
                }
            }
        }
        return c;
    }

    /** Closes the client if it was built. */
    void close() {
        SdkHttpClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
