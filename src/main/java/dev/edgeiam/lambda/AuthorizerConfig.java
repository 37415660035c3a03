package dev.edgeiam.lambda;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * All settings of the function, under the prefix {@code authorizer}. Each can be set as an environment variable,
 * e.g. {@code AUTHORIZER_EVENT_MAX_BYTES=131072}, {@code AUTHORIZER_POLICY_SOURCE=iam}. The caller-identity
 * settings ({@code AUTHORIZER_JWKS_URL}, {@code AUTHORIZER_ISSUER}, {@code AUTHORIZER_AUDIENCE}, ...) are read
 * from the environment by {@code dev.edgeiam.identity.IdentitySettings}; see README.md.
 */
@ConfigMapping(prefix = "authorizer")
public interface AuthorizerConfig {

    /** Bounds on the raw Lambda event, checked before its content is looked at. */
    Event event();

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

    Http http();

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
