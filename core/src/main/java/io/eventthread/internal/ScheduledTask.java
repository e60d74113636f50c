package io.eventthread.internal;

import io.eventthread.LoopFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer: one-shot or periodic. Scheduled from another thread, it travels through the task queue
 * as a {@link TimerMessage}, "insert me", which {@link Timers} acts on; it never travels through
 * the loop class.
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

    // Memory per pending timer matters (a server may hold 10^5 of them): the deadline is the
    // superclass's dueAt, the timers are the owner's, the flags share one byte, and the fields only
    // some kinds need share one slot; the owner is the one the public LoopFuture holds — 64 bytes
    // with compressed oops (measured with Instrumentation.getObjectSize; 72 with a second owner field).
    private static final byte KIND_MASK = 0b11;
    /** The loop took this timer's insert message (or inserted it directly). */
    private static final byte INSERTED = 0b100;
    /** A work timer that holds a graceful shutdown whether or not anyone chained on it. */
    private static final byte HOLDS_SHUTDOWN = 0b1000;
    /** Cancelled from another thread, which leaves it where it is (the loop drops it later). */
    private static final byte CANCELLED_OUTSIDE = 0b1_0000;
    /** Cancelled and taken out of the heap for good by the loop. */
    private static final byte DROPPED = 0b10_0000;
    private static final Kind[] KINDS = Kind.values();
    private static final VarHandle BITS;

    static {
        try {
            BITS = MethodHandles.lookup().findVarHandle(ScheduledTask.class, "bits", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The kind's ordinal and the flags above. The loop and a canceller on another thread set
     * theirs with one atomic read-modify-write each, and each reads the other's in what it gets
     * back: that decides, exactly once, whether a cancelled timer is in the heap and counted as
     * garbage there. {@link #HOLDS_SHUTDOWN} may be set by the scheduling thread meanwhile.
     */
    private byte bits;
    private int sequence;
    private int heapIndex = TimerHeap.NOT_IN_HEAP;
    /**
     * What only some timers need: a periodic timer's period (a {@code Long}: positive fixed rate,
     * negative fixed delay, in clock nanoseconds); a work timer's chained stages (a list, guarded
     * by this: while one is incomplete, someone waits for the timer); a one-shot plain timer's
     * {@code Runnable}, run without a wrapper ({@code callable} is then null); else null.
     */
    private Object extra;

    ScheduledTask(TaskOwner owner, Callable<T> callable, long deadline, long period, Kind kind) {
        this(owner, callable, deadline, period, kind, false);
    }

    /** A timer that, if {@code tracked}, tells its owner when it completes (an executor view's timer). */
    ScheduledTask(TaskOwner owner, Callable<T> callable, long deadline, long period, Kind kind, boolean tracked) {
        super(owner, callable, deadline, tracked);
        this.bits = (byte) kind.ordinal();
        if (kind == Kind.PERIODIC) {
            this.extra = period;
        }
    }

    /** A one-shot plain timer that runs {@code task} itself, with no {@code Callable} around it. */
    ScheduledTask(TaskOwner owner, Runnable task, long deadline) {
        this(owner, task, deadline, false);
    }

    /** As above; if {@code tracked}, it tells its owner when it completes (an executor view's timer). */
    ScheduledTask(TaskOwner owner, Runnable task, long deadline, boolean tracked) {
        super(owner, null, deadline, tracked);
        this.bits = (byte) Kind.PLAIN.ordinal();
        this.extra = task;
    }

    Kind kind() {
        return KINDS[bits & KIND_MASK];
    }

    /**
     * Loop thread, taking the insert message: marks this timer inserted, atomically.
     * @return {@code false} if a canceller on another thread got here first (it then counted
     *         nothing); else a later cancel counts it, until {@link #markDropped}
     */
    boolean markInserted() {
        byte before = (byte) BITS.getAndBitwiseOr(this, INSERTED);
        return (before & (INSERTED | CANCELLED_OUTSIDE)) == 0;
    }

    /**
     * Loop thread, scheduling on itself: a plain write, since another thread can reach this timer
     * (to cancel it) only through a hand-off that happens after it, and only this thread writes
     * the flags until then.
     */
    void markInsertedOnLoop() {
        bits |= INSERTED;
    }

    /**
     * Another thread, having cancelled this timer: one atomic step that orders it against the
     * loop's {@link #markInserted} and {@link #markDropped} — so exactly one side accounts for it.
     * @return whether the cancelled timer was left in the heap, which the caller then counts
     */
    boolean markCancelledOutside() {
        byte before = (byte) BITS.getAndBitwiseOr(this, CANCELLED_OUTSIDE);
        return (before & (INSERTED | DROPPED)) == INSERTED;
    }

    /**
     * Loop thread, taking this cancelled timer out of the heap for good.
     * @return whether a canceller on another thread counted it as left in the heap
     */
    boolean markDropped() {
        byte before = (byte) BITS.getAndBitwiseOr(this, DROPPED);
        return (before & CANCELLED_OUTSIDE) != 0;
    }

    private long period() {
        return extra instanceof Long p ? p : 0;
    }

    /** The queue message: {@link Timers} inserts or unlinks it. */
    @Override
    public void run() {
        owner().timers().delivered(this);
    }

    /** Fires the timer on the loop; called when it is due and has left the heap. */
    void fire() {
        long period = period();
        if (period == 0) {
            if (claim(STARTED)) {
                owner().taskStarted(this, dueAt);
                if (extra instanceof Runnable task) {
                    runPlain(task);
                } else {
                    runClaimed();
                }
            } else {
                owner().timers().dropped(this); // cancelled since the loop took it from the heap
            }
            return;
        }
        if (isDone()) {
            owner().timers().dropped(this);
            return;
        }
        owner().taskStarted(this, dueAt);
        try {
            callable.call();
        } catch (Throwable failure) {
            owner().taskFailed(this, failure, true);
            completeExceptionally(failure);
            return;
        }
        if (!isDone()) {
            dueAt = period > 0 ? dueAt + period : owner().time() - period;
            owner().timers().insert(this);
        } else {
            owner().timers().dropped(this);
        }
    }

    private void runPlain(Runnable task) {
        try {
            task.run();
        } catch (Throwable failure) {
            owner().taskFailed(this, failure, true);
            completeExceptionally(failure);
            return;
        }
        complete(null);
    }

    @Override
    String description() {
        return extra instanceof Runnable task ? task.toString() : super.description();
    }

    /** Makes this work timer hold a graceful shutdown until it fires or is cancelled. */
    void holdsShutdown() {
        BITS.getAndBitwiseOr(this, HOLDS_SHUTDOWN); // the loop may be setting INSERTED meanwhile
    }

    /**
     * Whether a graceful shutdown must wait for this timer: a plain timer the policy admitted, or
     * a work timer someone still waits on. A {@code sleep} whose only waiter was cancelled (say,
     * with the task that slept) is waited on by nobody, and does not hold the shutdown.
     */
    boolean holdsShutdownNow() {
        Kind kind = kind();
        if (kind == Kind.PLAIN) {
            return true;
        }
        if (kind != Kind.WORK) {
            return false;
        }
        if ((bits & HOLDS_SHUTDOWN) != 0 || hasWaiters()) {
            return true; // a thread blocked in get() on this timer waits for it too
        }
        synchronized (this) {
            if (!(extra instanceof List<?> dependents)) {
                return false;
            }
            dependents.removeIf(d -> ((CompletableFuture<?>) d).isDone());
            return !dependents.isEmpty();
        }
    }

    @Override
    public <U> LoopFuture<U> newIncompleteFuture() {
        LoopFuture<U> dependent = super.newIncompleteFuture();
        if (kind() == Kind.WORK) {
            synchronized (this) {
                @SuppressWarnings("unchecked")
                List<CompletableFuture<?>> dependents = (List<CompletableFuture<?>>) extra;
                if (dependents == null) {
                    extra = dependents = new ArrayList<>(2);
                }
                dependents.add(dependent);
            }
        }
        return dependent;
    }

    /** The waiting threads' one wake-up is not a dependent that waits for the timer. */
    @Override
    CompletableFuture<T> registerWaker(java.util.function.BiConsumer<? super T, ? super Throwable> waker) {
        synchronized (this) {
            CompletableFuture<T> wakeUp = super.registerWaker(waker);
            if (extra instanceof List<?> dependents) {
                dependents.remove(wakeUp);
            }
            return wakeUp;
        }
    }

    @Override
    void onCancelled() {
        owner().timers().cancelled(this);
    }

    @Override
    public long deadlineNanos() {
        return dueAt;
    }

    @Override
    public int sequence() {
        return sequence;
    }

    @Override
    public void sequence(int sequence) {
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
        return dueAt;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(dueAt - owner().time(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
}
