package io.eventthread;

import io.eventthread.internal.TimerHeap;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer: one-shot or periodic. Scheduled off the loop, the task itself travels through the task
 * queue as an "insert me" message; cancelled off the loop after insertion, it travels again as a
 * "remove me" message, so neither scheduling nor cancelling allocates anything more.
 */
final class ScheduledTask<T> extends LoopTask<T> implements ScheduledFuture<T>, TimerHeap.Node {

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
    /** Positive: fixed rate; negative: fixed delay; zero: one-shot. In clock nanoseconds. */
    private final long period;
    private long deadline;
    private long sequence;
    private int heapIndex = TimerHeap.NOT_IN_HEAP;
    /** Loop-confined: the heap has seen this timer (it may since have left it). */
    private boolean inserted;

    ScheduledTask(SingleThreadEventLoop owner, Callable<T> callable, long deadline, long period, Kind kind) {
        super(owner, callable, deadline);
        this.deadline = deadline;
        this.period = period;
        this.kind = kind;
    }

    /** A queue message: insert on first delivery, unlink when delivered again after a cancel. */
    @Override
    public void run() {
        if (!inserted) {
            inserted = true;
            if (!isDone()) {
                owner.insertTimer(this);
            }
        } else if (isDone()) {
            owner.removeTimer(this);
        }
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
            owner.taskFailed(this, failure);
            completeExceptionally(failure);
            return;
        }
        if (!isDone()) {
            deadline = period > 0 ? deadline + period : owner.time() - period;
            owner.insertTimer(this);
        }
    }

    void markInserted() {
        inserted = true;
    }

    boolean isPeriodic() {
        return period != 0;
    }

    @Override
    void onCancelled() {
        owner.timerCancelled(this);
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
