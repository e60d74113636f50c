package io.eventthread;

import io.eventthread.ShutdownReport.Outcome;
import io.eventthread.internal.TimerHeap;
import io.eventthread.internal.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One loop's part of a graceful shutdown: the timer policy when it begins, termination when work
 * runs out or the deadline passes, and — from the watchdog thread — the interrupt and the forced
 * termination of a loop stuck in a callback. Either the loop thread or the watchdog completes
 * {@link #done()}; whichever is first wins, and the other side only releases what it holds.
 */
final class LoopShutdown {

    private final SingleThreadEventLoop loop;
    private final Settings.LoopSettings settings;
    private final CompletableFuture<ShutdownReport> done = new CompletableFuture<>();
    private final List<Runnable> neverStarted = Collections.synchronizedList(new ArrayList<>());

    private volatile long deadlineNanos;
    private volatile long deadlineLoopTime;
    private volatile long requestedAt;
    private volatile boolean forced;
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
    private final java.util.concurrent.CopyOnWriteArrayList<OnShutdown> callbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set on the loop thread once the callbacks have run; later registrations run at once. */
    private volatile boolean callbacksRan;
    /** Set by another thread that ended the last in-flight work: the loop should look again. */
    private volatile boolean wakeRequested;
    // loop thread only
    private boolean policyApplied;
    private volatile long tasksRunAtStart;
    private long timersCancelled;

    LoopShutdown(SingleThreadEventLoop loop, Settings.LoopSettings settings) {
        this.loop = loop;
        this.settings = settings;
    }

    CompletableFuture<ShutdownReport> done() {
        return done;
    }

    List<Runnable> neverStarted() {
        synchronized (neverStarted) {
            return new ArrayList<>(neverStarted);
        }
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Any thread: a callback for the start of the shutdown. */
    LoopHandle register(Runnable callback) {
        OnShutdown handle = new OnShutdown(callback, loop.time());
        if (loop.stateValue() == SingleThreadEventLoop.ST_TERMINATED) {
            handle.cancel();
            return handle;
        }
        callbacks.add(handle);
        if (callbacksRan && callbacks.remove(handle)) {
            // the shutdown's callbacks already ran: run this one as soon as possible on the loop
            loop.executeInternal(handle::run);
        }
        return handle;
    }

    /** A registered shutdown callback; cancelling it deregisters it. */
    private final class OnShutdown implements LoopHandle {
        private final Runnable callback;
        private final long registeredAt;
        private volatile boolean cancelled;
        private volatile boolean ran;

        OnShutdown(Runnable callback, long registeredAt) {
            this.callback = callback;
            this.registeredAt = registeredAt;
        }

        void run() {
            if (cancelled || ran || !loop.inEventLoop()) {
                return; // cancelled, already run, or the loop terminated before it could run
            }
            ran = true;
            try {
                callback.run();
            } catch (Throwable failure) {
                loop.instruments().callbackThrew(callback, failure);
            }
        }

        @Override
        public boolean cancel() {
            if (cancelled || ran) {
                return false;
            }
            cancelled = true;
            callbacks.remove(this);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public long when() {
            return registeredAt;
        }

        @Override
        public String toString() {
            return "on shutdown: " + callback;
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

    /** Whether a shutdown's deadline has passed; reads the clock, so call it only while shutting down. */
    boolean deadlinePassed() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** Any thread: starts the shutdown of this loop with a deadline in {@link System#nanoTime()} time. */
    void begin(long requestedAtNanos, long timeoutNanos) {
        requestedAt = requestedAtNanos;
        deadlineNanos = requestedAtNanos + timeoutNanos;
        // read off the loop thread, so approximate by the tasks in flight at this instant
        tasksRunAtStart = loop.instruments().tasksRun();
        long now = loop.time();
        deadlineLoopTime = now + Math.min(timeoutNanos, Long.MAX_VALUE >> 1);
        if (loop.casState(SingleThreadEventLoop.ST_NEW, SingleThreadEventLoop.ST_TERMINATED)) {
            // never started: nothing ran, but newFuture() promises may have been handed out
            loop.cancelTracked();
            done.complete(report(Outcome.GRACEFUL, 0, 0, Map.of(), List.of()));
            return;
        }
        if (loop.casState(SingleThreadEventLoop.ST_RUNNING, SingleThreadEventLoop.ST_SHUTTING_DOWN)) {
            // the loop may be parked with no timer: wake it to apply the timer policy
            loop.wakeUp();
            Watchdog.after(this::deadlineReached, deadlineNanos - System.nanoTime());
        }
    }

    /**
     * Loop thread, each turn while shutting down.
     * @param noPendingWork whether the queue is empty and no asynchronous or blocking work is in
     *        flight, asked after the shutdown callbacks ran (they may start work)
     * @return {@code true} when the loop should stop
     */
    boolean step(java.util.function.BooleanSupplier noPendingWork, TimerHeap<ScheduledTask<?>> timers) {
        if (!policyApplied) {
            policyApplied = true;
            callbacksRan = true;
            for (OnShutdown callback : callbacks) {
                callback.run();
            }
            callbacks.clear();
            for (Object o : timers.snapshot()) {
                ScheduledTask<?> timer = (ScheduledTask<?>) o;
                if (!admits(timer)) {
                    cancelByPolicy(timer);
                }
            }
        }
        return (noPendingWork.getAsBoolean() && !anyHolds(timers)) || deadlinePassed();
    }

    private static boolean anyHolds(TimerHeap<ScheduledTask<?>> timers) {
        if (timers.isEmpty()) {
            return false;
        }
        for (Object o : timers.snapshot()) {
            if (((ScheduledTask<?>) o).holdsShutdownNow()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a timer may stay while shutting down. */
    boolean admits(ScheduledTask<?> timer) {
        return switch (timer.kind) {
            case WORK -> true;
            case PERIODIC -> false;
            case PLAIN -> settings.timerShutdownPolicy() == TimerShutdownPolicy.RUN_BEFORE_DEADLINE
                    && timer.deadlineNanos() - deadlineLoopTime <= 0;
        };
    }

    void cancelByPolicy(ScheduledTask<?> timer) {
        if (timer.cancel(false)) {
            timersCancelled++;
        }
    }

    /** Loop thread, as it leaves its run loop for any reason: releases everything still pending. */
    void loopExited(TimerHeap<ScheduledTask<?>> timers) {
        while (!loop.casState(loop.stateValue(), SingleThreadEventLoop.ST_TERMINATED)) {
            Thread.onSpinWait();
        }
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
        long workTimers = 0;
        ScheduledTask<?> timer;
        while ((timer = timers.poll()) != null) {
            boolean awaited = timer.holdsShutdownNow();
            if (timer.cancel(false)) {
                timersCancelled++;
                if (awaited) {
                    workTimers++;
                }
            }
        }
        loop.cancelTracked();
        cancelled += inFlightNow;
        neverStarted.addAll(never);
        loop.instruments().terminated();
        List<Throwable> unobserved = loop.instruments().unobservedFailures();
        Outcome outcome = cancelled + workTimers > 0 ? Outcome.CANCELLED : Outcome.GRACEFUL;
        done.complete(report(outcome, loop.instruments().tasksRun() - tasksRunAtStart, cancelled, Map.of(), unobserved));
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
                if (forced && task instanceof LoopTask<?> f) {
                    f.cancel(false);
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
                    if (task instanceof LoopTask<?> f) {
                        f.cancel(false);
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
        loop.wakeUp();
        long callback = loop.instruments().runningSequence();
        if (callback != 0) {
            loop.thread().interrupt();
        }
        Watchdog.after(() -> forceIfStillIn(callback), EventThread.FORCE_GRACE.toNanos());
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
        long callback = loop.instruments().runningSequence();
        if (callback == 0 || callback != callbackAtDeadline) {
            // the loop is making progress (a slow machine, not a stuck callback): it terminates
            // on its own at its next turn; look again after another grace
            Watchdog.after(() -> forceIfStillIn(loop.instruments().runningSequence()), EventThread.FORCE_GRACE.toNanos());
            return;
        }
        forced = true;
        loop.casState(SingleThreadEventLoop.ST_SHUTTING_DOWN, SingleThreadEventLoop.ST_TERMINATED);
        StackTraceElement[] stack = loop.thread().getStackTrace();
        long cancelled = loop.cancelQueuedFromOutside();
        for (Object o : loop.timerSnapshot()) {
            if (o instanceof ScheduledTask<?> timer && timer.cancel(false)) {
                cancelled++;
            }
        }
        if (loop.instruments().lastFuture() instanceof Future<?> running && running.cancel(true)) {
            cancelled++; // most likely the stuck callback itself
        }
        cancelled += loop.cancelTracked();
        done.complete(report(Outcome.FORCED, loop.instruments().tasksRun() - tasksRunAtStart, cancelled,
                Map.of(loop.name(), List.of(stack)), List.of()));
    }

    private ShutdownReport report(Outcome outcome, long ran, long cancelled, Map<String, List<StackTraceElement>> stuck,
            List<Throwable> unobserved) {
        long duration = requestedAt == 0 ? 0 : Math.max(0, System.nanoTime() - requestedAt);
        return new ShutdownReport(outcome, Duration.ofNanos(duration), Math.max(0, ran), cancelled, timersCancelled,
                stuck, unobserved);
    }
}
