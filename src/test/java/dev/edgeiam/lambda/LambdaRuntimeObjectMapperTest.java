package dev.edgeiam.lambda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.amazon.lambda.runtime.AmazonLambdaMapperRecorder;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The {@code ObjectMapper} bean is the function's plain one ({@code LambdaBeans.lambdaRuntimeObjectMapper}), not
 * quarkus-jackson's default bean with every module on the class path, which cost each cold start ~300 profile samples
 * (BENCHMARKS.md, "Seventh pass"); and quarkus-amazon-lambda still builds its own mapper from it, with its own settings.
 */
@QuarkusTest
class LambdaRuntimeObjectMapperTest {

    @Test
    void theObjectMapperBeanIsThePlainOne() {
        ObjectMapper bean = Arc.container().instance(ObjectMapper.class).get();
        assertTrue(bean.getRegisteredModuleIds().isEmpty(),
                "quarkus-jackson's default bean would have registered " + bean.getRegisteredModuleIds());
    }

    @Test
    void quarkusLambdaStillMakesItsMapperFromIt() throws Exception {
        ObjectMapper lambdaMapper = AmazonLambdaMapperRecorder.objectMapper;
        assertNotNull(lambdaMapper, "quarkus-amazon-lambda's mapper is made at start-up");
        assertTrue(lambdaMapper.isEnabled(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES));
        assertFalse(lambdaMapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        // its own Joda-Time module on top of the plain bean, and none of the default bean's
        java.util.Set<String> modules = lambdaMapper.getRegisteredModuleIds().stream().map(String::valueOf)
                .collect(java.util.stream.Collectors.toSet());
        assertTrue(modules.contains("jackson-datatype-joda"), modules::toString);
        assertFalse(modules.contains("jackson-datatype-jsr310")
                || modules.contains("com.fasterxml.jackson.datatype.jdk8.Jdk8Module")
                || modules.contains("jackson-module-parameter-names"), modules::toString);
    }
}
