package dev.edgeiam.lambda.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.edgeiam.lambda.local.RuntimeApiServer.Invocation;

/**
 * Process-level measurement of the packaged function (not a test; run by hand, see BENCHMARKS.md "Process-level
 * figures"). Starts {@code target/function.zip} through {@link LocalLambdaRuntime} with a generated account snapshot
 * of {@code --users} IAM users, and reports:
 * <ul>
 *   <li>cold starts: launch of the runtime process → first answer (and → the runtime's first poll, i.e. init);</li>
 *   <li>RSS ({@code /proc/<pid>/status} VmRSS/VmHWM) and, with {@code --heap}, heap used after a forced GC
 *       ({@code jcmd <pid> GC.run} + {@code GC.heap_info}) after warm-up, after filling the principal cache, and
 *       every {@code --sample-every} invocations of the mixed run;</li>
 *   <li>throughput and p50/p99/max latency as the Runtime API server sees it (event handed out → answer posted);</li>
 *   <li>errors: function errors, or answers carrying {@code errorCode} (none of the events sent should).</li>
 * </ul>
 * JDK classes only, so it runs from {@code target/test-classes} like {@code run-local.sh}:
 * <pre>
 * java -cp target/test-classes dev.edgeiam.lambda.local.LoadRun [--cold 3] [--users 12000] [--fill 10000]
 *      [--invocations 100000] [--sample-every 100000] [--window 4] [--heap] [--snapshot generated|sample]
 * </pre>
 * Must be run from the repository root (it reads {@code events/}, the sample snapshot and the TEST-ONLY dev keys).
 */
public final class LoadRun {

    private static final String ACCOUNT = "111122223333";
    private static final String INSTANCE = "arn:aws:connect:us-east-1:" + ACCOUNT
            + ":instance/a1b2c3d4-5678-90ab-cdef-example11111";
    private static final List<String> SAMPLE_EVENTS = List.of(
            "rest-request", "rest-request-other-agent", "http-v2-request", "rest-token");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path functionZip;
    private final Path ricDir;
    private final Map<String, String> env;
    private final int principalRange;
    private final int window;
    private final boolean heap;
    private final List<byte[]> samples = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(42);
    private final List<String> firstErrors = new ArrayList<>();

    private LoadRun(Path functionZip, Path ricDir, Map<String, String> env, int principalRange, int window,
                    boolean heap) throws IOException {
        this.functionZip = functionZip;
        this.ricDir = ricDir;
        this.env = env;
        this.principalRange = principalRange;
        this.window = window;
        this.heap = heap;
        for (String name : SAMPLE_EVENTS) {
            samples.add(Files.readAllBytes(Path.of("events", name + ".json")));
        }
    }

    public static void main(String[] args) throws Exception {
        int cold = 3;
        int users = 12_000;
        int fill = 10_000;
        int invocations = 100_000;
        int sampleEvery = 100_000;
        int window = 4;
        boolean heap = false;
        String snapshot = "generated";
        Integer range = null;
        Path functionZip = Path.of("target", "function.zip");
        Path ricDir = Path.of("target", "lambda-ric");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cold" -> cold = Integer.parseInt(args[++i]);
                case "--users" -> users = Integer.parseInt(args[++i]);
                case "--fill" -> fill = Integer.parseInt(args[++i]);
                case "--invocations" -> invocations = Integer.parseInt(args[++i]);
                case "--sample-every" -> sampleEvery = Integer.parseInt(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--principal-range" -> range = Integer.parseInt(args[++i]);
                case "--heap" -> heap = true;
                case "--snapshot" -> snapshot = args[++i];
                case "--function" -> functionZip = Path.of(args[++i]);
                case "--ric-dir" -> ricDir = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path repo = Path.of("").toAbsolutePath();
        Map<String, String> env = new HashMap<>();
        env.put("AUTHORIZER_JWKS_URL", "file:" + repo.resolve("src/test/resources/dev-keys/jwks.json"));
        env.put("AUTHORIZER_ISSUER", "https://issuer.dev.edgeiam.test");
        env.put("AUTHORIZER_AUDIENCE", "connect-authorizer-dev");
        env.put("AUTHORIZER_POLICY_SOURCE", "snapshot");
        if (snapshot.equals("generated")) {
            Path file = repo.resolve("target/load/snapshot-" + users + "-users.json");
            long t = System.nanoTime();
            writeSnapshot(file, users);
            System.out.printf(Locale.ROOT, "snapshot: %s, %d generated users + the sample account, %,d bytes (%d ms)%n",
                    file, users, Files.size(file), (System.nanoTime() - t) / 1_000_000);
            env.put("AUTHORIZER_SNAPSHOT_PATH", file.toString());
        } else {
            users = 0;
            System.out.println("snapshot: the bundled sample account");
        }
        System.out.println("runtime JVM: " + System.getProperty("java.home") + " (" + Runtime.version() + ")");
        System.out.println("load average at start: " + loadAverage());

        LoadRun run = new LoadRun(functionZip, ricDir, env, range != null ? range : users, window, heap);
        if (cold > 0) {
            run.coldStarts(cold);
        }
        if (fill > 0 || invocations > 0) {
            run.longRun(Math.min(fill, users), invocations, sampleEvery, users > 0);
        }
        System.out.println("load average at end: " + loadAverage());
        if (!run.firstErrors.isEmpty()) {
            System.out.println("FIRST ERRORS:");
            run.firstErrors.forEach(System.out::println);
            System.exit(1);
        }
    }

    private void coldStarts(int count) throws Exception {
        double[] firstAnswer = new double[count];
        double[] init = new double[count];
        for (int k = 0; k < count; k++) {
            Path log = Path.of("target", "load", "cold-" + k + ".log");
            try (OutputStream out = Files.newOutputStream(log);
                 LocalLambdaRuntime runtime = LocalLambdaRuntime.start(functionZip, ricDir, out, env)) {
                Invocation first = runtime.invoke(samples.get(0), TIMEOUT);
                long answered = System.nanoTime();
                check("cold rest-request", first);
                firstAnswer[k] = (answered - runtime.launchedNanos()) / 1e6;
                init[k] = (runtime.firstPollNanos() - runtime.launchedNanos()) / 1e6;
                System.out.printf(Locale.ROOT,
                        "cold start %d: launch -> first poll (init) %.0f ms, -> first answer %.0f ms "
                                + "(first invocation itself %.1f ms server-side); %s; load %s%n",
                        k + 1, init[k], firstAnswer[k], first.serviceNanos() / 1e6,
                        memory(runtime.processHandle().pid()), loadAverage());
            }
        }
        System.out.printf(Locale.ROOT, "COLD START over %d: launch -> first answer mean %.0f ms (min %.0f, max %.0f);"
                        + " launch -> init done mean %.0f ms%n", count, mean(firstAnswer),
                Arrays.stream(firstAnswer).min().orElse(0), Arrays.stream(firstAnswer).max().orElse(0), mean(init));
    }

    private void longRun(int fill, int invocations, int sampleEvery, boolean generated) throws Exception {
        try (KeepHead output = new KeepHead();
             LocalLambdaRuntime runtime = LocalLambdaRuntime.start(functionZip, ricDir, output, env)) {
            long pid = runtime.processHandle().pid();
            System.out.println("runtime pid " + pid + ", descendants: "
                    + runtime.processHandle().descendants().map(p -> Long.toString(p.pid())).toList());
            for (int i = 0; i < samples.size(); i++) {
                Invocation answer = runtime.invoke(samples.get(i), TIMEOUT);
                check(SAMPLE_EVENTS.get(i), answer);
                String text = answer.bodyText();
                System.out.println("  " + SAMPLE_EVENTS.get(i) + " -> "
                        + (text.length() > 160 ? text.substring(0, 160) + "..." : text));
            }
            // Warm-up: the authorizer events and simulations of a few principals, 5,000 invocations.
            Phase warm = drive(runtime, "warm-up", 5_000, i -> mixed(i, generated ? 50 : 0), 0, pid);
            warm.print();
            System.out.println("after warm-up: " + memory(pid) + heapAfterGc(pid) + "; load " + loadAverage());
            if (fill > 0) {
                Phase filled = drive(runtime, "fill", fill, LoadRun::simulate, 0, pid);
                filled.print();
                System.out.println("after " + fill + " distinct principals cached: " + memory(pid) + heapAfterGc(pid)
                        + "; load " + loadAverage());
            }
            if (invocations > 0) {
                Phase main = drive(runtime, "mixed", invocations,
                        i -> mixed(i, generated ? principalRange : 0), sampleEvery, pid);
                main.print();
                System.out.println("after the mixed run: " + memory(pid) + heapAfterGc(pid) + "; load "
                        + loadAverage());
            }
        }
    }

    /** Half SimulatePrincipalPolicy for a random generated user (or the sample's carol), half the sample events. */
    private byte[] mixed(int i, int range) {
        int slot = i & 7;
        if (slot < 4) {
            return range > 0 ? simulate(random.nextInt(range))
                    : samples.get(0);
        }
        return samples.get(slot - 4);
    }

    private static byte[] simulate(int user) {
        return ("{\"SimulatePrincipalPolicy\":{\"PolicySourceArn\":\"arn:aws:iam::" + ACCOUNT + ":user/"
                + userName(user) + "\",\"ActionNames\":[\"connect:DescribeUser\",\"connect:DeleteUser\"],"
                + "\"ResourceArns\":[\"" + INSTANCE + "/agent/agent-" + user + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private interface EventSource {
        byte[] event(int index);
    }

    private record Phase(String name, int count, long errors, long[] latencies, double seconds) {
        void print() {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "PHASE %s: %,d invocations in %.1f s = %.0f/s; server-side latency "
                            + "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.1f ms; errors %d; load %s%n",
                    name, count, seconds, count / seconds, pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6,
                    pct(sorted, 0.999) / 1e6, sorted[sorted.length - 1] / 1e6, errors, loadAverage());
        }
    }

    private Phase drive(LocalLambdaRuntime runtime, String name, int count, EventSource source, int sampleEvery,
                        long pid) throws Exception {
        long[] latencies = new long[count];
        long errors = 0;
        ArrayDeque<CompletableFuture<Invocation>> inFlight = new ArrayDeque<>();
        long start = System.nanoTime();
        long intervalStart = start;
        int submitted = 0;
        for (int done = 0; done < count; done++) {
            while (submitted < count && inFlight.size() < window) {
                inFlight.add(runtime.submit(source.event(submitted++)));
            }
            Invocation answer = await(runtime, inFlight.poll());
            latencies[done] = answer.serviceNanos();
            if (!check(name, answer)) {
                errors++;
            }
            if (sampleEvery > 0 && (done + 1) % sampleEvery == 0) {
                long now = System.nanoTime();
                // The sample's GC pause is taken with nothing in flight.
                while (!inFlight.isEmpty()) {
                    Invocation a = await(runtime, inFlight.poll());
                    latencies[++done] = a.serviceNanos();
                    if (!check(name, a)) {
                        errors++;
                    }
                }
                long[] slice = Arrays.copyOfRange(latencies, Math.max(0, done + 1 - sampleEvery), done + 1);
                Arrays.sort(slice);
                System.out.printf(Locale.ROOT, "  %,d: last interval %.0f/s, p50 %.3f ms, p99 %.3f ms, max %.1f ms, "
                                + "errors so far %d; %s%s; load %s%n", done + 1,
                        sampleEvery / ((now - intervalStart) / 1e9), pct(slice, 0.5) / 1e6, pct(slice, 0.99) / 1e6,
                        slice[slice.length - 1] / 1e6, errors, memory(pid), heapAfterGc(pid), loadAverage());
                intervalStart = System.nanoTime();
            }
        }
        return new Phase(name, count, errors, latencies, (System.nanoTime() - start) / 1e9);
    }

    private static Invocation await(LocalLambdaRuntime runtime, CompletableFuture<Invocation> answer)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return answer.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (!runtime.healthy() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the runtime stopped answering (alive: "
                            + runtime.processHandle().isAlive() + ")");
                }
            }
        }
    }

    /** True when the answer is a normal one: no function error and no {@code errorCode}. */
    private boolean check(String what, Invocation answer) {
        boolean ok = !answer.error() && !answer.bodyText().contains("\"errorCode\"");
        if (!ok && firstErrors.size() < 10) {
            firstErrors.add(what + ": " + answer.errorType() + " " + answer.bodyText());
        }
        return ok;
    }

    // ---- snapshot --------------------------------------------------------------------------------------------

    static String userName(int i) {
        return String.format(Locale.ROOT, "load-user-%05d", i);
    }

    /**
     * The bundled sample account (so the sample events' principals exist) plus {@code users} users: each has one
     * inline policy of its own (two statements), every second one a shared managed policy and every third one a
     * group.
     */
    static void writeSnapshot(Path file, int users) throws IOException {
        String sample = Files.readString(Path.of("src/main/resources/snapshot/sample-account.json"));
        String marker = "\"UserDetailList\": [";
        int at = sample.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException("unexpected sample snapshot layout");
        }
        StringBuilder out = new StringBuilder(sample.length() + users * 900);
        out.append(sample, 0, at + marker.length()).append('\n');
        for (int i = 0; i < users; i++) {
            String name = userName(i);
            out.append("{\"Path\":\"/\",\"UserName\":\"").append(name).append("\",\"UserId\":\"")
                    .append(String.format(Locale.ROOT, "AIDALOAD%012d", i)).append("\",\"Arn\":\"arn:aws:iam::")
                    .append(ACCOUNT).append(":user/").append(name)
                    .append("\",\"CreateDate\":\"2025-01-15T10:05:00+00:00\",\"GroupList\":[")
                    .append(i % 3 == 0 ? "\"ConnectAgents\"" : "").append("],\"AttachedManagedPolicies\":[")
                    .append(i % 2 == 0 ? "{\"PolicyName\":\"ConnectReadOnlyAudit\",\"PolicyArn\":\"arn:aws:iam::"
                            + ACCOUNT + ":policy/connect/ConnectReadOnlyAudit\"}" : "")
                    .append("],\"Tags\":[{\"Key\":\"team\",\"Value\":\"team-").append(i % 50)
                    .append("\"}],\"UserPolicyList\":[{\"PolicyName\":\"Own-").append(name)
                    .append("\",\"PolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[")
                    .append("{\"Sid\":\"OwnAgent\",\"Effect\":\"Allow\",\"Action\":[\"connect:DescribeUser\",")
                    .append("\"connect:UpdateUserPhoneConfig\",\"connect:PutUserStatus\"],\"Resource\":\"")
                    .append(INSTANCE).append("/agent/agent-").append(i).append("\"},")
                    .append("{\"Sid\":\"NoDelete\",\"Effect\":\"Deny\",\"Action\":\"connect:DeleteUser\",")
                    .append("\"Resource\":\"*\"}]}}]},\n");
        }
        out.append(sample, at + marker.length(), sample.length());
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
    }

    // ---- measurements ----------------------------------------------------------------------------------------

    static String memory(long pid) {
        try {
            String rss = "?";
            String hwm = "?";
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = mib(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = mib(line);
                }
            }
            return "RSS " + rss + " MiB (peak " + hwm + " MiB)";
        } catch (IOException e) {
            return "RSS unavailable (" + e.getMessage() + ")";
        }
    }

    private static String mib(String statusLine) {
        long kib = Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
        return String.format(Locale.ROOT, "%.1f", kib / 1024.0);
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** ", heap used after GC X MiB (metaspace Y MiB)" via jcmd, or "" unless --heap. */
    private String heapAfterGc(long pid) {
        if (!heap) {
            return "";
        }
        try {
            jcmd(pid, "GC.run");
            long heapUsed = 0;
            long metaspace = -1;
            for (String line : jcmd(pid, "GC.heap_info").lines().toList()) {
                Matcher m = USED.matcher(line);
                if (!m.find()) {
                    continue;
                }
                // Top-level generation lines (Serial: "DefNew", "Tenured"; G1: "garbage-first heap").
                if (!line.startsWith(" ") && line.contains(" total ")) {
                    heapUsed += Long.parseLong(m.group(1));
                } else if (line.contains("Metaspace")) {
                    metaspace = Long.parseLong(m.group(1));
                }
            }
            return String.format(Locale.ROOT, ", heap used after GC %.1f MiB", heapUsed / 1024.0)
                    + (metaspace >= 0 ? String.format(Locale.ROOT, " (metaspace %.1f MiB)", metaspace / 1024.0) : "");
        } catch (IOException | InterruptedException e) {
            return ", heap unavailable (" + e.getMessage() + ")";
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    /** Keeps the first 64 KiB of the runtime's output (start-up log) and counts the rest. */
    private static final class KeepHead extends OutputStream {
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private long total;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int keep = (int) Math.min(len, Math.max(0, 65_536 - head.size()));
            head.write(b, off, keep);
            total += len;
        }

        @Override
        public synchronized void close() throws IOException {
            Files.write(Path.of("target", "load", "long-run-head.log"), head.toByteArray());
        }
    }
}
