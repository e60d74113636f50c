package io.eventthread.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Context switches per 1,000 operations, read from {@code /proc/self/task/*}{@code /status} (Linux):
 * a deterministic indicator on a machine too busy for throughput figures. A voluntary switch of
 * the executor's thread is a park that blocked, so every one of them cost a producer an unpark
 * system call (or was a timed wait that ran out); a voluntary switch of a producer is a producer
 * that parked waiting for its batch. Use with {@code -prof io.eventthread.benchmarks.ThreadSwitchProfiler}.
 *
 * <p>Threads are told apart by their native names (15 characters): JMH's workers carry the
 * benchmark's name ({@code io.eventthread.}); the executor's thread is EventThread's
 * {@code bench-1}, Netty's {@code multiThreadIoEv…}, {@code defaultEventLoo…} or the JDK's
 * {@code pool-…}; the rest (compiler, GC, JMH's control threads) is reported as {@code other}.
 */
public final class ThreadSwitchProfiler implements InternalProfiler {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final List<String> EXECUTOR_THREADS = List.of("bench-", "multiThreadIo", "defaultEventLo", "pool-");

    private Map<String, long[]> before = Map.of();

    @Override
    public String getDescription() {
        return "voluntary and involuntary context switches of the executor's thread and the producers, per 1,000 ops";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = snapshot();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        Map<String, long[]> after = snapshot();
        long[] loop = new long[2];
        long[] producers = new long[2];
        long[] other = new long[2];
        after.forEach((key, now) -> {
            long[] then = before.getOrDefault(key, new long[2]);
            String name = key.substring(key.indexOf('/') + 1);
            long[] into = name.startsWith("io.eventthread.") ? producers
                    : EXECUTOR_THREADS.stream().anyMatch(name::startsWith) ? loop : other;
            into[0] += now[0] - then[0];
            into[1] += now[1] - then[1];
        });
        double perKiloOps = 1000.0 / Math.max(1, result.getMetadata().getAllOps());
        return List.of(
                scalar("switches.executor.voluntary", loop[0] * perKiloOps),
                scalar("switches.executor.involuntary", loop[1] * perKiloOps),
                scalar("switches.producers.voluntary", producers[0] * perKiloOps),
                scalar("switches.producers.involuntary", producers[1] * perKiloOps),
                scalar("switches.other.voluntary", other[0] * perKiloOps));
    }

    private static ScalarResult scalar(String label, double value) {
        return new ScalarResult(label, value, "#/1000 ops", AggregationPolicy.AVG);
    }

    /** Thread id/name → {voluntary, involuntary} switches so far. */
    private static Map<String, long[]> snapshot() {
        Map<String, long[]> switches = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    String name = "";
                    long[] counts = new long[2];
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("Name:")) {
                            name = line.substring(5).trim();
                        } else if (line.startsWith("voluntary_ctxt_switches:")) {
                            counts[0] = Long.parseLong(line.substring(24).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            counts[1] = Long.parseLong(line.substring(27).trim());
                        }
                    }
                    switches.put(task.getFileName() + "/" + name, counts);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read: it switched no more
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + TASKS + " (Linux only)", e);
        }
        return switches;
    }
}
