package dev.edgeiam.lambda.local;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What loading the project's own classes costs a cold JVM (not a test; run by hand, see BENCHMARKS.md "Eighth pass").
 * For each package it starts fresh JVMs with the java21 runtime's flags, as {@link LocalLambdaRuntime} does, and in
 * each one builds the class path the runtime interface client builds for a function (the task root, then
 * {@code lib/*.jar} in name order, under the system class loader), opens every jar (as the function's first
 * {@code ServiceLoader} scan does, before Quarkus preloads), then times loading — not initialising — every class of the
 * package's {@code META-INF/quarkus-preload-classes.txt}. The packages are alternated run by run; it prints each run
 * and the medians. The parent loader here has {@code target/test-classes} after the client's jars (one directory the
 * runtime does not have), so each look-up pays one missed file check more than in a real start.
 * <pre>
 * java -cp target/test-classes dev.edgeiam.lambda.local.ClassLoadRun [--runs 6] [--function target/function.zip]
 *      [--also NAME=ZIP_OR_DIRECTORY]... [--ric-dir target/lambda-ric]
 * </pre>
 * A package is a function zip or a directory holding one unpacked. JDK classes only.
 */
public final class ClassLoadRun {

    private static final String RESULT = "CLASSES ";

    private ClassLoadRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            child(Path.of(args[1]));
            return;
        }
        int runs = 6;
        Path ricDir = Path.of("target", "lambda-ric");
        Map<String, Path> packages = new LinkedHashMap<>();
        packages.put("authorizer", Path.of("target", "function.zip"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--function" -> packages.put("authorizer", Path.of(args[++i]));
                case "--ric-dir" -> ricDir = Path.of(args[++i]);
                case "--also" -> LaunchRun.putNamed(packages, args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Map<String, Path> roots = new LinkedHashMap<>();
        List<Path> unpacked = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> p : packages.entrySet()) {
                Path root = p.getValue();
                if (!Files.isDirectory(root)) {
                    root = Files.createTempDirectory("class-load-run-");
                    unpacked.add(root);
                    LocalLambdaRuntime.unzip(p.getValue(), root);
                }
                roots.put(p.getKey(), root);
            }
            String classPath = classPath(ricDir);
            Map<String, List<Double>> times = new LinkedHashMap<>();
            for (int r = 1; r <= runs; r++) {
                for (Map.Entry<String, Path> p : roots.entrySet()) {
                    String result = runChild(classPath, p.getValue());
                    System.out.printf("run %d %-12s %s%n", r, p.getKey(), result);
                    String[] parts = result.split(" ");
                    times.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(Double.parseDouble(parts[3]));
                }
            }
            for (Map.Entry<String, List<Double>> t : times.entrySet()) {
                double[] ms = t.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                System.out.printf(java.util.Locale.ROOT, "MEDIAN %-12s over %d: %.1f ms (min %.1f, max %.1f)%n",
                        t.getKey(), ms.length, LaunchRun.median(ms), Arrays.stream(ms).min().orElse(Double.NaN),
                        Arrays.stream(ms).max().orElse(Double.NaN));
            }
        } finally {
            for (Path root : unpacked) {
                LocalLambdaRuntime.deleteRecursively(root);
            }
        }
    }

    /** The runtime interface client's jars, as {@link LocalLambdaRuntime} starts it, then this class's own root. */
    private static String classPath(Path ricDir) throws IOException, java.net.URISyntaxException {
        return LocalLambdaRuntime.ricClasspath(ricDir) + File.pathSeparator
                + Path.of(ClassLoadRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String runChild(String classPath, Path root) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                ClassLoadRun.class.getName(), "--child", root.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(120, TimeUnit.SECONDS) || child.exitValue() != 0) {
            throw new IllegalStateException("the measuring JVM failed:\n" + output);
        }
        return Arrays.stream(output.split("\n")).filter(l -> l.startsWith(RESULT)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result from the measuring JVM:\n" + output));
    }

    /** In the measuring JVM: the runtime client's class path over {@code taskRoot}, then the timed loads. */
    private static void child(Path taskRoot) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(taskRoot.toUri().toURL());
        Path lib = taskRoot.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(taskRoot.resolve("META-INF/quarkus-preload-classes.txt"))) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getSystemClassLoader())) {
            for (Enumeration<URL> none = loader.getResources("META-INF/no-such-resource"); none.hasMoreElements(); ) {
                none.nextElement();
            }
            int loaded = 0;
            long start = System.nanoTime();
            for (String name : names) {
                Class.forName(name, false, loader);
                loaded++;
            }
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf(java.util.Locale.ROOT, "%s%d in %.1f ms, %.3f ms a class%n", RESULT, loaded, ms, ms / loaded);
        }
    }
}
