package io.eventthread.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Renders JMH JSON results as {@code benchmarks.md} (a table per benchmark, ratios, targets met or missed) and {@code benchmarks.svg}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.eventthread.benchmarks.report.RenderReport OUT_DIR RESULT.json...},
 * or {@code ... RenderReport OUT_DIR interleaved:RUN_DIR} for an interleaved run ({@link InterleavedReport}).
 * Scores come from the first file that has them, so pass the plain run before the {@code -prof gc}
 * run; allocation comes from whichever file has {@code gc.alloc.rate.norm}.
 */
public final class RenderReport {

    private static final String ET = "eventthread";
    private static final String JDK = "jdkSingle";
    private static final Set<String> NETTY = Set.of("nettyNio", "nettyDefault");
    /** Allocation below Netty's plus this much counts as equal: the gc profiler's figure is a per-op average with noise. */
    private static final double ALLOC_TOLERANCE_BYTES = 0.5;

    /** One JMH result line: a benchmark method, mode and parameter combination. */
    record Result(String benchmark, String mode, Map<String, String> params, double score, double error,
            String unit, Map<String, Double> percentiles, Double allocPerOp, Map<String, Double> secondary,
            Map<String, Object> raw) {

        String executor() {
            return params.getOrDefault("executor", ET);
        }

        /** Parameters other than the executor, which pick the Netty and JDK rows a row compares with. */
        Map<String, String> others() {
            Map<String, String> others = new LinkedHashMap<>(params);
            others.remove("executor");
            return others;
        }
    }

    /** A table of one benchmark method and mode; {@code scale} turns JMH's unit into {@code unit}. */
    record Section(String title, String why, String benchmark, String mode, String unit, double scale) {

        boolean higherIsBetter() {
            return mode.equals("thrpt");
        }
    }

    private static final List<Section> SECTIONS = List.of(
            new Section("Execute, 1 producer", "Batches of 1,000 trivial tasks from one thread, waiting for the last.",
                    "ExecuteBenchmark.oneProducer", "thrpt", "M tasks/s", 1e-6),
            new Section("Execute, 2 producers", "The same from two threads at once; the score is their sum.",
                    "ExecuteBenchmark.twoProducers", "thrpt", "M tasks/s", 1e-6),
            new Section("Execute, 4 producers", "The same from four threads on two cores: more runnable threads than CPUs.",
                    "ExecuteBenchmark.fourProducers", "thrpt", "M tasks/s", 1e-6),
            new Section("Round trip, mean", "submit(Callable) then get() from one outside thread.",
                    "RoundTripBenchmark.submitAndGet", "avgt", "µs", 1),
            new Section("Timers: schedule then cancel", "10,000 timers at 1–60 s, all cancelled, from outside the loop.",
                    "TimerBenchmark.scheduleThenCancel", "thrpt", "M pairs/s", 1e-6),
            new Section("Async chain", "A start and 10 thenApplyAsync continuations on the thread, joined.",
                    "AsyncChainBenchmark.chain", "thrpt", "k chains/s", 1e-3),
            new Section("Idle stop", "Graceful stop of an idle, started group; build and start are not timed.",
                    "LifecycleBenchmark.stop", "ss", "ms", 1));

    private final List<Result> results;
    private final List<String> files;
    /** When the first result file was written: the date of the run, not of the rendering. */
    private final ZonedDateTime ranAt;

    /** Reruns of some cells with more forks ({@code confirm:FILE} arguments): they judge the targets they cover. */
    private final RenderReport confirmation;

    private RenderReport(List<Result> results, List<String> files, ZonedDateTime ranAt, RenderReport confirmation) {
        this.results = results;
        this.files = files;
        this.ranAt = ranAt;
        this.confirmation = confirmation;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: RenderReport OUT_DIR RESULT.json...");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (args[1].startsWith(INTERLEAVED)) {
            // an interleaved run is the report: medians over rounds, rendered on their own
            InterleavedReport report = InterleavedReport.read(Path.of(args[1].substring(INTERLEAVED.length())));
            Files.createDirectories(out);
            Path md = out.resolve("benchmarks.md");
            Files.writeString(md, report.markdown() + handWritten(md), StandardCharsets.UTF_8);
            System.out.println("wrote " + md + " from " + report.size() + " interleaved forks");
            return;
        }
        List<Result> results = new ArrayList<>();
        List<String> files = new ArrayList<>();
        ZonedDateTime ranAt = null;
        List<Result> confirmed = new ArrayList<>();
        List<String> confirmFiles = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            boolean confirm = args[i].startsWith(CONFIRM);
            Path file = Path.of(confirm ? args[i].substring(CONFIRM.length()) : args[i]);
            if (!Files.exists(file)) {
                System.err.println("skipping missing " + file);
                continue;
            }
            if (confirm) {
                confirmFiles.add(file.getFileName().toString());
                confirmed.addAll(read(file));
                continue;
            }
            files.add(file.getFileName().toString());
            if (ranAt == null) {
                ranAt = Files.getLastModifiedTime(file).toInstant().atZone(ZoneOffset.UTC);
            }
            results.addAll(read(file));
        }
        ZonedDateTime when = ranAt == null ? ZonedDateTime.now(ZoneOffset.UTC) : ranAt;
        RenderReport report = new RenderReport(results, files, when,
                confirmed.isEmpty() ? null : new RenderReport(confirmed, confirmFiles, when, null));
        Files.createDirectories(out);
        Path md = out.resolve("benchmarks.md");
        Files.writeString(md, report.markdown() + handWritten(md), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("benchmarks.svg"), report.svg(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.resolve("benchmarks.md") + " and " + out.resolve("benchmarks.svg")
                + " from " + results.size() + " results");
    }

    @SuppressWarnings("unchecked")
    static List<Result> read(Path file) throws IOException {
        List<Result> list = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8))) {
            Map<String, Object> r = (Map<String, Object>) o;
            String fqn = (String) r.get("benchmark");
            String[] parts = fqn.split("\\.");
            String benchmark = parts[parts.length - 2] + "." + parts[parts.length - 1];
            Map<String, String> params = new LinkedHashMap<>();
            Object p = r.get("params");
            if (p != null) {
                ((Map<String, Object>) p).forEach((k, v) -> params.put(k, String.valueOf(v)));
            }
            Map<String, Object> primary = (Map<String, Object>) r.get("primaryMetric");
            Map<String, Double> percentiles = new LinkedHashMap<>();
            Object pct = primary.get("scorePercentiles");
            if (pct != null) {
                ((Map<String, Object>) pct).forEach((k, v) -> percentiles.put(k, number(v)));
            }
            Map<String, Double> secondaryScores = new LinkedHashMap<>();
            Object secondary = r.get("secondaryMetrics");
            if (secondary != null) {
                ((Map<String, Object>) secondary).forEach((k, v) ->
                        secondaryScores.put(k, number(((Map<String, Object>) v).get("score"))));
            }
            Double alloc = secondaryScores.get("gc.alloc.rate.norm");
            list.add(new Result(benchmark, (String) r.get("mode"), params, number(primary.get("score")),
                    number(primary.get("scoreError")), (String) primary.get("scoreUnit"), percentiles, alloc,
                    secondaryScores, r));
        }
        return list;
    }

    private static double number(Object v) {
        return v instanceof Double d ? d : Double.NaN; // JMH writes "NaN" as a string for a single sample
    }

    // ---------------------------------------------------------------- lookups

    /** Results for one method and mode, scores taken from the first file that had each combination. */
    private List<Result> rows(String benchmark, String mode) {
        Map<Map<String, String>, Result> firstSeen = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.benchmark.equals(benchmark) && r.mode.equals(mode)) {
                firstSeen.putIfAbsent(r.params, r);
            }
        }
        return new ArrayList<>(firstSeen.values());
    }

    private Result row(String benchmark, String mode, String executor, Map<String, String> others) {
        return rows(benchmark, mode).stream()
                .filter(r -> r.executor().equals(executor) && r.others().equals(others))
                .findFirst().orElse(null);
    }

    /** The best of the given executors' values among rows with the same other parameters. */
    private static Double best(List<Result> rows, Result like, Predicate<String> which,
            java.util.function.Function<Result, Double> value, boolean higherIsBetter) {
        Double best = null;
        for (Result r : rows) {
            if (which.test(r.executor()) && r.others().equals(like.others())) {
                Double v = value.apply(r);
                if (v != null && !v.isNaN() && (best == null || (higherIsBetter ? v > best : v < best))) {
                    best = v;
                }
            }
        }
        return best;
    }

    /** How many times better {@code v} is than {@code ref}: above 1 is better, whichever way the unit points. */
    private static Double speedUp(Double v, Double ref, boolean higherIsBetter) {
        if (v == null || ref == null || v.isNaN() || ref.isNaN() || v == 0 || ref == 0) {
            return null;
        }
        return higherIsBetter ? v / ref : ref / v;
    }

    /**
     * What follows {@link #HAND_WRITTEN} in the previous report (how the run was made, how far a
     * missed target is and why): written by people, so a re-render keeps it.
     */
    static String handWritten(Path previous) throws IOException {
        if (!Files.exists(previous)) {
            return "";
        }
        String text = Files.readString(previous, StandardCharsets.UTF_8);
        int at = text.indexOf(HAND_WRITTEN);
        return at < 0 ? "" : "\n" + text.substring(at);
    }

    /** The prefix of the argument naming an interleaved run's directory ({@code io.eventthread.benchmarks.Interleaved}). */
    static final String INTERLEAVED = "interleaved:";

    /** The prefix of an argument naming a confirmation run. */
    static final String CONFIRM = "confirm:";

    /** The line after which {@code benchmarks.md} is written by hand. */
    static final String HAND_WRITTEN = "<!-- written by hand below: RenderReport keeps it -->";

    // ---------------------------------------------------------------- targets

    /** A target from the brief, with the eventthread figure it was judged on. */
    record Target(String what, Boolean met, String observed) {
    }

    /** The execute benchmarks, each judged in every producer waiting style it was run with. */
    private static final List<String> EXECUTE = List.of(
            "ExecuteBenchmark.oneProducer", "ExecuteBenchmark.twoProducers", "ExecuteBenchmark.fourProducers");

    private List<Target> targets() {
        List<Target> t = new ArrayList<>();
        Map<String, String> none = Map.of();
        for (String benchmark : EXECUTE) {
            for (Result exec : rows(benchmark, "thrpt")) {
                if (!exec.executor().equals(ET)) {
                    continue;
                }
                String what = label(benchmark) + " " + exec.others().values() + " ≥ 1.25× Netty";
                Double confirmed = confirmedExecuteVsNetty(benchmark, exec.others());
                t.add(confirmed != null ? confirmedTarget(what, confirmed, 1.25)
                        : ratioTarget(what, executeVsNetty(benchmark, exec.others()), 1.25));
            }
        }

        RenderReport roundTrips = roundTripSource();
        Result rt = roundTrips.row("RoundTripBenchmark.submitAndGet", "sample", ET, none);
        if (rt == null) {
            t.add(new Target("round trip p99 ≤ 0.5× Netty", null, "no data"));
        } else {
            String confirmedNote = roundTrips == this ? "" : " (confirmation run, " + forks(rt) + " forks)";
            List<Result> rtRows = roundTrips.rows(rt.benchmark, rt.mode);
            Double p99 = rt.percentiles.get("99.0");
            Double netty = best(rtRows, rt, NETTY::contains, r -> r.percentiles.get("99.0"), false);
            t.add(new Target("round trip p99 ≤ 0.5× Netty", netty == null ? null : p99 <= 0.5 * netty,
                    fmt(p99) + " µs vs " + (netty == null ? "–" : fmt(netty)) + " µs" + confirmedNote));
            Double p50 = rt.percentiles.get("50.0");
            Double netty50 = best(rtRows, rt, NETTY::contains, r -> r.percentiles.get("50.0"), false);
            t.add(new Target("round trip p50 ≤ Netty", netty50 == null ? null : p50 <= netty50,
                    fmt(p50) + " µs vs " + (netty50 == null ? "–" : fmt(netty50)) + " µs" + confirmedNote));
        }

        for (String variant : List.of(ET, "eventthreadCallLater")) {
            Result timers = row("TimerBenchmark.scheduleThenCancel", "thrpt", variant, none);
            String name = "timers (" + (variant.equals(ET) ? "schedule" : "callLater") + ")";
            List<Result> timerRows = timers == null ? List.of() : rows(timers.benchmark, timers.mode);
            t.add(ratioTarget(name + " ≥ 1.25× Netty", timers == null ? null
                    : speedUp(timers.score, best(timerRows, timers, NETTY::contains, Result::score, true), true), 1.25));
            t.add(ratioTarget(name + " ≥ 1.25× stpeRemove", timers == null ? null
                    : speedUp(timers.score, best(timerRows, timers, "stpeRemove"::equals, Result::score, true), true), 1.25));
        }

        Result allocEt = allocRow(ET);
        t.add(allocEt == null ? new Target("0 B allocated per execute", null, "no data")
                : new Target("0 B allocated per execute", allocEt.allocPerOp <= ALLOC_TOLERANCE_BYTES, fmt(allocEt.allocPerOp) + " B"));

        t.add(secondaryTarget("memory per pending timer ≤ Netty", "TimerMemoryBenchmark.schedulePending", "ss",
                TIMER_BYTES, " B"));
        t.add(secondaryTarget("CPU of an idle group ≤ Netty's", "IdleCpuBenchmark.idle", "thrpt", IDLE_CPU, " ms/s"));

        Result on = row("InstrumentationBenchmark.instrumentationOn", "thrpt", ET, none);
        Result off = row("InstrumentationBenchmark.instrumentationOff", "thrpt", ET, none);
        t.add(ratioTarget("instrumentation on/off ≥ 0.95", on == null || off == null ? null : on.score / off.score, 0.95));

        Result stop8 = row("LifecycleBenchmark.stop", "ss", ET, Map.of("loops", "8"));
        t.add(stop8 == null ? new Target("idle stop of 8 loops < 5 ms", null, "no data")
                : new Target("idle stop of 8 loops < 5 ms", stop8.score < 5, fmt(stop8.score) + " ms"));
        return t;
    }

    /** The confirmation run when it sampled the round trip, else this run. */
    private RenderReport roundTripSource() {
        return confirmation != null && confirmation.row("RoundTripBenchmark.submitAndGet", "sample", ET, Map.of()) != null
                ? confirmation : this;
    }

    /** Execute throughput of eventthread over the better Netty loop, for one cell; null without both. */
    private Double executeVsNetty(String benchmark, Map<String, String> others) {
        Result et = row(benchmark, "thrpt", ET, others);
        return et == null ? null : speedUp(et.score, best(rows(benchmark, "thrpt"), et, NETTY::contains, Result::score, true), true);
    }

    /** {@link #executeVsNetty} of the confirmation run; null without one that has the cell. */
    private Double confirmedExecuteVsNetty(String benchmark, Map<String, String> others) {
        return confirmation == null ? null : confirmation.executeVsNetty(benchmark, others);
    }

    private Target confirmedTarget(String what, double ratio, double min) {
        return new Target(what, ratio >= min, fmt(ratio) + "× (confirmation run)");
    }

    private static String forks(Result r) {
        return intish(r.raw.get("forks"));
    }

    /** The confirmation run's cells: eventthread against the best Netty loop, with error bars. */
    private String confirmationTable() {
        StringBuilder md = new StringBuilder("## Confirmation runs\n\nThe cells that decide targets, run again with more forks ("
                + String.join(", ", files) + "); the targets above are judged on them. Every row is one run of its candidates.\n\n"
                + "| benchmark | parameters | forks | eventthread | Netty | × Netty |\n|---|---|---:|---:|---:|---:|\n");
        for (Result et : results) {
            if (!et.executor().equals(ET)) {
                continue;
            }
            List<Result> same = rows(et.benchmark, et.mode);
            if (et.mode.equals("sample")) {
                for (String p : List.of("50.0", "99.0")) {
                    Double a = et.percentiles.get(p);
                    Double b = best(same, et, NETTY::contains, r -> r.percentiles.get(p), false);
                    if (b == null) {
                        continue;
                    }
                    md.append("| ").append(et.benchmark).append(" p").append(p.replace(".0", "")).append(" | | ").append(forks(et))
                            .append(" | ").append(fmt(a)).append(" µs | ").append(fmt(b)).append(" µs | ")
                            .append(fmt(speedUp(a, b, false))).append("× |\n");
                }
                continue;
            }
            // the row itself, not only its score: the table shows its error bar and which Netty loop it is
            Result netty = same.stream().filter(r -> NETTY.contains(r.executor()) && r.others().equals(et.others()))
                    .max(java.util.Comparator.comparingDouble(Result::score)).orElse(null);
            if (netty == null) {
                continue;
            }
            double scale = et.unit.startsWith("ops/s") ? 1e-6 : 1;
            String unit = scale == 1 ? " " + et.unit : " M/s";
            md.append("| ").append(et.benchmark).append(" | ").append(et.others().values()).append(" | ").append(forks(et))
                    .append(" | ").append(fmt(et.score * scale)).append(" ± ").append(fmt(et.error * scale)).append(unit)
                    .append(" | ").append(fmt(netty.score * scale)).append(" ± ").append(fmt(netty.error * scale)).append(unit)
                    .append(" (").append(netty.executor()).append(") | ")
                    .append(fmt(speedUp(et.score, netty.score, true))).append("× |\n");
        }
        return md.append('\n').toString();
    }

    /** A figure that JMH reports as a secondary result, with the scale to its unit. */
    record Secondary(String metric, double scale, boolean perIterationSum) {

        /**
         * The figure for a result. JMH sums {@code EVENTS} counters over iterations, so one
         * set once per iteration is divided by the sample count to give its mean.
         */
        Double of(Result r) {
            Double v = r.secondary.get(metric);
            if (v == null || !perIterationSum) {
                return v == null ? null : v * scale;
            }
            // primaryMetric.rawData holds one list of iteration scores per fork.
            Object rawData = ((Map<?, ?>) r.raw.get("primaryMetric")).get("rawData");
            int samples = rawData instanceof List<?> forks
                    ? forks.stream().mapToInt(f -> ((List<?>) f).size()).sum() : 1;
            return v * scale / Math.max(1, samples);
        }
    }

    /** Bytes of live heap per pending timer ({@code TimerMemoryBenchmark}). */
    static final Secondary TIMER_BYTES = new Secondary("bytesPerTimer", 1, true);

    /** Process CPU per second of wall time, in ms ({@code IdleCpuBenchmark}, nanoseconds per second). */
    static final Secondary IDLE_CPU = new Secondary("cpuNanos", 1e-6, false);

    private Target secondaryTarget(String what, String benchmark, String mode, Secondary figure, String unit) {
        List<Result> rows = rows(benchmark, mode);
        Double et = rows.stream().filter(r -> r.executor().equals(ET)).map(figure::of).findFirst().orElse(null);
        Double netty = rows.stream().filter(r -> NETTY.contains(r.executor())).map(figure::of)
                .filter(Objects::nonNull).min(Double::compare).orElse(null);
        return et == null || netty == null ? new Target(what, null, "no data")
                : new Target(what, et <= netty, fmt(et) + unit + " vs " + fmt(netty) + unit);
    }

    private static String label(String benchmark) {
        return switch (benchmark) {
            case "ExecuteBenchmark.oneProducer" -> "execute, 1 producer";
            case "ExecuteBenchmark.twoProducers" -> "execute, 2 producers";
            case "ExecuteBenchmark.fourProducers" -> "execute, 4 producers";
            default -> benchmark;
        };
    }

    private Result allocRow(String executor) {
        for (Result r : results) {
            if (r.benchmark.equals("ExecuteBenchmark.oneProducer") && r.executor().equals(executor) && r.allocPerOp != null) {
                return r;
            }
        }
        return null;
    }

    private static Target ratioTarget(String what, Double ratio, double min) {
        return ratio == null ? new Target(what, null, "no data") : new Target(what, ratio >= min, fmt(ratio) + "×");
    }

    // ---------------------------------------------------------------- markdown

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by `benchmarks/run` from ").append(String.join(", ", files)).append(". ")
                .append("Every table comes from one JMH run with all its candidates, so read the ratios, not the absolute ")
                .append("figures: this machine is shared and noisy (expect ±20 % between runs). ")
                .append("Ratios are speed-ups — above 1 means the row beats the reference, whichever way the unit points. ")
                .append("\"Netty\" is the better of `nettyNio` and `nettyDefault`.\n\n");
        md.append(environment()).append('\n');

        md.append("## Targets\n\nJudged on `eventthread` as built by default. `eventthreadNoSpin` (`idleSpin(Duration.ZERO)`) ")
                .append("is a diagnostic row in the tables below, not a target.\n\n| target | observed | |\n|---|---|---|\n");
        for (Target t : targets()) {
            md.append("| ").append(t.what).append(" | ").append(t.observed).append(" | ")
                    .append(t.met == null ? "no data" : t.met ? "**met**" : "**missed**").append(" |\n");
        }
        md.append("\n![eventthread vs Netty](benchmarks.svg)\n\n");
        if (confirmation != null) {
            md.append(confirmation.confirmationTable());
        }

        for (Section s : SECTIONS) {
            List<Result> rows = rows(s.benchmark, s.mode);
            md.append("## ").append(s.title).append("\n\n").append(s.why)
                    .append(" `").append(s.benchmark).append("`, mode ").append(s.mode).append(".\n\n");
            if (rows.isEmpty()) {
                md.append("No results.\n\n");
                continue;
            }
            Set<String> otherKeys = rows.stream().flatMap(r -> r.others().keySet().stream())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            boolean hasJdk = rows.stream().anyMatch(r -> r.executor().equals(JDK));
            // A single-shot mean hides outliers a stop can have (one stuck shot is the whole timeout): show them.
            boolean shots = s.mode.equals("ss");
            md.append("| executor |");
            otherKeys.forEach(k -> md.append(' ').append(k).append(" |"));
            md.append(shots ? " mean | p50 | max |" : " score | ± error |").append(" unit | × Netty |")
                    .append(hasJdk ? " × jdkSingle |" : "").append("\n|---|");
            otherKeys.forEach(k -> md.append("---:|"));
            md.append("---:|---:|").append(shots ? "---:|" : "").append("---|---:|").append(hasJdk ? "---:|" : "").append('\n');
            for (Result r : rows) {
                md.append("| ").append(r.executor()).append(" |");
                otherKeys.forEach(k -> md.append(' ').append(r.params.getOrDefault(k, "")).append(" |"));
                boolean up = s.higherIsBetter();
                md.append(' ').append(fmt(r.score * s.scale)).append(" | ");
                if (shots) {
                    md.append(fmt(scaled(r.percentiles.get("50.0"), s.scale))).append(" | ")
                            .append(fmt(scaled(r.percentiles.get("100.0"), s.scale))).append(" | ");
                } else {
                    md.append(fmt(r.error * s.scale)).append(" | ");
                }
                md.append(s.unit).append(" | ")
                        .append(fmtRatio(speedUp(r.score, best(rows, r, NETTY::contains, Result::score, up), up))).append(" |");
                if (hasJdk) {
                    md.append(' ').append(fmtRatio(speedUp(r.score, best(rows, r, JDK::equals, Result::score, up), up))).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
            if (s.benchmark.startsWith("RoundTrip")) {
                percentiles(md);
            }
            if (s.benchmark.equals("ExecuteBenchmark.fourProducers")) {
                allocation(md);
                instrumentation(md);
            }

        }
        secondaryTable(md, "Memory per pending timer", "Live heap after a full collection with 10,000 timers "
                + "pending (scheduled from outside, 10 min ahead), minus the same without them, per timer.",
                "TimerMemoryBenchmark.schedulePending", "ss", TIMER_BYTES, "B/timer");
        secondaryTable(md, "CPU of an idle group", "Process CPU time while a started group of 4 loops sits idle, "
                + "per second of wall time; `none` is the JVM alone.", "IdleCpuBenchmark.idle", "thrpt", IDLE_CPU, "ms CPU/s");
        return md.toString();
    }

    private void percentiles(StringBuilder md) {
        List<Result> rows = rows("RoundTripBenchmark.submitAndGet", "sample");
        md.append("## Round trip, percentiles\n\nThe same round trip sampled (mode sample), in µs.\n\n");
        if (rows.isEmpty()) {
            md.append("No results.\n\n");
            return;
        }
        md.append("| executor | p50 | p99 | p99.9 | p99 × Netty | p99 × jdkSingle |\n|---|---:|---:|---:|---:|---:|\n");
        for (Result r : rows) {
            Double p99 = r.percentiles.get("99.0");
            md.append("| ").append(r.executor()).append(" | ").append(fmt(r.percentiles.get("50.0"))).append(" | ")
                    .append(fmt(p99)).append(" | ").append(fmt(r.percentiles.get("99.9"))).append(" | ")
                    .append(fmtRatio(speedUp(p99, best(rows, r, NETTY::contains, x -> x.percentiles.get("99.0"), false), false)))
                    .append(" | ")
                    .append(fmtRatio(speedUp(p99, best(rows, r, JDK::equals, x -> x.percentiles.get("99.0"), false), false)))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void secondaryTable(StringBuilder md, String title, String why, String benchmark, String mode,
            Secondary figure, String unit) {
        md.append("## ").append(title).append("\n\n").append(why).append(" `").append(benchmark).append("`.\n\n");
        List<Result> rows = rows(benchmark, mode);
        if (rows.isEmpty()) {
            md.append("No results.\n\n");
            return;
        }
        md.append("| executor | ").append(unit).append(" |\n|---|---:|\n");
        for (Result r : rows) {
            md.append("| ").append(r.executor()).append(" | ").append(fmt(figure.of(r))).append(" |\n");
        }
        md.append('\n');
    }

    private void allocation(StringBuilder md) {
        md.append("## Allocation per execute\n\n`gc.alloc.rate.norm` of the 1-producer execute benchmark run with `-prof gc`, ")
                .append("all threads' allocation divided by tasks: bytes per task.\n\n");
        List<Result> rows = results.stream()
                .filter(r -> r.benchmark.equals("ExecuteBenchmark.oneProducer") && r.allocPerOp != null).toList();
        if (rows.isEmpty()) {
            md.append("No results (run with `-prof gc`).\n\n");
            return;
        }
        md.append("| executor | B/task |\n|---|---:|\n");
        for (Result r : rows) {
            md.append("| ").append(r.executor()).append(" | ").append(fmt(r.allocPerOp)).append(" |\n");
        }
        md.append('\n');
    }

    private void instrumentation(StringBuilder md) {
        Result on = row("InstrumentationBenchmark.instrumentationOn", "thrpt", ET, Map.of());
        Result off = row("InstrumentationBenchmark.instrumentationOff", "thrpt", ET, Map.of());
        md.append("## Instrumentation on/off\n\nEventThread alone, 1-producer execute, each variant in its own JVM ")
                .append("(`-Deventthread.instrumentation=false` for off).\n\n");
        if (on == null || off == null) {
            md.append("No results.\n\n");
            return;
        }
        md.append("| instrumentation | score | ± error | unit |\n|---|---:|---:|---|\n")
                .append("| on | ").append(fmt(on.score * 1e-6)).append(" | ").append(fmt(on.error * 1e-6)).append(" | M tasks/s |\n")
                .append("| off | ").append(fmt(off.score * 1e-6)).append(" | ").append(fmt(off.error * 1e-6)).append(" | M tasks/s |\n\n")
                .append("on/off = ").append(fmtRatio(on.score / off.score)).append("\n\n");
    }

    private String environment() {
        Map<String, Object> raw = results.isEmpty() ? Map.of() : results.get(0).raw;
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: say so rather than fail the report
        }
        String load = "unknown";
        try {
            // Other builds share this machine: the load says how far to trust absolute figures.
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split(" +");
            load = avg[0] + " / " + avg[1] + " / " + avg[2];
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "| | |\n|---|---|\n"
                + "| date of the run | " + ranAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")) + " |\n"
                + "| JDK | " + raw.getOrDefault("jdkVersion", "?") + " (" + raw.getOrDefault("vmName", "?") + " "
                + raw.getOrDefault("vmVersion", "?") + ") |\n"
                + "| JMH | " + raw.getOrDefault("jmhVersion", "?") + "; forks " + intish(raw.get("forks"))
                + ", warm-up " + intish(raw.get("warmupIterations")) + " × " + raw.getOrDefault("warmupTime", "?")
                + ", measurement " + intish(raw.get("measurementIterations")) + " × " + raw.getOrDefault("measurementTime", "?")
                + " (first result; single-shot benchmarks count shots) |\n"
                + "| cores (nproc) | " + Runtime.getRuntime().availableProcessors() + " |\n"
                + "| CPU | " + cpu + " |\n"
                + "| load average, 1/5/15 min, when rendered | " + load + " |\n";
    }

    private static String intish(Object v) {
        return v instanceof Double d ? String.valueOf(d.longValue()) : String.valueOf(v);
    }

    // ---------------------------------------------------------------- svg

    /** eventthread's speed-up over the better Netty in each benchmark, as a hand-written horizontal bar chart. */
    String svg() {
        Map<String, Double> bars = new LinkedHashMap<>();
        Map<String, String> none = Map.of();
        for (String benchmark : EXECUTE) {
            for (Result r : rows(benchmark, "thrpt")) {
                if (r.executor().equals(ET)) {
                    String name = label(benchmark) + " " + String.join(",", r.others().values());
                    Double confirmed = confirmedExecuteVsNetty(benchmark, r.others());
                    if (confirmed != null) {
                        bars.put(name, confirmed);
                    } else {
                        bar(bars, name, benchmark, "thrpt", ET, r.others());
                    }
                }
            }
        }
        bar(bars, "round trip, mean", "RoundTripBenchmark.submitAndGet", "avgt", ET, none);
        RenderReport roundTrips = roundTripSource();
        Result rt = roundTrips.row("RoundTripBenchmark.submitAndGet", "sample", ET, none);
        if (rt != null) {
            Double netty = best(roundTrips.rows(rt.benchmark, rt.mode), rt, NETTY::contains, r -> r.percentiles.get("99.0"), false);
            bars.put("round trip, p99", speedUp(rt.percentiles.get("99.0"), netty, false));
        }
        bar(bars, "timers (schedule)", "TimerBenchmark.scheduleThenCancel", "thrpt", ET, none);
        bar(bars, "timers (callLater)", "TimerBenchmark.scheduleThenCancel", "thrpt", "eventthreadCallLater", none);
        bar(bars, "async chain", "AsyncChainBenchmark.chain", "thrpt", ET, none);
        bar(bars, "idle stop, 1 loop", "LifecycleBenchmark.stop", "ss", ET, Map.of("loops", "1"));
        bar(bars, "idle stop, 8 loops", "LifecycleBenchmark.stop", "ss", ET, Map.of("loops", "8"));
        bars.values().removeIf(Objects::isNull);

        int labelWidth = 250;
        int plotWidth = 420;
        int rowHeight = 26;
        int top = 40;
        int height = top + rowHeight * Math.max(bars.size(), 1) + 40;
        double max = Math.max(2, bars.values().stream().mapToDouble(Double::doubleValue).max().orElse(1) * 1.1);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", labelWidth + plotWidth + 70, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">"
                + "eventthread vs Netty (speed-up, higher is better)</text>%n"));
        int y = top;
        for (Map.Entry<String, Double> e : bars.entrySet()) {
            double ratio = e.getValue();
            int w = (int) Math.max(1, Math.round(plotWidth * Math.min(ratio, max) / max));
            String colour = ratio >= 1 ? "#2e7d32" : "#ef6c00";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    labelWidth - 8, y + 16, escape(e.getKey())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                    labelWidth, y + 4, w, rowHeight - 8, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s×</text>%n", labelWidth + w + 4, y + 16, fmt(ratio)));
            y += rowHeight;
        }
        int one = labelWidth + (int) Math.round(plotWidth / max);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>%n",
                one, top, one, y));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">1× (Netty)</text>%n", one, y + 16));
        if (bars.isEmpty()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">no eventthread results</text>%n", labelWidth, top + 16));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void bar(Map<String, Double> bars, String label, String benchmark, String mode, String executor,
            Map<String, String> others) {
        Result r = row(benchmark, mode, executor, others);
        if (r != null) {
            boolean up = mode.equals("thrpt");
            bars.put(label, speedUp(r.score, best(rows(benchmark, mode), r, NETTY::contains, Result::score, up), up));
        }
    }

    // ---------------------------------------------------------------- formatting

    /** Three significant figures, no exponent: enough for numbers that move ±20 % between runs. */
    static String fmt(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.01 ? "%.3f" : a == 0 ? "%.0f" : "%.2g";
        return String.format(Locale.ROOT, pattern, v);
    }

    private static Double scaled(Double v, double scale) {
        return v == null ? null : v * scale;
    }

    private static String fmtRatio(Double v) {
        return v == null || v.isNaN() ? "–" : fmt(v) + "×";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
