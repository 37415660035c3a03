package dev.edgeiam.nativeimage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The class-path resources registered for the native image: {@code quarkus.native.resources.includes} and
 * {@code .excludes} of {@code application.properties} (globs: {@code *} within one path segment, {@code **} across
 * segments, as Quarkus reads them).
 */
record ResourceRegistry(List<String> includes, List<String> excludes) {

    static final String INCLUDES = "quarkus.native.resources.includes";
    static final String EXCLUDES = "quarkus.native.resources.excludes";

    static ResourceRegistry of(Path applicationProperties) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(applicationProperties)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ResourceRegistry(globs(p.getProperty(INCLUDES)), globs(p.getProperty(EXCLUDES)));
    }

    /** Whether the native image carries the resource ({@code a/b.json}, no leading '/'). */
    boolean carries(String resource) {
        return matchesAny(includes, resource) && !matchesAny(excludes, resource);
    }

    /** Whether the registration decides about the resource either way (included or deliberately excluded). */
    boolean decides(String resource) {
        return matchesAny(includes, resource) || matchesAny(excludes, resource);
    }

    private static boolean matchesAny(List<String> globs, String resource) {
        for (String g : globs) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + g);
            if (m.matches(Path.of(resource))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> globs(String value) {
        return value == null ? List.of()
                : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
