package io.eventthread.internal;

import io.eventthread.LoopClock;
import io.eventthread.ShutdownReport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Shuts down all loops of a group with one deadline, then the blocking pool, and merges the
 * loops' reports into one. The first call decides the deadline; later calls share its result.
 */
final class GroupShutdown {

    /** The group's logger, by the API type's name users configure. */
    private static final System.Logger LOG = System.getLogger("io.eventthread.EventThread");

    private final String name;
    private final List<LoopCore> loops;
    private final BlockingPool blockingPool;
    private final LoopClock clock;
    private final CompletableFuture<ShutdownReport> termination = new CompletableFuture<>();
    private volatile boolean begun;
    /** Guarded by this: done-callbacks waiting for the report, run before termination completes. */
    private final List<Consumer<? super ShutdownReport>> callbacks = new ArrayList<>();
    /** The final report, once assembled (written under this); the group has terminated then. */
    private volatile ShutdownReport finalReport;

    GroupShutdown(String name, List<LoopCore> loops, BlockingPool blockingPool, LoopClock clock) {
        this.name = name;
        this.loops = loops;
        this.blockingPool = blockingPool;
        this.clock = clock;
    }

    boolean isShutdown() {
        return begun;
    }

    CompletableFuture<ShutdownReport> termination() {
        return termination;
    }

    /** True from the moment the report exists, so done-callbacks see a terminated group. */
    boolean isTerminated() {
        return finalReport != null;
    }

    CompletableFuture<ShutdownReport> begin(Duration timeout) {
        synchronized (this) {
            if (begun) {
                return termination;
            }
            begun = true;
        }
        long requestedAt = clock.nanoTime();
        long timeoutNanos = Durations.saturatedNanos(timeout);
        List<CompletableFuture<ShutdownReport>> reports = new ArrayList<>();
        for (LoopCore loop : loops) {
            loop.beginShutdown(requestedAt, timeoutNanos);
            reports.add(loop.terminationReport());
        }
        CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, failure) -> finish(reports, requestedAt, failure));
        return termination;
    }

    List<Runnable> neverStarted() {
        List<Runnable> never = new ArrayList<>();
        for (LoopCore loop : loops) {
            never.addAll(loop.neverStarted());
        }
        return never;
    }

    private void finish(List<CompletableFuture<ShutdownReport>> reports, long requestedAt, Throwable failure) {
        try {
            blockingPool.shutdownNow();
            ShutdownReport merged = null;
            for (CompletableFuture<ShutdownReport> report : reports) {
                ShutdownReport r = report.join();
                merged = merged == null ? r : merge(merged, r);
            }
            merged = new ShutdownReport(merged.outcome(), Duration.ofNanos(Math.max(0, clock.nanoTime() - requestedAt)),
                    merged.tasksRunDuringDrain(), merged.tasksCancelled(), merged.timersCancelled(), merged.stuckLoops(),
                    merged.unobservedFailures());
            logUnobserved(merged);
            complete(merged);
        } catch (Throwable t) {
            // the termination future must complete whatever happened above
            LOG.log(Level.ERROR, "EventThread '" + name + "' failed to assemble its shutdown report", t);
            complete(new ShutdownReport(ShutdownReport.Outcome.CANCELLED,
                    Duration.ofNanos(Math.max(0, clock.nanoTime() - requestedAt)), 0, 0, 0, Map.of(), List.of(t)));
        }
    }

    /**
     * Registers a done-callback. They run, in registration order, before the termination future
     * completes — so a thread that waited for termination (close()) finds them run — or at once
     * on the caller once the group has terminated.
     */
    void onTermination(Consumer<? super ShutdownReport> callback) {
        ShutdownReport report;
        synchronized (this) {
            report = finalReport;
            if (report == null) {
                callbacks.add(callback);
                return;
            }
        }
        runCallback(callback, report);
    }

    private void complete(ShutdownReport report) {
        List<Consumer<? super ShutdownReport>> toRun;
        synchronized (this) {
            finalReport = report;
            toRun = new ArrayList<>(callbacks);
            callbacks.clear();
        }
        for (Consumer<? super ShutdownReport> callback : toRun) {
            runCallback(callback, report);
        }
        termination.complete(report);
    }

    private void runCallback(Consumer<? super ShutdownReport> callback, ShutdownReport report) {
        try {
            callback.accept(report);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "A termination callback of EventThread '" + name + "' threw", t);
        }
    }

    private void logUnobserved(ShutdownReport report) {
        List<Throwable> failures = report.unobservedFailures();
        if (failures.isEmpty()) {
            return;
        }
        LOG.log(Level.WARNING, "EventThread '" + name + "': " + failures.size()
                + " task failure(s) were never retrieved (nobody read or chained on their futures); the first follows");
        Throwable first = failures.get(0);
        LOG.log(Level.WARNING, "Task exception was never retrieved", first);
    }

    /** One report of several loops: the worst outcome, the longest duration, the sums and the unions. */
    static ShutdownReport merge(ShutdownReport a, ShutdownReport b) {
        Map<String, List<StackTraceElement>> stuck = new HashMap<>(a.stuckLoops());
        stuck.putAll(b.stuckLoops());
        List<Throwable> failures = new ArrayList<>(a.unobservedFailures());
        failures.addAll(b.unobservedFailures());
        ShutdownReport.Outcome worst = a.outcome().compareTo(b.outcome()) >= 0 ? a.outcome() : b.outcome();
        return new ShutdownReport(worst, a.duration().compareTo(b.duration()) >= 0 ? a.duration() : b.duration(),
                a.tasksRunDuringDrain() + b.tasksRunDuringDrain(), a.tasksCancelled() + b.tasksCancelled(),
                a.timersCancelled() + b.timersCancelled(), stuck, failures);
    }
}
