package dev.edgeiam.corpus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Corpus}: every corpus file is found, and nothing in the corpus directory is skipped silently. */
class CorpusDiscoveryTest {

    private static final String CASE = "{\"id\":\"x-1\",\"principal\":\"arn:aws:iam::111122223333:user/a\","
            + "\"action\":\"connect:ListInstances\",\"resource\":\"*\",\"context\":{},"
            + "\"identityPolicies\":[],\"expect\":\"ImplicitlyDenied\"}";

    @Test
    void findsEveryFileOfTheSourceDirectory() throws IOException {
        Set<String> found = new TreeSet<>();
        Corpus.discover().forEach(f -> found.add(f.name()));
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/corpus"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsonl"))
                    .forEach(n -> onDisk.add(n.substring(0, n.length() - ".jsonl".length())));
        }
        assertEquals(onDisk, found, "discovery must find exactly the .jsonl files of src/test/resources/corpus");
        assertTrue(found.containsAll(List.of("actions", "resources", "string-operators", "numeric", "date",
                "bool-binary", "ip", "arn-operators", "null", "ifexists", "set-operators", "variables", "layers",
                "malformed")), "the fourteen files the corpus had when discovery replaced the hand-kept list: " + found);
    }

    @Test
    void everyFileHoldsCasesWithUniqueIds() {
        Set<String> ids = new HashSet<>();
        int total = 0;
        for (Corpus.CorpusFile file : Corpus.discover()) {
            assertTrue(!file.cases().isEmpty(), file.name());
            for (CorpusCase c : file.cases()) {
                assertTrue(ids.add(c.id()), "duplicate case id " + c.id() + " at " + c.source());
            }
            total += file.cases().size();
        }
        assertTrue(total >= 600, "the corpus must hold at least 600 cases, has " + total);
    }

    @Test
    void aFileWithNoCaseFails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("good.jsonl"), CASE + "\n");
        Files.writeString(dir.resolve("empty.jsonl"), "\n  \n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Corpus.discover(dir, "/t"));
        assertTrue(e.getMessage().contains("empty.jsonl holds no case"), e.getMessage());
    }

    @Test
    void aFileThatIsNotJsonLinesFails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("good.jsonl"), CASE + "\n");
        Files.writeString(dir.resolve("extra.json"), CASE + "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Corpus.discover(dir, "/t"));
        assertTrue(e.getMessage().contains("extra.json"), e.getMessage());
    }

    @Test
    void anUnreadableFileFails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("good.jsonl"), CASE + "\n");
        Files.createDirectory(dir.resolve("unreadable.jsonl"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Corpus.discover(dir, "/t"));
        assertTrue(e.getMessage().contains("unreadable.jsonl"), e.getMessage());
    }

    @Test
    void aLineThatIsNotACaseFails(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.jsonl"), CASE + "\n{\"id\": \"x-2\", \"actoin\": \"connect:X\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpus.discover(dir, "/t"));
        assertTrue(e.getMessage().startsWith("/t/a.jsonl:2: unknown field \"actoin\""), e.getMessage());
        Files.writeString(dir.resolve("a.jsonl"), CASE.replace("\"expect\"", "\"expected\"") + "\n");
        assertThrows(IllegalArgumentException.class, () -> Corpus.discover(dir, "/t"));
        Files.writeString(dir.resolve("a.jsonl"), CASE.replace("}", ",") + "\n");
        assertThrows(IllegalArgumentException.class, () -> Corpus.discover(dir, "/t"));
    }

    @Test
    void anEmptyDirectoryFails(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve(Corpus.GENERATOR_DIRECTORY));
        assertThrows(IllegalStateException.class, () -> Corpus.discover(dir, "/t"));
    }

    @Test
    void casesAreTyped(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.jsonl"), CASE.replace("\"context\":{}",
                "\"context\":{\"aws:username\":\"bob\",\"aws:TagKeys\":[\"a\",\"b\"],"
                        + "\"aws:MultiFactorAuthAge\":{\"type\":\"numeric\",\"values\":[\"5\"]}}") + "\n");
        CorpusCase c = Corpus.discover(dir, "/t").get(0).cases().get(0);
        assertEquals(List.of(new CorpusCase.ContextEntry("aws:username", List.of("bob"), "string"),
                new CorpusCase.ContextEntry("aws:TagKeys", List.of("a", "b"), "stringList"),
                new CorpusCase.ContextEntry("aws:MultiFactorAuthAge", List.of("5"), "numeric")), c.context());
        assertEquals(CorpusCase.Expect.ImplicitlyDenied, c.expect());
        assertEquals("/t/a.jsonl:1", c.source());
    }
}
