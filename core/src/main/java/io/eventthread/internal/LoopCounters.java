package io.eventthread.internal;

import io.eventthread.LoopClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loop's figures, built so that always-on instrumentation is nearly free. Per task the loop
 * thread does one opaque store (the running task's sequence number) and one opaque load (has the
 * watchdog flagged it?), and no clock read: the clock is read once per {@value #GROUP} tasks and
 * at the edges of each batch, for busy time. The watchdog reads the running sequence and flags
 * long-running ones ({@link StuckDetector}); a flagged task is timed when it finishes.
 *
 * <p>Written by the loop thread only, except where marked; read racily by the snapshot.
 */
final class LoopCounters {

    /** {@code -Deventthread.instrumentation=false} turns timing off, for benchmarks only. */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("eventthread.instrumentation"));

    static final long IDLE = Long.MIN_VALUE;
    static final long NOT_RUNNING = 0;

    private static final int GROUP = 64;
    private static final VarHandle RUNNING;
    private static final VarHandle FLAGGED;
    private static final VarHandle LAST_FUTURE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RUNNING = lookup.findVarHandle(LoopCounters.class, "running", long.class);
            FLAGGED = lookup.findVarHandle(LoopCounters.class, "flagged", long.class);
            LAST_FUTURE = lookup.findVarHandle(LoopCounters.class, "lastFuture", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopClock clock;
    final DelayHistogram delay;
    /** Told when a flagged task finishes, to time it. */
    private FlaggedTaskTimer flaggedTimer;

    /** Sequence number of the running callback, {@link #NOT_RUNNING} between batches (opaque). */
    private long running;
    /** A sequence the watchdog saw running in two samples in a row (opaque; written by the watchdog). */
    private long flagged;
    /**
     * The last task with a future that started (opaque; may be stale once it finished): if its
     * loop is forced, the watchdog cancels it, since its thread may never complete it.
     */
    private Object lastFuture;

    private long sequence;
    private long groupStart = IDLE;
    private int groupCount;
    private long tasksRun;
    private long callbackFailures;
    private long workFailures;
    private long busyNanos;

    // written by other threads
    private final LongAdder rejected = new LongAdder();
    /** Blocking calls found on the loop thread (by the Flight Recorder stream's thread). */
    private final LongAdder blockingCalls = new LongAdder();
    private volatile long startedAt = IDLE;
    private volatile long terminatedAt = IDLE;

    /** Times a finished flagged task; the detector implements it. */
    interface FlaggedTaskTimer {
        void finished(Object task, long groupStart, long now);
    }

    LoopCounters(LoopClock clock, long watchdogIntervalNanos) {
        this.clock = clock;
        this.delay = new DelayHistogram(Math.max(Duration.ofSeconds(5).toNanos(), 2 * watchdogIntervalNanos));
    }

    void flaggedTimer(FlaggedTaskTimer timer) {
        this.flaggedTimer = timer;
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
            groupStart = clock.nanoTime();
        }
        RUNNING.setOpaque(this, ++sequence);
    }

    void afterTask(Object task) {
        tasksRun++;
        if (!ENABLED) {
            return;
        }
        if ((long) FLAGGED.getOpaque(this) == sequence) {
            long now = clock.nanoTime();
            flaggedTimer.finished(task, groupStart, now);
            busyNanos += now - groupStart;
            groupStart = now;
            groupCount = 0;
        } else if (++groupCount == GROUP) {
            long now = clock.nanoTime();
            busyNanos += now - groupStart;
            groupStart = now;
            groupCount = 0;
        }
    }

    /** The loop stopped running callbacks (it may park next). */
    void idleSince() {
        if (!ENABLED || groupStart == IDLE) {
            return;
        }
        busyNanos += clock.nanoTime() - groupStart;
        groupStart = IDLE;
        groupCount = 0;
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

    long groupStart() {
        return groupStart;
    }

    long busyNanos() {
        return busyNanos;
    }

    long startedAt() {
        return startedAt;
    }

    long terminatedAt() {
        return terminatedAt;
    }
}
