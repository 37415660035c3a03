package dev.edgeiam.observe;

import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An HTTP client that reports each request it sends as an X-Ray subsegment — for AWS calls made without an SDK
 * service client, where {@link SdkTracing} cannot see them: the presigned {@code sts:GetCallerIdentity} requests the
 * identity stage forwards. Timed from sending the request to receiving the status line and headers; the request id
 * is the response's {@code x-amzn-RequestId}.
 */
public final class TracedHttpClient implements SdkHttpClient {

    private final SdkHttpClient delegate;
    private final XRaySubsegments sender;
    private final Supplier<TraceHeader> trace;
    private final String service;
    private final String operation;

    public TracedHttpClient(SdkHttpClient delegate, XRaySubsegments sender, Supplier<TraceHeader> trace,
                            String service, String operation) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.trace = Objects.requireNonNull(trace, "trace");
        this.service = service;
        this.operation = operation;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest call = delegate.prepareRequest(request);
        TraceHeader t = trace.get();
        if (!t.traceable()) {
            return call;
        }
        String region = regionOf(request.httpRequest().host());
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                long started = System.currentTimeMillis();
                int status = 0;
                String requestId = null;
                try {
                    HttpExecuteResponse response = call.call();
                    status = response.httpResponse().statusCode();
                    requestId = response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(null);
                    return response;
                } finally {
                    sender.send(t, new XRaySubsegments.Call(service, operation, region, requestId, status,
                            false, started / 1000.0, System.currentTimeMillis() / 1000.0));
                }
            }

            @Override
            public void abort() {
                call.abort();
            }
        };
    }

    /** {@code sts.eu-west-2.amazonaws.com} → {@code eu-west-2}; the global {@code sts.amazonaws.com} → null. */
    static String regionOf(String host) {
        if (host == null || !host.startsWith("sts.")) {
            return null;
        }
        String[] labels = host.split("\\.");
        return labels.length >= 4 && labels[1].matches("[a-z]{2}(-[a-z]+)+-\\d") ? labels[1] : null;
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
