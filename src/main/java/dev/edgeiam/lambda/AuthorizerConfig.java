package dev.edgeiam.lambda;

import dev.edgeiam.aws.S3AccountView;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentitySettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * All settings of the function, under the prefix {@code authorizer}. Each can be set as an environment variable,
 * e.g. {@code AUTHORIZER_EVENT_MAX_BYTES=131072}, {@code AUTHORIZER_POLICY_SOURCE=iam}. The caller-identity
 * settings ({@code AUTHORIZER_JWKS_URL}, {@code AUTHORIZER_ISSUER}, {@code AUTHORIZER_AUDIENCE}, ...) are bound
 * here too, as text ({@link IdentitySettings.Values}), and checked by {@link IdentitySettings#from}: an unusable
 * value makes the function answer {@code ConfigurationError}, as any other unusable configuration does. The one
 * exception is the inline session policies, which {@link LambdaBeans} reads as written, before property expressions
 * are expanded: IAM's policy variables ({@code ${aws:username}}) look like them. See README.md.
 */
@ConfigMapping(prefix = "authorizer")
public interface AuthorizerConfig extends IdentitySettings.Values {

    /** Bounds on the raw Lambda event, checked before its content is looked at. */
    Event event();

    /** {@code AUTHORIZER_SESSION_POLICY} as written: IAM's {@code ${aws:username}} is not a property expression. */
    @Override
    default Optional<String> sessionPolicy() {
        return rawValue("authorizer.session-policy");
    }

    /** {@code AUTHORIZER_STS_SESSION_POLICY} as written. */
    @Override
    default Optional<String> stsSessionPolicy() {
        return rawValue("authorizer.sts-session-policy");
    }

    /**
     * A property's value as its source holds it, before property expressions ({@code ${...}}) are expanded — for
     * values that are IAM policies. Not a mapped member (a default method), so the mapping never expands it either.
     */
    private static Optional<String> rawValue(String name) {
        return Optional.ofNullable(org.eclipse.microprofile.config.ConfigProvider.getConfig().getConfigValue(name)
                .getRawValue());
    }

    /**
     * {@code snapshot} (default: the account snapshot, the bundled sample unless a path is given), {@code iam} (live
     * IAM calls per principal) or {@code s3} (the account view object the refresher writes, see {@link Snapshot}).
     */
    @WithDefault("snapshot")
    String policySource();

    Snapshot snapshot();

    /** SCPs from configuration, for a function without access to AWS Organizations. */
    Scp scp();

    /** The refresher function ({@code QUARKUS_LAMBDA_HANDLER=refresher}). */
    Refresher refresher();

    Cache cache();

    /** Lambda SnapStart (JVM packaging): what runs before the snapshot ({@link SnapStartPriming}). */
    SnapStart snapstart();

    interface SnapStart {
        /** Prime before the snapshot: load and compile the account snapshot's principals, run decisions (default true). */
        @WithDefault("true")
        boolean priming();

        /** At most this many principals are loaded and decided while priming (default 2000). */
        @WithDefault("2000")
        int maxPrincipals();
    }

    Connect connect();

    Identity identity();

    /** Live IAM ({@code authorizer.policy-source=iam}): how a principal load is bounded. */
    Iam iam();

    interface Iam {
        /** How many IAM calls one principal load runs at once (default 8). */
        @WithDefault("8")
        int concurrency();

        /** The most one principal load may take, all its calls together (default 4 s). */
        @WithDefault("PT4S")
        Duration loadTimeout();

        /** The most one attempt of an IAM call may take (default 1.5 s). */
        @WithDefault("PT1.5S")
        Duration attemptTimeout();

        /** The most one IAM call may take with its retries (default 3 s). */
        @WithDefault("PT3S")
        Duration callTimeout();
    }

    /** Amazon Connect resource tags ({@code aws:ResourceTag/...}), read only when a policy needs them. */
    Tags tags();

    interface Tags {
        /** The most one {@code ListTagsForResource} call may take (default 2 s; no retries). */
        @WithDefault("PT2S")
        Duration timeout();
    }

    Http http();

    /** The AWS SDK clients the function and the refresher build. */
    Aws aws();

    interface Aws {
        /**
         * The longest opening a connection to IAM ({@code iam} source) or S3 ({@code s3} source, refresher) may take
         * (default 1 s).
         */
        @WithDefault("PT1S")
        Duration connectionTimeout();

        /** {@link #connectionTimeout()}, checked: positive. */
        default Duration checkedConnectionTimeout() {
            return RefresherTimeouts.positive("authorizer.aws.connection-timeout", connectionTimeout());
        }
    }

    /** The metrics line (CloudWatch Embedded Metric Format; README "Logs, metrics and traces"). */
    Metrics metrics();

    /**
     * Extra routes for APIs that are not Connect-shaped, tried before the Connect route table, e.g.
     * {@code authorizer.custom-routes[0].method=POST}, {@code .path=/v1/agents/{id}/status},
     * {@code .action=connect:PutUserStatus},
     * {@code .arns=arn:aws:connect:{Region}:{Account}:instance/{InstanceId}/agent/{id}} ({@code {param}} from the
     * path, then the query, then {@code {Partition}}/{@code {Region}}/{@code {Account}} from configuration).
     * A WebSocket {@code $connect} is matched as method {@code WEBSOCKET}, path {@code /$connect}.
     */
    java.util.List<CustomRoute> customRoutes();

    interface CustomRoute {
        String method();

        String path();

        String action();

        java.util.List<String> arns();
    }

    interface Event {

        /** Largest event accepted, in bytes (default 256 KiB). */
        @WithDefault("262144")
        int maxBytes();

        /** Deepest nesting of JSON arrays and objects accepted (default 64). */
        @WithDefault("64")
        int maxDepth();

        /** Longest single JSON string accepted, in characters (default 128 Ki). */
        @WithDefault("131072")
        int maxStringLength();

        default EventLimits limits() {
            return new EventLimits(maxBytes(), maxDepth(), maxStringLength());
        }
    }

    interface Snapshot {
        /** A file in {@code aws iam get-account-authorization-details} format; unset = the bundled sample. */
        Optional<String> path();

        /** Read the snapshot live with GetAccountAuthorizationDetails instead of a file (default false). */
        @WithDefault("false")
        boolean live();

        /** {@code s3} source and refresher: the bucket of the account view object. */
        Optional<String> bucket();

        /** {@code s3} source and refresher: the key of the account view object (default account-view.json). */
        @WithDefault("account-view.json")
        String key();

        /** {@code s3} source: the most one attempt to read the view may take (default 2 s; at most 3 attempts). */
        @WithDefault("PT2S")
        Duration attemptTimeout();

        /** {@code s3} source: how long a confirmed view is used before a conditional GET (default 10 s). */
        @WithDefault("PT10S")
        Duration revalidate();

        /**
         * {@code s3} source: the longest a view may decide after S3 last confirmed it (default 1 min); past it,
         * decisions wait for S3 and fail closed ({@code policy-source-unavailable}) if it cannot be read. The
         * refresher flushes API Gateway's authorizer caches once more this long after writing a new view.
         */
        @WithDefault("PT1M")
        Duration maxStale();

        /**
         * {@code s3} source: the longest a decision waits for S3 when it has no usable view (default 4 s), e.g. at a
         * cold start or past {@link #maxStale()}.
         */
        @WithDefault("PT4S")
        Duration loadTimeout();

        /**
         * {@code s3} source: after a failed read, decisions without a usable view fail closed at once for this long
         * instead of each waiting for S3 again (default 1 s).
         */
        @WithDefault("PT1S")
        Duration retryAfterFailure();

        /** {@code s3} source: the largest account view object read, in bytes (default 256 MiB). */
        @WithDefault("268435456")
        long maxBytes();

        /**
         * The {@code s3} source's settings, checked ({@link S3AccountView.Settings}: an unusable combination is an
         * {@link IllegalArgumentException}, answered {@code ConfigurationError}).
         */
        default S3AccountView.Settings viewSettings() {
            String bucket = bucket().orElseThrow(() -> new IllegalArgumentException(
                    "authorizer.policy-source=s3 needs AUTHORIZER_SNAPSHOT_BUCKET"));
            return new S3AccountView.Settings(bucket, key(), revalidate(), maxStale(), loadTimeout(),
                    retryAfterFailure(), maxBytes());
        }

        /** Refresher: SSE-KMS key for the object (unset = SSE-S3). */
        Optional<String> kmsKeyId();

        /** Path-style S3 addressing (for S3-compatible endpoints and local tests; default false). */
        @WithDefault("false")
        boolean pathStyle();
    }

    interface Scp {
        /**
         * A JSON file with the account's SCP chain (the {@code ServiceControlPolicies} format, README), applied when
         * the policy source carries none; unset = SCPs only from the account view.
         */
        Optional<String> file();
    }

    interface Refresher {
        /**
         * Where the SCP chain written into the view comes from: {@code organizations} (default: AWS Organizations,
         * see {@link #organizationsRoleArn()}), {@code file} ({@code authorizer.scp.file}) or {@code none} (not
         * modelled).
         */
        @WithDefault("organizations")
        String scpSource();

        /** A role in the management (or delegated administrator) account to read AWS Organizations with; unset = own credentials. */
        Optional<String> organizationsRoleArn();

        /** REST API stages whose authorizer caches are flushed after a new view is written: {@code restApiId/stage,...}. */
        Optional<java.util.List<String>> flushStages();

        /** How many times a refresh starts over after losing a race to another refresher (default 5). */
        @WithDefault("5")
        int maxAttempts();

        /** The most one attempt of an IAM call ({@code GetAccountAuthorizationDetails} page) may take (default 20 s). */
        @WithDefault("PT20S")
        Duration iamAttemptTimeout();

        /** The most one IAM call may take with its retries (default 60 s). */
        @WithDefault("PT60S")
        Duration iamCallTimeout();

        /** The most one attempt of an S3 call (writing the view) may take (default 20 s; a call: twice that). */
        @WithDefault("PT20S")
        Duration s3AttemptTimeout();

        /** The longest an AWS Organizations call waits for the next bytes of its answer (default 10 s). */
        @WithDefault("PT10S")
        Duration organizationsTimeout();

        /** The longest an API Gateway cache flush call waits for the next bytes of its answer (default 5 s). */
        @WithDefault("PT5S")
        Duration apiGatewayTimeout();

        /** These time limits, checked ({@link RefresherTimeouts}). */
        default RefresherTimeouts timeouts() {
            return new RefresherTimeouts(iamAttemptTimeout(), iamCallTimeout(), s3AttemptTimeout(),
                    organizationsTimeout(), apiGatewayTimeout());
        }
    }

    interface Cache {
        /** How long a principal's compiled policies are fresh (default 5 minutes). */
        @WithDefault("PT5M")
        Duration ttl();

        /** How long past the TTL they may still serve while refreshing (default 1 minute). */
        @WithDefault("PT1M")
        Duration staleWhileRevalidate();

        /** How long "no such principal" is remembered (default 30 seconds). */
        @WithDefault("PT30S")
        Duration negativeTtl();

        /** The most principals kept (default 10,000). */
        @WithDefault("10000")
        int maxSize();

        /** How long Amazon Connect resource tags are remembered (default 5 minutes). */
        @WithDefault("PT5M")
        Duration tagTtl();

        /** The most resources whose tags are remembered (default 10,000). */
        @WithDefault("10000")
        int tagMaxSize();

        /**
         * The longest a verified credential is remembered (default 5 minutes; never past the session's own
         * expiry).
         */
        @WithDefault("PT5M")
        Duration credentialTtl();

        /** The most verified credentials remembered (default 10,000). */
        @WithDefault("10000")
        int credentialMaxSize();

        /** The most role look-ups (role, or "no such role") remembered for the identity stage (default 10,000). */
        @WithDefault("10000")
        int roleMaxSize();

        /** The most compiled session policy sets (principal × session policy) kept (default 1,000). */
        @WithDefault("1000")
        int sessionSetsMaxSize();

        /** The most route-level grants (caller × API stage) kept for cacheable answers (default 1,000). */
        @WithDefault("1000")
        int routeGrantsMaxSize();

        /** The most compiled role trust policies kept for web identity federation (default 256). */
        @WithDefault("256")
        int trustPoliciesMaxSize();

        /** The most STS answers remembered for presigned URLs signed with long-term access keys (default 10,000). */
        @WithDefault("10000")
        int stsAnswersMaxSize();

        /** The identity stage's bounds, checked ({@link CallerIdentityResolver.Limits}). */
        default CallerIdentityResolver.Limits identityLimits() {
            return new CallerIdentityResolver.Limits(trustPoliciesMaxSize(), stsAnswersMaxSize(), credentialTtl());
        }

        /**
         * API Gateway's authorizer result TTL for this function's authorizers ({@code authorizerResultTtlInSeconds};
         * a plain number is seconds; default 300, API Gateway's own default; 0 = API Gateway caches nothing).
         * Answers are made to hold for every request API Gateway will reuse them for within it.
         */
        @WithDefault("300")
        Duration resultTtl();

        /**
         * The authorizers' identity sources (API Gateway's cache key), comma-separated as API Gateway writes them,
         * e.g. {@code method.request.header.Authorization} or {@code $request.header.Authorization,$context.routeKey};
         * unset = the credential alone. See {@code dev.edgeiam.authorize.CacheModel} for what each source pins.
         */
        Optional<String> identitySources();
    }

    interface Connect {
        /** Region of the Amazon Connect resources (default us-east-1). */
        @WithDefault("us-east-1")
        String region();

        /** Account of the Amazon Connect resources (default: the bundled sample account). */
        @WithDefault("111122223333")
        String account();

        /** ARN partition (default aws). */
        @WithDefault("aws")
        String partition();
    }

    interface Identity {
        /** The request header that carries the credential (default Authorization). */
        @WithDefault("Authorization")
        String header();

        /** A query parameter that carries it instead (e.g. for WebSocket clients); unset = none. */
        Optional<String> queryParameter();
    }

    interface Http {
        /** Answer HTTP API payload 2.0 events with simple responses {@code {"isAuthorized", "context"}} (default false). */
        @WithDefault("false")
        boolean simpleResponses();
    }

    interface Metrics {
        /** The CloudWatch namespace of the metrics (default {@value dev.edgeiam.observe.Telemetry#DEFAULT_NAMESPACE}). */
        @WithDefault(dev.edgeiam.observe.Telemetry.DEFAULT_NAMESPACE)
        String namespace();
    }
}
