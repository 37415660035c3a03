package dev.edgeiam.lambda;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edgeiam.authorize.ResourceTagSource;
import dev.edgeiam.aws.ConnectResourceTags;
import dev.edgeiam.aws.IamPolicySource;
import dev.edgeiam.aws.SnapshotPolicySource;
import dev.edgeiam.aws.StsCallerIdentityClient;
import dev.edgeiam.connect.ArnContext;
import dev.edgeiam.connect.CustomRouteMapping;
import dev.edgeiam.connect.RouteTable;
import dev.edgeiam.identity.CallerIdentityResolver;
import dev.edgeiam.identity.IdentitySettings;
import dev.edgeiam.identity.PolicySourceDirectory;
import dev.edgeiam.principal.PolicySource;
import dev.edgeiam.principal.PrincipalCache;
import dev.edgeiam.simulate.CustomPolicySimulator;
import dev.edgeiam.simulate.PrincipalPolicySimulator;
import dev.edgeiam.validate.PolicyValidator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Wires the Quarkus-free core into CDI: the only place that knows which implementation answers which event and
 * where configuration comes from. AWS clients are created only when the configuration needs them (the default,
 * the bundled snapshot, needs none), so a cold start does no network set-up it will not use.
 */
@Singleton
public class LambdaBeans {

    @Produces
    @Singleton
    AuthorizerServices services(AuthorizerConfig config) {
        try {
            return AuthorizerServices.create(config, identityEnvironment());
        } catch (RuntimeException e) {
            // Fail closed but keep answering: every event that needs these services gets a ConfigurationError.
            org.jboss.logging.Logger.getLogger(LambdaBeans.class).errorf(
                    "the authorizer's configuration is unusable (%s: %s); events that need it are refused",
                    e.getClass().getName(), e.getMessage());
            return AuthorizerServices.unusable(e.getClass().getSimpleName());
        }
    }

    /**
     * The caller-identity settings by their environment names ({@code AUTHORIZER_JWKS_URL}, ...): from
     * {@code application.properties} ({@code authorizer.jwks-url}) overridden by the real environment, as Quarkus
     * itself orders them.
     */
    static Map<String, String> identityEnvironment() {
        Map<String, String> env = new java.util.HashMap<>();
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("authorizer.")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> env.put(
                        name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'), v));
            }
        }
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("AUTHORIZER_") || k.startsWith("AWS_")) {
                env.put(k, v);
            }
        });
        return env;
    }

    @Produces
    @Singleton
    EventDispatcher eventDispatcher(AuthorizerConfig config, AuthorizerServices services) {
        Map<EventDispatcher.EventKind, EventDispatcher.Handler> handlers = new EnumMap<>(EventDispatcher.EventKind.class);
        CustomPolicySimulator custom = new CustomPolicySimulator();
        handlers.put(EventDispatcher.EventKind.SIMULATE_CUSTOM_POLICY, body -> EventDispatcher.Answer.of(
                custom.simulate(body)));
        if (services.problem() == null) {
            PrincipalPolicySimulator principal = new PrincipalPolicySimulator(services.cache());
            handlers.put(EventDispatcher.EventKind.SIMULATE_PRINCIPAL_POLICY, body -> EventDispatcher.Answer.of(
                    principal.simulate(body)));
            handlers.put(EventDispatcher.EventKind.AUTHORIZER, services.gateway()::answer);
            handlers.put(EventDispatcher.EventKind.EVENTBRIDGE, services.refresh()::answer);
        } else {
            handlers.put(EventDispatcher.EventKind.SIMULATE_PRINCIPAL_POLICY, body -> services.refused());
            handlers.put(EventDispatcher.EventKind.AUTHORIZER, event -> services.refused());
            handlers.put(EventDispatcher.EventKind.EVENTBRIDGE, event -> services.refused());
        }
        handlers.put(EventDispatcher.EventKind.VALIDATE_POLICY, body -> EventDispatcher.Answer.of(
                PolicyValidator.validate(body.path("policyDocument").asText(null),
                        body.path("policyType").asText("IDENTITY_POLICY"))));
        handlers.put(EventDispatcher.EventKind.EXPAND_ACTIONS, body -> EventDispatcher.Answer.of(
                PolicyValidator.expandActions(body.path("pattern").asText(""))));
        return new EventDispatcher(handlers, config.event().limits());
    }

    /** The long-lived parts, built once per Lambda instance (all null when the configuration is unusable). */
    public record AuthorizerServices(PrincipalCache cache, GatewayAuthorizer gateway, RefreshHandler refresh,
                                     String problem) {

        static AuthorizerServices unusable(String problem) {
            return new AuthorizerServices(null, null, null, problem);
        }

        EventDispatcher.Answer refused() {
            return EventDispatcher.Answer.of(EventDispatcher.error("ConfigurationError",
                    "the authorizer's configuration is unusable (" + problem + "); see the function's log", null));
        }

        static AuthorizerServices create(AuthorizerConfig config, Map<String, String> env) {
            Clock clock = Clock.systemUTC();
            ArnContext connect = new ArnContext(config.connect().partition(), config.connect().region(),
                    config.connect().account());
            RefreshablePolicySource source = new RefreshablePolicySource(() -> policySource(config));
            PrincipalCache.Settings cacheSettings = new PrincipalCache.Settings(config.cache().ttl(),
                    config.cache().staleWhileRevalidate(), config.cache().negativeTtl(), config.cache().maxSize());
            PrincipalCache cache = PrincipalCache.create(source, cacheSettings);
            PolicySourceDirectory directory = new PolicySourceDirectory(source, connect.account(), clock,
                    config.cache().ttl());
            IdentitySettings identitySettings = IdentitySettings.fromEnvironment(env);
            CallerIdentityResolver identities = CallerIdentityResolver.create(identitySettings, clock, directory,
                    cache, StsCallerIdentityClient.create(Duration.ofSeconds(3), env::get));
            RouteTable routes = RouteTable.defaultTable().withCustomMappings(config.customRoutes().stream()
                    .map(r -> CustomRouteMapping.of(r.method(), r.path(), r.action(), r.arns().toArray(String[]::new)))
                    .toList());
            ResourceTagSource tags = new LazyResourceTags(() -> new ConnectResourceTags(
                    ConnectResourceTags.client(Region.of(connect.region()), null,
                            DefaultCredentialsProvider.builder().build(), true, Duration.ofSeconds(2)),
                    clock, config.cache().tagTtl(), 10_000));
            GatewayAuthorizer gateway = GatewayAuthorizer.create(new GatewayAuthorizer.Settings(
                    config.identity().header(), config.identity().queryParameter().orElse(null),
                    config.http().simpleResponses(), connect), identities, cache, routes, tags,
                    source::managedPolicyText);
            return new AuthorizerServices(cache, gateway, new RefreshHandler(source, cache, directory,
                    config.policySource().equals("snapshot"), gateway::forgetVerifiedCredentials), null);
        }

        private static PolicySource policySource(AuthorizerConfig config) {
            switch (config.policySource()) {
                case "iam":
                    // A whole principal load must end well inside API Gateway's 10 s authorizer limit.
                    return IamPolicySource.create(iamClient(), new IamPolicySource.Settings(8, 0,
                            Duration.ofSeconds(4)));
                case "snapshot":
                    if (config.snapshot().live()) {
                        return SnapshotPolicySource.fromIam(iamClient());
                    }
                    Optional<String> path = config.snapshot().path();
                    if (path.isPresent()) {
                        try {
                            return SnapshotPolicySource.fromFile(Path.of(path.get()));
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot read the snapshot " + path.get(), e);
                        }
                    }
                    return SnapshotPolicySource.fromClasspath("/snapshot/sample-account.json");
                default:
                    throw new IllegalArgumentException("authorizer.policy-source must be snapshot or iam, not "
                            + config.policySource());
            }
        }

        /** IAM is global: the SDK's aws-global region; AWS_ENDPOINT_URL(_IAM) and the credentials chain apply. */
        private static IamClient iamClient() {
            // Each call: at most 3 attempts (the SDK's standard retry mode backs off on throttling), 1.5 s per attempt
            // and 3 s in all, so a slow or throttled IAM ends in a Deny long before API Gateway gives up.
            return IamClient.builder().region(Region.AWS_GLOBAL)
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofMillis(1500)))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofMillis(1500))
                            .apiCallTimeout(Duration.ofSeconds(3)))
                    .build();
        }
    }
}
