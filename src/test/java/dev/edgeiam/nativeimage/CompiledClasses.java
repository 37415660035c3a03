package dev.edgeiam.nativeimage;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The compiled classes and resources of a class-path directory, read with ASM (nothing is loaded to read them). */
final class CompiledClasses {

    private CompiledClasses() {
    }

    /** The class-path directory (e.g. {@code target/classes}) a class was loaded from. */
    static Path rootOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every class under {@code root} whose name starts with {@code packagePath} (e.g. {@code dev/edgeiam/}). */
    static List<ClassNode> under(Path root, String packagePath) {
        List<ClassNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve(packagePath))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    out.add(read(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The class file of a loaded class. */
    static ClassNode of(Class<?> c) {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IllegalArgumentException("no class file for " + c.getName());
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under {@code root} that is not a class file, as a '/'-separated path relative to it. */
    static List<String> resources(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String javaName(ClassNode c) {
        return c.name.replace('/', '.');
    }

    private static ClassNode read(InputStream in) throws IOException {
        ClassNode node = new ClassNode();
        new ClassReader(in).accept(node, ClassReader.SKIP_FRAMES);
        return node;
    }
}
