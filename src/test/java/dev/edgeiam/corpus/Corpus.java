package dev.edgeiam.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * TEST ONLY: finds and reads the evaluation corpus. Every {@code *.jsonl} file in the corpus directory is a corpus
 * file — there is no list to keep in step — and anything the runners would otherwise skip fails instead: a file
 * that is not {@code .jsonl}, one that cannot be read, a line that is not a case, a file with no case. The only
 * other entry allowed is {@value #GENERATOR_DIRECTORY}/, the scripts that wrote the files.
 */
public final class Corpus {

    /** The corpus directory on the test class path. */
    public static final String RESOURCE = "/corpus";

    /** The generator scripts beside the corpus files; not cases. */
    public static final String GENERATOR_DIRECTORY = "generate";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Corpus() {
    }

    /** One corpus file: its name without {@code .jsonl}, and its cases in file order. */
    public record CorpusFile(String name, List<CorpusCase> cases) {
    }

    /** Every corpus file on the test class path, sorted by name. */
    public static List<CorpusFile> discover() {
        URL url = Corpus.class.getResource(RESOURCE);
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new IllegalStateException("the corpus directory " + RESOURCE + " is not a directory on the test "
                    + "class path: " + url);
        }
        try {
            return discover(Path.of(url.toURI()), RESOURCE);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url.toString(), e);
        }
    }

    /** Every corpus file in {@code directory}; {@code label} prefixes each case's source. */
    public static List<CorpusFile> discover(Path directory, String label) {
        List<Path> entries;
        try (Stream<Path> list = Files.list(directory)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the corpus directory " + directory, e);
        }
        List<CorpusFile> files = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.equals(GENERATOR_DIRECTORY) && Files.isDirectory(entry)) {
                continue;
            }
            if (!name.endsWith(".jsonl")) {
                throw new IllegalStateException("not a corpus file (only *.jsonl and " + GENERATOR_DIRECTORY
                        + "/ belong in " + directory + "): " + name);
            }
            List<CorpusCase> cases;
            try (InputStream in = Files.newInputStream(entry)) {
                cases = read(in, label + "/" + name);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read corpus file " + entry, e);
            }
            files.add(new CorpusFile(name.substring(0, name.length() - ".jsonl".length()), cases));
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no corpus file in " + directory);
        }
        return files;
    }

    /** The cases of one JSON-lines resource on the test class path (the conformance set, for instance). */
    public static List<CorpusCase> load(String resource) {
        try (InputStream in = Corpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** One case per non-blank line; a file with no case is an error, not an empty test container. */
    private static List<CorpusCase> read(InputStream in, String label) throws IOException {
        List<CorpusCase> cases = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            String source = label + ":" + n;
            try {
                cases.add(CorpusCase.parse(JSON.readTree(line), source));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(source + ": not a JSON case: " + e.getOriginalMessage(), e);
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException(label + " holds no case");
        }
        return List.copyOf(cases);
    }
}
