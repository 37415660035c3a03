package dev.edgeiam.nativeimage;

import dev.edgeiam.lambda.AuthorizerFunction;
import dev.edgeiam.nativeimage.fixtures.StaticStateFixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.objectweb.asm.tree.ClassNode;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Every application class is safe to initialise while the native image is built (Quarkus does so): no random
 * source, thread, executor, clock, key, client or connection — nor the build machine's time or environment — ends up
 * in the image heap. One dynamic test per compiled class; the fixtures show each check finding what it looks for.
 * See {@link BuildTimeState} for the rules and {@code native/README.md} for the gate that backs them.
 */
class BuildTimeStateTest {

    private static final Path MAIN = CompiledClasses.rootOf(AuthorizerFunction.class);
    private static final Path TEST = CompiledClasses.rootOf(StaticStateFixtures.class);

    private static final List<ClassNode> APPLICATION = CompiledClasses.under(MAIN, "dev/edgeiam/");
    private static final Map<String, ClassNode> BY_NAME = new HashMap<>();
    /** The application's classes as the image builder sees them: not yet initialised by any other test. */
    private static final ClassLoader FRESH = new FreshClassLoader(MAIN, BuildTimeStateTest.class.getClassLoader());

    static {
        APPLICATION.forEach(n -> BY_NAME.put(n.name, n));
        CompiledClasses.under(TEST, "dev/edgeiam/nativeimage/fixtures/").forEach(n -> BY_NAME.put(n.name, n));
    }

    @TestFactory
    Stream<DynamicTest> everyApplicationClassIsSafeToInitialiseAtImageBuildTime() {
        assertTrue(APPLICATION.size() > 100, "scanned only " + APPLICATION.size() + " classes under " + MAIN);
        return APPLICATION.stream().map(node -> dynamicTest(CompiledClasses.javaName(node), () -> {
            Class<?> c = Class.forName(CompiledClasses.javaName(node), false, FRESH);
            List<String> findings = BuildTimeState.findings(c, node, BY_NAME::get);
            assertEquals(List.of(), findings, String.join("\n", findings));
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachCheckFindsWhatItLooksFor() {
        return Fixtures.of(StaticStateFixtures.class).map(c -> dynamicTest(c.getSimpleName(),
                () -> Fixtures.check(c, BuildTimeState.findings(c, CompiledClasses.of(c), BY_NAME::get))));
    }
}
