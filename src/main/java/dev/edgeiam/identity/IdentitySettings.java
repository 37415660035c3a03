package dev.edgeiam.identity;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the caller-identity stage, under the names below (the SAM template's environment variables; as
 * properties {@code authorizer.jwks-url}, ...). The function binds them through its configuration mapping
 * ({@link Values}, {@link #from(Values)}); {@link #fromEnvironment(Map)} reads the same names from a map;
 * {@link #defaults()} gives every default.
 *
 * <table>
 * <tr><th>variable</th><th>component</th><th>default</th></tr>
 * <tr><td>{@code AUTHORIZER_JWKS_URL}</td><td>{@link #jwksUrl}: {@code https:} (or {@code http:} on loopback for
 * tests) or {@code file:}</td><td>none: bearer tokens are rejected</td></tr>
 * <tr><td>{@code AUTHORIZER_ISSUER}</td><td>{@link #issuer}: the exact {@code iss}</td><td>none: bearer tokens are
 * rejected</td></tr>
 * <tr><td>{@code AUTHORIZER_AUDIENCE}</td><td>{@link #audiences}: comma-separated; the token's {@code aud} must
 * hold one</td><td>none: bearer tokens are rejected</td></tr>
 * <tr><td>{@code AUTHORIZER_ROLE_CLAIM}</td><td>{@link #roleClaim}: claim naming the role (ARN or name)</td>
 * <td>{@code https://aws.amazon.com/role}</td></tr>
 * <tr><td>{@code AUTHORIZER_ROLE_MAPPING_CLAIM}</td><td>{@link #roleMappingClaim}: claim whose value(s) select a
 * role through the mapping</td><td>{@code groups}</td></tr>
 * <tr><td>{@code AUTHORIZER_ROLE_MAPPING}</td><td>{@link #roleMapping}: {@code value=roleArn,value=roleArn}</td>
 * <td>empty</td></tr>
 * <tr><td>{@code AUTHORIZER_DEFAULT_ROLE}</td><td>{@link #defaultRole}: role when neither claim selects one</td>
 * <td>none</td></tr>
 * <tr><td>{@code AUTHORIZER_SESSION_NAME_CLAIM}</td><td>{@link #sessionNameClaim}</td><td>{@code sub}</td></tr>
 * <tr><td>{@code AUTHORIZER_SOURCE_IDENTITY_CLAIM}</td><td>{@link #sourceIdentityClaim}</td><td>none</td></tr>
 * <tr><td>{@code AUTHORIZER_SESSION_POLICY}</td><td>{@link #sessionPolicy}: inline JSON</td><td>none</td></tr>
 * <tr><td>{@code AUTHORIZER_SESSION_POLICY_ARNS}</td><td>{@link #sessionPolicy}: comma-separated managed policy
 * ARNs</td><td>none</td></tr>
 * <tr><td>{@code AUTHORIZER_SESSION_POLICY_CLAIM}</td><td>{@link #sessionPolicyClaim}: claim holding an inline
 * session policy (a JSON string or object); when present it replaces the configured inline policy (the configured
 * ARNs stay); present but blank is refused (401)</td>
 * <td>none (claim ignored)</td></tr>
 * <tr><td>{@code AUTHORIZER_FEDERATION_ISSUING_USER}</td><td>{@link #federationIssuingUser}: IAM user ARN whose
 * permissions federated users get (GetFederationToken's caller)</td><td>none: federated-user tokens
 * disabled</td></tr>
 * <tr><td>{@code AUTHORIZER_FEDERATED_USER_CLAIM}</td><td>{@link #federatedUserClaim}</td>
 * <td>{@code federated_user}</td></tr>
 * <tr><td>{@code AUTHORIZER_STS_ALLOWED_HOSTS}</td><td>{@link #stsAllowedHosts}: extra hosts
 * ({@code host} or {@code host:port}) for presigned URLs, besides {@code sts.amazonaws.com} and
 * {@code sts.REGION.amazonaws.com}</td><td>empty</td></tr>
 * <tr><td>{@code AUTHORIZER_STS_REFUSE_ASSUMED_ROLE}</td><td>{@link #stsRefuseSessions}: refuse assumed-role and
 * federated-user callers arriving by presigned URL</td><td>{@code false}</td></tr>
 * <tr><td>{@code AUTHORIZER_STS_SESSION_POLICY}</td><td>{@link #stsSessionPolicy}: inline session policy attached
 * to such sessions</td><td>none</td></tr>
 * <tr><td>{@code AUTHORIZER_CLOCK_SKEW_SECONDS}</td><td>{@link #clockSkew}</td><td>60</td></tr>
 * <tr><td>{@code AUTHORIZER_MAX_TOKEN_BYTES}</td><td>{@link #maxTokenBytes}</td><td>8192</td></tr>
 * <tr><td>{@code AUTHORIZER_JWKS_TTL_SECONDS}</td><td>{@link #jwksTtl}</td><td>600</td></tr>
 * <tr><td>{@code AUTHORIZER_JWKS_MIN_REFRESH_SECONDS}</td><td>{@link #jwksMinRefreshInterval}: least time between
 * two fetches (unknown {@code kid}s cannot force more)</td><td>30</td></tr>
 * <tr><td>{@code AUTHORIZER_JWKS_MAX_KEYS}</td><td>{@link #jwksMaxKeys}</td><td>32</td></tr>
 * <tr><td>{@code AUTHORIZER_JWKS_MAX_BYTES}</td><td>{@link #jwksMaxBytes}</td><td>65536</td></tr>
 * <tr><td>{@code AUTHORIZER_HTTP_TIMEOUT_MILLIS}</td><td>{@link #httpTimeout}: JWKS and STS requests</td>
 * <td>3000</td></tr>
 * </table>
 */
public record IdentitySettings(Optional<URI> jwksUrl, Optional<String> issuer, Set<String> audiences,
                               String roleClaim, String roleMappingClaim, Map<String, String> roleMapping,
                               Optional<String> defaultRole, String sessionNameClaim,
                               Optional<String> sourceIdentityClaim, SessionPolicy sessionPolicy,
                               Optional<String> sessionPolicyClaim, Optional<String> federationIssuingUser,
                               String federatedUserClaim, Set<String> stsAllowedHosts, boolean stsRefuseSessions,
                               SessionPolicy stsSessionPolicy, Duration clockSkew, int maxTokenBytes,
                               Duration jwksTtl, Duration jwksMinRefreshInterval, int jwksMaxKeys, int jwksMaxBytes,
                               Duration httpTimeout) {

    public static final String DEFAULT_ROLE_CLAIM = "https://aws.amazon.com/role";

    public IdentitySettings {
        Objects.requireNonNull(jwksUrl);
        Objects.requireNonNull(issuer);
        audiences = Collections.unmodifiableSet(new LinkedHashSet<>(audiences));
        Objects.requireNonNull(roleClaim);
        Objects.requireNonNull(roleMappingClaim);
        roleMapping = Collections.unmodifiableMap(new LinkedHashMap<>(roleMapping));
        Objects.requireNonNull(defaultRole);
        Objects.requireNonNull(sessionNameClaim);
        Objects.requireNonNull(sourceIdentityClaim);
        sessionPolicy = sessionPolicy == null ? SessionPolicy.NONE : sessionPolicy;
        Objects.requireNonNull(sessionPolicyClaim);
        Objects.requireNonNull(federationIssuingUser);
        Objects.requireNonNull(federatedUserClaim);
        Set<String> hosts = new LinkedHashSet<>();
        for (String h : stsAllowedHosts) {
            hosts.add(h.toLowerCase(Locale.ROOT));
        }
        stsAllowedHosts = Collections.unmodifiableSet(hosts);
        stsSessionPolicy = stsSessionPolicy == null ? SessionPolicy.NONE : stsSessionPolicy;
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and 300 seconds");
        }
        if (maxTokenBytes < 256 || maxTokenBytes > 65_536) {
            throw new IllegalArgumentException("max token bytes must be between 256 and 65536");
        }
        if (jwksMaxKeys < 1 || jwksMaxBytes < 256) {
            throw new IllegalArgumentException("JWKS bounds must be positive");
        }
        if (jwksUrl.isPresent()) {
            String scheme = String.valueOf(jwksUrl.get().getScheme()).toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("file")
                    && !(scheme.equals("http") && isLoopback(jwksUrl.get().getHost()))) {
                throw new IllegalArgumentException("the JWKS URL must be https: (http: only on a loopback host) "
                        + "or file:");
            }
        }
    }

    /** Every default: no issuer, so bearer tokens are rejected until one is configured. */
    public static IdentitySettings defaults() {
        return fromEnvironment(Map.of());
    }

    /**
     * The settings as text, by name: the function's configuration mapping ({@code authorizer.jwks-url}, set as
     * {@code AUTHORIZER_JWKS_URL}, ...) implements this, and {@link #fromEnvironment(Map)} reads the same names from
     * a map of environment variables. Unset or blank means the default; every value is checked by
     * {@link #from(Values)}, so an unusable one fails there (and the function answers {@code ConfigurationError}).
     */
    public interface Values {
        /** {@code AUTHORIZER_JWKS_URL}. */
        Optional<String> jwksUrl();

        /** {@code AUTHORIZER_ISSUER}. */
        Optional<String> issuer();

        /** {@code AUTHORIZER_AUDIENCE}, comma-separated. */
        Optional<String> audience();

        /** {@code AUTHORIZER_ROLE_CLAIM}. */
        Optional<String> roleClaim();

        /** {@code AUTHORIZER_ROLE_MAPPING_CLAIM}. */
        Optional<String> roleMappingClaim();

        /** {@code AUTHORIZER_ROLE_MAPPING}: {@code value=roleArn,value=roleArn}. */
        Optional<String> roleMapping();

        /** {@code AUTHORIZER_DEFAULT_ROLE}. */
        Optional<String> defaultRole();

        /** {@code AUTHORIZER_SESSION_NAME_CLAIM}. */
        Optional<String> sessionNameClaim();

        /** {@code AUTHORIZER_SOURCE_IDENTITY_CLAIM}. */
        Optional<String> sourceIdentityClaim();

        /**
         * {@code AUTHORIZER_SESSION_POLICY}: inline JSON, read as written — IAM's policy variables ({@code ${...}})
         * must not be taken for configuration expressions, so a configuration source overrides this default method
         * with the raw value (none by default).
         */
        default Optional<String> sessionPolicy() {
            return Optional.empty();
        }

        /** {@code AUTHORIZER_SESSION_POLICY_ARNS}, comma-separated. */
        Optional<String> sessionPolicyArns();

        /** {@code AUTHORIZER_SESSION_POLICY_CLAIM}. */
        Optional<String> sessionPolicyClaim();

        /** {@code AUTHORIZER_FEDERATION_ISSUING_USER}. */
        Optional<String> federationIssuingUser();

        /** {@code AUTHORIZER_FEDERATED_USER_CLAIM}. */
        Optional<String> federatedUserClaim();

        /** {@code AUTHORIZER_STS_ALLOWED_HOSTS}, comma-separated. */
        Optional<String> stsAllowedHosts();

        /** {@code AUTHORIZER_STS_REFUSE_ASSUMED_ROLE}: {@code true} or {@code false}. */
        Optional<String> stsRefuseAssumedRole();

        /** {@code AUTHORIZER_STS_SESSION_POLICY}: inline JSON, read as written (see {@link #sessionPolicy()}). */
        default Optional<String> stsSessionPolicy() {
            return Optional.empty();
        }

        /** {@code AUTHORIZER_CLOCK_SKEW_SECONDS}. */
        Optional<String> clockSkewSeconds();

        /** {@code AUTHORIZER_MAX_TOKEN_BYTES}. */
        Optional<String> maxTokenBytes();

        /** {@code AUTHORIZER_JWKS_TTL_SECONDS}. */
        Optional<String> jwksTtlSeconds();

        /** {@code AUTHORIZER_JWKS_MIN_REFRESH_SECONDS}. */
        Optional<String> jwksMinRefreshSeconds();

        /** {@code AUTHORIZER_JWKS_MAX_KEYS}. */
        Optional<String> jwksMaxKeys();

        /** {@code AUTHORIZER_JWKS_MAX_BYTES}. */
        Optional<String> jwksMaxBytes();

        /** {@code AUTHORIZER_HTTP_TIMEOUT_MILLIS}. */
        Optional<String> httpTimeoutMillis();
    }

    /** Reads the settings from environment variables (see the class comment); unset or blank means default. */
    public static IdentitySettings fromEnvironment(Map<String, String> env) {
        return from(new Values() {
            private Optional<String> v(String name) {
                return Optional.ofNullable(env.get(name));
            }

            public Optional<String> jwksUrl() { return v("AUTHORIZER_JWKS_URL"); }
            public Optional<String> issuer() { return v("AUTHORIZER_ISSUER"); }
            public Optional<String> audience() { return v("AUTHORIZER_AUDIENCE"); }
            public Optional<String> roleClaim() { return v("AUTHORIZER_ROLE_CLAIM"); }
            public Optional<String> roleMappingClaim() { return v("AUTHORIZER_ROLE_MAPPING_CLAIM"); }
            public Optional<String> roleMapping() { return v("AUTHORIZER_ROLE_MAPPING"); }
            public Optional<String> defaultRole() { return v("AUTHORIZER_DEFAULT_ROLE"); }
            public Optional<String> sessionNameClaim() { return v("AUTHORIZER_SESSION_NAME_CLAIM"); }
            public Optional<String> sourceIdentityClaim() { return v("AUTHORIZER_SOURCE_IDENTITY_CLAIM"); }
            public Optional<String> sessionPolicy() { return v("AUTHORIZER_SESSION_POLICY"); }
            public Optional<String> sessionPolicyArns() { return v("AUTHORIZER_SESSION_POLICY_ARNS"); }
            public Optional<String> sessionPolicyClaim() { return v("AUTHORIZER_SESSION_POLICY_CLAIM"); }
            public Optional<String> federationIssuingUser() { return v("AUTHORIZER_FEDERATION_ISSUING_USER"); }
            public Optional<String> federatedUserClaim() { return v("AUTHORIZER_FEDERATED_USER_CLAIM"); }
            public Optional<String> stsAllowedHosts() { return v("AUTHORIZER_STS_ALLOWED_HOSTS"); }
            public Optional<String> stsRefuseAssumedRole() { return v("AUTHORIZER_STS_REFUSE_ASSUMED_ROLE"); }
            public Optional<String> stsSessionPolicy() { return v("AUTHORIZER_STS_SESSION_POLICY"); }
            public Optional<String> clockSkewSeconds() { return v("AUTHORIZER_CLOCK_SKEW_SECONDS"); }
            public Optional<String> maxTokenBytes() { return v("AUTHORIZER_MAX_TOKEN_BYTES"); }
            public Optional<String> jwksTtlSeconds() { return v("AUTHORIZER_JWKS_TTL_SECONDS"); }
            public Optional<String> jwksMinRefreshSeconds() { return v("AUTHORIZER_JWKS_MIN_REFRESH_SECONDS"); }
            public Optional<String> jwksMaxKeys() { return v("AUTHORIZER_JWKS_MAX_KEYS"); }
            public Optional<String> jwksMaxBytes() { return v("AUTHORIZER_JWKS_MAX_BYTES"); }
            public Optional<String> httpTimeoutMillis() { return v("AUTHORIZER_HTTP_TIMEOUT_MILLIS"); }
        });
    }

    /** Parses and checks the settings (see the class comment for names and defaults). */
    public static IdentitySettings from(Values v) {
        return new IdentitySettings(
                uri(opt(v.jwksUrl())),
                opt(v.issuer()),
                new LinkedHashSet<>(list(v.audience())),
                opt(v.roleClaim()).orElse(DEFAULT_ROLE_CLAIM),
                opt(v.roleMappingClaim()).orElse("groups"),
                mapping(opt(v.roleMapping()).orElse("")),
                opt(v.defaultRole()),
                opt(v.sessionNameClaim()).orElse("sub"),
                opt(v.sourceIdentityClaim()),
                new SessionPolicy(opt(v.sessionPolicy()).orElse(null), list(v.sessionPolicyArns())),
                opt(v.sessionPolicyClaim()),
                opt(v.federationIssuingUser()),
                opt(v.federatedUserClaim()).orElse("federated_user"),
                new LinkedHashSet<>(list(v.stsAllowedHosts())),
                bool(v.stsRefuseAssumedRole(), "AUTHORIZER_STS_REFUSE_ASSUMED_ROLE", false),
                new SessionPolicy(opt(v.stsSessionPolicy()).orElse(null), List.of()),
                Duration.ofSeconds(integer(v.clockSkewSeconds(), "AUTHORIZER_CLOCK_SKEW_SECONDS", 60)),
                integer(v.maxTokenBytes(), "AUTHORIZER_MAX_TOKEN_BYTES", 8_192),
                Duration.ofSeconds(integer(v.jwksTtlSeconds(), "AUTHORIZER_JWKS_TTL_SECONDS", 600)),
                Duration.ofSeconds(integer(v.jwksMinRefreshSeconds(), "AUTHORIZER_JWKS_MIN_REFRESH_SECONDS", 30)),
                integer(v.jwksMaxKeys(), "AUTHORIZER_JWKS_MAX_KEYS", 32),
                integer(v.jwksMaxBytes(), "AUTHORIZER_JWKS_MAX_BYTES", 65_536),
                Duration.ofMillis(integer(v.httpTimeoutMillis(), "AUTHORIZER_HTTP_TIMEOUT_MILLIS", 3_000)));
    }

    /** Whether bearer tokens can be checked at all (JWKS, issuer and audience configured). */
    public boolean bearerTokensEnabled() {
        return jwksUrl.isPresent() && issuer.isPresent() && !audiences.isEmpty();
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("::1");
    }

    private static Optional<String> opt(Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.get().trim());
    }

    private static Optional<URI> uri(Optional<String> value) {
        return value.isPresent() ? Optional.of(URI.create(value.get())) : Optional.empty();
    }

    private static List<String> list(Optional<String> value) {
        List<String> out = new ArrayList<>();
        for (String s : opt(value).orElse("").split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /**
     * A flag: the spellings the configuration mapping reads as true for its own booleans ({@code true}, {@code 1},
     * {@code yes}, {@code y}, {@code on}, any case) or as false ({@code false}, {@code 0}, {@code no}, {@code n},
     * {@code off}); anything else is unusable — a security flag must not be read as its default because it was
     * spelled {@code enabled}, and {@code yes} must not mean false here while it means true for the other flags.
     */
    private static boolean bool(Optional<String> value, String name, boolean def) {
        Optional<String> v = opt(value);
        if (v.isEmpty()) {
            return def;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "on" -> true;
            case "false", "0", "no", "n", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, not " + v.get());
        };
    }

    private static int integer(Optional<String> value, String name, int def) {
        try {
            Optional<String> v = opt(value);
            return v.isPresent() ? Integer.parseInt(v.get()) : def;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer", e);
        }
    }

    private static Map<String, String> mapping(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.lastIndexOf("=arn:");
            if (eq <= 0) {
                throw new IllegalArgumentException("AUTHORIZER_ROLE_MAPPING entries are claimValue=roleArn");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    /** The same settings with {@code roleArn} as the role of tokens that name none (AUTHORIZER_DEFAULT_ROLE). */
    public IdentitySettings withDefaultRole(String roleArn) {
        return new IdentitySettings(jwksUrl, issuer, audiences, roleClaim, roleMappingClaim, roleMapping,
                Optional.of(roleArn), sessionNameClaim, sourceIdentityClaim, sessionPolicy, sessionPolicyClaim,
                federationIssuingUser, federatedUserClaim, stsAllowedHosts, stsRefuseSessions, stsSessionPolicy,
                clockSkew, maxTokenBytes, jwksTtl, jwksMinRefreshInterval, jwksMaxKeys, jwksMaxBytes, httpTimeout);
    }

    /** A builder-style copy helper for tests and wiring: the same settings with another issuer/JWKS/audience. */
    public IdentitySettings withToken(URI jwks, String iss, Set<String> aud) {
        return new IdentitySettings(Optional.of(jwks), Optional.of(iss), aud, roleClaim, roleMappingClaim,
                roleMapping, defaultRole, sessionNameClaim, sourceIdentityClaim, sessionPolicy, sessionPolicyClaim,
                federationIssuingUser, federatedUserClaim, stsAllowedHosts, stsRefuseSessions, stsSessionPolicy,
                clockSkew, maxTokenBytes, jwksTtl, jwksMinRefreshInterval, jwksMaxKeys, jwksMaxBytes, httpTimeout);
    }
}
