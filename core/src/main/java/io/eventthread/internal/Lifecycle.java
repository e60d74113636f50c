package io.eventthread.internal;

import io.eventthread.LoopClock;
import io.eventthread.LoopState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A loop's life-cycle as a state machine with named transitions:
 *
 * <pre>
 *   NEW ──start──▶ RUNNING ──beginShutdown──▶ SHUTTING_DOWN ──terminate──▶ TERMINATED
 *    └──────────────beginShutdown (never started)──────────────────────────▲      ▲
 *                                              SHUTTING_DOWN ──force───────┘──────┘
 *                                                    TERMINATED ──exited (the sweep is done)
 * </pre>
 *
 * A loop stuck in user code can be forced while shutting down, or after {@code terminate} while
 * its sweep (which runs continuations) is stuck; once it has {@code exited}, never.
 *
 * While shutting down the loop <em>drains</em> ({@link #drained}) until no work is pending or the
 * deadline passes. Every time it reads — the request, the deadline, the force grace after it —
 * comes from the injected {@link LoopClock}, so a shutdown can be driven by a fake clock.
 * The state only moves forward; {@code TERMINATED} is final.
 *
 * <p>This is the one owner of a loop's state and of every decision that depends on it: whether a
 * submission is admitted ({@link #admits}) and why not ({@link #refusal}), whether the loop stops
 * running callbacks ({@link #mustStopRunning}), has drained ({@link #drained}), may be forced
 * ({@link #force}). Nothing else reads the state but through these and the {@code is*} questions.
 * The state is the API's {@link LoopState}, in one volatile field: a check on the submission path
 * is one volatile read and a reference comparison.
 */
final class Lifecycle {

    /** What {@link #beginShutdown} did. */
    enum Begin {
        /** The loop never started: it is terminated now, with nothing to drain. */
        NEVER_STARTED,
        /** The loop was running: it is shutting down now. */
        SHUTTING_DOWN,
        /** A shutdown had already begun, or the loop had terminated: nothing changed. */
        NONE
    }

    private static final LoopState NEW = LoopState.NEW;
    private static final LoopState RUNNING = LoopState.RUNNING;
    private static final LoopState SHUTTING_DOWN = LoopState.SHUTTING_DOWN;
    private static final LoopState TERMINATED = LoopState.TERMINATED;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lifecycle.class, "state", LoopState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopClock clock;
    private final long forceGraceNanos;
    private volatile LoopState state = NEW;
    private volatile long requestedAt;
    private volatile boolean requested;
    private volatile long deadline;
    private volatile boolean forced;
    private volatile boolean exited;

    Lifecycle(LoopClock clock, long forceGraceNanos) {
        this.clock = clock;
        this.forceGraceNanos = forceGraceNanos;
    }

    // ---------------------------------------------------------------- transitions

    /** NEW → RUNNING. @return whether this call started the loop */
    boolean start() {
        return STATE.compareAndSet(this, NEW, RUNNING);
    }

    /**
     * NEW → TERMINATED, or RUNNING → SHUTTING_DOWN, with a deadline {@code timeoutNanos} after
     * {@code requestedAtNanos} (loop-clock time; the timeout is saturated by the caller).
     */
    Begin beginShutdown(long requestedAtNanos, long timeoutNanos) {
        requestedAt = requestedAtNanos;
        deadline = requestedAtNanos + Durations.clamp(timeoutNanos);
        requested = true;
        if (STATE.compareAndSet(this, NEW, TERMINATED)) {
            return Begin.NEVER_STARTED;
        }
        return STATE.compareAndSet(this, RUNNING, SHUTTING_DOWN) ? Begin.SHUTTING_DOWN : Begin.NONE;
    }

    /** Any state → TERMINATED, by the loop thread as it leaves its run loop. */
    void terminate() {
        state = TERMINATED; // final, and every other transition is a CAS from an earlier state
    }

    /** The loop thread finished its exit (the sweep after {@link #terminate}): nothing is left to force. */
    void exited() {
        exited = true;
    }

    /**
     * SHUTTING_DOWN → TERMINATED for a loop stuck past the deadline and grace; or, for a loop
     * TERMINATED by its own exit but stuck in its sweep, marks it forced.
     * @return {@code true} the first time a loop that is shutting down, or terminated and still
     *         exiting, is forced; {@code false} if it never began to shut down, has exited, or
     *         was forced already
     */
    synchronized boolean force() {
        if (forced || exited) {
            return false;
        }
        LoopState s = state;
        if (s == SHUTTING_DOWN && !STATE.compareAndSet(this, SHUTTING_DOWN, TERMINATED)) {
            s = state; // the loop thread terminated meanwhile
        }
        if (s == SHUTTING_DOWN || s == TERMINATED) {
            forced = true;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- decisions

    /**
     * Admission: while running the loop takes work from anyone; while shutting down, only work it
     * already owns ({@code owned}) or work its own callbacks submit; never before start or after
     * termination. One volatile read while running.
     */
    boolean admits(boolean owned, Thread loopThread) {
        LoopState s = state;
        return s == RUNNING || s == SHUTTING_DOWN && (owned || Thread.currentThread() == loopThread);
    }

    /** Why a submission {@link #admits} refused was refused, for the rejection's message. */
    String refusal() {
        LoopState s = state;
        return s == NEW ? "it has not been started" : s == SHUTTING_DOWN ? "it is shutting down" : "it has terminated";
    }

    /**
     * Loop thread, between callbacks: whether to stop running queued work. Reads the clock only
     * while shutting down, so a callback that returns after the deadline (say, interrupted) is not
     * followed by more work.
     */
    boolean mustStopRunning() {
        LoopState s = state;
        return s != RUNNING && (s == TERMINATED || deadlinePassed());
    }

    /**
     * The drain: whether a shutting-down loop is done, because no work is pending or the deadline
     * has passed.
     */
    boolean drained(boolean noPendingWork) {
        return noPendingWork || deadlinePassed();
    }

    /** How long a loop going idle may park: until its next timer ({@code nanosToTimer}, negative if none) or the deadline. */
    long parkNanos(long nanosToTimer) {
        if (state != SHUTTING_DOWN) {
            return nanosToTimer;
        }
        long untilDeadline = nanosToDeadline();
        return nanosToTimer < 0 ? untilDeadline : Math.min(nanosToTimer, untilDeadline);
    }

    // ---------------------------------------------------------------- reading

    LoopState state() {
        return state;
    }

    boolean isRunning() {
        return state == RUNNING;
    }

    boolean isShuttingDown() {
        return state == SHUTTING_DOWN;
    }

    boolean isTerminated() {
        return state == TERMINATED;
    }

    boolean wasForced() {
        return forced;
    }

    boolean hasExited() {
        return exited;
    }

    /** The shutdown deadline in loop-clock time; meaningful once a shutdown has begun. */
    long deadline() {
        return deadline;
    }

    /** Whether the shutdown deadline has passed; reads the clock, so call it only while shutting down. */
    boolean deadlinePassed() {
        return clock.nanoTime() - deadline >= 0;
    }

    /** Nanoseconds until the deadline, 0 once passed. */
    long nanosToDeadline() {
        return Math.max(0, deadline - clock.nanoTime());
    }

    /** How long an interrupted loop thread has, after the deadline, before it is forced. */
    long forceGraceNanos() {
        return forceGraceNanos;
    }

    /** Loop-clock nanoseconds since the shutdown was requested; 0 if none was. */
    long sinceRequest() {
        return requested ? Math.max(0, clock.nanoTime() - requestedAt) : 0;
    }
}
