package dev.edgeiam.lambda.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * The function's own classes that its first answers load: the list Quarkus preloads, and initialises, during the
 * init ({@value #RESOURCE}; {@code quarkus.snapstart.generate-application-class-list=false}, so Quarkus does not list
 * every class of the application instead).
 *
 * <p>Why a list of its own: Quarkus' generated list holds all ~480 application classes, and an authorizer's cold
 * start loaded and initialised ~120 it never used — the S3 view publisher and reader, the IAM and Organizations
 * sources, the simulators' and validator's classes, the event-bridge refresher (BENCHMARKS.md, "Seventh session").
 * A class left off the list is still loaded when first used, so the list changes only when the work is done, never
 * what the function does.
 *
 * <p>How it is made: the packaged function is started <em>without</em> its list (so nothing is preloaded), with
 * {@code -Xlog:class+load}, and answers {@link #EVENTS} — the REST REQUEST, REST TOKEN, HTTP API and WebSocket
 * authorizer events — with the bundled snapshot as its policy source. Every class loaded from the task root itself
 * and in the project's packages (not from {@code lib/}, not a lambda's hidden class, not one Quarkus
 * generated) is listed, in load order. {@code PreloadListIT} holds the
 * committed list to that set; when it fails, rebuild the package and regenerate:
 * <pre>
 * ./mvnw -B -o -q package -DskipTests
 * java -cp target/test-classes dev.edgeiam.lambda.local.PreloadList   # writes src/main/resources/META-INF/...
 * </pre>
 * Run from the repository root. JDK classes only.
 */
public final class PreloadList {

    /** Where Quarkus reads an application's own preload list. */
    public static final String RESOURCE = "META-INF/quarkus-preload-classes.txt";

    /** The list Quarkus writes when it generates one (left out too, in case a build still has it). */
    static final String GENERATED = "META-INF/quarkus-generated-preload-classes.txt";

    /** The authorizer events whose first answers the list covers, one of each kind API Gateway sends. */
    static final List<Path> EVENTS = List.of(Path.of("events", "rest-request.json"), Path.of("events", "rest-token.json"),
            Path.of("events", "http-v2-request.json"), Path.of("events", "websocket-connect.json"));

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String LOAD_TAG = "[class,load] ";
    private static final String SOURCE = " source: ";
    private static final String PROJECT_PACKAGE = "dev.edgeiam.";

    private PreloadList() {
    }

    /**
     * Starts {@code functionZip} without its preload lists, sends it {@link #EVENTS} and returns the task-root classes
     * it loaded, in load order.
     *
     * @throws IllegalStateException if the function does not answer an event, or answers with an error
     */
    public static List<String> loadedForFirstAnswers(Path functionZip, Path ricDir) throws IOException,
            InterruptedException {
        Path log = Files.createTempFile("class-load-", ".log");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Path root;
        try {
            Map<String, String> env = Map.of(
                    "JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log,
                    "AUTHORIZER_JWKS_URL", "file:" + Path.of("src/test/resources/dev-keys/jwks.json").toAbsolutePath(),
                    "AUTHORIZER_ISSUER", "https://issuer.dev.edgeiam.test",
                    "AUTHORIZER_AUDIENCE", "connect-authorizer-dev");
            try (LocalLambdaRuntime runtime = LocalLambdaRuntime.start(functionZip, ricDir, output, env,
                    Set.of(RESOURCE, GENERATED))) {
                root = runtime.taskRoot();
                for (Path event : EVENTS) {
                    Invocation answer = runtime.invoke(Files.readAllBytes(event), TIMEOUT);
                    if (answer.error()) {
                        throw new IllegalStateException(event + " was answered with an error: " + answer.bodyText()
                                + "\nruntime output:\n" + output.toString(StandardCharsets.UTF_8));
                    }
                }
            }
            return taskRootClasses(Files.readAllLines(log, StandardCharsets.UTF_8), root);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * The project's classes ({@value #PROJECT_PACKAGE}*) in a {@code -Xlog:class+load} log whose source is
     * {@code taskRoot} itself, in load order. Quarkus' own generated classes in the task root are left to load as its
     * boot reaches them, as they do in a bare Quarkus function.
     */
    static List<String> taskRootClasses(List<String> logLines, Path taskRoot) {
        String source = SOURCE + "file:" + taskRoot.toAbsolutePath() + "/";
        Set<String> classes = new LinkedHashSet<>();
        for (String line : logLines) {
            int tag = line.indexOf(LOAD_TAG);
            if (tag >= 0 && line.endsWith(source)) {
                String name = line.substring(tag + LOAD_TAG.length(), line.length() - source.length());
                if (name.startsWith(PROJECT_PACKAGE)) {
                    classes.add(name);
                }
            }
        }
        return List.copyOf(classes);
    }

    /**
     * The entries of a preload list as Quarkus' {@code PreloadClassesRecorder} reads them: one per line, {@code #}
     * starts a comment, trailing white space is dropped, blank lines are skipped. Leading white space is kept, as
     * Quarkus keeps it (it then fails to load that name, silently), so such a line never matches a class name.
     */
    public static List<String> parse(String text) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            int hash = line.indexOf('#');
            String name = (hash >= 0 ? line.substring(0, hash) : line).stripTrailing();
            if (!name.isBlank()) {
                names.add(name);
            }
        }
        return names;
    }

    /** The file's text for {@code classes}: a header saying how it was made, then one name per line. */
    static String render(List<String> classes) {
        StringBuilder text = new StringBuilder()
                .append("# The function's own classes that its first answers load, preloaded and initialised by Quarkus\n")
                .append("# during the init. Made by dev.edgeiam.lambda.local.PreloadList from the packaged function;\n")
                .append("# PreloadListIT holds it to what the function loads. Do not edit by hand: regenerate.\n");
        for (String name : classes) {
            text.append(name).append('\n');
        }
        return text.toString();
    }

    /** {@code PreloadList [--function target/function.zip] [--ric-dir target/lambda-ric] [--out src/main/resources/...]} */
    public static void main(String[] args) throws Exception {
        Path functionZip = Path.of("target", "function.zip");
        Path ricDir = Path.of("target", "lambda-ric");
        Path out = Path.of("src", "main", "resources").resolve(RESOURCE);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--function" -> functionZip = Path.of(args[++i]);
                case "--ric-dir" -> ricDir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument: " + args[i]);
                    System.exit(2);
                }
            }
        }
        List<String> classes = loadedForFirstAnswers(functionZip, ricDir);
        Files.createDirectories(out.getParent());
        Files.writeString(out, render(classes), StandardCharsets.UTF_8);
        System.out.println(classes.size() + " classes written to " + out);
    }
}
