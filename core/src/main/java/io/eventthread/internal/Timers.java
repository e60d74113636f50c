package io.eventthread.internal;

import io.eventthread.LoopClock;
import io.eventthread.TimerShutdownPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Predicate;

/**
 * The timers of one loop: the heap and the whole timer protocol in one place. A timer scheduled
 * on the loop goes straight into the heap; from another thread it travels through the task queue
 * as an "insert me" message, the timer object itself, so scheduling allocates nothing more.
 * Deadlines are capped at {@link Durations#MAX_NANOS} from now, so they compare by subtraction.
 * What a graceful shutdown does with each kind of timer is decided here too.
 *
 * <p>A cancel on the loop unlinks the timer at once. A cancel from another thread sends nothing:
 * the timer stays in the heap as garbage, counted, and the loop drops it when it reaches the top,
 * or purges all garbage in one linear pass once it is more than half the heap (Go's runtime timers
 * did the same at a quarter; at a half a burst of cancels is scanned twice over, not four times).
 * That spares the canceller a queue offer and the loop a message and an O(log n) unlink per
 * cancel; the purge costs O(1) per cancel amortized, and past the loop's next turn garbage never
 * holds more memory than the live timers do. {@link #size()} counts live timers only.
 *
 * <p>A timer message wakes a parked loop only when the loop must see it sooner than it will
 * anyway (Netty's lazy execute, for the same reason): the loop parks until its earliest timer, so
 * a timer due no earlier than that one waits for that wake-up, which costs the scheduling thread
 * no system call. At most {@link #QUIET_LIMIT} entries wait so; beyond that a message wakes the
 * loop anyway; so does every {@link #QUIET_LIMIT}th cancel, so that a sleeping loop purges.
 *
 * <p>The heap is confined to the loop thread; {@link #schedule} and {@link #cancelled} may be
 * called from any thread.
 */
final class Timers {

    /** Where timer messages go: the loop's task queue, and its wake-up. */
    interface Host {
        boolean inEventLoop();

        /** Queues a new timer without waking the loop, or throws the rejection the caller sees. */
        void offerQuietly(Runnable timer);

        /** @return whether the loop thread is parked (or about to park and re-check its queue) */
        boolean isParked();

        /** Unparks the loop thread if it parked. */
        void wakeUp();

        int queueSize();
    }

    /** Entries that may wait for a parked loop's timed wake-up; past this a timer message wakes it. */
    static final int QUIET_LIMIT = 1024;

    private static final VarHandle QUIET_MESSAGES;
    private static final VarHandle GARBAGE_DROPPED;

    static {
        try {
            QUIET_MESSAGES = MethodHandles.lookup().findVarHandle(Timers.class, "quietMessages", long.class);
            GARBAGE_DROPPED = MethodHandles.lookup().findVarHandle(Timers.class, "garbageDropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TimerHeap<ScheduledTask<?>> heap = new TimerHeap<>();
    private final Host host;
    private final Lifecycle lifecycle;
    private final LoopClock clock;
    private final TimerShutdownPolicy policy;
    /** Timers cancelled by the shutdown (policy, deadline, force), for the report. */
    private volatile long cancelledByShutdown;
    // Written by the loop as it decides how long to park, before IdleStrategy publishes `parked`;
    // read by threads that then find it parked: whether it parks until a timer, and which deadline.
    private volatile boolean parkedForTimer;
    private volatile long parkedUntil;
    /** Timer messages that found the loop parked and let it sleep on (for tests). */
    private volatile long quietMessages;
    /**
     * Timers cancelled from other threads while in the heap; less {@link #garbageDropped}, the
     * garbage there. On lines of its own: cancellers add to it, and the loop writes this object.
     */
    private final PaddedCounter cancelledInHeap = new PaddedCounter();
    /**
     * Loop thread: those of them it has since taken out of the heap. Written with opaque stores
     * (a plain store on x86, no fence per dropped timer), read with opaque loads elsewhere.
     */
    private long garbageDropped;

    Timers(Host host, Lifecycle lifecycle, LoopClock clock, TimerShutdownPolicy policy) {
        this.host = host;
        this.lifecycle = lifecycle;
        this.clock = clock;
        this.policy = policy;
    }

    /** The deadline {@code delayNanos} from now, the delay saturated to 0..{@link Durations#MAX_NANOS}. */
    long deadlineAfter(long delayNanos) {
        return clock.nanoTime() + Durations.clamp(delayNanos);
    }

    /** The deadline for an absolute loop time, clamped to now..now + {@link Durations#MAX_NANOS}. */
    long deadlineAt(long loopTimeNanos) {
        long now = clock.nanoTime();
        long delta = loopTimeNanos - now;
        if (((loopTimeNanos ^ now) & (loopTimeNanos ^ delta)) < 0) {
            // the subtraction overflowed (Long.MIN_VALUE, Long.MAX_VALUE, a clock with a negative
            // origin): the true distance is beyond any delay, in the direction of the operands
            delta = loopTimeNanos < now ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return delta < 0 ? now : delta > Durations.MAX_NANOS ? now + Durations.MAX_NANOS : loopTimeNanos;
    }

    /** Any thread: a new timer enters, directly on the loop, else as an insert message. */
    void schedule(ScheduledTask<?> timer) {
        if (host.inEventLoop() && !lifecycle.isTerminated()) {
            timer.markInsertedOnLoop();
            insert(timer);
        } else {
            host.offerQuietly(timer);
            wakeFor(timer.deadlineNanos());
        }
    }

    /**
     * After a timer message was queued without a wake-up: unparks the loop unless it will read
     * its queue by {@code deadline} anyway. A loop that is not parked sees the message (one about
     * to park re-checks its queue after publishing {@code parked}: the Dekker pair in
     * {@link IdleStrategy}); a loop parked until an earlier timer reads it when it wakes for that
     * one, so the new timer is in the heap before it can be due.
     */
    private void wakeFor(long deadline) {
        if (!host.isParked()) {
            return;
        }
        if (parkedForTimer && deadline - parkedUntil >= 0 && host.queueSize() < QUIET_LIMIT) {
            QUIET_MESSAGES.getAndAdd(this, 1L);
            return;
        }
        host.wakeUp();
    }

    /** Timer messages that let a parked loop sleep on. */
    long quietMessages() {
        return quietMessages;
    }

    /** Loop thread: a timer's insert message arrived: insert it unless it was cancelled meanwhile. */
    void delivered(ScheduledTask<?> timer) {
        if (!timer.markInserted()) {
            return; // cancelled from another thread before this: counted by nobody
        }
        if (timer.isDone()) {
            dropped(timer); // done since: a canceller may have counted it after the mark
            return;
        }
        insert(timer);
    }

    /**
     * Loop thread: adds a timer to the heap, unless the shutdown policy says otherwise. Every path
     * that keeps a timer the loop has marked inserted out of the heap goes through
     * {@link #dropped}, or a canceller's count of it would never be taken back.
     */
    void insert(ScheduledTask<?> timer) {
        if (lifecycle.isShuttingDown() && !admits(timer)) {
            cancelByShutdown(timer);
            dropped(timer);
            return;
        }
        heap.add(timer);
    }

    /**
     * Any thread, once a timer is cancelled (its future already completed): on the loop, unlink
     * it now; from another thread, count it if it is in the heap and leave it there. A timer whose
     * insert message the loop has not taken yet is not inserted at all.
     */
    void cancelled(ScheduledTask<?> timer) {
        if (host.inEventLoop()) {
            heap.remove(timer);
        } else if (timer.markCancelledOutside()) {
            long garbage = cancelledInHeap.increment();
            if (garbage % QUIET_LIMIT == 0 && host.isParked()) {
                host.wakeUp(); // a loop asleep until a far timer purges on its way back to sleep
            }
        }
    }

    /** Loop thread: a cancelled timer has left the heap for good. */
    void dropped(ScheduledTask<?> timer) {
        if (timer.markDropped()) {
            GARBAGE_DROPPED.setOpaque(this, garbageDropped + 1);
        }
    }

    /** Cancelled timers in the heap (an instant's view from another thread). */
    private long garbage() {
        return cancelledInHeap.get() - (long) GARBAGE_DROPPED.getOpaque(this);
    }

    /** Loop thread: removes every cancelled timer in one pass once they are over half the heap. */
    private void purgeIfWorthIt() {
        long garbage = garbage();
        if (garbage > 0 && garbage * 2 > heap.size()) {
            heap.removeIf(ScheduledTask::isDone, this::dropped);
        }
    }

    /**
     * Loop thread: fires due timers, at most {@code max}.
     * @param fire runs one timer's callback in the loop's bracket; returns whether to go on
     * @return how many fired
     */
    int runDue(Predicate<ScheduledTask<?>> fire, int max) {
        if (heap.isEmpty()) {
            return 0;
        }
        purgeIfWorthIt();
        int ran = 0;
        long now = clock.nanoTime();
        ScheduledTask<?> timer;
        while ((timer = heap.peek()) != null && timer.deadlineNanos() - now <= 0 && ran < max) {
            heap.poll();
            ran++;
            if (timer.isDone()) {
                dropped(timer); // garbage: a cancel's leftover, not a callback
            } else if (!fire.test(timer)) {
                break;
            }
        }
        return ran;
    }

    /**
     * Loop thread, as it decides how long to park: nanoseconds until the next timer; -1 for none;
     * 0 if due now. Publishes the deadline for {@link #wakeFor}.
     */
    long nanosToNext() {
        ScheduledTask<?> next;
        while ((next = heap.peek()) != null && next.isDone()) {
            heap.poll(); // garbage on top would wake the loop for nothing
            dropped(next);
        }
        if (next == null) {
            parkedForTimer = false;
            return -1;
        }
        long deadline = next.deadlineNanos();
        parkedUntil = deadline;
        parkedForTimer = true;
        return Math.max(0, deadline - clock.nanoTime());
    }

    // ---------------------------------------------------------------- shutdown

    /** Whether a timer may stay while shutting down. */
    private boolean admits(ScheduledTask<?> timer) {
        return switch (timer.kind()) {
            case WORK -> true;
            case PERIODIC -> false;
            case PLAIN -> policy == TimerShutdownPolicy.RUN_BEFORE_DEADLINE
                    && timer.deadlineNanos() - lifecycle.deadline() <= 0;
        };
    }

    /** Loop thread, when the shutdown begins: cancels the timers the policy does not keep. */
    void applyShutdownPolicy() {
        for (Object o : heap.snapshot()) {
            ScheduledTask<?> timer = (ScheduledTask<?>) o;
            if (!admits(timer)) {
                cancelByShutdown(timer);
            }
        }
    }

    private void cancelByShutdown(ScheduledTask<?> timer) {
        if (timer.cancel()) { // claims: a cancelled timer left in the heap is not counted again
            cancelledByShutdown++;
        }
    }

    /** Loop thread: whether a timer still holds a graceful shutdown. */
    boolean anyHoldsShutdown() {
        if (heap.isEmpty()) {
            return false;
        }
        for (Object o : heap.snapshot()) {
            ScheduledTask<?> timer = (ScheduledTask<?>) o;
            if (!timer.isDone() && timer.holdsShutdownNow()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Loop thread, at termination: cancels every timer left.
     * @return how many of them work was waiting on
     */
    long sweep() {
        long awaitedCancelled = 0;
        ScheduledTask<?> timer;
        while ((timer = heap.poll()) != null) {
            boolean awaited = timer.holdsShutdownNow();
            if (timer.cancel()) { // claims: a cancelled timer left in the heap is not counted again
                cancelledByShutdown++;
                if (awaited) {
                    awaitedCancelled++;
                }
            }
        }
        return awaitedCancelled;
    }

    /** Another thread, for a forced termination: cancels the timers it can see (the heap is not its own). */
    long cancelFromOutside() {
        long cancelled = 0;
        for (Object o : heap.snapshot()) {
            if (o instanceof ScheduledTask<?> timer && timer.cancel()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    long cancelledByShutdown() {
        return cancelledByShutdown;
    }

    /** Timers the heap holds, live and cancelled. */
    int held() {
        return heap.size();
    }

    /**
     * The live timers: the heap less its garbage. Exact on the loop thread; from another thread an
     * instant's view, which can be one off while the loop is taking a cancelled timer out.
     */
    int size() {
        return (int) Math.max(0, heap.size() - garbage());
    }
}
