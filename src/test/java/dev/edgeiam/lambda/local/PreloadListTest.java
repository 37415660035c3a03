package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** How {@link PreloadList} reads a preload list and a class-load log (the packaged check is {@code PreloadListIT}). */
class PreloadListTest {

    @Test
    void entriesAreReadAsQuarkusReadsThem() {
        String text = "# header\n"
                + "dev.edgeiam.A\n"
                + "dev.edgeiam.B   # why\n"
                + "dev.edgeiam.C \t\r\n"
                + "\n"
                + "   \n"
                + "  dev.edgeiam.D\n"
                + "dev.edgeiam.E";

        // Leading white space stays: Quarkus would try to load "  dev.edgeiam.D" and skip it, so it must not match.
        assertEquals(List.of("dev.edgeiam.A", "dev.edgeiam.B", "dev.edgeiam.C", "  dev.edgeiam.D", "dev.edgeiam.E"),
                PreloadList.parse(text));
    }

    @Test
    void renderedListReadsBackToTheSameClasses() {
        List<String> classes = List.of("dev.edgeiam.lambda.AuthorizerFunction", "dev.edgeiam.connect.RouteTable$Filed");

        assertEquals(classes, PreloadList.parse(PreloadList.render(classes)));
    }

    @Test
    void onlyTheProjectsClassesFromTheTaskRootItselfAreTaken() {
        Path root = Path.of("/tmp/lambda-task-1");
        List<String> log = List.of(
                "[0.1s][info][class,load] io.quarkus.runner.ApplicationImpl source: file:/tmp/lambda-task-1/",
                "[0.2s][info][class,load] dev.edgeiam.lambda.AuthorizerFunction source: file:/tmp/lambda-task-1/",
                "[0.3s][info][class,load] dev.edgeiam.lambda.LambdaBeans$$Lambda/0x0000000033196000 source: "
                        + "dev.edgeiam.lambda.LambdaBeans",
                "[0.4s][info][class,load] org.jose4j.jwk.JsonWebKey source: file:/tmp/lambda-task-1/lib/jose4j.jar",
                "[0.5s][info][class,load] dev.edgeiam.Other source: file:/tmp/lambda-task-12/",
                "[0.6s][info][class,load] dev.edgeiam.lambda.AuthorizerFunction source: file:/tmp/lambda-task-1/",
                "[0.7s][info][class,load] dev.edgeiam.connect.RouteTable source: file:/tmp/lambda-task-1/");

        assertEquals(List.of("dev.edgeiam.lambda.AuthorizerFunction", "dev.edgeiam.connect.RouteTable"),
                PreloadList.taskRootClasses(log, root));
    }
}
