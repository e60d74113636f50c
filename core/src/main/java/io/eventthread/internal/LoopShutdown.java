package io.eventthread.internal;

import io.eventthread.ShutdownReport;
import io.eventthread.ShutdownReport.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * One loop's part of a graceful shutdown, driving its {@link Lifecycle}: the callbacks and the
 * timer policy when it begins, the drain, the termination sweep when work runs out or the
 * deadline passes, and — from the watchdog thread — the interrupt at the deadline and the forced
 * termination of a loop stuck in a callback. Either the loop thread or the terminator completes
 * {@link #report()}; whichever is first wins, and the other side only releases what it holds.
 *
 * <p>The dependency is one-way: the loop core calls this class; this class is handed the loop's
 * parts (its thread, queue, work in flight, timers) and reaches back only through
 * {@link Bracket}, to run code that may run user code inside the task bracket.
 */
final class LoopShutdown {

    /** The one thing the shutdown asks of the loop core. */
    @FunctionalInterface
    interface Bracket {
        /**
         * Loop thread: runs user code (or engine code that may run user code, such as completing
         * a future) inside the task bracket, uncounted, so the deadline's interrupt and the force
         * reach it.
         * @return whether to go on running callbacks (not past the deadline, not terminated)
         */
        boolean runUserCode(Runnable code);
    }

    private final Thread thread;
    private final IdleStrategy idle;
    private final Bracket bracket;
    private final Lifecycle lifecycle;
    private final TaskQueue queue;
    private final InFlight inFlight;
    private final Timers timers;
    private final LoopCounters counters;
    private final FailureReporter failures;
    private final WatchSchedule watch;
    private final ShutdownCallbacks callbacks;
    /** Runs the forced termination, which may run user code, on a thread of the group's own. */
    private final Executor terminator;
    private final CompletableFuture<ShutdownReport> done = new CompletableFuture<>();
    /**
     * The queue as the final sweep took it over: the loop thread terminates its entries one by
     * one, and a forced termination cancels from here what the stuck sweep has not reached.
     */
    private final ConcurrentLinkedQueue<Runnable> backlog = new ConcurrentLinkedQueue<>();
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
    private volatile long tasksRunAtStart;
    // loop thread only
    private boolean begun;

    LoopShutdown(Thread thread, IdleStrategy idle, Bracket bracket, Lifecycle lifecycle, TaskQueue queue,
            InFlight inFlight, Timers timers, LoopCounters counters, FailureReporter failures, WatchSchedule watch,
            ShutdownCallbacks callbacks, Executor terminator) {
        this.thread = thread;
        this.idle = idle;
        this.bracket = bracket;
        this.lifecycle = lifecycle;
        this.queue = queue;
        this.inFlight = inFlight;
        this.timers = timers;
        this.counters = counters;
        this.failures = failures;
        this.watch = watch;
        this.callbacks = callbacks;
        this.terminator = terminator;
    }

    /** The loop's shutdown report, complete once it has terminated (or was forced). */
    CompletableFuture<ShutdownReport> report() {
        return done;
    }

    List<Runnable> neverStarted() {
        synchronized (neverStarted) {
            return new ArrayList<>(neverStarted);
        }
    }

    /** Any thread: starts the shutdown of this loop, with a deadline in loop-clock time. */
    void begin(long requestedAt, long timeoutNanos) {
        // read off the loop thread, so approximate by the tasks in flight at this instant
        tasksRunAtStart = counters.tasksRun();
        switch (lifecycle.beginShutdown(requestedAt, timeoutNanos)) {
            case NEVER_STARTED -> {
                // nothing ran, but newFuture() promises may have been handed out
                callbacks.cancelRemaining();
                inFlight.cancelAll();
                done.complete(report(Outcome.GRACEFUL, 0, 0, Map.of(), List.of()));
            }
            case SHUTTING_DOWN -> {
                // the loop may be parked with no timer: wake it to apply the timer policy
                idle.wake(thread);
                Watchdog.after(this::deadlineReached, lifecycle.nanosToDeadline());
            }
            case NONE -> {
            }
        }
    }

    /**
     * Loop thread, each turn while shutting down: begins (callbacks, in the task bracket, then the
     * timer policy) on the first, then drains until the queue, the work in flight and the timers
     * that hold the shutdown are gone (asked after the callbacks ran: they may start work), or the
     * deadline passes.
     * @return {@code true} when the loop should stop
     */
    boolean step() {
        if (!begun) {
            begun = true;
            callbacks.runAll(bracket::runUserCode);
            timers.applyShutdownPolicy();
        }
        return lifecycle.drained(queue.isEmpty() && inFlight.isEmpty() && !timers.anyHoldsShutdown());
    }

    /**
     * Loop thread, as it leaves its run loop for any reason: terminates and releases everything
     * still pending. Every step that may run user code — an entry's termination contract (a
     * continuation, a completion), cancelling a future (its dependents) — runs in the task
     * bracket, so the watchdog sees it and can force the loop; and none runs under the sweep
     * lock, so a late producer's take-back never waits for user code.
     */
    void loopExited() {
        lifecycle.terminate();
        Thread.interrupted();
        synchronized (sweepLock) {
            queue.drainTo(backlog);
            swept = true;
        }
        List<Runnable> never = new ArrayList<>();
        long[] cancelled = new long[1];
        Runnable entry;
        while ((entry = backlog.poll()) != null) {
            if (entry instanceof QueueEntry queued) {
                bracket.runUserCode(() -> cancelled[0] += queued.terminate(never));
            } else {
                never.add(entry); // a user's plain task: reported never started, not run
                cancelled[0]++;
            }
        }
        // Timers before in-flight work: cancelling the innermost pending stage lets the cancellation
        // travel outward through the user's own chain (asyncio raises CancelledError at the await),
        // so their handlers see it. The work pending now is what this sweep cancels, however it ends.
        long inFlightNow = inFlight.size();
        long[] workTimers = new long[1];
        bracket.runUserCode(() -> {
            workTimers[0] = timers.sweep();
            inFlight.cancelAll();
        });
        counters.idleSince();
        callbacks.cancelRemaining(); // a loop that exited without its shutdown step never runs them
        cancelled[0] += inFlightNow;
        neverStarted.addAll(never);
        counters.terminated();
        watch.stop();
        List<Throwable> unobserved = failures.unobservedFailures();
        Outcome outcome = cancelled[0] + workTimers[0] > 0 ? Outcome.CANCELLED : Outcome.GRACEFUL;
        lifecycle.exited();
        done.complete(report(outcome, counters.tasksRun() - tasksRunAtStart, cancelled[0], Map.of(), unobserved));
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
            while ((queued = queue.poll()) != null) {
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

    /**
     * Watchdog thread, at the deadline: a loop inside a callback (user code is only ever run in
     * the bracket) is interrupted. The watchdog runs no user code: it reads sequences, interrupts,
     * and hands a forced termination to the group's terminator.
     */
    private void deadlineReached() {
        if (done.isDone()) {
            return;
        }
        if (!lifecycle.deadlinePassed()) {
            // the loop clock is behind the watchdog's (an injected clock): the deadline is its
            Watchdog.after(this::deadlineReached, Math.max(lifecycle.nanosToDeadline(), Duration.ofMillis(1).toNanos()));
            return;
        }
        idle.wake(thread);
        long callback = counters.runningSequence();
        if (callback != 0) {
            thread.interrupt();
        }
        Watchdog.after(() -> forceIfStillIn(callback), lifecycle.forceGraceNanos());
    }

    /**
     * Watchdog thread, a grace after the deadline (or after the previous look): if the loop is
     * still inside the callback it was in then, it is left behind — on the terminator, not here.
     */
    private void forceIfStillIn(long callbackThen) {
        if (done.isDone() || lifecycle.hasExited()) {
            return;
        }
        long callback = counters.runningSequence();
        if (callback == 0 || callback != callbackThen) {
            // the loop is making progress (a slow machine, not a stuck callback): look again after
            // another grace at the callback it is in now
            Watchdog.after(() -> forceIfStillIn(callback), lifecycle.forceGraceNanos());
            return;
        }
        terminator.execute(() -> force(callback));
    }

    /**
     * Terminator thread: the loop thread did not come back, so it is left behind. Everything it
     * holds that can be cancelled from outside is cancelled here (which runs the futures'
     * dependents here, not on the watchdog); if the thread ever returns, it sees the terminated
     * state and runs nothing more but its sweep. Plain tasks still queued, and failures nobody
     * observed, stay with the loop thread (only it may consume its queue): its sweep reports them
     * if it ever returns.
     */
    private void force(long callback) {
        // forced only if still stuck in the same callback and not finished on its own meanwhile
        if (counters.runningSequence() != callback || !lifecycle.force()) {
            if (!done.isDone() && !lifecycle.hasExited()) {
                Watchdog.after(() -> forceIfStillIn(counters.runningSequence()), lifecycle.forceGraceNanos());
            }
            return;
        }
        StackTraceElement[] stack = thread.getStackTrace();
        long cancelled = cancelFromOutside(queue.iterator()) + cancelFromOutside(backlog.iterator());
        cancelled += timers.cancelFromOutside();
        if (counters.lastFuture() instanceof Future<?> running && running.cancel(true)) {
            cancelled++; // most likely the stuck callback itself
        }
        cancelled += inFlight.cancelAll();
        // the loop may have finished just now on its own: then its report stands
        done.complete(report(Outcome.FORCED, counters.tasksRun() - tasksRunAtStart, cancelled,
                Map.of(thread.getName(), List.of(stack)), List.of()));
    }

    /** Cancels the futures among {@code entries} from outside; only iterates (the loop thread is the queue's one consumer). */
    private static long cancelFromOutside(Iterator<Runnable> entries) {
        long cancelled = 0;
        while (entries.hasNext()) {
            if (entries.next() instanceof QueueEntry entry && entry.cancelFromOutside()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    private ShutdownReport report(Outcome outcome, long ran, long cancelled, Map<String, List<StackTraceElement>> stuck,
            List<Throwable> unobserved) {
        return new ShutdownReport(outcome, Duration.ofNanos(lifecycle.sinceRequest()), Math.max(0, ran), cancelled,
                timers.cancelledByShutdown(), stuck, unobserved);
    }
}
