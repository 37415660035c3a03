package dev.edgeiam.nativeimage;

import dev.edgeiam.lambda.AuthorizerFunction;
import dev.edgeiam.nativeimage.fixtures.ReflectionFixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.objectweb.asm.tree.ClassNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The native image's reachability metadata is complete for what the compiled code does, whatever is added later:
 * <ul>
 * <li>every type bound from or to JSON (and its properties) is registered in the one place,
 *     {@value #REGISTRATIONS}, unless it is a Jackson tree or a JDK type;</li>
 * <li>no class, member or implementation is looked up by name or reflectively;</li>
 * <li>every resource the application ships is either carried into the image or deliberately left out
 *     ({@code quarkus.native.resources.includes}/{@code excludes} in {@code application.properties}), and every
 *     resource name the code holds is carried.</li>
 * </ul>
 * The native gate cannot see these (they fail only when the executable runs). The fixtures show each check failing.
 */
class ReachabilityMetadataTest {

    /** Named, not referenced: it is package-private, as a registration holder should be. */
    static final String REGISTRATIONS = "dev.edgeiam.lambda.ReflectionRegistrations";

    private static final Path MAIN = CompiledClasses.rootOf(AuthorizerFunction.class);
    private static final List<ClassNode> APPLICATION = CompiledClasses.under(MAIN, "dev/edgeiam/");
    private static final ResourceRegistry RESOURCES = ResourceRegistry.of(MAIN.resolve("application.properties"));
    private static final Set<String> SHIPPED = new HashSet<>(CompiledClasses.resources(MAIN));

    private final ClassLoader loader = getClass().getClassLoader();

    @TestFactory
    Stream<DynamicTest> everyTypeBoundFromJsonIsRegistered() throws ClassNotFoundException {
        Set<Class<?>> registered = ReflectionUse.registeredTypes(Class.forName(REGISTRATIONS));
        return perClass(node -> ReflectionUse.unregisteredBindings(node, loader, registered));
    }

    @TestFactory
    Stream<DynamicTest> nothingIsLookedUpByNameOrReflectively() {
        return perClass(ReflectionUse::reflectiveLookups);
    }

    @TestFactory
    Stream<DynamicTest> everyResourceNameInTheCodeIsCarried() {
        return perClass(node -> ReflectionUse.unregisteredResourceNames(node, RESOURCES, SHIPPED));
    }

    @TestFactory
    Stream<DynamicTest> everyShippedResourceIsCarriedOrDeliberatelyLeftOut() {
        List<String> resources = SHIPPED.stream().sorted()
                .filter(r -> !r.equals("application.properties") && !r.startsWith("META-INF/")).toList();
        assertTrue(resources.size() >= 4, "found only " + resources);
        return resources.stream().map(r -> dynamicTest(r, () -> assertTrue(RESOURCES.decides(r), r + " is shipped "
                + "in the jar but neither " + ResourceRegistry.INCLUDES + " nor " + ResourceRegistry.EXCLUDES
                + " in application.properties names it: list it (or exclude it, if nothing reads it)")));
    }

    @Test
    void reflectionIsRegisteredInOnePlace() {
        List<String> holders = new ArrayList<>();
        for (ClassNode node : APPLICATION) {
            if (ReflectionUse.registersForReflection(node)) {
                holders.add(CompiledClasses.javaName(node));
            }
        }
        assertEquals(List.of(REGISTRATIONS), holders, "@RegisterForReflection belongs in " + REGISTRATIONS
                + " only (one list to review)");
    }

    @TestFactory
    Stream<DynamicTest> eachCheckFindsWhatItLooksFor() {
        Set<Class<?>> registered = ReflectionUse.registeredTypes(ReflectionFixtures.FixtureRegistrations.class);
        return Fixtures.of(ReflectionFixtures.class).map(c -> dynamicTest(c.getSimpleName(), () -> {
            ClassNode node = CompiledClasses.of(c);
            List<String> findings = new ArrayList<>(ReflectionUse.unregisteredBindings(node, loader, registered));
            findings.addAll(ReflectionUse.reflectiveLookups(node));
            findings.addAll(ReflectionUse.unregisteredResourceNames(node, RESOURCES, SHIPPED));
            Fixtures.check(c, findings);
        }));
    }

    private static Stream<DynamicTest> perClass(java.util.function.Function<ClassNode, List<String>> check) {
        assertTrue(APPLICATION.size() > 100, "scanned only " + APPLICATION.size() + " classes under " + MAIN);
        return APPLICATION.stream().map(node -> dynamicTest(CompiledClasses.javaName(node), () -> {
            List<String> findings = check.apply(node);
            assertEquals(List.of(), findings, String.join("\n", findings));
        }));
    }
}
