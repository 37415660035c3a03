package dev.edgeiam.lambda;

import dev.edgeiam.aws.S3AccountView;
import dev.edgeiam.principal.PolicySource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A policy source that stands in front of another (refreshable, an S3 view, live IAM with configured SCPs) must hand
 * on every {@link PolicySource} method: one left to the interface's default answers for the source behind it
 * wrongly — the OIDC providers as "not known" (R13.1: the {@code s3} source skipped the provider check) or a role
 * by a path-less ARN. One dynamic test per decorator; each names the methods it does not override.
 */
class PolicySourceDelegationTest {

    static List<String> notOverridden(Class<?> c) {
        List<String> missing = new ArrayList<>();
        for (Method m : PolicySource.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                c.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        return missing;
    }

    @TestFactory
    Stream<DynamicTest> everyDecoratorHandsOnEveryMethod() {
        return Stream.of(RefreshablePolicySource.class, S3AccountView.class,
                        LambdaBeans.AuthorizerServices.ServiceControlledSource.class)
                .map(c -> DynamicTest.dynamicTest(c.getSimpleName(),
                        () -> assertEquals(List.of(), notOverridden(c), c.getName())));
    }
}
