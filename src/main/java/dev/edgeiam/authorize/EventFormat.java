package dev.edgeiam.authorize;

/** The API Gateway authorizer event formats, and what each can carry. */
public enum EventFormat {
    /** REST API {@code TOKEN} authorizer: the token and the method ARN, nothing else. */
    REST_TOKEN("TOKEN"),
    /** REST API {@code REQUEST} authorizer. */
    REST_REQUEST("REQUEST"),
    /**
     * HTTP API payload format 1.0: the REST {@code REQUEST} shape (read and answered as one), but the HTTP API's
     * cache key ({@code $request.…} identity sources; a REST {@code method.request.…} source means nothing here).
     */
    HTTP_V1("HTTP 1.0"),
    /** HTTP API payload format 2.0. */
    HTTP_V2("HTTP 2.0"),
    /** WebSocket API {@code $connect} ({@code REQUEST} authorizer). */
    WEBSOCKET_CONNECT("WebSocket $connect");

    private final String label;

    EventFormat(String label) {
        this.label = label;
    }

    /** The name used in logs. */
    public String label() {
        return label;
    }

    /** Whether identity sources are written in the HTTP API's {@code $request.…}/{@code $context.…} syntax. */
    public boolean httpApi() {
        return this == HTTP_V2;
    }
}
