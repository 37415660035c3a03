package dev.edgeiam.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.edgeiam.identity.IdentitySettings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every documented {@code AUTHORIZER_*} environment variable still takes effect under its name, through the one
 * configuration door: each case ({@code config/documented-variables.json}) sets one variable in an environment
 * source, binds {@link AuthorizerConfig} as Quarkus does (SmallRye's environment-name matching), builds the identity
 * settings from it as {@link LambdaBeans} does, and reads the setting the variable names — which must differ from
 * its value without the variable. Every variable README.md or template.yaml names must have a case, and invalid
 * identity values must make the settings unusable (the function then answers {@code ConfigurationError}).
 */
class DocumentedVariablesTest {

    private static final JsonNode CORPUS = read();
    private static final Pattern VARIABLE = Pattern.compile("AUTHORIZER_[A-Z0-9_]*[A-Z0-9]");

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(Path.of("src/test/resources/config/documented-variables.json")
                    .toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> eachDocumentedVariableTakesEffect() {
        return StreamSupport.stream(CORPUS.path("cases").spliterator(), false).map(c -> DynamicTest.dynamicTest(
                c.path("variable").asText(), () -> {
                    String setting = c.path("setting").asText();
                    Object unset = withEnvironment(Map.of(), config -> read(config, setting));
                    Object set = withEnvironment(Map.of(c.path("variable").asText(), c.path("value").asText()),
                            config -> read(config, setting));
                    assertEquals(c.path("expect").asText(), String.valueOf(set));
                    assertNotEquals(String.valueOf(unset), String.valueOf(set), "the variable changed nothing");
                }));
    }

    /**
     * An invalid identity value makes the identity settings unusable; an invalid limit (a case naming its
     * {@code setting}) makes that checked setting unusable — and the same environment without the invalid value
     * does not, so the case fails for the value's sake.
     */
    @TestFactory
    Stream<DynamicTest> invalidValuesMakeTheSettingsUnusable() {
        return StreamSupport.stream(CORPUS.path("invalid").spliterator(), false).map(c -> DynamicTest.dynamicTest(
                c.path("variable").asText() + "=" + c.path("value").asText(), () -> {
                    Map<String, String> base = new java.util.HashMap<>();
                    c.path("with").properties().forEach(e -> base.put(e.getKey(), e.getValue().asText()));
                    Map<String, String> env = new java.util.HashMap<>(base);
                    env.put(c.path("variable").asText(), c.path("value").asText());
                    if (!c.has("setting")) {
                        assertThrows(IllegalArgumentException.class, () -> withEnvironment(env,
                                IdentitySettings::from));
                        return;
                    }
                    String setting = c.path("setting").asText();
                    withEnvironment(base, config -> read(config, setting)); // usable without the invalid value
                    assertThrows(IllegalArgumentException.class, () -> withEnvironment(env,
                            config -> read(config, setting)));
                }));
    }

    /**
     * The decision path's checked limits are checked when the services are built, so an unusable value is answered
     * {@code ConfigurationError} ({@link LambdaBeans#services}) rather than found at the first call that needs it.
     */
    @TestFactory
    Stream<DynamicTest> invalidDecisionPathLimitsMakeTheServicesUnusable() {
        return StreamSupport.stream(CORPUS.path("invalid").spliterator(), false)
                .filter(c -> c.path("setting").asText().matches("config:(aws|cache)\\..*"))
                .map(c -> DynamicTest.dynamicTest(c.path("variable").asText() + "=" + c.path("value").asText(),
                        () -> {
                            withEnvironment(Map.of(), config -> LambdaBeans.AuthorizerServices.create(config,
                                    Map.of(), java.time.Clock.systemUTC())); // usable without the invalid value
                            assertThrows(IllegalArgumentException.class, () -> withEnvironment(Map.of(
                                    c.path("variable").asText(), c.path("value").asText()), config ->
                                    LambdaBeans.AuthorizerServices.create(config, Map.of(),
                                            java.time.Clock.systemUTC())));
                        }));
    }

    /** The refresher's time limits are checked when it is built: an unusable one makes it refuse to run. */
    @TestFactory
    Stream<DynamicTest> invalidRefresherLimitsMakeTheRefresherUnusable() {
        Map<String, String> base = Map.of("AUTHORIZER_SNAPSHOT_BUCKET", "views-bucket",
                "AUTHORIZER_REFRESHER_SCP_SOURCE", "none");
        return StreamSupport.stream(CORPUS.path("invalid").spliterator(), false)
                .filter(c -> c.path("setting").asText().startsWith("config:refresher."))
                .map(c -> DynamicTest.dynamicTest(c.path("variable").asText() + "=" + c.path("value").asText(),
                        () -> {
                            withEnvironment(base, config -> LambdaBeans.RefresherServices.create(config,
                                    Map.of())); // usable without the invalid value
                            Map<String, String> env = new java.util.HashMap<>(base);
                            env.put(c.path("variable").asText(), c.path("value").asText());
                            assertThrows(IllegalArgumentException.class, () -> withEnvironment(env, config ->
                                    LambdaBeans.RefresherServices.create(config, Map.of())));
                        }));
    }

    @Test
    void everyVariableTheDocumentationNamesHasACase() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String file : new String[]{"README.md", "template.yaml"}) {
            Matcher m = VARIABLE.matcher(Files.readString(Path.of(file)));
            while (m.find()) {
                documented.add(m.group());
            }
        }
        Set<String> covered = new TreeSet<>();
        CORPUS.path("cases").forEach(c -> covered.add(c.path("variable").asText()));
        documented.removeAll(covered);
        assertEquals(Set.of(), documented, "documented variables without a case");
        assertTrue(covered.size() >= 60, "the corpus was read: " + covered.size());
    }

    /** Binds the mapping over an environment holding only {@code env}, with that configuration as the current one. */
    private static <T> T withEnvironment(Map<String, String> env, java.util.function.Function<AuthorizerConfig, T> use) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(java.time.Duration.class, 200,
                        new io.quarkus.runtime.configuration.DurationConverter()) // as Quarkus reads durations
                .withMapping(AuthorizerConfig.class)
                .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
                .build();
        return asCurrent(config, () -> use.apply(config.getConfigMapping(AuthorizerConfig.class)));
    }

    /** The raw-valued settings (inline session policies) are read from the current configuration. */
    private static <T> T asCurrent(Config config, Supplier<T> action) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        resolver.releaseConfig(resolver.getConfig(loader));
        resolver.registerConfig(config, loader);
        try {
            return action.get();
        } finally {
            resolver.releaseConfig(config);
        }
    }

    /** {@code config:a.b} calls {@code a().b()} on the mapping; {@code identity:a.b} on the identity settings. */
    private static Object read(AuthorizerConfig config, String setting) {
        int colon = setting.indexOf(':');
        Object target = setting.startsWith("identity:") ? IdentitySettings.from(config) : config;
        for (String accessor : setting.substring(colon + 1).split("\\.")) {
            try {
                java.lang.reflect.Method m = target.getClass().getMethod(accessor);
                m.setAccessible(true);
                target = m.invoke(target);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r; // the setting's own check, e.g. IllegalArgumentException for an unusable value
                }
                throw new IllegalStateException("no setting " + setting, e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no setting " + setting, e);
            }
        }
        return target;
    }
}
