package dev.edgeiam.nativeimage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the classes of one class-path directory afresh (everything else from the parent), so that their static
 * initialisers run here as they would while the native image is built, whatever other tests in this JVM have already
 * done with the same classes (a field made on first use would otherwise be seen set).
 */
final class FreshClassLoader extends ClassLoader {

    private final Path root;

    FreshClassLoader(Path root, ClassLoader parent) {
        super("fresh-" + root.getFileName(), parent);
        this.root = root;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                Path file = root.resolve(name.replace('.', '/') + ".class");
                if (!Files.isRegularFile(file)) {
                    return super.loadClass(name, resolve);
                }
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    c = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
