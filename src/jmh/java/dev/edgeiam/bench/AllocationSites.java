package dev.edgeiam.bench;

import jdk.jfr.Recording;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Where a warm authorizer invocation allocates, exactly: runs {@link AuthorizerBenchmark#warmInvocation} (same
 * wiring, same event) until compiled, prints the bytes allocated per invocation ({@code ThreadMXBean}), then records
 * every allocation of a few hundred invocations with its stack ({@code jdk.ObjectAllocationOutsideTLAB}, which is
 * every allocation when TLABs are off). JFR's sampled allocation events are not used: with a loop that allocates the
 * same sequence each time and fixed TLAB sizes, the samples land on the same few sites and mislead.
 *
 * <pre>
 * java -XX:-UseTLAB -cp target/benchmarks.jar dev.edgeiam.bench.AllocationSites rest-request 500 /tmp/sites.jfr [unique]
 * jfr print --events jdk.ObjectAllocationOutsideTLAB --stack-depth 30 /tmp/sites.jfr &gt; /tmp/sites.txt
 * python3 src/jmh/scripts/allocation_sites.py /tmp/sites.txt 500
 * </pre>
 * Run from the repository root. Escape analysis still applies (the JIT compiles the same code with TLABs off), so
 * what is recorded is what the compiled path allocates; the time it prints is not a measurement (use JMH).
 */
public final class AllocationSites {

    private AllocationSites() {
    }

    private static void invoke(AuthorizerBenchmark bench, boolean unique) throws java.io.IOException {
        if (unique) {
            bench.warmInvocationUnique();
        } else {
            bench.warmInvocation();
        }
    }

    public static void main(String[] args) throws Exception {
        AuthorizerBenchmark bench = new AuthorizerBenchmark();
        bench.event = args.length > 0 ? args[0] : "rest-request";
        int recorded = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path out = Path.of(args.length > 2 ? args[2] : "allocation-sites.jfr");
        boolean unique = args.length > 3 && args[3].equals("unique"); // AuthorizerBenchmark.warmInvocationUnique
        bench.setup();
        for (int i = 0; i < 300_000; i++) {
            invoke(bench, unique);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        int measured = 100_000;
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < measured; i++) {
            invoke(bench, unique);
        }
        long after = threads.getThreadAllocatedBytes(thread);
        System.out.printf("%s%s: %.0f bytes allocated per warm invocation (%d invocations)%n", bench.event,
                unique ? " (unique requests)" : "",
                (after - before) / (double) measured, measured);
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
            recording.start();
            for (int i = 0; i < recorded; i++) {
                invoke(bench, unique);
            }
            recording.stop();
            recording.dump(out);
        }
        System.out.println("recorded " + recorded + " invocations to " + out);
    }
}
