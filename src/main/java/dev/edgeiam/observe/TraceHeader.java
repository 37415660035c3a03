package dev.edgeiam.observe;

import java.util.Locale;

/**
 * The X-Ray trace header Lambda hands each invocation ({@code Root=1-5759e988-bd862e3fe1be46a994272793;
 * Parent=53995c3f42cd8ad8;Sampled=1}): the trace id, the id of the function's segment (the parent of every
 * subsegment this function sends) and whether the trace is sampled. Lambda sets it per invocation as the system
 * property {@value #PROPERTY} (Java runtimes, Quarkus' poll loop included) and the environment variable
 * {@value #ENVIRONMENT}.
 * <p>[X-Ray] "Tracing header": "Root – the trace ID. Parent – the segment ID of the parent. Sampled – sampling
 * decision" — https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 *
 * @param root    the trace id ({@code 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx}), or null
 * @param parent  the parent segment id (16 hex digits), or null
 * @param sampled true only for {@code Sampled=1}
 */
public record TraceHeader(String root, String parent, boolean sampled) {

    public static final String PROPERTY = "com.amazonaws.xray.traceHeader";
    public static final String ENVIRONMENT = "_X_AMZN_TRACE_ID";
    private static final TraceHeader NONE = new TraceHeader(null, null, false);

    /** Parses a header; anything malformed is dropped (a bad id is never logged or used as a parent). */
    public static TraceHeader parse(String header) {
        if (header == null || header.isEmpty() || header.length() > 512) {
            return NONE;
        }
        String root = null;
        String parent = null;
        boolean sampled = false;
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).strip();
            switch (key) {
                case "root" -> root = value.matches("1-[0-9a-f]{8}-[0-9a-f]{24}") ? value : null;
                case "parent" -> parent = value.matches("[0-9a-f]{16}") ? value : null;
                case "sampled" -> sampled = value.equals("1");
                default -> { }
            }
        }
        return root == null ? NONE : new TraceHeader(root, parent, sampled);
    }

    /** The current invocation's header: the system property, else the environment variable. */
    public static TraceHeader current() {
        String header = System.getProperty(PROPERTY);
        if (header == null || header.isEmpty()) {
            header = System.getenv(ENVIRONMENT);
        }
        return parse(header);
    }

    /** Whether subsegments may be sent under this header (a sampled trace with a parent segment). */
    public boolean traceable() {
        return root != null && parent != null && sampled;
    }
}
