package dev.edgeiam.lambda;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.aws.ConnectResourceTags;
import dev.edgeiam.aws.IamPolicySource;
import dev.edgeiam.aws.AccountViewPublisher;
import dev.edgeiam.aws.OrganizationsScpReader;
import dev.edgeiam.aws.S3AccountView;
import dev.edgeiam.aws.SignedAwsCall;
import dev.edgeiam.aws.StageCacheFlusher;
import dev.edgeiam.aws.ServiceControlPolicyFormat;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.aws.StsCallerIdentityClient;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.observe.SdkTracing;
import dev.edgeiam.observe.Telemetry;
import dev.edgeiam.observe.TraceHeader;
import dev.edgeiam.observe.XRaySubsegments;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.CurrentViewResolver;
import dev.edgeiam.principal.PrincipalCache;
import dev.edgeiam.principal.PrincipalResolver;
import dev.edgeiam.principal.ServiceControlChain;
import dev.edgeiam.simulate.CustomPolicySimulator;
import dev.edgeiam.simulate.PrincipalPolicySimulator;
import dev.edgeiam.validate.PolicyValidator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.organizations.OrganizationsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Wires the Quarkus-free core into CDI: the only place that knows which implementation answers which event and
 * where configuration comes from. AWS clients are created only when the configuration needs them (the default,
 * the bundled snapshot, needs none), so a cold start does no network set-up it will not use.
 */
@Singleton
public class LambdaBeans {

    /** The one clock: every TTL, expiry and timestamp of the function is read from it. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The application's {@code ObjectMapper} bean, in place of quarkus-jackson's default one (a {@code @DefaultBean}).
     * Nothing of this function reads it: quarkus-amazon-lambda copies it at start-up for handlers that take and return
     * objects, and for the client-context and Cognito headers of its own poll loop (flat beans of strings, read with its
     * own settings: unknown members ignored); the handler here is a stream handler that reads its events itself
     * ({@link EventDispatcher}). The default bean would register every Jackson module on the class path (java.time,
     * {@code Optional}, parameter names) with Quarkus' customizers, ~300 profile samples of every cold start
     * (BENCHMARKS.md, "Seventh pass").
     */
    @Produces
    @Singleton
    @io.quarkus.arc.Unremovable // looked up by type at start-up, never injected: ArC would drop it as unused
    com.fasterxml.jackson.databind.ObjectMapper lambdaRuntimeObjectMapper() {
        return new com.fasterxml.jackson.databind.ObjectMapper();
    }

    @Produces
    @Singleton
    AuthorizerServices services(AuthorizerConfig config, Clock clock) {
        try {
            return AuthorizerServices.create(config, awsEnvironment(), clock);
        } catch (RuntimeException e) {
            // Fail closed but keep answering: every event that needs these services gets a ConfigurationError.
            org.jboss.logging.Logger.getLogger(LambdaBeans.class).errorf(
                    "the authorizer's configuration is unusable (%s: %s); events that need it are refused",
                    e.getClass().getName(), e.getMessage());
            return AuthorizerServices.unusable(e.getClass().getSimpleName());
        }
    }

    /**
     * The invocation and metrics lines: counters from the principal cache, the verified-credential cache and the tag
     * source; the account view's age in {@code s3} mode; the trace header Lambda sets per invocation.
     */
    @Produces
    @Singleton
    Telemetry telemetry(AuthorizerConfig config, AuthorizerServices services, Clock clock) {
        String namespace = config.metrics().namespace();
        java.util.function.Supplier<Telemetry.Counters> counters = services.counters() == null
                ? NoCounters.INSTANCE : services.counters();
        java.util.function.LongSupplier viewAge = services.viewAgeMillis() == null ? NoViewAge.INSTANCE
                : services.viewAgeMillis();
        try {
            return new Telemetry(namespace, System.getenv("AWS_LAMBDA_FUNCTION_NAME"), counters, viewAge,
                    CurrentTraceHeader.INSTANCE, clock);
        } catch (IllegalArgumentException e) {
            org.jboss.logging.Logger.getLogger(LambdaBeans.class).errorf(
                    "authorizer.metrics.namespace is not a custom CloudWatch namespace; using %s",
                    Telemetry.DEFAULT_NAMESPACE);
            return new Telemetry(Telemetry.DEFAULT_NAMESPACE, System.getenv("AWS_LAMBDA_FUNCTION_NAME"), counters,
                    viewAge, CurrentTraceHeader.INSTANCE, clock);
        }
    }

    /**
     * The AWS SDK calls as X-Ray subsegments when Lambda's active tracing is on ({@code AWS_XRAY_DAEMON_ADDRESS} set),
     * else nothing: added to every SDK client this class builds.
     */
    static java.util.function.Consumer<ClientOverrideConfiguration.Builder> tracing(Map<String, String> env) {
        return tracing(xray(env));
    }

    /** The subsegment sender when active tracing is on ({@code AWS_XRAY_DAEMON_ADDRESS}), else null. */
    static XRaySubsegments xray(Map<String, String> env) {
        return XRaySubsegments.fromEnvironment(new VariableOrProcessVariable(env));
    }

    static java.util.function.Consumer<ClientOverrideConfiguration.Builder> tracing(XRaySubsegments sender) {
        if (sender == null) {
            return NoTracing.INSTANCE;
        }
        SdkTracing interceptor = new SdkTracing(sender, CurrentTraceHeader.INSTANCE);
        return new AddInterceptor(interceptor);
    }

    /** The presigned {@code GetCallerIdentity} requests (sent without an SDK client) as STS subsegments. */
    static java.util.function.UnaryOperator<software.amazon.awssdk.http.SdkHttpClient> tracedPresignedSts(
            XRaySubsegments sender) {
        return tracedHttp(sender, "STS", "GetCallerIdentity");
    }

    /** Requests sent without an SDK service client as subsegments of {@code service}, else the client unchanged. */
    static java.util.function.UnaryOperator<software.amazon.awssdk.http.SdkHttpClient> tracedHttp(
            XRaySubsegments sender, String service, String operation) {
        if (sender == null) {
            return java.util.function.UnaryOperator.identity();
        }
        return new TracedHttp(sender, service, operation);
    }

    @Produces
    @Singleton
    RefresherServices refresherServices(AuthorizerConfig config) {
        try {
            return RefresherServices.create(config, awsEnvironment());
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(LambdaBeans.class).errorf(
                    "the refresher's configuration is unusable (%s: %s)", e.getClass().getName(), e.getMessage());
            return new RefresherServices(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The refresher function's parts ({@code QUARKUS_LAMBDA_HANDLER=refresher}); null with a problem when unusable. */
    public record RefresherServices(ViewRefresher refresher, String problem) {

        static RefresherServices create(AuthorizerConfig config, Map<String, String> env) {
            String bucket = config.snapshot().bucket().orElseThrow(() -> new IllegalArgumentException(
                    "the refresher needs AUTHORIZER_SNAPSHOT_BUCKET"));
            java.util.function.Consumer<ClientOverrideConfiguration.Builder> traced = tracing(env);
            RefresherTimeouts timeouts = config.refresher().timeouts();
            Function<String, com.fasterxml.jackson.databind.node.ObjectNode> scps = switch (config.refresher().scpSource()) {
                case "organizations" -> {
                    OrganizationsScpReader reader = new OrganizationsScpReader(organizationsClient(config, env,
                            timeouts.organizations(), traced));
                    yield reader::read;
                }
                case "file" -> {
                    String file = config.scp().file().orElseThrow(() -> new IllegalArgumentException(
                            "authorizer.refresher.scp-source=file needs AUTHORIZER_SCP_FILE"));
                    try {
                        com.fasterxml.jackson.databind.node.ObjectNode chain = (com.fasterxml.jackson.databind.node.ObjectNode)
                                new com.fasterxml.jackson.databind.ObjectMapper().readTree(Path.of(file).toFile());
                        ServiceControlPolicyFormat.read(chain); // refuse a file that does not parse, now
                        yield account -> chain;
                    } catch (IOException | ClassCastException e) {
                        throw new IllegalArgumentException("cannot read the SCP file " + file + ": " + e.getMessage());
                    }
                }
                case "none" -> null;
                default -> throw new IllegalArgumentException(
                        "authorizer.refresher.scp-source must be organizations, file or none, not "
                                + config.refresher().scpSource());
            };
            AccountViewPublisher publisher = new AccountViewPublisher(refresherIamClient(timeouts, traced),
                    AuthorizerServices.s3Client(config, env, timeouts.s3Attempt(), traced), scps,
                    new AccountViewPublisher.Settings(bucket, config.snapshot().key(), config.connect().account(),
                            config.snapshot().kmsKeyId().orElse(null), config.refresher().maxAttempts()));
            List<StageCacheFlusher.Stage> stages = new ArrayList<>();
            for (String t : config.refresher().flushStages().orElse(List.of())) {
                if (!t.isBlank()) {
                    stages.add(StageCacheFlusher.Stage.parse(t));
                }
            }
            StageCacheFlusher flusher = stages.isEmpty() ? null
                    : new StageCacheFlusher(StageCacheFlusher.client(
                    Region.of(env.getOrDefault("AWS_REGION", config.connect().region())),
                    SignedAwsCall.endpointFromEnvironment("API_GATEWAY", new VariableOrProcessVariable(env))
                            .orElse(null),
                    DefaultCredentialsProvider.builder().build(), timeouts.apiGateway(),
                    tracedHttp(xray(env), "API Gateway", "FlushStageAuthorizersCache")), stages);
            return new RefresherServices(new ViewRefresher(publisher, flusher, config.snapshot().maxStale(),
                    d -> Thread.sleep(d.toMillis())), null);
        }

        /** GetAccountAuthorizationDetails pages can be large: 20 s per attempt, 60 s per call by default. */
        private static IamClient refresherIamClient(RefresherTimeouts timeouts,
                java.util.function.Consumer<ClientOverrideConfiguration.Builder> traced) {
            return IamClient.builder().region(Region.AWS_GLOBAL)
                    .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(timeouts.iamAttempt()))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .overrideConfiguration(o -> traced.accept(o.apiCallAttemptTimeout(timeouts.iamAttempt())
                            .apiCallTimeout(timeouts.iamCall())))
                    .build();
        }

        /**
         * AWS Organizations (its endpoint is in us-east-1 for the aws partition), with the refresher's own credentials
         * or those of {@code authorizer.refresher.organizations-role-arn} (a role in the management or delegated
         * administrator account).
         */
        private static OrganizationsClient organizationsClient(AuthorizerConfig config, Map<String, String> env,
                Duration socketTimeout, java.util.function.Consumer<ClientOverrideConfiguration.Builder> traced) {
            software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials =
                    DefaultCredentialsProvider.builder().build();
            Optional<String> role = config.refresher().organizationsRoleArn().filter(r -> !r.isBlank());
            if (role.isPresent()) {
                StsClient sts = StsClient.builder()
                        .region(Region.of(env.getOrDefault("AWS_REGION", config.connect().region())))
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(traced)
                        .credentialsProvider(credentials).build();
                credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                        .refreshRequest(r -> r.roleArn(role.get()).roleSessionName("edgeiam-refresher")).build();
            }
            return OrganizationsClient.builder().region(Region.US_EAST_1)
                    .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(socketTimeout))
                    .overrideConfiguration(traced)
                    .credentialsProvider(credentials).build();
        }
    }

    /**
     * The variables Lambda and the AWS SDK define ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_*},
     * {@code AWS_XRAY_DAEMON_ADDRESS}, ...). The function's own settings come from {@link AuthorizerConfig}.
     */
    static Map<String, String> awsEnvironment() {
        Map<String, String> env = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (e.getKey().startsWith("AWS_")) {
                env.put(e.getKey(), e.getValue());
            }
        }
        return env;
    }

    @Produces
    @Singleton
    EventDispatcher eventDispatcher(AuthorizerConfig config, AuthorizerServices services) {
        Map<EventDispatcher.EventKind, EventDispatcher.Handler> handlers = new EnumMap<>(EventDispatcher.EventKind.class);
        CustomPolicySimulator custom = new CustomPolicySimulator();
        handlers.put(EventDispatcher.EventKind.SIMULATE_CUSTOM_POLICY, new SimulateCustomPolicy(custom));
        if (services.problem() == null) {
            PrincipalPolicySimulator principal = new PrincipalPolicySimulator(services.principals());
            handlers.put(EventDispatcher.EventKind.SIMULATE_PRINCIPAL_POLICY, new SimulatePrincipalPolicy(principal));
            handlers.put(EventDispatcher.EventKind.AUTHORIZER, services.gateway().handler());
            handlers.put(EventDispatcher.EventKind.EVENTBRIDGE, Objects.requireNonNull(services.refresh()));
        } else {
            handlers.put(EventDispatcher.EventKind.SIMULATE_PRINCIPAL_POLICY, new Refused(services));
            handlers.put(EventDispatcher.EventKind.AUTHORIZER, new Refused(services));
            handlers.put(EventDispatcher.EventKind.EVENTBRIDGE, new Refused(services));
        }
        handlers.put(EventDispatcher.EventKind.VALIDATE_POLICY, ValidatePolicy.INSTANCE);
        handlers.put(EventDispatcher.EventKind.EXPAND_ACTIONS, ExpandActions.INSTANCE);
        return new EventDispatcher(handlers, config.event().limits());
    }

    /** Answers {@code SimulateCustomPolicy} requests with the simulator. */
    private static final class SimulateCustomPolicy implements EventDispatcher.Handler {
        private final CustomPolicySimulator simulator;

        SimulateCustomPolicy(CustomPolicySimulator simulator) {
            this.simulator = simulator;
        }

        @Override
        public EventDispatcher.Answer answer(JsonNode body) {
            return EventDispatcher.Answer.of(simulator.simulate(body));
        }
    }

    /** Answers {@code SimulatePrincipalPolicy} requests with the simulator. */
    private static final class SimulatePrincipalPolicy implements EventDispatcher.Handler {
        private final PrincipalPolicySimulator simulator;

        SimulatePrincipalPolicy(PrincipalPolicySimulator simulator) {
            this.simulator = simulator;
        }

        @Override
        public EventDispatcher.Answer answer(JsonNode body) {
            return EventDispatcher.Answer.of(simulator.simulate(body));
        }
    }

    /** Answers every event with the services' {@code ConfigurationError} (their configuration is unusable). */
    private static final class Refused implements EventDispatcher.Handler {
        private final AuthorizerServices services;

        Refused(AuthorizerServices services) {
            this.services = services;
        }

        @Override
        public EventDispatcher.Answer answer(JsonNode event) {
            return services.refused();
        }
    }

    /** Answers {@code ValidatePolicy} requests: the policy document, read as the given policy type. */
    private static final class ValidatePolicy implements EventDispatcher.Handler {
        static final ValidatePolicy INSTANCE = new ValidatePolicy();

        @Override
        public EventDispatcher.Answer answer(JsonNode body) {
            return EventDispatcher.Answer.of(PolicyValidator.validate(body.path("policyDocument").asText(null),
                    body.path("policyType").asText("IDENTITY_POLICY")));
        }
    }

    /** Answers {@code ExpandActions} requests: the actions an action pattern matches. */
    private static final class ExpandActions implements EventDispatcher.Handler {
        static final ExpandActions INSTANCE = new ExpandActions();

        @Override
        public EventDispatcher.Answer answer(JsonNode body) {
            return EventDispatcher.Answer.of(PolicyValidator.expandActions(body.path("pattern").asText("")));
        }
    }

    /** The trace header of the invocation being answered, read at each call ({@link TraceHeader#current()}). */
    private static final class CurrentTraceHeader implements Supplier<TraceHeader> {
        static final CurrentTraceHeader INSTANCE = new CurrentTraceHeader();

        @Override
        public TraceHeader get() {
            return TraceHeader.current();
        }
    }

    /** The counters when there are no services to count ({@link Telemetry.Counters#ZERO}). */
    private static final class NoCounters implements Supplier<Telemetry.Counters> {
        static final NoCounters INSTANCE = new NoCounters();

        @Override
        public Telemetry.Counters get() {
            return Telemetry.Counters.ZERO;
        }
    }

    /** The account view's age when there is no account view: -1. */
    private static final class NoViewAge implements LongSupplier {
        static final NoViewAge INSTANCE = new NoViewAge();

        @Override
        public long getAsLong() {
            return -1;
        }
    }

    /** A variable of the given environment, else of the process environment. */
    private static final class VariableOrProcessVariable implements UnaryOperator<String> {
        private final Map<String, String> env;

        VariableOrProcessVariable(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public String apply(String name) {
            return env.getOrDefault(name, System.getenv(name));
        }
    }

    /** Adds nothing to an SDK client's configuration (active tracing is off). */
    private static final class NoTracing implements Consumer<ClientOverrideConfiguration.Builder> {
        static final NoTracing INSTANCE = new NoTracing();

        @Override
        public void accept(ClientOverrideConfiguration.Builder o) {
        }
    }

    /** Adds the X-Ray interceptor to an SDK client's configuration. */
    private static final class AddInterceptor implements Consumer<ClientOverrideConfiguration.Builder> {
        private final SdkTracing interceptor;

        AddInterceptor(SdkTracing interceptor) {
            this.interceptor = interceptor;
        }

        @Override
        public void accept(ClientOverrideConfiguration.Builder o) {
            o.addExecutionInterceptor(interceptor);
        }
    }

    /** Wraps an HTTP client so its requests are sent as subsegments of one service's operation. */
    private static final class TracedHttp implements UnaryOperator<software.amazon.awssdk.http.SdkHttpClient> {
        private final XRaySubsegments sender;
        private final String service;
        private final String operation;

        TracedHttp(XRaySubsegments sender, String service, String operation) {
            this.sender = sender;
            this.service = service;
            this.operation = operation;
        }

        @Override
        public software.amazon.awssdk.http.SdkHttpClient apply(software.amazon.awssdk.http.SdkHttpClient c) {
            return new dev.edgeiam.observe.TracedHttpClient(c, sender, CurrentTraceHeader.INSTANCE, service, operation);
        }
    }

    /**
     * The long-lived parts, built once per Lambda instance (all null when the configuration is unusable).
     * {@code principals} is what decisions resolve principals with: the cache, or in {@code s3} mode the cache behind
     * the account view's freshness check ({@link CurrentViewResolver}).
     */
    public record AuthorizerServices(PrincipalCache cache, PrincipalResolver principals, GatewayAuthorizer gateway,
                                     RefreshHandler refresh, String problem,
                                     java.util.function.Supplier<Telemetry.Counters> counters,
                                     java.util.function.LongSupplier viewAgeMillis,
                                     CallerIdentityResolver identities, LazyResourceTags tags, S3AccountView view) {

        static AuthorizerServices unusable(String problem) {
            return new AuthorizerServices(null, null, null, null, problem, null, null, null, null, null);
        }

        /**
         * Drops everything remembered that must not outlive a SnapStart snapshot: principals, roles and verified
         * credentials ({@link RefreshHandler#forgetCachedState}), STS answers for presigned URLs, the Amazon
         * Connect tag source with its cached tags and client, and ({@code s3} source) any account view read before the
         * snapshot, which is then read again at once in the background. Compiled-policy caches keyed by their own
         * content (session policy sets, route grants, trust policies) stay: they cannot be wrong, only unused.
         */
        void forgetInstanceCaches() {
            if (view != null) {
                view.forget();
                view.prefetch();
            }
            if (refresh != null) {
                refresh.forgetCachedState();
            }
            if (identities != null) {
                identities.forgetRememberedAnswers();
            }
            if (tags != null) {
                tags.forget();
            }
        }

        EventDispatcher.Answer refused() {
            return EventDispatcher.Answer.of(EventDispatcher.error("ConfigurationError",
                    "the authorizer's configuration is unusable (" + problem + "); see the function's log", null));
        }

        static AuthorizerServices create(AuthorizerConfig config, Map<String, String> env, Clock clock) {
            // Checked now, though the clients that use it are built on first need: an unusable value is a
            // ConfigurationError, not a Deny per principal load.
            config.aws().checkedConnectionTimeout();
            XRaySubsegments xray = xray(env);
            java.util.function.Consumer<ClientOverrideConfiguration.Builder> traced = tracing(xray);
            ArnContext connect = connect(config);
            S3AccountView view = config.policySource().equals("s3") ? accountView(config, env, clock, traced) : null;
            RefreshablePolicySource source = new RefreshablePolicySource(view != null ? new AccountViewSource(view)
                    : new ConfiguredSource(config, traced));
            PrincipalCache.Settings cacheSettings = new PrincipalCache.Settings(config.cache().ttl(),
                    config.cache().staleWhileRevalidate(), config.cache().negativeTtl(), config.cache().maxSize());
            PrincipalCache cache = PrincipalCache.create(source, cacheSettings, clock);
            PrincipalResolver principals = view == null ? cache : new CurrentViewResolver(view, cache);
            PolicySourceDirectory directory = new PolicySourceDirectory(source, connect.account(), clock,
                    config.cache().ttl(), config.cache().roleMaxSize());
            IdentitySettings identitySettings = IdentitySettings.from(config);
            CallerIdentityResolver identities = CallerIdentityResolver.create(identitySettings, clock, directory,
                    cache, StsCallerIdentityClient.create(identitySettings.httpTimeout(),
                            new Variable(env), tracedPresignedSts(xray)),
                    config.cache().identityLimits());
            RouteTable routes = routes(config);
            LazyResourceTags tags = new LazyResourceTags(new ConnectTags(connect, config,
                    SignedAwsCall.endpointFromEnvironment("CONNECT", new Variable(env)).orElse(null),
                    tracedHttp(xray, "Connect", "ListTagsForResource"), clock), config.cache().tagTtl());
            GatewayAuthorizer gateway = GatewayAuthorizer.create(gatewaySettings(config), identities, principals,
                    routes, tags, new ManagedPolicyText(source), clock, new GatewayAuthorizer.Limits(
                            config.cache().credentialTtl(), config.cache().credentialMaxSize(),
                            config.cache().sessionSetsMaxSize(), config.cache().routeGrantsMaxSize()));
            if (view != null) {
                // A new view replaces everything derived from the old one: principals, roles, verified sessions.
                view.onViewChange(new ForgetDerived(cache, directory, gateway));
                if (InitializationType.snapshotted(env)) {
                    // Before a SnapStart snapshot nothing is read from S3 (no view, connection or credentials in the
                    // snapshot; priming decides on its own copy): the restore hook reads it (forgetInstanceCaches).
                    view.holdReadsUntilForgotten();
                } else {
                    view.prefetch();
                }
            }
            java.util.function.Supplier<Telemetry.Counters> counters = new CacheCounters(cache, gateway, tags);
            return new AuthorizerServices(cache, principals, gateway, new RefreshHandler(source, cache, directory,
                    config.policySource().equals("snapshot"), new ForgetVerifiedCredentials(gateway)), null, counters,
                    view == null ? NoViewAge.INSTANCE : new ViewAge(view), identities, tags, view);
        }

        /** The Amazon Connect partition, Region and account the function decides for. */
        static ArnContext connect(AuthorizerConfig config) {
            return new ArnContext(config.connect().partition(), config.connect().region(), config.connect().account());
        }

        /** The Amazon Connect routes: the default table with the configured custom routes. */
        static RouteTable routes(AuthorizerConfig config) {
            List<CustomRouteMapping> customRoutes = new ArrayList<>();
            for (AuthorizerConfig.CustomRoute r : config.customRoutes()) {
                customRoutes.add(CustomRouteMapping.of(r.method(), r.path(), r.action(), r.arns().toArray(new String[0])));
            }
            return RouteTable.defaultTable().withCustomMappings(customRoutes);
        }

        /** Where the credential is read, the HTTP API answer's form, the Connect account and the result cache. */
        static GatewayAuthorizer.Settings gatewaySettings(AuthorizerConfig config) {
            ArnContext connect = connect(config);
            dev.edgeiam.authorize.CacheModel gatewayCache = dev.edgeiam.authorize.CacheModel.of(
                    config.cache().resultTtl(), config.cache().identitySources().orElse(null));
            return new GatewayAuthorizer.Settings(config.identity().header(),
                    config.identity().queryParameter().orElse(null), config.http().simpleResponses(), connect,
                    gatewayCache);
        }

        /** The {@code s3} source: the account view itself. */
        private static final class AccountViewSource implements Supplier<PolicySource> {
            private final S3AccountView view;

            AccountViewSource(S3AccountView view) {
                this.view = view;
            }

            @Override
            public PolicySource get() {
                return view;
            }
        }

        /** The {@code snapshot} or {@code iam} source, created anew each time it is asked for. */
        private static final class ConfiguredSource implements Supplier<PolicySource> {
            private final AuthorizerConfig config;
            private final Consumer<ClientOverrideConfiguration.Builder> traced;

            ConfiguredSource(AuthorizerConfig config, Consumer<ClientOverrideConfiguration.Builder> traced) {
                this.config = config;
                this.traced = traced;
            }

            @Override
            public PolicySource get() {
                return policySource(config, traced);
            }
        }

        /** A variable of the given environment, or null. */
        private static final class Variable implements UnaryOperator<String> {
            private final Map<String, String> env;

            Variable(Map<String, String> env) {
                this.env = env;
            }

            @Override
            public String apply(String name) {
                return env.get(name);
            }
        }

        /** Creates the Amazon Connect tag source and its client (on the first look-up: {@link LazyResourceTags}). */
        private static final class ConnectTags implements Supplier<ResourceTagSource> {
            private final ArnContext connect;
            private final AuthorizerConfig config;
            private final java.net.URI endpointOverride;
            private final UnaryOperator<software.amazon.awssdk.http.SdkHttpClient> traced;
            private final Clock clock;

            ConnectTags(ArnContext connect, AuthorizerConfig config, java.net.URI endpointOverride,
                        UnaryOperator<software.amazon.awssdk.http.SdkHttpClient> traced, Clock clock) {
                this.connect = connect;
                this.config = config;
                this.endpointOverride = endpointOverride;
                this.traced = traced;
                this.clock = clock;
            }

            @Override
            public ResourceTagSource get() {
                return new ConnectResourceTags(
                        ConnectResourceTags.client(Region.of(connect.region()), endpointOverride,
                                DefaultCredentialsProvider.builder().build(), true, config.tags().timeout(), traced),
                        clock, config.cache().tagTtl(), config.cache().tagMaxSize());
            }
        }

        /** The document of a managed policy ARN, from the policy source. */
        private static final class ManagedPolicyText implements Function<String, Optional<String>> {
            private final RefreshablePolicySource source;

            ManagedPolicyText(RefreshablePolicySource source) {
                this.source = source;
            }

            @Override
            public Optional<String> apply(String policyArn) {
                return source.managedPolicyText(policyArn);
            }
        }

        /** A new account view replaces everything derived from the old one: principals, roles, verified sessions. */
        private static final class ForgetDerived implements BiConsumer<String, String> {
            private final PrincipalCache cache;
            private final PolicySourceDirectory directory;
            private final GatewayAuthorizer gateway;

            ForgetDerived(PrincipalCache cache, PolicySourceDirectory directory, GatewayAuthorizer gateway) {
                this.cache = cache;
                this.directory = directory;
                this.gateway = gateway;
            }

            @Override
            public void accept(String from, String to) {
                cache.invalidateAll();
                directory.invalidateAll();
                gateway.forgetVerifiedCredentials();
            }
        }

        /** The metrics' counters: the principal cache's, the verified-credential cache's and the tag source's. */
        private static final class CacheCounters implements Supplier<Telemetry.Counters> {
            private final PrincipalCache cache;
            private final GatewayAuthorizer gateway;
            private final LazyResourceTags tags;

            CacheCounters(PrincipalCache cache, GatewayAuthorizer gateway, LazyResourceTags tags) {
                this.cache = cache;
                this.gateway = gateway;
                this.tags = tags;
            }

            @Override
            public Telemetry.Counters get() {
                PrincipalCache.Stats s = cache.stats();
                return new Telemetry.Counters(s.hits() + s.staleHits(), s.misses(), s.failedLoads(),
                        gateway.credentialCacheHits(), gateway.credentialCacheMisses(), tags.failures());
            }
        }

        /** Forgets the gateway's verified credentials (after a refresh). */
        private static final class ForgetVerifiedCredentials implements Runnable {
            private final GatewayAuthorizer gateway;

            ForgetVerifiedCredentials(GatewayAuthorizer gateway) {
                this.gateway = gateway;
            }

            @Override
            public void run() {
                gateway.forgetVerifiedCredentials();
            }
        }

        /** How long ago the account view was last confirmed current. */
        private static final class ViewAge implements LongSupplier {
            private final S3AccountView view;

            ViewAge(S3AccountView view) {
                this.view = view;
            }

            @Override
            public long getAsLong() {
                return view.confirmedAgeMillis();
            }
        }

        /** The {@code s3} source: the refresher's account view object, revalidated by conditional GETs. */
        private static S3AccountView accountView(AuthorizerConfig config, Map<String, String> env, Clock clock,
                java.util.function.Consumer<ClientOverrideConfiguration.Builder> traced) {
            S3AccountView.Settings settings = config.snapshot().viewSettings();
            return new S3AccountView(s3Client(config, env, config.snapshot().attemptTimeout(), traced), settings, clock,
                    null,
                    configuredServiceControls(config));
        }

        /** SCPs from {@code authorizer.scp.file}, or null. */
        static ServiceControlChain configuredServiceControls(AuthorizerConfig config) {
            Optional<String> file = config.scp().file();
            if (file.isEmpty()) {
                return null;
            }
            try {
                return ServiceControlPolicyFormat.readFile(Path.of(file.get()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the SCP file " + file.get(), e);
            }
        }

        /**
         * S3 in the function's Region ({@code AWS_REGION}); {@code AWS_ENDPOINT_URL(_S3)} and the credentials chain
         * apply. {@code attempt} bounds each attempt; a call makes at most 3.
         */
        static S3Client s3Client(AuthorizerConfig config, Map<String, String> env, Duration attempt,
                java.util.function.Consumer<ClientOverrideConfiguration.Builder> traced) {
            String region = env.getOrDefault("AWS_REGION", config.connect().region());
            return S3Client.builder().region(Region.of(region))
                    .forcePathStyle(config.snapshot().pathStyle())
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(config.aws().checkedConnectionTimeout()).socketTimeout(attempt))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .overrideConfiguration(o -> traced.accept(o.apiCallAttemptTimeout(attempt)
                            .apiCallTimeout(attempt.multipliedBy(2))))
                    .build();
        }

        /**
         * Live IAM knows no SCPs: the configured chain applies to every load. Every {@link PolicySource} method is
         * handed on (a method left to the interface's default would answer for IAM wrongly — role look-up by name,
         * the OIDC providers: {@code PolicySourceDelegationTest}).
         */
        static final class ServiceControlledSource implements PolicySource {
            private final PolicySource iam;
            private final ServiceControlChain scps;

            ServiceControlledSource(PolicySource iam, ServiceControlChain scps) {
                this.iam = iam;
                this.scps = scps;
            }

            @Override
            public dev.edgeiam.principal.PrincipalPolicies load(String arn)
                    throws dev.edgeiam.principal.PolicySourceException {
                return iam.load(arn).withView(scps, null);
            }

            @Override
            public dev.edgeiam.principal.PrincipalPolicies loadRoleByName(String partition, String accountId,
                    String roleName) throws dev.edgeiam.principal.PolicySourceException {
                return iam.loadRoleByName(partition, accountId, roleName).withView(scps, null);
            }

            @Override
            public Optional<String> managedPolicyText(String policyArn) {
                return iam.managedPolicyText(policyArn);
            }

            @Override
            public boolean modelsOpenIdConnectProviders() {
                return iam.modelsOpenIdConnectProviders();
            }

            @Override
            public Optional<java.util.Set<String>> openIdConnectProvider(String providerArn)
                    throws dev.edgeiam.principal.PolicySourceException {
                return iam.openIdConnectProvider(providerArn);
            }
        }

        private static PolicySource policySource(AuthorizerConfig config,
                java.util.function.Consumer<ClientOverrideConfiguration.Builder> traced) {
            switch (config.policySource()) {
                case "iam": {
                    // A whole principal load must end well inside API Gateway's 10 s authorizer limit.
                    PolicySource iam = IamPolicySource.create(iamClient(config, traced), new IamPolicySource.Settings(
                            config.iam().concurrency(), 0, config.iam().loadTimeout()));
                    ServiceControlChain scps = configuredServiceControls(config);
                    if (scps == null) {
                        return iam;
                    }
                    return new ServiceControlledSource(iam, scps);
                }
                case "snapshot":
                    SnapshotPolicySource snapshot;
                    Optional<String> path = config.snapshot().path();
                    if (config.snapshot().live()) {
                        snapshot = SnapshotPolicySource.fromIam(iamClient(config, traced));
                    } else if (path.isPresent()) {
                        try {
                            snapshot = SnapshotPolicySource.fromFile(Path.of(path.get()));
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read the snapshot " + path.get(), e);
                        }
                    } else {
                        snapshot = SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json");
                    }
                    ServiceControlChain configured = configuredServiceControls(config);
                    return configured == null ? snapshot : snapshot.withServiceControls(configured);
                default:
                    throw new IllegalArgumentException("authorizer.policy-source must be snapshot, iam or s3, not "
                            + config.policySource());
            }
        }

        /** IAM is global: the SDK's aws-global region; AWS_ENDPOINT_URL(_IAM) and the credentials chain apply. */
        private static IamClient iamClient(AuthorizerConfig config,
                java.util.function.Consumer<ClientOverrideConfiguration.Builder> traced) {
            // Each call: at most 3 attempts (the SDK's standard retry mode backs off on throttling), 1.5 s per attempt
            // and 3 s in all by default, so a slow or throttled IAM ends in a Deny long before API Gateway gives up.
            Duration attempt = config.iam().attemptTimeout();
            return IamClient.builder().region(Region.AWS_GLOBAL)
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(config.aws().checkedConnectionTimeout()).socketTimeout(attempt))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .overrideConfiguration(o -> traced.accept(o.apiCallAttemptTimeout(attempt)
                            .apiCallTimeout(config.iam().callTimeout())))
                    .build();
        }
    }
}
