package dev.edgeiam.lambda.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * Start-up of the packaged authorizer against a bare Quarkus Lambda (not a test; run by hand, see BENCHMARKS.md
 * "Start-up against a bare Quarkus Lambda"). Alternates cold starts of two packages in one run — the authorizer's
 * {@code target/function.zip} and the echo fixture's {@code src/bench/echo-lambda/target/function.zip}, both under
 * the Runtime Interface Client through {@link LocalLambdaRuntime}, so the same JVM, flags and Runtime API server —
 * and sends each one event ({@code events/rest-request.json}). Per run it prints launch → first answer, launch →
 * first poll (init done), the first invocation as the Runtime API server sees it, Quarkus' own "started in" and the
 * load average; at the end the medians and the ratio authorizer / echo (of the medians, and the median of the
 * per-pair ratios). The order inside a pair alternates (A,E then E,A) so a drift in the machine's load does not
 * favour one side.
 * <pre>
 * java -cp target/test-classes dev.edgeiam.lambda.local.LaunchRun [--pairs 8] [--function target/function.zip]
 *      [--echo src/bench/echo-lambda/target/function.zip] [--event events/rest-request.json]
 *      [--env K=V]... [--authorizer-env K=V]... [--echo-env K=V]... [--log-dir target/launch]
 *      [--also NAME=ZIP]... [--also-echo NAME=ZIP]...
 * </pre>
 * {@code --also} adds another authorizer package (e.g. the build before a change) to every round, so before and
 * after are measured side by side against the same echo runs; the order rotates through all packages.
 * {@code --also-echo} adds another echo package the same way (e.g. the echo packaged another way), checked as an echo.
 * {@code --env} sets a variable for both runtimes (e.g. {@code JAVA_TOOL_OPTIONS=-Xlog:startuptime}, which the
 * managed Java runtimes honour as well); the runtimes' own output goes to {@code <log-dir>/<side>-<n>.log}.
 * Run from the repository root (it reads {@code events/} and the TEST-ONLY dev keys). JDK classes only.
 */
public final class LaunchRun {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

    /** One cold start: milliseconds from launch, and Quarkus' "started in" (NaN when not found). */
    record Run(double firstAnswerMs, double initMs, double firstInvocationMs, double quarkusStartedS, double cpuMs,
               double initCpuMs, String load) {
    }

    private record Side(String name, Path zip, Map<String, String> env, boolean echoes) {
    }

    public static void main(String[] args) throws Exception {
        int pairs = 8;
        Path authorizerZip = Path.of("target", "function.zip");
        Path echoZip = Path.of("src", "bench", "echo-lambda", "target", "function.zip");
        Path event = Path.of("events", "rest-request.json");
        Path ricDir = Path.of("target", "lambda-ric");
        Path logDir = Path.of("target", "launch");
        Path repo = Path.of("").toAbsolutePath();
        Map<String, String> both = new HashMap<>();
        Map<String, String> authorizerEnv = new HashMap<>();
        Map<String, String> echoEnv = new HashMap<>();
        Map<String, Path> also = new java.util.LinkedHashMap<>();
        Map<String, Path> alsoEcho = new java.util.LinkedHashMap<>();
        // As run-local.sh and the packaged-function ITs configure the authorizer: the bundled sample account and the
        // TEST-ONLY development issuer, so events/rest-request.json is answered end to end.
        authorizerEnv.put("AUTHORIZER_JWKS_URL", "file:" + repo.resolve("src/test/resources/dev-keys/jwks.json"));
        authorizerEnv.put("AUTHORIZER_ISSUER", "https://issuer.dev.edgeiam.test");
        authorizerEnv.put("AUTHORIZER_AUDIENCE", "connect-authorizer-dev");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pairs" -> pairs = Integer.parseInt(args[++i]);
                case "--function" -> authorizerZip = Path.of(args[++i]);
                case "--echo" -> echoZip = Path.of(args[++i]);
                case "--event" -> event = Path.of(args[++i]);
                case "--ric-dir" -> ricDir = Path.of(args[++i]);
                case "--log-dir" -> logDir = Path.of(args[++i]);
                case "--env" -> put(both, args[++i]);
                case "--authorizer-env" -> put(authorizerEnv, args[++i]);
                case "--echo-env" -> put(echoEnv, args[++i]);
                case "--also" -> putNamed(also, args[++i]);
                case "--also-echo" -> putNamed(alsoEcho, args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        List<Path> zips = new ArrayList<>(List.of(authorizerZip, echoZip));
        zips.addAll(also.values());
        zips.addAll(alsoEcho.values());
        for (Path zip : zips) {
            if (!Files.isRegularFile(zip)) {
                System.err.println("no package " + zip + " (see BENCHMARKS.md for how to build it)");
                System.exit(2);
            }
        }
        authorizerEnv.putAll(both);
        echoEnv.putAll(both);
        byte[] eventBytes = Files.readAllBytes(event);
        Files.createDirectories(logDir);
        List<Side> sides = new ArrayList<>();
        sides.add(new Side("authorizer", authorizerZip, authorizerEnv, false));
        Side echo = new Side("echo", echoZip, echoEnv, true);
        sides.add(echo);
        also.forEach((name, zip) -> sides.add(new Side(name, zip, authorizerEnv, false)));
        alsoEcho.forEach((name, zip) -> sides.add(new Side(name, zip, echoEnv, true)));
        System.out.println("packages: " + sides.stream().map(s -> s.name() + "=" + s.zip()).toList()
                + ", event: " + event);
        System.out.println("runtime JVM: " + System.getProperty("java.home") + " (" + Runtime.version() + ")"
                + (both.isEmpty() ? "" : ", extra environment for all: " + both));
        System.out.println("load average at start: " + LoadRun.loadAverage());

        Map<Side, List<Run>> runs = new java.util.LinkedHashMap<>();
        sides.forEach(side -> runs.put(side, new ArrayList<>()));
        for (int p = 0; p < pairs; p++) {
            for (int k = 0; k < sides.size(); k++) {
                // Rotate the order every round (A,E then E,A for two packages).
                Side side = sides.get((k + p) % sides.size());
                Run run = coldStart(side, echo, ricDir, eventBytes,
                        logDir.resolve(side.name() + "-" + (p + 1) + ".log"));
                runs.get(side).add(run);
                System.out.printf(Locale.ROOT, "round %d %-10s launch -> first answer %5.0f ms | -> init done %5.0f ms"
                                + " | first invocation %6.1f ms | CPU %5.0f ms (init %4.0f) | Quarkus started in %s | load %s%n",
                        p + 1, side.name(), run.firstAnswerMs(), run.initMs(), run.firstInvocationMs(), run.cpuMs(),
                        run.initCpuMs(),
                        Double.isNaN(run.quarkusStartedS()) ? "?" : run.quarkusStartedS() + " s", run.load());
            }
        }
        runs.forEach((side, list) -> summary(side.name(), list));
        List<Run> e = runs.get(echo);
        for (Side side : sides) {
            if (side == echo) {
                continue;
            }
            List<Run> a = runs.get(side);
            double[] ratios = new double[pairs];
            for (int p = 0; p < pairs; p++) {
                ratios[p] = a.get(p).firstAnswerMs() / e.get(p).firstAnswerMs();
            }
            double ratio = median(a, Run::firstAnswerMs) / median(e, Run::firstAnswerMs);
            double[] wallInterval = ratioInterval(values(a, Run::firstAnswerMs), values(e, Run::firstAnswerMs));
            double[] cpuInterval = ratioInterval(values(a, Run::cpuMs), values(e, Run::cpuMs));
            System.out.printf(Locale.ROOT, "RATIO %s / echo, launch -> first answer: %.3f (medians); per-round "
                            + "median %.3f, range %.3f-%.3f; CPU time %.3f (medians)%n", side.name(), ratio,
                    median(ratios), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0),
                    median(a, Run::cpuMs) / median(e, Run::cpuMs));
            System.out.printf(Locale.ROOT, "INTERVAL %s / echo, 90 %% of %d resamples of the rounds: wall %.3f-%.3f, "
                            + "CPU %.3f-%.3f%n", side.name(), RESAMPLES, wallInterval[0], wallInterval[1],
                    cpuInterval[0], cpuInterval[1]);
        }
        if (sides.size() > 2) {
            // every other package against the first (e.g. after / before), rounds resampled the same way
            Side first = sides.get(0) == echo ? sides.get(1) : sides.get(0);
            for (Side side : sides) {
                if (side == echo || side == first) {
                    continue;
                }
                List<Run> a = runs.get(first);
                List<Run> b = runs.get(side);
                double[] wall = ratioInterval(values(a, Run::firstAnswerMs), values(b, Run::firstAnswerMs));
                double[] cpu = ratioInterval(values(a, Run::cpuMs), values(b, Run::cpuMs));
                System.out.printf(Locale.ROOT, "COMPARE %s / %s: wall %.3f (90 %% %.3f-%.3f), CPU %.3f (90 %% "
                                + "%.3f-%.3f)%n", first.name(), side.name(),
                        median(a, Run::firstAnswerMs) / median(b, Run::firstAnswerMs), wall[0], wall[1],
                        median(a, Run::cpuMs) / median(b, Run::cpuMs), cpu[0], cpu[1]);
            }
        }
        System.out.println("load average at end: " + LoadRun.loadAverage());
    }

    private static void put(Map<String, String> env, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected K=V, got " + assignment);
        }
        env.merge(assignment.substring(0, eq), assignment.substring(eq + 1), (x, y) -> x + " " + y);
    }

    private static Run coldStart(Side side, Side echo, Path ricDir, byte[] event, Path log) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Invocation first;
        long answered;
        long launched;
        long firstPoll;
        double cpu;
        double initCpu;
        try (LocalLambdaRuntime runtime = LocalLambdaRuntime.start(side.zip(), ricDir, output, side.env())) {
            // The event is queued once the runtime polls for it (init done), so the CPU time of the init can be read
            // apart; the runtime waits at most the 1 ms sleep step for it.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (runtime.firstPollNanos() == 0 && runtime.healthy() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            initCpu = cpuMillis(runtime.processHandle().pid());
            first = runtime.invoke(event, TIMEOUT);
            answered = System.nanoTime();
            launched = runtime.launchedNanos();
            firstPoll = runtime.firstPollNanos();
            cpu = cpuMillis(runtime.processHandle().pid());
        }
        String text = output.toString(StandardCharsets.UTF_8);
        Files.writeString(log, text);
        String body = first.bodyText();
        boolean ok = !first.error() && (side.echoes()
                ? Arrays.equals(first.body(), event)
                : body.contains("\"policyDocument\"") && !body.contains("\"errorCode\""));
        if (!ok) {
            throw new IllegalStateException(side.name() + " did not answer as expected (" + first.errorType() + "): "
                    + (body.length() > 300 ? body.substring(0, 300) + "..." : body) + "; log " + log);
        }
        Matcher m = STARTED_IN.matcher(text);
        double startedIn = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        return new Run((answered - launched) / 1e6, (firstPoll - launched) / 1e6, first.serviceNanos() / 1e6,
                startedIn, cpu, initCpu, LoadRun.loadAverage());
    }

    /**
     * CPU time (user + system, all threads: JIT compilers and GC included) the process has used so far, from
     * {@code /proc/<pid>/stat}; less sensitive than wall time to other work on a shared machine. NaN if unreadable.
     */
    static double cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which is in parentheses and may hold spaces): utime is 14th, stime 15th.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000.0 / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** USER_HZ: 100 on Linux on x86-64 and arm64 (what {@code getconf CLK_TCK} prints). */
    private static final int CLOCK_TICKS = 100;

    private static void summary(String name, List<Run> runs) {
        System.out.printf(Locale.ROOT, "MEDIAN %-10s over %d: launch -> first answer %.0f ms (min %.0f, max %.0f);"
                        + " -> init done %.0f ms; first invocation %.1f ms; CPU %.0f ms (init %.0f);"
                        + " Quarkus started in %.3f s%n",
                name,
                runs.size(), median(runs, Run::firstAnswerMs),
                runs.stream().mapToDouble(Run::firstAnswerMs).min().orElse(0),
                runs.stream().mapToDouble(Run::firstAnswerMs).max().orElse(0), median(runs, Run::initMs),
                median(runs, Run::firstInvocationMs), median(runs, Run::cpuMs), median(runs, Run::initCpuMs),
                median(runs, Run::quarkusStartedS));
    }

    static final int RESAMPLES = 4_000;

    private static double[] values(List<Run> runs, java.util.function.ToDoubleFunction<Run> field) {
        return runs.stream().mapToDouble(field).toArray();
    }

    /**
     * A 90 % percentile-bootstrap interval of median(a) / median(b): the rounds are drawn with replacement (round i of
     * a stays with round i of b, since both ran next to each other), {@link #RESAMPLES} times, with a fixed seed so a
     * run's output can be recomputed. It shows how far one run's ratio of medians can be trusted on a noisy machine.
     */
    static double[] ratioInterval(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        if (n == 0) {
            return new double[]{Double.NaN, Double.NaN};
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(20261207L);
        double[] ratios = new double[RESAMPLES];
        double[] ra = new double[n];
        double[] rb = new double[n];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                int k = random.nextInt(n);
                ra[i] = a[k];
                rb[i] = b[k];
            }
            ratios[r] = median(ra) / median(rb);
        }
        Arrays.sort(ratios);
        return new double[]{ratios[(int) Math.floor(0.05 * (RESAMPLES - 1))],
                ratios[(int) Math.ceil(0.95 * (RESAMPLES - 1))]};
    }

    /** Puts a {@code NAME=PATH} argument (another package to measure) into {@code packages}. */
    static void putNamed(Map<String, Path> packages, String nameEqualsPath) {
        String[] namePath = nameEqualsPath.split("=", 2);
        packages.put(namePath[0], Path.of(namePath[1]));
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> field) {
        return median(runs.stream().mapToDouble(field).toArray());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
