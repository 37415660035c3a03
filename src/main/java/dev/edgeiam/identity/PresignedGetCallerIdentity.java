package dev.edgeiam.identity;

import dev.edgeiam.evaluate.Reason;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A presigned {@code sts:GetCallerIdentity} URL (the aws-iam-authenticator / Vault AWS-auth pattern), checked for
 * shape before anything is sent anywhere:
 * <ul>
 * <li>optionally wrapped as {@code k8s-aws-v1.} + base64url(URL);</li>
 * <li>{@code https}, no user info or fragment, host {@code sts.amazonaws.com} or {@code sts.REGION.amazonaws.com}
 * (or {@code .amazonaws.com.cn}) on the default port, or one of the configured extra hosts ({@code host} or
 * {@code host:port}; {@code http} only for a configured loopback host, for tests); path {@code /};</li>
 * <li>exactly these query parameters, none repeated: {@code Action=GetCallerIdentity},
 * {@code Version=2011-06-15}, {@code X-Amz-Algorithm=AWS4-HMAC-SHA256},
 * {@code X-Amz-Credential=KEY/yyyyMMdd/REGION/sts/aws4_request} (date equal to the signing date),
 * {@code X-Amz-Date=yyyyMMddTHHmmssZ}, {@code X-Amz-Expires} 1–900 seconds, {@code X-Amz-SignedHeaders}
 * containing {@code host}, {@code X-Amz-Signature} (64 hex digits) and optionally {@code X-Amz-Security-Token};</li>
 * <li>not expired ({@code X-Amz-Date + X-Amz-Expires} ≤ now) and not signed in the future beyond the skew.</li>
 * </ul>
 * {@link #toString()} never shows the URL: it is a bearer credential until it expires.
 */
public final class PresignedGetCallerIdentity {

    public static final String K8S_PREFIX = "k8s-aws-v1.";
    public static final int MAX_EXPIRES_SECONDS = 900;
    public static final int MAX_URL_LENGTH = 8_192;

    private static final Pattern AWS_HOST = Pattern.compile(
            "sts\\.amazonaws\\.com|sts\\.[a-z]{2}(-[a-z]+)+-\\d{1,2}\\.amazonaws\\.com(\\.cn)?");
    private static final Pattern CREDENTIAL = Pattern.compile(
            "([A-Z0-9]{16,128})/(\\d{8})/([a-z0-9-]{1,32})/sts/aws4_request");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SIGNED_HEADERS = Pattern.compile("[a-z0-9-]+(;[a-z0-9-]+)*");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Set<String> REQUIRED = Set.of("Action", "Version", "X-Amz-Algorithm", "X-Amz-Credential",
            "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature");
    private static final Set<String> OPTIONAL = Set.of("X-Amz-Security-Token");

    private final URI url;
    private final String accessKeyId;
    private final String region;
    private final Instant signedAt;
    private final Instant expiresAt;
    private final String cacheKey;
    private final boolean securityToken;

    private PresignedGetCallerIdentity(URI url, String accessKeyId, String region, Instant signedAt,
                                       Instant expiresAt, String cacheKey, boolean securityToken) {
        this.securityToken = securityToken;
        this.url = url;
        this.accessKeyId = accessKeyId;
        this.region = region;
        this.signedAt = signedAt;
        this.expiresAt = expiresAt;
        this.cacheKey = cacheKey;
    }

    /** Whether a credential looks like a presigned URL (as opposed to a JWT). */
    public static boolean looksPresigned(String credential) {
        String lower = credential.toLowerCase(Locale.ROOT);
        return credential.startsWith(K8S_PREFIX) || lower.startsWith("https://") || lower.startsWith("http://");
    }

    /**
     * Checks a presigned URL's shape and time window.
     *
     * @param extraHosts configured hosts besides AWS's STS endpoints, lower case, {@code host} or {@code host:port}
     */
    public static PresignedGetCallerIdentity parse(String credential, Set<String> extraHosts, Instant now,
                                                   Duration skew) throws CredentialRejectedException {
        if (credential == null || credential.isEmpty()) {
            throw bad(Reason.CREDENTIAL_REJECTED_MISSING, "no presigned URL");
        }
        if (credential.length() > MAX_URL_LENGTH) {
            throw bad(Reason.CREDENTIAL_REJECTED_TOO_LARGE, "the presigned URL is longer than " + MAX_URL_LENGTH
                    + " characters");
        }
        String text = credential;
        if (credential.startsWith(K8S_PREFIX)) {
            try {
                text = new String(Base64.getUrlDecoder().decode(credential.substring(K8S_PREFIX.length())),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw bad(Reason.CREDENTIAL_REJECTED_MALFORMED, "the k8s-aws-v1 token is not base64url");
            }
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw bad(Reason.CREDENTIAL_REJECTED_MALFORMED, "the presigned URL is not a URI");
        }
        checkHost(uri, extraHosts);
        String path = uri.getRawPath();
        if (path == null || !(path.isEmpty() || path.equals("/"))) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "the presigned URL's path must be /");
        }
        Map<String, String> q = query(uri.getRawQuery());
        for (String name : REQUIRED) {
            if (!q.containsKey(name)) {
                throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "the presigned URL has no " + name
                        + " parameter");
            }
        }
        for (String name : q.keySet()) {
            if (!REQUIRED.contains(name) && !OPTIONAL.contains(name)) {
                throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                        "the presigned URL has an unexpected parameter");
            }
        }
        expect(q, "Action", "GetCallerIdentity");
        expect(q, "Version", "2011-06-15");
        expect(q, "X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        var cred = CREDENTIAL.matcher(q.get("X-Amz-Credential"));
        if (!cred.matches()) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                    "X-Amz-Credential is not KEY/DATE/REGION/sts/aws4_request");
        }
        String amzDate = q.get("X-Amz-Date");
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "X-Amz-Date is not yyyyMMddTHHmmssZ");
        }
        if (!amzDate.startsWith(cred.group(2))) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                    "the credential scope date is not the signing date");
        }
        int expires;
        try {
            expires = Integer.parseInt(q.get("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "X-Amz-Expires is not a number");
        }
        if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "X-Amz-Expires must be 1-" + MAX_EXPIRES_SECONDS
                    + " seconds");
        }
        String signedHeaders = q.get("X-Amz-SignedHeaders");
        if (!SIGNED_HEADERS.matcher(signedHeaders).matches()
                || !Set.of(signedHeaders.split(";")).contains("host")) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "the host header is not signed");
        }
        if (!SIGNATURE.matcher(q.get("X-Amz-Signature")).matches()) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "X-Amz-Signature is not 64 hex digits");
        }
        Instant expiresAt = signedAt.plusSeconds(expires);
        if (!now.isBefore(expiresAt)) {
            throw bad(Reason.CREDENTIAL_REJECTED_EXPIRED, "the presigned URL has expired");
        }
        if (now.plus(skew).isBefore(signedAt)) {
            throw bad(Reason.CREDENTIAL_REJECTED_NOT_YET_VALID, "the presigned URL is signed in the future");
        }
        return new PresignedGetCallerIdentity(uri, cred.group(1), cred.group(3), signedAt, expiresAt,
                sha256(text), q.containsKey("X-Amz-Security-Token"));
    }

    private static void checkHost(URI uri, Set<String> extraHosts) throws CredentialRejectedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null || uri.getHost() == null
                || uri.isOpaque()) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST,
                    "the presigned URL has user info, a fragment or no host");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        String hostPort = port < 0 ? host : host + ":" + port;
        boolean extra = extraHosts.contains(hostPort) || (port < 0 && extraHosts.contains(host));
        boolean aws = AWS_HOST.matcher(host).matches() && (port < 0 || port == 443);
        if (!aws && !extra) {
            throw bad(Reason.CREDENTIAL_REJECTED_HOST_NOT_ALLOWED,
                    "the presigned URL's host is not an allowed STS endpoint");
        }
        boolean schemeOk = scheme.equals("https")
                || (scheme.equals("http") && extra && IdentitySettings.isLoopback(host));
        if (!schemeOk) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "the presigned URL must use https");
        }
    }

    private static Map<String, String> query(String raw) throws CredentialRejectedException {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "the presigned URL's query is malformed");
            }
            String name;
            String value;
            try {
                name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "the presigned URL's query is malformed");
            }
            if (out.put(name, value) != null) {
                throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "a presigned URL parameter is repeated");
            }
        }
        return out;
    }

    private static void expect(Map<String, String> q, String name, String value) throws CredentialRejectedException {
        if (!value.equals(q.get(name))) {
            throw bad(Reason.CREDENTIAL_REJECTED_BAD_PRESIGNED_REQUEST, "the presigned URL's " + name + " is not "
                    + value);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CredentialRejectedException bad(Reason reason, String message) {
        return new CredentialRejectedException(reason, message);
    }

    /** The URL to send (a bearer credential: never log it). */
    public URI url() {
        return url;
    }

    /** The access key id that signed (not secret; useful in logs). */
    public String accessKeyId() {
        return accessKeyId;
    }

    /**
     * Whether the signing credentials are an IAM user's long-term access key: the key id starts with {@code AKIA}
     * and no session token is sent ([IAM identifiers], "Understanding unique ID prefixes":
     * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids —
     * {@code AKIA} access key, {@code ASIA} temporary STS access key). STS checked the signature with this very
     * key id, so the prefix cannot be chosen by the caller. Anything else counts as temporary.
     */
    public boolean longTermAccessKey() {
        return accessKeyId.startsWith("AKIA") && !securityToken;
    }

    public String region() {
        return region;
    }

    public Instant signedAt() {
        return signedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** SHA-256 of the URL: a cache key that does not keep the credential. */
    public String cacheKey() {
        return cacheKey;
    }

    @Override
    public String toString() {
        return "PresignedGetCallerIdentity[accessKeyId=" + accessKeyId + ", region=" + region + ", signedAt="
                + signedAt + ", expiresAt=" + expiresAt + "]";
    }
}
