package io.eventthread.benchmarks.report;

import io.eventthread.benchmarks.report.RenderReport.Result;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Renders an interleaved run ({@code io.eventthread.benchmarks.Interleaved}) as
 * {@code benchmarks.md}: per cell and candidate the median of the forks and their spread
 * (min–max), ratios EventThread ÷ Netty from the medians, how many rounds EventThread won
 * (each round ran every candidate once, in turn, so a round is a paired comparison), and the
 * targets of issue 21 judged on the medians.
 */
final class InterleavedReport {

    private static final String ET = "eventthread";
    private static final String ET_CALL_LATER = "eventthreadCallLater";
    private static final String NETTY = "nettyNio";
    private static final String STPE_REMOVE = "stpeRemove";
    private static final String SWITCHES = "switches.executor.voluntary";

    /** One fork's result. */
    record Fork(String cell, String candidate, int round, Result result) {
    }

    private final Path dir;
    private final Properties run;
    private final List<Fork> forks;

    private InterleavedReport(Path dir, Properties run, List<Fork> forks) {
        this.dir = dir;
        this.run = run;
        this.forks = forks;
    }

    static InterleavedReport read(Path dir) throws IOException {
        Properties run = new Properties();
        Path props = dir.resolve("run.properties");
        if (Files.exists(props)) {
            try (Reader in = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
                run.load(in);
            }
        }
        List<Fork> forks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json")).sorted()::iterator) {
                String name = file.getFileName().toString().replace(".json", "");
                int dash = name.indexOf('-');
                if (!name.startsWith("r") || dash < 0 || Files.size(file) == 0) {
                    continue;
                }
                int round = Integer.parseInt(name.substring(1, dash));
                String candidate = name.substring(dash + 1);
                String cell = file.getParent().getFileName().toString();
                for (Result r : RenderReport.read(file)) {
                    forks.add(new Fork(cell, candidate, round, r));
                }
            }
        }
        return new InterleavedReport(dir, run, forks);
    }

    int size() {
        return forks.size();
    }

    // ---------------------------------------------------------------- statistics

    private List<Fork> of(String cell, String candidate) {
        return forks.stream().filter(f -> f.cell.equals(cell) && f.candidate.equals(candidate)).toList();
    }

    private double[] values(String cell, String candidate, Function<Result, Double> figure) {
        return of(cell, candidate).stream().map(f -> figure.apply(f.result))
                .filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private Double median(String cell, String candidate, Function<Result, Double> figure) {
        double m = median(values(cell, candidate, figure));
        return Double.isNaN(m) ? null : m;
    }

    /** Rounds in which {@code a} beat {@code b}, of the rounds that have both. */
    private String roundsWon(String cell, String a, String b, Function<Result, Double> figure, boolean higherIsBetter) {
        int won = 0;
        int both = 0;
        for (Fork fa : of(cell, a)) {
            for (Fork fb : of(cell, b)) {
                if (fa.round == fb.round) {
                    Double va = figure.apply(fa.result);
                    Double vb = figure.apply(fb.result);
                    if (va != null && vb != null && !va.isNaN() && !vb.isNaN()) {
                        both++;
                        if (higherIsBetter ? va > vb : va < vb) {
                            won++;
                        }
                    }
                }
            }
        }
        return won + " of " + both;
    }

    private static Function<Result, Double> score(double scale) {
        return r -> r.score() * scale;
    }

    private static Function<Result, Double> percentile(String p) {
        return r -> r.percentiles().get(p);
    }

    private static Function<Result, Double> secondary(String metric) {
        return r -> r.secondary().get(metric);
    }

    // ---------------------------------------------------------------- markdown

    String markdown() {
        StringBuilder md = new StringBuilder("# Benchmarks\n\n");
        md.append("Generated by `benchmarks/run interleaved` (`io.eventthread.benchmarks.Interleaved`, rendered by ")
                .append("`RenderReport interleaved:").append(dir).append("`). **Interleaved forks**: ")
                .append("in each round every candidate runs one JMH fork in turn for every cell (the order rotates ")
                .append("from round to round), so a drift of this shared host hits every candidate alike; each figure ")
                .append("is the **median of the rounds**, with the spread (min–max) beside it, and ratios are ")
                .append("EventThread ÷ Netty's NIO loop (`MultiThreadIoEventLoopGroup(1, NioIoHandler)`) from the ")
                .append("medians, as speed-ups (above 1 means EventThread is ahead, whichever way the unit points). ")
                .append("\"Rounds won\" pairs the two forks of each round. Fork to fork the figures on this 2-core ")
                .append("machine are bimodal (thread placement): read the medians and the rounds won, not one fork.\n\n");
        md.append(environment()).append('\n');
        if (saturated()) {
            md.append("**The host was saturated during this run** (a 1-minute load average above twice the ")
                    .append("number of cores): throughput, round-trip and idle-CPU figures are noise, and the targets below are ")
                    .append("not judged on them; allocation and memory per timer still hold.\n\n");
        }
        md.append("## Targets (issue 21)\n\n| target | observed | |\n|---|---|---|\n");
        for (String[] t : targets()) {
            md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
        }
        md.append('\n');
        throughputCell(md, "execute-1", "Execute, 1 producer",
                "Batches of 1,000 trivial tasks from one thread; the producer spins up to 50 µs, then parks, "
                        + "while it waits for the last task. `ExecuteBenchmark.oneProducer`, wait=spinPark.",
                "M tasks/s", 1e-6, List.of(ET, NETTY));
        throughputCell(md, "execute-2", "Execute, 2 producers",
                "The same from two producer threads at once (three threads on two cores); the score is their sum. "
                        + "`ExecuteBenchmark.twoProducers`, wait=spinPark.",
                "M tasks/s", 1e-6, List.of(ET, NETTY));
        throughputCell(md, "timers", "Timers: schedule then cancel",
                "From a non-loop thread, 10,000 one-shot timers at delays spread over 1–1000 ms, all cancelled, then "
                        + "one round trip; pairs/s. `eventthread` schedules through its `ScheduledExecutorService` face, "
                        + "`eventthreadCallLater` through `callLater` (and `LoopHandle.cancel`), Netty through "
                        + "`schedule`, `stpeRemove` is a `ScheduledThreadPoolExecutor(1)` with remove-on-cancel. "
                        + "`TimerBenchmark.scheduleThenCancel`.",
                "M pairs/s", 1e-6, List.of(ET, ET_CALL_LATER, NETTY, STPE_REMOVE));
        roundTrip(md);
        onceOnly(md);
        return md.toString();
    }

    private void throughputCell(StringBuilder md, String cell, String title, String why, String unit, double scale,
            List<String> candidates) {
        md.append("## ").append(title).append("\n\n").append(why).append("\n\n");
        md.append("| candidate | forks | median | min–max | × Netty (medians) | rounds won vs Netty | loop parks / 1,000 ops |\n")
                .append("|---|---:|---:|---|---:|---:|---:|\n");
        Double netty = median(cell, NETTY, score(scale));
        for (String c : candidates) {
            double[] v = values(cell, c, score(scale));
            if (v.length == 0) {
                continue;
            }
            Double m = median(v);
            Double parks = median(cell, c, secondary(SWITCHES));
            md.append("| ").append(c).append(" | ").append(v.length).append(" | ").append(RenderReport.fmt(m))
                    .append(' ').append(unit).append(" | ").append(RenderReport.fmt(v[0])).append("–")
                    .append(RenderReport.fmt(v[v.length - 1])).append(" | ")
                    .append(ratio(m, netty, true)).append(" | ")
                    .append(c.equals(NETTY) ? "" : roundsWon(cell, c, NETTY, score(1), true)).append(" | ")
                    .append(parks == null ? "" : RenderReport.fmt(parks)).append(" |\n");
        }
        md.append('\n');
    }

    private void roundTrip(StringBuilder md) {
        md.append("## Round trip, submit then get\n\n`submit(Callable).get()` from one outside thread, sampled ")
                .append("(`RoundTripBenchmark.submitAndGet`, mode sample), µs; per fork its p50 and p99, then the ")
                .append("median over the rounds.\n\n")
                .append("| candidate | forks | p50 median | p50 min–max | p99 median | p99 min–max | p99 × Netty |\n")
                .append("|---|---:|---:|---|---:|---|---:|\n");
        Double nettyP99 = median("round-trip", NETTY, percentile("99.0"));
        for (String c : List.of(ET, NETTY)) {
            double[] p50 = values("round-trip", c, percentile("50.0"));
            double[] p99 = values("round-trip", c, percentile("99.0"));
            if (p50.length == 0) {
                continue;
            }
            md.append("| ").append(c).append(" | ").append(p50.length).append(" | ").append(RenderReport.fmt(median(p50)))
                    .append(" | ").append(RenderReport.fmt(p50[0])).append("–").append(RenderReport.fmt(p50[p50.length - 1]))
                    .append(" | ").append(RenderReport.fmt(median(p99))).append(" | ").append(RenderReport.fmt(p99[0]))
                    .append("–").append(RenderReport.fmt(p99[p99.length - 1])).append(" | ")
                    .append(ratio(median(p99), nettyP99, false)).append(" |\n");
        }
        md.append('\n');
    }

    private void onceOnly(StringBuilder md) {
        md.append("## Measured once (deterministic figures)\n\nOne fork each, after the rounds: these do not depend ")
                .append("on the host's speed.\n\n| figure | eventthread | eventthreadCallLater | nettyNio |\n|---|---:|---:|---:|\n");
        md.append("| allocation per execute, B (`-prof gc`, 1 producer) | ").append(alloc(ET)).append(" | | ")
                .append(alloc(NETTY)).append(" |\n");
        md.append("| live heap per pending timer, B (`TimerMemoryBenchmark`, 10,000 pending) | ")
                .append(timerBytes(ET)).append(" | ").append(timerBytes(ET_CALL_LATER)).append(" | ")
                .append(timerBytes(NETTY)).append(" |\n");
        md.append("| process CPU of an idle group of 4 loops, ms/s (`IdleCpuBenchmark`) | ").append(idleCpu(ET))
                .append(" | | ").append(idleCpu(NETTY)).append(" |\n\n");
    }

    private Double allocValue(String candidate) {
        return median("alloc-execute", candidate, secondary("gc.alloc.rate.norm"));
    }

    private String alloc(String candidate) {
        Double v = allocValue(candidate);
        return v == null ? "–" : RenderReport.fmt(v);
    }

    private Double timerBytesValue(String candidate) {
        return of("timer-memory", candidate).stream().map(f -> RenderReport.TIMER_BYTES.of(f.result))
                .filter(v -> v != null).findFirst().orElse(null);
    }

    private String timerBytes(String candidate) {
        Double v = timerBytesValue(candidate);
        return v == null ? "–" : RenderReport.fmt(v);
    }

    private Double idleCpuValue(String candidate) {
        return of("idle-cpu", candidate).stream().map(f -> RenderReport.IDLE_CPU.of(f.result))
                .filter(v -> v != null).findFirst().orElse(null);
    }

    private String idleCpu(String candidate) {
        Double v = idleCpuValue(candidate);
        return v == null ? "–" : RenderReport.fmt(v);
    }

    private List<String[]> targets() {
        List<String[]> t = new ArrayList<>();
        t.add(speedTarget("execute, 1 producer ≥ 1.25× Netty", "execute-1", ET, 1e-6));
        t.add(speedTarget("execute, 2 producers ≥ 1.25× Netty", "execute-2", ET, 1e-6));
        t.add(speedTarget("timers via the ScheduledExecutorService face ≥ 1.25× Netty", "timers", ET, 1e-6));
        t.add(speedTarget("timers via callLater ≥ 1.25× Netty", "timers", ET_CALL_LATER, 1e-6));
        Double et = median("round-trip", ET, percentile("99.0"));
        Double netty = median("round-trip", NETTY, percentile("99.0"));
        t.add(timed("round trip p99 ≤ 0.5× Netty", et == null || netty == null ? null : et <= 0.5 * netty,
                et == null || netty == null ? "no data" : RenderReport.fmt(et) + " µs vs " + RenderReport.fmt(netty) + " µs"));
        Double cpu = idleCpuValue(ET);
        Double nettyCpu = idleCpuValue(NETTY);
        t.add(timed("CPU of an idle group ≤ Netty's", cpu == null || nettyCpu == null ? null : cpu <= nettyCpu,
                cpu == null || nettyCpu == null ? "no data"
                        : RenderReport.fmt(cpu) + " ms/s vs " + RenderReport.fmt(nettyCpu) + " ms/s"));
        Double alloc = allocValue(ET);
        t.add(verdict("0 B allocated per execute", alloc == null ? null : alloc < 0.5,
                alloc == null ? "no data" : RenderReport.fmt(alloc) + " B"));
        Double nettyBytes = timerBytesValue(NETTY);
        for (String c : List.of(ET_CALL_LATER, ET)) {
            Double bytes = timerBytesValue(c);
            t.add(verdict("memory per pending timer ≤ Netty (" + (c.equals(ET) ? "the ScheduledExecutorService view" : "callLater") + ")",
                    bytes == null || nettyBytes == null ? null : bytes <= nettyBytes,
                    bytes == null || nettyBytes == null ? "no data"
                            : RenderReport.fmt(bytes) + " B vs " + RenderReport.fmt(nettyBytes) + " B"));
        }
        return t;
    }

    private String[] speedTarget(String what, String cell, String candidate, double scale) {
        // judged on the medians of interleaved forks; on a saturated host, reported but not judged
        Double m = median(cell, candidate, score(scale));
        Double netty = median(cell, NETTY, score(scale));
        if (m == null || netty == null) {
            return verdict(what, null, "no data");
        }
        double r = m / netty;
        return timed(what, r >= 1.25, RenderReport.fmt(r) + "× (" + RenderReport.fmt(m) + " vs " + RenderReport.fmt(netty)
                + "; rounds won " + roundsWon(cell, candidate, NETTY, score(1), true) + ")");
    }

    /**
     * Whether the 1-minute load average at the start or the end exceeded twice the cores: the
     * build before the run and JMH's own threads (up to three on two cores) reach about the core
     * count on a quiet machine; beyond twice that, other work shared the CPUs.
     */
    boolean saturated() {
        double cores = Double.parseDouble(run.getProperty("cores", "0"));
        for (String key : List.of("loadAtStart", "loadAtEnd")) {
            try {
                if (cores > 0 && Double.parseDouble(run.getProperty(key, "0").split(" ")[0]) > 2 * cores) {
                    return true;
                }
            } catch (NumberFormatException unknown) {
                // "unknown" off Linux: not judged saturated
            }
        }
        return false;
    }

    /** A target on a timed figure: not judged on a saturated host. */
    private String[] timed(String what, Boolean met, String observed) {
        return saturated() ? new String[] {what, observed, "not judged (saturated host)"} : verdict(what, met, observed);
    }

    private static String[] verdict(String what, Boolean met, String observed) {
        return new String[] {what, observed, met == null ? "" : met ? "**met**" : "**missed**"};
    }

    private static String ratio(Double v, Double ref, boolean higherIsBetter) {
        if (v == null || ref == null || v == 0 || ref == 0) {
            return "";
        }
        return RenderReport.fmt(higherIsBetter ? v / ref : ref / v) + "×";
    }

    private String environment() {
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("date of the run", run.getProperty("started", "?") + " to " + run.getProperty("finished", "?")
                + " (" + run.getProperty("seconds", "?") + " s)");
        rows.put("rounds", run.getProperty("rounds", "?") + ", one fork of every candidate per round and cell");
        rows.put("JMH iterations per fork", "warm-up " + run.getProperty("warmup", "?") + ", measurement "
                + run.getProperty("measurement", "?") + " (idle CPU: 1 × 2 s + 3 × 2 s; timer memory: single shots)");
        rows.put("JDK", run.getProperty("jdk", "?"));
        rows.put("cores", run.getProperty("cores", "?") + " (" + cpu + ")");
        rows.put("load average 1/5/15 min, at start and at end", run.getProperty("loadAtStart", "?") + "; "
                + run.getProperty("loadAtEnd", "?"));
        rows.put("forks read (failed)", forks.size() + " (" + run.getProperty("failedForks", "?") + ")");
        StringBuilder md = new StringBuilder("| | |\n|---|---|\n");
        rows.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        return md.toString();
    }
}
