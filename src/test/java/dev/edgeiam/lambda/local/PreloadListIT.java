package dev.edgeiam.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The packaged function's preload list ({@value PreloadList#RESOURCE}) is exactly the project classes its first
 * answers load: a class on the path that is missing would be loaded mid-request instead of during the init (slower
 * first answers, and absent from a SnapStart snapshot's preloading); a class that is listed but no longer used would be
 * loaded and initialised in every cold start for nothing, and a renamed one silently skipped by Quarkus.
 */
class PreloadListIT {

    private static final Path FUNCTION_ZIP = Path.of(System.getProperty("lambda.function.zip", "target/function.zip"));
    private static final Path RIC_DIR = Path.of(System.getProperty("lambda.ric.dir", "target/lambda-ric"));

    @Test
    void thePackagedListIsWhatTheFirstAnswersLoad() throws Exception {
        List<String> packaged;
        try (ZipFile zip = new ZipFile(FUNCTION_ZIP.toFile())) {
            assertTrue(zip.getEntry(PreloadList.GENERATED) == null,
                    "Quarkus generated its own preload list; quarkus.snapstart.generate-application-class-list is "
                            + "meant to be false");
            var entry = zip.getEntry(PreloadList.RESOURCE);
            assertTrue(entry != null, PreloadList.RESOURCE + " is not in the package");
            packaged = PreloadList.parse(new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(packaged.size(), new LinkedHashSet<>(packaged).size(), "a class is listed twice");

        List<String> loaded = PreloadList.loadedForFirstAnswers(FUNCTION_ZIP, RIC_DIR);

        Set<String> missing = new LinkedHashSet<>(loaded);
        packaged.forEach(missing::remove);
        Set<String> unused = new LinkedHashSet<>(packaged);
        loaded.forEach(unused::remove);
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("loaded by the first answers but not listed: " + missing);
        }
        if (!unused.isEmpty()) {
            problems.add("listed but not loaded by the first answers: " + unused);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems)
                + "\nregenerate: ./mvnw -B -o -q package -DskipTests && "
                + "java -cp target/test-classes dev.edgeiam.lambda.local.PreloadList");
    }

    @Test
    void theCommittedListIsTheOneInThePackage() throws Exception {
        Path committed = Path.of("src", "main", "resources").resolve(PreloadList.RESOURCE);
        try (ZipFile zip = new ZipFile(FUNCTION_ZIP.toFile())) {
            var entry = zip.getEntry(PreloadList.RESOURCE);
            assertTrue(entry != null, PreloadList.RESOURCE + " is not in the package");
            assertEquals(Files.readString(committed, StandardCharsets.UTF_8),
                    new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
