package dev.edgeiam.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Red-team pass 24: old vs new, in one JVM. {@link RedteamPass24Driver} runs in two isolated class loaders — one
 * over the main classes before the changes under attack ({@code -Dredteam24.old=/path/to/old/target/classes}, e.g.
 * a worktree at 307e3cf built with {@code ./mvnw -B -o -q package -DskipTests}), one over this build's (or
 * {@code -Dredteam24.new=dir1:dir2}, a mutant first) — each with its own copy of every dependency and of the test
 * classes, and every line they print must be equal: the default route table and, for random requests, what it
 * matches with random (overlapping, duplicate) custom mappings; every resource type's ARNs and near misses through
 * the ARN parser and the action expansion; random policies through the custom-policy simulator and the validator;
 * random harnesses (policies, custom routes, cache models) answering random REST REQUEST/TOKEN, HTTP API and
 * WebSocket events byte for byte. Skipped when {@code redteam24.old} is not given. Volumes:
 * {@code -Dredteam24.scale=N} (default 1).
 */
class RedteamPass24DifferentialTest {

    static final String OLD = System.getProperty("redteam24.old");

    static URLClassLoader loader(String mainClasses) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String dir : mainClasses.split(File.pathSeparator)) {
            urls.add(Path.of(dir).toUri().toURL());
        }
        // the test classes (this driver, EdgeHarness, DevTokens) and every dependency, from this JVM's class path
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.endsWith(Path.of("target", "classes")) || !Files.exists(p)) {
                continue; // this build's main classes: the loader's own come first and alone
            }
            urls.add(p.toUri().toURL());
        }
        return new URLClassLoader("redteam24-" + mainClasses.hashCode(), urls.toArray(new URL[0]),
                ClassLoader.getPlatformClassLoader());
    }

    static Path where(ClassLoader loader, String name) throws Exception {
        return Path.of(loader.loadClass(name).getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @SuppressWarnings("unchecked")
    static List<String> run(ClassLoader loader, String method, Object... args) throws Exception {
        Class<?> driver = Class.forName(RedteamPass24Driver.class.getName(), true, loader);
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = args[i] instanceof Long ? long.class : int.class;
        }
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return (List<String>) driver.getMethod(method, types).invoke(null, args);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    static void compare(String what, List<String> old, List<String> now) {
        int differences = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < Math.max(old.size(), now.size()); i++) {
            String a = i < old.size() ? old.get(i) : "<none>";
            String b = i < now.size() ? now.get(i) : "<none>";
            if (!a.equals(b)) {
                if (differences++ < 5) {
                    report.append("\n#").append(i).append(" context: ").append(i > 0 && i - 1 < old.size()
                            ? old.get(i - 1) : "").append("\n old: ").append(a).append("\n new: ").append(b);
                }
            }
        }
        String dump = System.getProperty("redteam24.dump");
        if (dump != null) {
            try {
                Files.write(Path.of(dump + "-" + what + "-old.txt"), old);
                Files.write(Path.of(dump + "-" + what + "-new.txt"), now);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        System.out.println("RedteamPass24DifferentialTest " + what + ": lines=" + old.size() + "/" + now.size()
                + " differences=" + differences);
        assertEquals(0, differences, what + ":" + report);
    }

    @Test
    void oldAndNewAgree() throws Exception {
        Assumptions.assumeTrue(OLD != null, "set -Dredteam24.old to the main classes before the changes");
        String now = System.getProperty("redteam24.new", Path.of("target", "classes").toAbsolutePath().toString());
        int scale = Integer.getInteger("redteam24.scale", 1);
        long seed = Long.getLong("redteam24.seed", 24L);
        try (URLClassLoader oldLoader = loader(OLD); URLClassLoader newLoader = loader(now)) {
            assertEquals(Path.of(OLD.split(File.pathSeparator)[0]).toAbsolutePath(), where(oldLoader, "dev.edgeiam.connect.RouteTable"));
            assertEquals(Path.of(now.split(File.pathSeparator)[now.split(File.pathSeparator).length - 1])
                    .toAbsolutePath(), where(newLoader, "dev.edgeiam.lambda.EventDispatcher"));
            for (String c : List.of("connect.RouteTable", "connect.ArnParser", "connect.ConnectCatalog",
                    "compile.StatementIndex", "authorize.RouteAuthorizer", "gateway.AuthorizerEventBytes")) {
                System.out.println("RedteamPass24DifferentialTest new " + c + " from " + where(newLoader, "dev.edgeiam." + c));
            }
            assertEquals(where(newLoader, RedteamPass24Driver.class.getName()), where(oldLoader, RedteamPass24Driver.class.getName()));
            List<String> parts = List.of(System.getProperty("redteam24.parts", "details,routes,arns,simulate,authorize")
                    .split(","));
            List<AssertionError> failed = new ArrayList<>();
            for (String part : parts) {
                Object[] args = switch (part) {
                    case "details" -> new Object[] {40};
                    case "routes" -> new Object[] {seed, 20_000 * scale};
                    case "arns" -> new Object[] {seed + 1, 20_000 * scale};
                    case "simulate" -> new Object[] {seed + 2, 5_000 * scale};
                    case "authorize" -> new Object[] {seed + 3, 150 * scale, 60};
                    default -> throw new IllegalArgumentException(part);
                };
                try {
                    compare(part, run(oldLoader, part, args), run(newLoader, part, args));
                } catch (AssertionError e) {
                    failed.add(e);
                }
            }
            if (!failed.isEmpty()) {
                throw failed.get(0);
            }
        }
    }
}
