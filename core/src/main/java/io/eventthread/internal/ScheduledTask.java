package io.eventthread.internal;

import io.eventthread.LoopFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer: one-shot or periodic. As a queue entry it is a {@link TimerMessage} — "insert me" on
 * first delivery, "remove me" when delivered again after a cancel — which {@link Timers} acts
 * on; it never travels through the loop class.
 */
final class ScheduledTask<T> extends TaskFuture<T> implements TimerMessage, ScheduledFuture<T>, TimerHeap.Node {

    /** Why a timer exists, which decides what a graceful shutdown does with it. */
    enum Kind {
        /** {@code callLater}, {@code callAt}, {@code schedule}: subject to the timer shutdown policy. */
        PLAIN,
        /** {@code sleep}, {@code timeout}: in-flight work waits on it, so shutdown keeps it. */
        WORK,
        /** Fixed rate or fixed delay: cancelled when shutdown begins. */
        PERIODIC
    }

    final Kind kind;
    private final Timers timers;
    /** Positive: fixed rate; negative: fixed delay; zero: one-shot. In clock nanoseconds. */
    private final long period;
    private long deadline;
    private long sequence;
    private int heapIndex = TimerHeap.NOT_IN_HEAP;
    /** Loop-confined: the heap has seen this timer (it may since have left it). */
    boolean inserted;
    /** A work timer that holds a graceful shutdown whether or not anyone chained on it. */
    private boolean holdsShutdown;
    /** Stages chained on a work timer: while one is incomplete, someone waits for the timer. */
    private List<CompletableFuture<?>> dependents;

    ScheduledTask(TaskOwner owner, Timers timers, Callable<T> callable, long deadline, long period, Kind kind) {
        super(owner, callable, deadline, false);
        this.timers = timers;
        this.deadline = deadline;
        this.period = period;
        this.kind = kind;
    }

    /** The queue message: {@link Timers} inserts or unlinks it. */
    @Override
    public void run() {
        timers.delivered(this);
    }

    /** Fires the timer on the loop; called when it is due and has left the heap. */
    void fire() {
        if (period == 0) {
            if (claim(STARTED)) {
                owner.taskStarted(this, deadline);
                runClaimed();
            }
            return;
        }
        if (isDone()) {
            return;
        }
        owner.taskStarted(this, deadline);
        try {
            callable.call();
        } catch (Throwable failure) {
            owner.taskFailed(this, failure, true);
            completeExceptionally(failure);
            return;
        }
        if (!isDone()) {
            deadline = period > 0 ? deadline + period : owner.time() - period;
            timers.insert(this);
        }
    }

    /** Makes this work timer hold a graceful shutdown until it fires or is cancelled. */
    void holdsShutdown() {
        holdsShutdown = true;
    }

    /**
     * Whether a graceful shutdown must wait for this timer: a plain timer the policy admitted, or
     * a work timer someone still waits on. A {@code sleep} whose only waiter was cancelled (say,
     * with the task that slept) is waited on by nobody, and does not hold the shutdown.
     */
    boolean holdsShutdownNow() {
        if (kind == Kind.PLAIN) {
            return true;
        }
        if (kind != Kind.WORK) {
            return false;
        }
        if (holdsShutdown) {
            return true;
        }
        synchronized (this) {
            if (dependents == null) {
                return false;
            }
            dependents.removeIf(CompletableFuture::isDone);
            return !dependents.isEmpty();
        }
    }

    @Override
    public <U> LoopFuture<U> newIncompleteFuture() {
        LoopFuture<U> dependent = super.newIncompleteFuture();
        if (kind == Kind.WORK) {
            synchronized (this) {
                if (dependents == null) {
                    dependents = new ArrayList<>(2);
                }
                dependents.add(dependent);
            }
        }
        return dependent;
    }

    @Override
    void onCancelled() {
        timers.cancelled(this);
    }

    /** As a queue entry at termination: a removal message is spent; an insert message is cancelled work. */
    @Override
    public int terminate(List<Runnable> neverStarted) {
        if (isDone()) {
            return 0;
        }
        cancel(false);
        return 1;
    }

    @Override
    public boolean cancelFromOutside() {
        return cancel(false);
    }

    @Override
    public long deadlineNanos() {
        return deadline;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    void sequence(long sequence) {
        this.sequence = sequence;
    }

    @Override
    public int heapIndex() {
        return heapIndex;
    }

    @Override
    public void heapIndex(int index) {
        this.heapIndex = index;
    }

    @Override
    public long when() {
        return deadline;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadline - owner.time(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
}
