package dev.edgeiam.lambda.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * Runs the packaged function the way the managed Java runtime does, without SAM or Docker: {@code function.zip} is
 * unzipped into a task root, and the AWS Lambda Runtime Interface Client ({@value #RIC_MAIN}) is started in a separate
 * JVM with {@value #HANDLER} as the handler, polling a {@link RuntimeApiServer} in this JVM for events. A native
 * package's {@code bootstrap} is started directly instead.
 *
 * <p>Used by {@code run-local.sh} (through {@link #main}) and by the {@code *IT} tests, so a packaging mistake shows
 * up in both. JDK classes only.
 */
public final class LocalLambdaRuntime implements AutoCloseable {

    /** The handler the Java runtime is configured with; Quarkus bootstraps and delegates to {@code authorizer}. */
    public static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    public static final String FUNCTION_NAME = "connect-iam-authorizer-local";
    /** An {@code extraEnv} value that removes the variable from the runtime's environment instead of setting it. */
    public static final String UNSET = "\u0000unset";

    private final Path taskRoot;
    private final RuntimeApiServer api;
    private final Process process;
    private final Thread outputPump;
    private final long launchedNanos;
    private final CompletableFuture<Void> restoreRelease;

    private LocalLambdaRuntime(Path taskRoot, RuntimeApiServer api, Process process, Thread outputPump,
                               long launchedNanos, CompletableFuture<Void> restoreRelease) {
        this.restoreRelease = restoreRelease;
        this.taskRoot = taskRoot;
        this.api = api;
        this.process = process;
        this.outputPump = outputPump;
        this.launchedNanos = launchedNanos;
    }

    /**
     * Unzips {@code functionZip} and starts a Lambda runtime on it: the runtime interface client, or the native
     * {@code bootstrap}.
     *
     * @param functionZip   the deployment package ({@code target/function.zip})
     * @param ricDir        directory holding the runtime interface client jar and its dependencies
     * @param runtimeOutput receives the runtime process' stdout and stderr (Quarkus and invocation logs)
     */
    public static LocalLambdaRuntime start(Path functionZip, Path ricDir, OutputStream runtimeOutput) throws IOException {
        return start(functionZip, ricDir, runtimeOutput, Map.of());
    }

    /**
     * The packaged function of this build ({@code lambda.function.zip}, {@code lambda.ric.dir}) trusting the TEST-ONLY
     * development issuer, with {@code env} added (and winning).
     */
    public static LocalLambdaRuntime startPackagedWithDevIssuer(Map<String, String> env, OutputStream runtimeOutput)
            throws IOException {
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "AUTHORIZER_JWKS_URL", dev.edgeiam.identity.DevTokens.devJwksUrl().toString(),
                "AUTHORIZER_ISSUER", dev.edgeiam.identity.DevTokens.ISSUER,
                "AUTHORIZER_AUDIENCE", dev.edgeiam.identity.DevTokens.AUDIENCE));
        all.putAll(env);
        return start(Path.of(System.getProperty("lambda.function.zip", "target/function.zip")),
                Path.of(System.getProperty("lambda.ric.dir", "target/lambda-ric")), runtimeOutput, all);
    }

    /** As {@link #start(Path, Path, OutputStream)}, with {@code extraEnv} added to the runtime's environment. */
    public static LocalLambdaRuntime start(Path functionZip, Path ricDir, OutputStream runtimeOutput,
                                           Map<String, String> extraEnv) throws IOException {
        return start(functionZip, ricDir, runtimeOutput, extraEnv, Set.of());
    }

    /**
     * As {@link #start(Path, Path, OutputStream, Map)}, leaving out the package's entries named in
     * {@code leftOut} (zip entry names, e.g. {@code META-INF/quarkus-preload-classes.txt}).
     */
    public static LocalLambdaRuntime start(Path functionZip, Path ricDir, OutputStream runtimeOutput,
                                           Map<String, String> extraEnv, Set<String> leftOut) throws IOException {
        return start(functionZip, ricDir, runtimeOutput, extraEnv, leftOut, false);
    }

    /**
     * A SnapStart start ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} added to {@code extraEnv}) whose
     * {@code restore/next} is held: the runtime runs its init and beforeCheckpoint hooks, asks to be restored and waits
     * until {@link #releaseRestore()}: the time between Lambda's snapshot and a restore, which can be long.
     * {@link #awaitRestoreAsked} waits for the snapshot point.
     */
    public static LocalLambdaRuntime startSnapStartHeld(Path functionZip, Path ricDir, OutputStream runtimeOutput,
                                                        Map<String, String> extraEnv) throws IOException {
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        return start(functionZip, ricDir, runtimeOutput, env, Set.of(), true);
    }

    private static LocalLambdaRuntime start(Path functionZip, Path ricDir, OutputStream runtimeOutput,
                                            Map<String, String> extraEnv, Set<String> leftOut, boolean holdRestore)
            throws IOException {
        Path taskRoot = Files.createTempDirectory("lambda-task-");
        RuntimeApiServer api = null;
        try {
            unzip(functionZip, taskRoot, leftOut);
            api = new RuntimeApiServer();
            CompletableFuture<Void> restoreRelease = holdRestore ? api.holdRestore() : null;
            ProcessBuilder builder = new ProcessBuilder()
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            builder.command(command(taskRoot, ricDir, env));
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("_HANDLER", HANDLER);
            env.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + FUNCTION_NAME);
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
            env.putIfAbsent("AWS_REGION", "eu-west-2");
            // what Lambda sets for an on-demand start; SnapStart starts pass snap-start in extraEnv
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
            // "TZ – The environment's time zone (:UTC)" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html)
            env.put("TZ", ":UTC");
            extraEnv.forEach((name, value) -> {
                if (UNSET.equals(value)) {
                    env.remove(name);
                } else {
                    env.put(name, value);
                }
            });
            long launchedNanos = System.nanoTime();
            Process process = builder.start();
            Thread pump = Thread.ofPlatform().daemon().name("lambda-runtime-output").start(() -> {
                try (InputStream in = process.getInputStream()) {
                    in.transferTo(runtimeOutput);
                    runtimeOutput.flush();
                } catch (IOException e) {
                    // The process is gone; nothing more to copy.
                }
            });
            return new LocalLambdaRuntime(taskRoot, api, process, pump, launchedNanos, restoreRelease);
        } catch (IOException | RuntimeException e) {
            if (api != null) {
                api.close();
            }
            deleteRecursively(taskRoot);
            throw e;
        }
    }

    /** The directory the package was unzipped into ({@code LAMBDA_TASK_ROOT}). */
    public Path taskRoot() {
        return taskRoot;
    }

    /** The loopback port of this runtime's Runtime API (the runtime's own connections go there). */
    public int runtimeApiPort() {
        String address = api.address();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** The runtime process (the JVM running the runtime interface client and, in it, the function). */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /** {@link System#nanoTime()} just before the runtime process was launched. */
    public long launchedNanos() {
        return launchedNanos;
    }

    /** {@link System#nanoTime()} of the runtime's first poll for an event (initialisation done), or 0. */
    public long firstPollNanos() {
        return api.firstPollNanos();
    }

    /**
     * {@link System#nanoTime()} of the runtime's {@code restore/next} request (SnapStart: after its beforeCheckpoint
     * hooks ran), or 0 when it made none.
     */
    public long restoreNanos() {
        return api.restoreNanos();
    }

    /**
     * Waits until the runtime has run its beforeCheckpoint hooks and asked for {@code restore/next}.
     *
     * @throws IllegalStateException if it fails to initialise, exits, or does not get there in time
     */
    public void awaitRestoreAsked(Duration timeout) throws InterruptedException {
        awaitOrFailure(api.restoreAsked(), timeout, "the runtime did not ask for restore/next");
        if (!api.restoreAsked().isDone()) {
            throw new IllegalStateException("the runtime failed before restore/next"
                    + (api.initError().isDone() ? ": " + api.initError().join() : ", exit " + process.exitValue()));
        }
    }

    /**
     * Waits until {@code wanted} completes, the runtime reports an initialisation error or its process exits.
     *
     * @throws IllegalStateException ({@code notInTime} + the timeout) if none of them happens in time
     */
    private void awaitOrFailure(CompletableFuture<?> wanted, Duration timeout, String notInTime)
            throws InterruptedException {
        try {
            CompletableFuture.anyOf(wanted, api.initError(), process.onExit())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(notInTime + " within " + timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the runtime failed", e.getCause());
        }
    }

    /** Answers the held {@code restore/next} ({@link #startSnapStartHeld}): the function is restored. */
    public void releaseRestore() {
        if (restoreRelease == null) {
            throw new IllegalStateException("this runtime's restore is not held");
        }
        restoreRelease.complete(null);
    }

    /** Queues one event without waiting; the future completes with the function's answer. */
    CompletableFuture<Invocation> submit(byte[] event) {
        return api.submit(event);
    }

    /** Whether the runtime process is still running and has not reported an initialisation error. */
    boolean healthy() {
        return process.isAlive() && !api.initError().isDone();
    }

    /**
     * Sends one event and waits for the function's answer.
     *
     * @throws IllegalStateException if the runtime fails to initialise, exits, or does not answer in time
     */
    public Invocation invoke(byte[] event, Duration timeout) throws InterruptedException {
        CompletableFuture<Invocation> answer = api.submit(event);
        awaitOrFailure(answer, timeout, "the function did not answer");
        if (answer.isDone()) {
            return answer.join();
        }
        if (api.initError().isDone()) {
            throw new IllegalStateException("the function failed to initialise: " + api.initError().join());
        }
        throw new IllegalStateException("the runtime process exited with status " + process.exitValue()
                + crashReport());
    }

    /**
     * The head of the JVM's fatal-error log when the runtime crashed ({@code hs_err_pid*.log}, which the JVM writes
     * into its working directory, the task root, deleted on {@link #close}); empty when there is none.
     */
    private String crashReport() {
        try (java.util.stream.Stream<Path> files = Files.list(taskRoot)) {
            Path log = files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).findFirst()
                    .orElse(null);
            if (log == null) {
                return " (no hs_err_pid*.log in the task root)";
            }
            List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            return "; " + log.getFileName() + ":\n" + String.join("\n", lines.subList(0, Math.min(25, lines.size())));
        } catch (IOException e) {
            return " (the task root could not be read: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            outputPump.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            api.close();
            deleteRecursively(taskRoot);
        }
    }

    /**
     * A native package ({@code -Dnative}) holds a {@code bootstrap} executable that is itself a Lambda runtime, as on
     * {@code provided.al2023}; a JVM package is started by the runtime interface client, as on {@code java21}.
     */
    private static List<String> command(Path taskRoot, Path ricDir, Map<String, String> env) throws IOException {
        Path bootstrap = taskRoot.resolve("bootstrap");
        if (Files.isRegularFile(bootstrap)) {
            // Zip extraction drops the executable bit. (Native path: not exercised by this project's builds yet.)
            bootstrap.toFile().setExecutable(true);
            env.put("DISABLE_SIGNAL_HANDLERS", "true");
            return List.of(bootstrap.toString());
        }
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // as the managed runtime starts the JVM: org.crac's global context is the client's own, which runs
                // the hooks when AWS_LAMBDA_INITIALIZATION_TYPE=snap-start (then the client asks for restore/next)
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                // The client loads a JNI library; Quarkus resets thread locals on Java 24+. Both are quiet on 21.
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", ricClasspath(ricDir), RIC_MAIN, HANDLER);
    }

    static String ricClasspath(Path ricDir) throws IOException {
        List<String> jars = new ArrayList<>();
        if (Files.isDirectory(ricDir)) {
            try (Stream<Path> files = Files.list(ricDir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted()
                        .forEach(f -> jars.add(f.toAbsolutePath().toString()));
            }
        }
        if (jars.stream().noneMatch(j -> j.contains("aws-lambda-java-runtime-interface-client"))) {
            throw new IllegalStateException("no runtime interface client jar in " + ricDir
                    + "; `./mvnw -B package -DskipTests` copies it there");
        }
        return String.join(File.pathSeparator, jars);
    }

    /** Extracts {@code zip} under {@code target}, refusing entries that would land outside it. */
    static void unzip(Path zip, Path target) throws IOException {
        unzip(zip, target, Set.of());
    }

    private static void unzip(Path zip, Path target, Set<String> leftOut) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (leftOut.contains(entry.getName())) {
                    continue;
                }
                Path file = root.resolve(entry.getName()).normalize();
                if (!file.startsWith(root)) {
                    throw new IOException("zip entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(in, file);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A leftover temporary directory is not worth failing for.
        }
    }

    /**
     * {@code LocalLambdaRuntime [--function target/function.zip] [--ric-dir target/lambda-ric] EVENT.json...}
     *
     * <p>Invokes the function once per event file and prints each answer as one line on stdout; the runtime's own
     * output (Quarkus and invocation logs) goes to stderr. Exits 0 if every event got a response, 1 if any got a
     * function error or none, 2 on bad usage.
     */
    public static void main(String[] args) throws Exception {
        Path functionZip = Path.of("target", "function.zip");
        Path ricDir = Path.of("target", "lambda-ric");
        List<Path> events = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--function" -> functionZip = Path.of(args[++i]);
                case "--ric-dir" -> ricDir = Path.of(args[++i]);
                default -> events.add(Path.of(args[i]));
            }
        }
        if (events.isEmpty()) {
            System.err.println("usage: LocalLambdaRuntime [--function ZIP] [--ric-dir DIR] EVENT.json...");
            System.exit(2);
        }
        PrintStream out = System.out;
        boolean allAnswered = true;
        try (LocalLambdaRuntime runtime = start(functionZip, ricDir, System.err)) {
            for (Path event : events) {
                try {
                    Invocation invocation = runtime.invoke(Files.readAllBytes(event), Duration.ofSeconds(60));
                    if (invocation.error()) {
                        allAnswered = false;
                        System.err.println("function error (" + invocation.errorType() + ") for " + event + ":");
                    }
                    out.println(invocation.bodyText());
                } catch (IllegalStateException e) {
                    allAnswered = false;
                    System.err.println(event + ": " + e.getMessage());
                    break;
                }
            }
        }
        out.flush();
        System.exit(allAnswered ? 0 : 1);
    }
}
