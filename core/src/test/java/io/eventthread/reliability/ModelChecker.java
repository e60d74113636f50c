package io.eventthread.reliability;

import io.eventthread.ShutdownReport;
import io.eventthread.ShutdownReport.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * Checks a finished {@link ProgramRunner} against the simple model of the engine's promises:
 * FIFO per producer, timers never early and in deadline order, cancelled work never starts, no
 * task runs twice, rejections only after a shutdown began, and after termination every future is
 * done and every accepted step is accounted for exactly once.
 */
final class ModelChecker {

    private final ProgramRunner run;
    private final List<String> violations = new ArrayList<>();
    private int futuresChecked;
    private int incomplete;
    private int cancelledByShutdown;

    ModelChecker(ProgramRunner run) {
        this.run = run;
    }

    /** @return the violations found, empty if the run matched the model */
    List<String> check() {
        Set<Runnable> never = Collections.newSetFromMap(new IdentityHashMap<>());
        never.addAll(run.neverStarted);
        int rejected = 0;
        for (Entry e : run.all()) {
            if (e.unexpected != null) {
                violations.add(e + " threw " + e.unexpected);
            }
            if (e.rejectedWhileRunning) {
                violations.add(e + " was rejected before any shutdown began");
            }
            if (e.rejected) {
                rejected++;
            }
            if (e.runs.get() > 1) {
                violations.add(e + " ran " + e.runs.get() + " times");
            }
            // only a handle's cancel() is exact; Future.cancel also succeeds on a running task
            if (e.startedAfterCancel && e.handle != null) {
                violations.add(e + " started after a cancel call had returned true");
            }
            if (e.accepted) {
                checkAccounted(e, never);
            }
        }
        checkFifoPerProducer();
        checkTimerOrder();
        checkShutdown(rejected);
        Soak.FUTURES_CHECKED.addAndGet(futuresChecked);
        Soak.INCOMPLETE.addAndGet(incomplete);
        return violations;
    }

    /** Every accepted step ends in exactly one of: ran, failed, cancelled, never started. */
    private void checkAccounted(Entry e, Set<Runnable> never) {
        boolean ran = e.runs.get() == 1;
        if (e.plain != null) {
            boolean reported = never.contains(e.plain);
            if (ran == reported) {
                violations.add(e + (ran ? " ran and was also reported never started" : " neither ran nor was reported never started"));
            }
            return;
        }
        Future<?> f = e.future != null ? e.future : (Future<?>) e.handle;
        futuresChecked++;
        if (!f.isDone()) {
            incomplete++;
            violations.add(e + " is not done after termination: " + f);
            return;
        }
        if (e.cancelReturned && !f.isCancelled()) {
            violations.add(e + ": cancel returned true but the future is not cancelled");
        }
        if (e.handle != null && e.cancelReturned && ran) {
            violations.add(e + ": handle.cancel() returned true and the callback ran");
        }
        if (f.isCancelled()) {
            if (!e.cancelReturned) {
                cancelledByShutdown++;
            }
            return;
        }
        Throwable failure = failureOf(f);
        if (e.op instanceof Op.RunBlocking) {
            if (!ran && !(failure instanceof RejectedExecutionException)) {
                violations.add(e + " completed without running: " + failure);
            }
            return;
        }
        if (!ran) {
            violations.add(e + " completed (" + (failure == null ? "normally" : failure) + ") but never ran");
        } else if (e.op instanceof Op.Submit s && s.fails() != (failure != null)) {
            violations.add(e + " completed with " + failure);
        } else if (e.isTimer() && e.ranAt - e.deadlineLo < 0) {
            violations.add(e + " fired " + (e.deadlineLo - e.ranAt) + " ns early");
        }
    }

    private static Throwable failureOf(Future<?> f) {
        try {
            f.get();
            return null;
        } catch (java.util.concurrent.ExecutionException ex) {
            return ex.getCause();
        } catch (CancellationException | CompletionException | InterruptedException ex) {
            return ex;
        }
    }

    private void checkFifoPerProducer() {
        for (List<Entry> producer : run.entries) {
            Entry previous = null;
            for (Entry e : producer) {
                if (!e.isImmediate() || e.logPosition < 0) {
                    continue;
                }
                if (previous != null && previous.logPosition > e.logPosition) {
                    violations.add("FIFO: " + e + " ran before " + previous);
                }
                previous = e;
            }
        }
    }

    /**
     * A timer whose deadline is surely earlier than another's, and that was queued before the
     * other was scheduled, fires first. (Queued earlier matters: a timer scheduled from another
     * thread reaches the heap through the queue, so the loop may fire a due timer before it
     * learns of one with an earlier deadline scheduled at the same moment.)
     */
    private void checkTimerOrder() {
        List<Entry> fired = run.all().stream().filter(e -> e.isTimer() && e.logPosition >= 0).toList();
        for (Entry a : fired) {
            for (Entry b : fired) {
                if (a.after - b.before < 0 && a.deadlineHi - b.deadlineLo < 0 && a.logPosition > b.logPosition) {
                    violations.add("timer order: " + b + " fired before " + a + " whose deadline was earlier");
                }
            }
        }
    }

    private void checkShutdown(int rejected) {
        ShutdownReport report = run.report;
        for (ProgramRunner.ShutdownCall call : run.shutdowns) {
            if (!call.result().isDone()) {
                violations.add("a shutdownGracefully future is incomplete after termination");
            } else if (!call.result().join().equals(report)) {
                violations.add("concurrent shutdown calls disagree: " + call.result().join() + " vs " + report);
            }
        }
        if (report.outcome() == Outcome.FORCED) {
            violations.add("FORCED although no callback blocks: " + report);
        }
        if (run.finalShutdownByRunner && report.outcome() != Outcome.GRACEFUL) {
            violations.add("the runner's own " + ProgramRunner.FINAL_TIMEOUT + " shutdown was not graceful: " + report);
        }
        if (report.outcome() == Outcome.GRACEFUL && (!run.neverStarted.isEmpty() || cancelledWorkByShutdown() > 0)) {
            violations.add("GRACEFUL, yet " + run.neverStarted.size() + " tasks never started and "
                    + cancelledWorkByShutdown() + " futures were cancelled by the shutdown: " + report);
        }
        long reported = report.tasksCancelled() + report.timersCancelled();
        long seen = cancelledByShutdown + run.neverStarted.size();
        if (reported < seen) {
            violations.add("report under-counts cancellations: " + reported + " reported, " + seen + " observed: " + report);
        }
        long statsRejected = run.loop.stats().tasksRejected();
        if (statsRejected != rejected) {
            violations.add("stats().tasksRejected()=" + statsRejected + " but callers saw " + rejected + " rejections");
        }
    }

    /** Futures of queued or in-flight work (not timers) cancelled by the shutdown, not the test. */
    private long cancelledWorkByShutdown() {
        return run.all().stream()
                .filter(e -> e.accepted && e.future != null && !e.cancelReturned && e.future.isCancelled())
                .count();
    }
}
