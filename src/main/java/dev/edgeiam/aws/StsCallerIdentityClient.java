package dev.edgeiam.aws;

import dev.edgeiam.identity.CallerIdentity;
import dev.edgeiam.identity.CallerIdentityClient;
import dev.edgeiam.identity.CredentialRejectedException;
import dev.edgeiam.identity.IdentityUnavailableException;
import dev.edgeiam.identity.PresignedGetCallerIdentity;
import dev.edgeiam.evaluate.Reason;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Sends a presigned {@code GetCallerIdentity} URL to STS with the SDK's URL-connection HTTP client (GET, bounded
 * time, bounded response) and reads {@code GetCallerIdentityResponse} with an XML parser that refuses DTDs and
 * external entities.
 *
 * <p>Endpoint: as the SDK resolves it from the environment — {@code AWS_ENDPOINT_URL_STS}, else
 * {@code AWS_ENDPOINT_URL} (tests point these at moto_server; a VPC endpoint is another use) — else the presigned
 * URL's own (already allow-listed) scheme, host and port. With an override only the query travels: the signature
 * covers the original host, so the override must be a name real STS accepts for it (or an emulator).
 *
 * <p>Every call has a total deadline (the timeout given to {@link #create}): the HTTP client's socket timeout
 * bounds each read, not a body trickled byte by byte, so the call is aborted when the deadline passes.
 *
 * <p>Answers: 200 → the caller; 4xx → {@link Reason#CREDENTIAL_REJECTED_STS_REJECTED} (bad signature, expired or
 * unknown
 * credentials), naming only STS's error code; anything else → {@link IdentityUnavailableException}.
 */
public final class StsCallerIdentityClient implements CallerIdentityClient {

    public static final int MAX_RESPONSE_BYTES = 65_536;
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9.]{1,64}");

    /** The most one call may take when no deadline is given. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

    // Made on first use: Quarkus runs static initialisers at image build time, when no executor or thread may be made.

    private final Supplier<SdkHttpClient> http;
    private final URI endpointOverride;
    private final Duration deadline;

    public StsCallerIdentityClient(SdkHttpClient http, URI endpointOverride) {
        this(http, endpointOverride, DEFAULT_DEADLINE);
    }

    /**
     * @param deadline the most one call (connect, answer and whole body) may take: the HTTP client's timeouts bound
     *                 each read, not the sum of many slow reads, so the call is aborted at this deadline
     */
    public StsCallerIdentityClient(SdkHttpClient http, URI endpointOverride, Duration deadline) {
        this(() -> http, endpointOverride, deadline);
    }

    private StsCallerIdentityClient(Supplier<SdkHttpClient> http, URI endpointOverride, Duration deadline) {
        this.http = http;
        this.endpointOverride = endpointOverride;
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /**
     * A client with the URL-connection HTTP client and the endpoint from {@code env} (e.g. {@code System::getenv}).
     * The HTTP client (TLS context, default trust store) is built on the first presigned request, not here: most
     * instances only ever see bearer tokens, and building it costs a few hundred milliseconds of a cold start.
     */
    public static StsCallerIdentityClient create(Duration timeout, UnaryOperator<String> env) {
        return create(timeout, env, UnaryOperator.identity());
    }

    /** As above, with the HTTP client wrapped once it is built (e.g. to trace each request). */
    public static StsCallerIdentityClient create(Duration timeout, UnaryOperator<String> env,
                                                 UnaryOperator<SdkHttpClient> wrap) {
        return new StsCallerIdentityClient(new LazyUrlConnectionClient(timeout, wrap),
                endpointFromEnvironment(env).orElse(null), timeout);
    }

    /** {@code AWS_ENDPOINT_URL_STS}, else {@code AWS_ENDPOINT_URL}; empty when neither is set. */
    public static Optional<URI> endpointFromEnvironment(UnaryOperator<String> env) {
        return SignedAwsCall.endpointFromEnvironment("STS", env);
    }

    @Override
    public CallerIdentity getCallerIdentity(PresignedGetCallerIdentity request)
            throws CredentialRejectedException, IdentityUnavailableException {
        URI target = target(request.url());
        SdkHttpFullRequest httpRequest = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).uri(target)
                .putHeader("Accept", "text/xml").build();
        int status;
        byte[] body;
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        ExecutableHttpRequest call;
        try {
            call = http.get().prepareRequest(HttpExecuteRequest.builder().request(httpRequest).build());
        } catch (RuntimeException e) {
            throw new IdentityUnavailableException("the HTTP client for STS could not be created: "
                    + e.getClass().getSimpleName());
        }
        ScheduledFuture<?> abort = CallDeadline.abortAfter(call, deadline.toNanos());
        try {
            HttpExecuteResponse response = call.call();
            status = response.httpResponse().statusCode();
            Optional<AbortableInputStream> stream = response.responseBody();
            body = stream.isPresent()
                    ? CallDeadline.readBounded(stream.get(), deadlineNanos, MAX_RESPONSE_BYTES, "STS") : new byte[0];
        } catch (IOException | RuntimeException e) {
            throw new IdentityUnavailableException("STS could not be reached: " + e.getClass().getSimpleName());
        } finally {
            abort.cancel(false);
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new IdentityUnavailableException("STS did not answer within " + deadline);
        }
        if (status == 200) {
            return parse(body);
        }
        if (status >= 400 && status < 500) {
            throw new CredentialRejectedException(Reason.CREDENTIAL_REJECTED_STS_REJECTED,
                    "STS refused the presigned request (HTTP " + status + errorCode(body) + ")");
        }
        throw new IdentityUnavailableException("STS answered HTTP " + status);
    }

    private URI target(URI presigned) {
        if (endpointOverride == null) {
            return presigned;
        }
        String base = endpointOverride.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/?" + presigned.getRawQuery());
    }

    /** Reads Arn, UserId and Account from a {@code GetCallerIdentityResponse}. */
    static CallerIdentity parse(byte[] xml) throws IdentityUnavailableException {
        Document doc = document(xml);
        Element root = doc.getDocumentElement();
        if (root == null || !"GetCallerIdentityResponse".equals(localName(root))) {
            throw new IdentityUnavailableException("STS's answer is not a GetCallerIdentityResponse");
        }
        String arn = single(root, "Arn");
        String userId = single(root, "UserId");
        String account = single(root, "Account");
        if (arn == null || userId == null || account == null) {
            throw new IdentityUnavailableException("STS's answer lacks Arn, UserId or Account");
        }
        return new CallerIdentity(arn, userId, account);
    }

    private static String errorCode(byte[] xml) {
        try {
            String code = single(document(xml).getDocumentElement(), "Code");
            return code != null && ERROR_CODE.matcher(code).matches() ? ", " + code : "";
        } catch (IdentityUnavailableException | RuntimeException e) {
            return "";
        }
    }

    /** The text of the only element with this local name below {@code root}, or null (none or several). */
    private static String single(Element root, String name) {
        NodeList list = root.getElementsByTagNameNS("*", name);
        if (list.getLength() != 1) {
            return null;
        }
        String text = list.item(0).getTextContent();
        return text == null ? null : text.strip();
    }

    private static String localName(Element e) {
        return e.getLocalName() != null ? e.getLocalName() : e.getTagName();
    }

    static Document document(byte[] xml) throws IdentityUnavailableException {
        try {
            DocumentBuilder builder = hardenedFactory().newDocumentBuilder();
            builder.setErrorHandler(null);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IdentityUnavailableException("STS's answer is not acceptable XML");
        }
    }

    /** No DOCTYPE at all (so no entity expansion or external DTD), no XInclude, secure processing on. */
    static DocumentBuilderFactory hardenedFactory() throws ParserConfigurationException {
        // The JDK's own parser, not one found by name through a system property or ServiceLoader (nor reflection).
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    @Override
    public String toString() {
        return "StsCallerIdentityClient[endpoint=" + (endpointOverride == null ? "from URL"
                : endpointOverride.toString().toLowerCase(Locale.ROOT)) + "]";
    }
}
