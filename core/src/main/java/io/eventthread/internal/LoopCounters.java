package io.eventthread.internal;

import io.eventthread.LoopClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loop's figures, built so that always-on instrumentation is nearly free. Per task the loop
 * thread does one opaque store (the running task's sequence number), one opaque load (has the
 * watchdog flagged it?) and no clock read: the clock is read at the edges of each timing window.
 * A burst (the loop's work after idle) starts with windows of one callback; a window whose
 * callbacks averaged under a microsecond widens the next one ({@value #WIDEN}×, up to
 * {@value #GROUP}), one whose callbacks did not narrows it to one again, and a window also ends
 * when the loop runs out of work. So a callback is timed alone unless the callbacks just before it
 * were proven fast. Windows give busy time and find slow callbacks without the watchdog
 * ({@link SlowCallbacks}); the watch's samples name a slow callback that shared its window
 * ({@link StuckWatch}).
 *
 * <p>Written by the loop thread only, except where marked; read racily by the snapshot.
 */
final class LoopCounters {

    /** {@code -Deventthread.instrumentation=false} turns timing off, for benchmarks only. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("eventthread.instrumentation"));

    static final long IDLE = Long.MIN_VALUE;
    static final long NOT_RUNNING = 0;

    private static final int GROUP = 64;
    /** How much a window of callbacks proven fast widens the next: 1, 8, 64. */
    private static final int WIDEN = 8;
    /** Callbacks averaging this long or more are timed one by one. */
    private static final long PER_TASK_TIMING_NANOS = 1_000;
    private static final VarHandle RUNNING;
    private static final VarHandle FLAGGED;
    private static final VarHandle LAST_FUTURE;
    private static final VarHandle BUSY_VERSION;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RUNNING = lookup.findVarHandle(LoopCounters.class, "running", long.class);
            FLAGGED = lookup.findVarHandle(LoopCounters.class, "flagged", long.class);
            LAST_FUTURE = lookup.findVarHandle(LoopCounters.class, "lastFuture", Object.class);
            BUSY_VERSION = lookup.findVarHandle(LoopCounters.class, "busyVersion", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopClock clock;
    final DelayHistogram delay;
    /** Told when a window turns out slow, or a flagged callback finishes. */
    private WindowTimer windowTimer;

    /** Sequence number of the running callback, {@link #NOT_RUNNING} between batches (opaque). */
    private long running;
    /** A sequence the watchdog saw running in two samples in a row (opaque; written by the watchdog). */
    private long flagged;
    /**
     * The last task with a future that started (opaque; may be stale once it finished): if its
     * loop is forced, the watchdog cancels it, since its thread may never complete it.
     */
    private Object lastFuture;

    private long slowNanos = Long.MAX_VALUE;
    private long sequence;
    /** The clock when the current timing window began, {@link #IDLE} between bursts. */
    private long groupStart = IDLE;
    /** Callbacks finished in the current window. */
    private int groupCount;
    /** Callbacks per window: 1 at the start of a burst, widened while callbacks prove fast. */
    private int windowLimit = 1;
    /** The current window's first callback, to name a slow window (cleared when it closes). */
    private Object windowFirst;
    private long tasksRun;
    private long callbackFailures;
    private long workFailures;
    private long busyNanos;
    /**
     * A sequence lock over {@link #busyNanos} and {@link #groupStart}, odd while the loop changes
     * them: a reader on another thread adds the window in progress to the closed ones, and
     * without it could pair the new total with the old window start and count that window twice
     * (a busy-time counter that runs ahead, then back).
     */
    private int busyVersion;
    /**
     * The highest busy time handed out. A reader can read the clock just after the loop read it to
     * close a window and before the loop published that window, and so run a hair ahead of the
     * closed total; readers never go back (a counter that decreases reads as a reset).
     */
    private final AtomicLong busyRead = new AtomicLong();

    // written by other threads
    private final LongAdder rejected = new LongAdder();
    /** Blocking calls found on the loop thread (by the Flight Recorder stream's thread). */
    private final LongAdder blockingCalls = new LongAdder();
    private volatile long startedAt = IDLE;
    private volatile long terminatedAt = IDLE;

    /** Times a finished flagged callback and reports slow windows: {@link SlowCallbacks}. */
    interface WindowTimer {
        /**
         * A callback the watch flagged finished at {@code now}, in a window that began at {@code windowStart}.
         * @return whether its window's time is accounted for (reported, or the engine's own)
         */
        boolean flaggedFinished(Object task, long windowStart, long sequence, long now);

        /**
         * A timing window of {@code callbacks} callbacks lasted {@code nanos}, at least the threshold.
         * @param first the window's only callback, or its first of several
         */
        void slowWindow(Object first, int callbacks, long nanos);
    }

    LoopCounters(LoopClock clock, long watchdogIntervalNanos) {
        this.clock = clock;
        this.delay = new DelayHistogram(Math.max(Duration.ofSeconds(5).toNanos(), 2 * watchdogIntervalNanos));
    }

    void windowTimer(WindowTimer timer, long slowNanos) {
        this.windowTimer = timer;
        this.slowNanos = slowNanos;
    }

    void started() {
        startedAt = clock.nanoTime();
    }

    void terminated() {
        terminatedAt = clock.nanoTime();
    }

    // ---------------------------------------------------------------- hot path (loop thread)

    void beforeTask() {
        if (!ENABLED) {
            return;
        }
        if (groupStart == IDLE) {
            // a burst begins: time its callbacks one by one until they prove fast
            windowLimit = 1;
            publishBusy(busyNanos, clock.nanoTime());
        }
        RUNNING.setOpaque(this, ++sequence);
    }

    void afterTask(Object task) {
        tasksRun++;
        if (!ENABLED) {
            return;
        }
        int n = ++groupCount;
        if (n == 1) {
            windowFirst = task;
        }
        if ((long) FLAGGED.getOpaque(this) == sequence) {
            long now = clock.nanoTime();
            boolean counted = windowTimer.flaggedFinished(task, groupStart, sequence, now);
            endWindow(now, task, counted, now);
        } else if (n >= windowLimit) {
            long now = clock.nanoTime();
            endWindow(now, task, false, now);
        }
    }

    /**
     * Closes the timing window of the {@code groupCount} callbacks since {@code groupStart}: busy
     * time, and slow-callback finding that needs no watchdog — a window of at least the threshold
     * holds a slow callback (or was one), named exactly when it is the window's only callback.
     * The next window is one callback long if these averaged {@value #PER_TASK_TIMING_NANOS} ns or
     * more (a clock read then costs under a few percent of a callback), else {@value #WIDEN} times
     * as long as this one's limit, up to {@value #GROUP}.
     */
    private void endWindow(long now, Object last, boolean counted, long nextStart) {
        int n = groupCount;
        long took = now - groupStart;
        publishBusy(busyNanos + took, nextStart);
        if (!counted && took >= slowNanos) {
            windowTimer.slowWindow(n == 1 ? last : windowFirst, n, took);
        }
        if (took >= (long) n * PER_TASK_TIMING_NANOS) {
            windowLimit = 1;
        } else if (n > 1 || InternalTask.mayRunUserCode(last)) {
            // proven fast; the engine's own task alone (the delay probe) proves nothing of the user's
            windowLimit = Math.min(GROUP, windowLimit * WIDEN);
        }
        groupCount = 0;
        windowFirst = null;
    }

    /** The loop stopped running callbacks (it may park next). */
    void idleSince() {
        if (!ENABLED || groupStart == IDLE) {
            return;
        }
        if (groupCount > 0) {
            endWindow(clock.nanoTime(), windowFirst, false, IDLE);
        } else {
            publishBusy(busyNanos + clock.nanoTime() - groupStart, IDLE);
        }
        RUNNING.setOpaque(this, NOT_RUNNING);
    }

    /**
     * A task with a future starts: records how late it started ({@code dueAt} is its enqueue time
     * or deadline) and remembers it for a forced shutdown.
     */
    void taskStarted(Object task, long dueAt) {
        LAST_FUTURE.setOpaque(this, task);
        recordDelay(dueAt);
    }

    /** Records how late the running task started; {@code dueAt} is its enqueue time or deadline. */
    void recordDelay(long dueAt) {
        if (ENABLED) {
            long now = clock.nanoTime();
            delay.record(now - dueAt, now);
        }
    }

    /** An engine task ran through the bracket: it is not a user's task. */
    void uncountTask() {
        tasksRun--;
    }

    void callbackFailed() {
        callbackFailures++;
    }

    void workFailed() {
        workFailures++;
    }

    void rejected() {
        rejected.increment();
    }

    void blockingCall() {
        blockingCalls.increment();
    }

    // ---------------------------------------------------------------- reading (any thread)

    /** The sequence number of the running callback, or 0 between batches; identifies the callback. */
    long runningSequence() {
        return (long) RUNNING.getOpaque(this);
    }

    long flagged() {
        return (long) FLAGGED.getOpaque(this);
    }

    /** Watchdog: the callback with this sequence ran for two samples. */
    void flag(long sequence) {
        FLAGGED.setOpaque(this, sequence);
    }

    Object lastFuture() {
        return LAST_FUTURE.getOpaque(this);
    }

    long tasksRun() {
        return tasksRun;
    }

    long callbackFailures() {
        return callbackFailures;
    }

    long workFailures() {
        return workFailures;
    }

    long rejectedCount() {
        return rejected.sum();
    }

    long blockingCallCount() {
        return blockingCalls.sum();
    }

    /** On the loop thread: the closed windows' total and the start of the open one, as one change. */
    private void publishBusy(long busy, long start) {
        int v = busyVersion;
        BUSY_VERSION.setOpaque(this, v + 1);
        VarHandle.storeStoreFence();
        busyNanos = busy;
        groupStart = start;
        BUSY_VERSION.setRelease(this, v + 2);
    }

    /**
     * From any thread: time spent in callbacks, the window in progress included (so a loop stuck
     * in one callback reads as busy). Consistent (no window counted twice) and never less than an
     * earlier reading. The clock is read after the figures, so the result is never ahead of a
     * clock read that follows the call.
     */
    long busyNanos() {
        while (true) {
            int v = (int) BUSY_VERSION.getAcquire(this);
            if ((v & 1) == 0) {
                long busy = busyNanos;
                long start = groupStart;
                VarHandle.loadLoadFence();
                if ((int) BUSY_VERSION.getOpaque(this) == v) {
                    long total = start == IDLE ? busy : busy + Math.max(0, clock.nanoTime() - start);
                    return busyRead.accumulateAndGet(total, Math::max);
                }
            }
            Thread.onSpinWait();
        }
    }

    long startedAt() {
        return startedAt;
    }

    long terminatedAt() {
        return terminatedAt;
    }
}
