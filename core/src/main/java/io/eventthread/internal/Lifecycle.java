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
 */
final class Lifecycle {

    static final int NEW = 0;
    static final int RUNNING = 1;
    static final int SHUTTING_DOWN = 2;
    static final int TERMINATED = 3;

    /** What {@link #beginShutdown} did. */
    enum Begin {
        /** The loop never started: it is terminated now, with nothing to drain. */
        NEVER_STARTED,
        /** The loop was running: it is shutting down now. */
        SHUTTING_DOWN,
        /** A shutdown had already begun, or the loop had terminated: nothing changed. */
        NONE
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lifecycle.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopClock clock;
    private final long forceGraceNanos;
    private volatile int state = NEW;
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

    /**
     * The drain: whether a shutting-down loop is done, because no work is pending or the deadline
     * has passed.
     */
    boolean drained(boolean noPendingWork) {
        return noPendingWork || deadlinePassed();
    }

    /** Any state → TERMINATED, by the loop thread as it leaves its run loop. */
    void terminate() {
        int s;
        do {
            s = state;
        } while (s != TERMINATED && !STATE.compareAndSet(this, s, TERMINATED));
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
        int s = state;
        if (s == SHUTTING_DOWN && !STATE.compareAndSet(this, SHUTTING_DOWN, TERMINATED)) {
            s = state; // the loop thread terminated meanwhile
        }
        if (s == SHUTTING_DOWN || s == TERMINATED) {
            forced = true;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- reading

    int value() {
        return state;
    }

    LoopState state() {
        return LoopState.values()[state];
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
