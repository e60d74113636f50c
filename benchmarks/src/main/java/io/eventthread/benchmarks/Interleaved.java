package io.eventthread.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Interleaved forks, as a user comparing libraries on a shared host would measure: round after
 * round, one fork of every candidate in turn for every cell, so a drift of the host hits every
 * candidate alike; the report then compares medians. The order of the candidates rotates from
 * round to round, so no candidate always runs first after another's fork.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.eventthread.benchmarks.Interleaved OUT_DIR [ROUNDS]};
 * writes one JMH JSON file per fork to {@code OUT_DIR/<cell>/r<round>-<candidate>.json}, each
 * fork's log beside it, and {@code OUT_DIR/run.properties} (how the run was made), which
 * {@code RenderReport interleaved:OUT_DIR} turns into {@code docs/benchmarks.md}. Cells measured
 * once (allocation per execute, memory per timer, idle CPU) run after the rounds.
 */
public final class Interleaved {

    /** Rounds when none are given: about 65 s a round on 2 cores, 11 minutes in all with the cells measured once. */
    static final int DEFAULT_ROUNDS = 9;

    /** Every timed fork: 2 × 1 s warm-up, 3 × 1 s measurement. */
    static final int WARMUP_ITERATIONS = 2;
    static final int MEASUREMENT_ITERATIONS = 3;
    static final TimeValue ITERATION_TIME = TimeValue.seconds(1);

    static final String ET = Candidate.EVENTTHREAD;
    static final String ET_CALL_LATER = Candidate.EVENTTHREAD_CALL_LATER;
    static final String NETTY = Candidate.NETTY_NIO;
    static final String STPE_REMOVE = Candidate.STPE_REMOVE;

    /**
     * One cell: a benchmark method with fixed parameters, run for each candidate.
     * @param everyRound run in each round (interleaved), else once after the rounds
     */
    record Cell(String id, Class<?> benchmark, String method, Mode mode, Map<String, String> params,
            List<String> candidates, boolean everyRound, String profiler) {

        String include() {
            return "^" + Pattern.quote(benchmark.getName() + "." + method) + "$";
        }
    }

    static final List<Cell> CELLS = List.of(
            new Cell("execute-1", ExecuteBenchmark.class, "oneProducer", Mode.Throughput,
                    Map.of("wait", Batch.SPIN_PARK), List.of(ET, NETTY), true, ThreadSwitchProfiler.class.getName()),
            new Cell("execute-2", ExecuteBenchmark.class, "twoProducers", Mode.Throughput,
                    Map.of("wait", Batch.SPIN_PARK), List.of(ET, NETTY), true, ThreadSwitchProfiler.class.getName()),
            new Cell("timers", TimerBenchmark.class, "scheduleThenCancel", Mode.Throughput,
                    Map.of(), List.of(ET, ET_CALL_LATER, NETTY, STPE_REMOVE), true, ThreadSwitchProfiler.class.getName()),
            new Cell("round-trip", RoundTripBenchmark.class, "submitAndGet", Mode.SampleTime,
                    Map.of(), List.of(ET, NETTY), true, null),
            new Cell("alloc-execute", ExecuteBenchmark.class, "oneProducer", Mode.Throughput,
                    Map.of("wait", Batch.SPIN_PARK), List.of(ET, NETTY), false, "gc"),
            new Cell("timer-memory", TimerMemoryBenchmark.class, "schedulePending", Mode.SingleShotTime,
                    Map.of(), List.of(ET, ET_CALL_LATER, NETTY), false, null),
            new Cell("idle-cpu", IdleCpuBenchmark.class, "idle", Mode.Throughput,
                    Map.of(), List.of(ET, NETTY), false, null));

    private Interleaved() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Interleaved OUT_DIR [ROUNDS]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ROUNDS;
        if (rounds < 1 || rounds > 50) {
            throw new IllegalArgumentException("rounds: " + rounds + " (expected: 1..50)");
        }
        Files.createDirectories(out);
        Map<String, String> run = new LinkedHashMap<>();
        run.put("rounds", String.valueOf(rounds));
        run.put("forksPerRound", "1");
        run.put("warmup", WARMUP_ITERATIONS + " x " + ITERATION_TIME);
        run.put("measurement", MEASUREMENT_ITERATIONS + " x " + ITERATION_TIME);
        run.put("jdk", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.vm.version") + ")");
        run.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        run.put("started", Instant.now().toString());
        run.put("loadAtStart", loadAverage());
        long start = System.nanoTime();
        for (int round = 1; round <= rounds; round++) {
            for (Cell cell : CELLS) {
                if (cell.everyRound()) {
                    List<String> order = rotated(cell.candidates(), round - 1);
                    for (String candidate : order) {
                        fork(out, cell, candidate, round);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "round %d of %d done after %.0f s (load %s)%n", round, rounds,
                    (System.nanoTime() - start) / 1e9, loadAverage());
        }
        for (Cell cell : CELLS) {
            if (!cell.everyRound()) {
                for (String candidate : cell.candidates()) {
                    fork(out, cell, candidate, 1);
                }
            }
        }
        run.put("finished", Instant.now().toString());
        run.put("loadAtEnd", loadAverage());
        run.put("seconds", String.valueOf(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)));
        run.put("failedForks", String.valueOf(failedForks));
        StringBuilder props = new StringBuilder("# written by io.eventthread.benchmarks.Interleaved\n");
        run.forEach((k, v) -> props.append(k).append('=').append(v).append('\n'));
        Files.writeString(out.resolve("run.properties"), props, StandardCharsets.UTF_8);
        System.out.println("interleaved run done in " + run.get("seconds") + " s (" + failedForks + " forks failed): " + out);
    }

    /** One fork of one candidate in one cell. */
    private static void fork(Path out, Cell cell, String candidate, int round) throws IOException {
        Path dir = out.resolve(cell.id());
        Files.createDirectories(dir);
        String name = "r" + round + "-" + candidate;
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(cell.include())
                .mode(cell.mode())
                .forks(1)
                .param("executor", candidate)
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(dir.resolve(name + ".json").toString())
                .output(dir.resolve(name + ".log").toString());
        cell.params().forEach(options::param);
        if (cell.mode() != Mode.SingleShotTime) {
            int warmup = cell.id().equals("idle-cpu") ? 1 : WARMUP_ITERATIONS;
            TimeValue time = cell.id().equals("idle-cpu") ? TimeValue.seconds(2) : ITERATION_TIME;
            options.warmupIterations(warmup).warmupTime(time)
                    .measurementIterations(MEASUREMENT_ITERATIONS).measurementTime(time);
        }
        if (cell.profiler() != null) {
            options.addProfiler(cell.profiler());
        }
        long t0 = System.nanoTime();
        try {
            run(options);
        } catch (RunnerException e) {
            // one failed fork must not cost the run: the report counts the forks it read
            failedForks++;
            System.out.printf(Locale.ROOT, "  %-13s %-21s round %d: FAILED (%s; see %s)%n", cell.id(), candidate, round,
                    e.getMessage(), dir.resolve(name + ".log"));
            return;
        }
        System.out.printf(Locale.ROOT, "  %-13s %-21s round %d: %.1f s%n", cell.id(), candidate, round,
                (System.nanoTime() - t0) / 1e9);
    }

    private static int failedForks;

    /**
     * Runs one fork. JMH allows one run per machine at a time (its lock file): another run holding
     * it makes this one wait, up to {@link #LOCK_WAIT_SECONDS}, rather than lose the round.
     */
    private static void run(ChainedOptionsBuilder options) throws RunnerException {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOCK_WAIT_SECONDS);
        while (true) {
            try {
                new Runner(options.build()).run();
                return;
            } catch (RunnerException e) {
                if (!String.valueOf(e.getMessage()).contains("JMH lock") || System.nanoTime() - giveUpAt > 0) {
                    throw e;
                }
                System.out.println("  another JMH run holds the lock; waiting");
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** How long a fork waits for another JMH run to release the machine. */
    static final int LOCK_WAIT_SECONDS = 600;

    /** The candidates starting at {@code by}, wrapping. */
    static List<String> rotated(List<String> candidates, int by) {
        List<String> order = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            order.add(candidates.get((i + by) % candidates.size()));
        }
        return order;
    }

    private static String loadAverage() {
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split(" +");
            return avg[0] + " / " + avg[1] + " / " + avg[2];
        } catch (IOException | RuntimeException e) {
            return "unknown"; // not Linux
        }
    }
}
