package io.eventthread.internal;

import io.eventthread.ShutdownReport;
import io.eventthread.ShutdownReport.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * One loop's part of a graceful shutdown, driving its {@link Lifecycle}: the callbacks and the
 * timer policy when it begins, the drain, the termination sweep when work runs out or the
 * deadline passes, and — from the watchdog thread — the interrupt at the deadline and the forced
 * termination of a loop stuck in a callback. Either the loop thread or the watchdog completes
 * {@link #done()}; whichever is first wins, and the other side only releases what it holds.
 */
final class LoopShutdown {

    /** What the shutdown needs of the loop core. */
    interface Host {
        String name();

        Thread thread();

        void wakeUp();

        /** Loop thread (or under the sweep lock): empties the queue by each entry's termination contract. */
        int sweepQueue(List<Runnable> neverStarted);

        Runnable pollQueue();

        /** Another thread: cancels the queued futures it can see, consuming nothing. */
        int cancelQueuedFromOutside();

        /** Cancels in-flight work and promises; returns how much work was cancelled. */
        int cancelTracked();

        int inFlightCount();
    }

    private final Host loop;
    private final Lifecycle lifecycle;
    private final Timers timers;
    private final LoopCounters counters;
    private final FailureReporter failures;
    private final StuckDetector detector;
    private final ShutdownCallbacks callbacks;
    private final CompletableFuture<ShutdownReport> done = new CompletableFuture<>();
    private final List<Runnable> neverStarted = Collections.synchronizedList(new ArrayList<>());
    /** Serialises queue consumption once the loop thread has stopped consuming. */
    private final Object sweepLock = new Object();
    /** Guarded by sweepLock: the loop thread has swept the queue and consumes no more. */
    private boolean swept;
    /**
     * Guarded by sweepLock: tasks queued after the final sweep that another late producer's
     * take-back found. Each producer that queues after termination sees it (the state is final)
     * and comes to take its own task back, so each is rejected to its own caller.
     */
    private final List<Runnable> lateTasks = new ArrayList<>();
    /** Set by another thread that ended the last in-flight work: the loop should look again. */
    private volatile boolean wakeRequested;
    private volatile long tasksRunAtStart;
    // loop thread only
    private boolean begun;

    LoopShutdown(Host loop, Lifecycle lifecycle, Timers timers, LoopCounters counters, FailureReporter failures,
            StuckDetector detector, ShutdownCallbacks callbacks) {
        this.loop = loop;
        this.lifecycle = lifecycle;
        this.timers = timers;
        this.counters = counters;
        this.failures = failures;
        this.detector = detector;
        this.callbacks = callbacks;
    }

    CompletableFuture<ShutdownReport> done() {
        return done;
    }

    List<Runnable> neverStarted() {
        synchronized (neverStarted) {
            return new ArrayList<>(neverStarted);
        }
    }

    void requestWake() {
        wakeRequested = true;
    }

    /** Loop thread, before parking: whether a wake was requested since it last looked. */
    boolean takeWakeRequest() {
        if (!wakeRequested) {
            return false;
        }
        wakeRequested = false;
        return true;
    }

    /** Any thread: starts the shutdown of this loop, with a deadline in loop-clock time. */
    void begin(long requestedAt, long timeoutNanos) {
        // read off the loop thread, so approximate by the tasks in flight at this instant
        tasksRunAtStart = counters.tasksRun();
        switch (lifecycle.beginShutdown(requestedAt, timeoutNanos)) {
            case NEVER_STARTED -> {
                // nothing ran, but newFuture() promises may have been handed out
                loop.cancelTracked();
                done.complete(report(Outcome.GRACEFUL, 0, 0, Map.of(), List.of()));
            }
            case SHUTTING_DOWN -> {
                // the loop may be parked with no timer: wake it to apply the timer policy
                loop.wakeUp();
                Watchdog.after(this::deadlineReached, lifecycle.nanosToDeadline());
            }
            case NONE -> {
            }
        }
    }

    /**
     * Loop thread, each turn while shutting down: begins (callbacks, timer policy) on the first,
     * then drains.
     * @param noPendingWork whether the queue is empty and no asynchronous or blocking work is in
     *        flight, asked after the shutdown callbacks ran (they may start work)
     * @return {@code true} when the loop should stop
     */
    boolean step(BooleanSupplier noPendingWork) {
        if (!begun) {
            begun = true;
            callbacks.runAll();
            timers.applyShutdownPolicy();
        }
        return lifecycle.drained(noPendingWork.getAsBoolean() && !timers.anyHoldsShutdown());
    }

    /** Loop thread, as it leaves its run loop for any reason: terminates and releases everything still pending. */
    void loopExited() {
        lifecycle.terminate();
        Thread.interrupted();
        List<Runnable> never = new ArrayList<>();
        long cancelled;
        synchronized (sweepLock) {
            cancelled = loop.sweepQueue(never);
            swept = true;
        }
        // Timers before in-flight work: cancelling the innermost pending stage lets the cancellation
        // travel outward through the user's own chain (asyncio raises CancelledError at the await),
        // so their handlers see it. The work pending now is what this sweep cancels, however it ends.
        long inFlightNow = loop.inFlightCount();
        long workTimers = timers.sweep();
        loop.cancelTracked();
        cancelled += inFlightNow;
        neverStarted.addAll(never);
        counters.terminated();
        detector.stop();
        List<Throwable> unobserved = failures.unobservedFailures();
        Outcome outcome = cancelled + workTimers > 0 ? Outcome.CANCELLED : Outcome.GRACEFUL;
        done.complete(report(outcome, counters.tasksRun() - tasksRunAtStart, cancelled, Map.of(), unobserved));
    }

    /**
     * A producer that queued {@code task} and then saw the loop terminated: takes it back if it
     * is still queued.
     * @return {@code true} if the caller must treat the task as rejected; {@code false} if the
     *         loop's own sweep will see it or already handled it
     */
    boolean takeBack(Runnable task) {
        synchronized (sweepLock) {
            if (!swept) {
                // The loop thread has yet to sweep, and will see the task. If it was forced, it
                // may never come back: complete the task's future now, and leave a plain task to
                // be reported never started by that sweep, if it ever runs.
                if (lifecycle.wasForced() && task instanceof QueueEntry entry) {
                    entry.cancelFromOutside();
                }
                return false;
            }
            Runnable queued;
            while ((queued = loop.pollQueue()) != null) {
                lateTasks.add(queued);
            }
            for (int i = 0; i < lateTasks.size(); i++) {
                if (lateTasks.get(i) == task) {
                    lateTasks.remove(i);
                    if (task instanceof QueueEntry entry) {
                        entry.cancelFromOutside();
                    }
                    return true;
                }
            }
            return false; // the loop's own sweep saw it: cancelled or reported never started
        }
    }

    /** Watchdog thread, at the deadline: a loop still inside a callback is interrupted. */
    private void deadlineReached() {
        if (done.isDone()) {
            return;
        }
        if (!lifecycle.deadlinePassed()) {
            // the loop clock is behind the watchdog's (an injected clock): the deadline is its
            Watchdog.after(this::deadlineReached, Math.max(lifecycle.nanosToDeadline(), Duration.ofMillis(1).toNanos()));
            return;
        }
        loop.wakeUp();
        long callback = counters.runningSequence();
        if (callback != 0) {
            loop.thread().interrupt();
        }
        Watchdog.after(() -> forceIfStillIn(callback), lifecycle.forceGraceNanos());
    }

    /**
     * Watchdog thread, a grace after the deadline: the loop thread did not come back, so it is
     * left behind. Everything it holds that can be cancelled from outside is cancelled here; if
     * the thread ever returns, it sees the terminated state and runs nothing more. Plain tasks
     * still queued, and failures nobody observed, stay with the loop thread (only it may consume
     * its queue): its sweep reports them if it ever returns.
     */
    private void forceIfStillIn(long callbackAtDeadline) {
        if (done.isDone()) {
            return;
        }
        long callback = counters.runningSequence();
        if (callback == 0 || callback != callbackAtDeadline) {
            // the loop is making progress (a slow machine, not a stuck callback): it terminates
            // on its own at its next turn; look again after another grace
            Watchdog.after(() -> forceIfStillIn(counters.runningSequence()), lifecycle.forceGraceNanos());
            return;
        }
        lifecycle.force();
        StackTraceElement[] stack = loop.thread().getStackTrace();
        long cancelled = loop.cancelQueuedFromOutside();
        cancelled += timers.cancelFromOutside();
        if (counters.lastFuture() instanceof Future<?> running && running.cancel(true)) {
            cancelled++; // most likely the stuck callback itself
        }
        cancelled += loop.cancelTracked();
        done.complete(report(Outcome.FORCED, counters.tasksRun() - tasksRunAtStart, cancelled,
                Map.of(loop.name(), List.of(stack)), List.of()));
    }

    private ShutdownReport report(Outcome outcome, long ran, long cancelled, Map<String, List<StackTraceElement>> stuck,
            List<Throwable> unobserved) {
        return new ShutdownReport(outcome, Duration.ofNanos(lifecycle.sinceRequest()), Math.max(0, ran), cancelled,
                timers.cancelledByShutdown(), stuck, unobserved);
    }
}
