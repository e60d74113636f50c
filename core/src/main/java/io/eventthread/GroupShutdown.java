package io.eventthread;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Shuts down all loops of a group with one deadline, then the blocking pool, and merges the
 * loops' reports into one. The first call decides the deadline; later calls share its result.
 */
final class GroupShutdown {

    private static final System.Logger LOG = System.getLogger(EventThread.class.getName());

    private final EventThread group;
    private final List<SingleThreadEventLoop> loops;
    private final BlockingPool blockingPool;
    private final CompletableFuture<ShutdownReport> termination = new CompletableFuture<>();
    private volatile boolean begun;
    /** Guarded by this: done-callbacks waiting for the report, run before termination completes. */
    private final List<java.util.function.Consumer<? super ShutdownReport>> callbacks = new ArrayList<>();
    /** The final report, once assembled (written under this); the group has terminated then. */
    private volatile ShutdownReport finalReport;

    GroupShutdown(EventThread group, List<SingleThreadEventLoop> loops, BlockingPool blockingPool) {
        this.group = group;
        this.loops = loops;
        this.blockingPool = blockingPool;
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
        long requestedAt = System.nanoTime();
        long timeoutNanos = saturatedNanos(timeout);
        List<CompletableFuture<ShutdownReport>> reports = new ArrayList<>();
        for (SingleThreadEventLoop loop : loops) {
            loop.shutdownControl().begin(requestedAt, timeoutNanos);
            reports.add(loop.shutdownControl().done());
        }
        CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, failure) -> finish(reports, requestedAt, failure));
        return termination;
    }

    List<Runnable> neverStarted() {
        List<Runnable> never = new ArrayList<>();
        for (SingleThreadEventLoop loop : loops) {
            never.addAll(loop.shutdownControl().neverStarted());
        }
        return never;
    }

    private void finish(List<CompletableFuture<ShutdownReport>> reports, long requestedAt, Throwable failure) {
        try {
            blockingPool.shutdownNow();
            ShutdownReport merged = null;
            for (CompletableFuture<ShutdownReport> report : reports) {
                ShutdownReport r = report.join();
                merged = merged == null ? r : merged.merge(r);
            }
            merged = new ShutdownReport(merged.outcome(), Duration.ofNanos(System.nanoTime() - requestedAt),
                    merged.tasksRunDuringDrain(), merged.tasksCancelled(), merged.timersCancelled(), merged.stuckLoops(),
                    merged.unobservedFailures());
            logUnobserved(merged);
            complete(merged);
        } catch (Throwable t) {
            // the termination future must complete whatever happened above
            LOG.log(Level.ERROR, "EventThread '" + group.name() + "' failed to assemble its shutdown report", t);
            complete(new ShutdownReport(ShutdownReport.Outcome.CANCELLED,
                    Duration.ofNanos(System.nanoTime() - requestedAt), 0, 0, 0, java.util.Map.of(), List.of(t)));
        }
    }

    /**
     * Registers a done-callback. They run, in registration order, before the termination future
     * completes — so a thread that waited for termination (close()) finds them run — or at once
     * on the caller once the group has terminated.
     */
    void onTermination(java.util.function.Consumer<? super ShutdownReport> callback) {
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
        List<java.util.function.Consumer<? super ShutdownReport>> toRun;
        synchronized (this) {
            finalReport = report;
            toRun = new ArrayList<>(callbacks);
            callbacks.clear();
        }
        for (java.util.function.Consumer<? super ShutdownReport> callback : toRun) {
            runCallback(callback, report);
        }
        termination.complete(report);
    }

    private void runCallback(java.util.function.Consumer<? super ShutdownReport> callback, ShutdownReport report) {
        try {
            callback.accept(report);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "A termination callback of EventThread '" + group.name() + "' threw", t);
        }
    }

    private void logUnobserved(ShutdownReport report) {
        List<Throwable> failures = report.unobservedFailures();
        if (failures.isEmpty()) {
            return;
        }
        LOG.log(Level.WARNING, "EventThread '" + group.name() + "': " + failures.size()
                + " task failure(s) were never retrieved (nobody read or chained on their futures); the first follows");
        Throwable first = failures.get(0);
        LOG.log(Level.WARNING, "Task exception was never retrieved", first);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return Math.min(d.toNanos(), Long.MAX_VALUE >> 2);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE >> 2;
        }
    }
}
