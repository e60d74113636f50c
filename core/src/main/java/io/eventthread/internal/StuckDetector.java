package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.LoopState;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * Slow-callback and stuck-loop detection. Slow callbacks are counted by the loop's own timing
 * windows ({@link LoopCounters}), so a starved watchdog misses none: every callback of at least the
 * threshold lies in a window of at least the threshold, which is counted once — named and timed
 * exactly when the callback is alone in its window (always, once callbacks average a microsecond or
 * more; and for one that arrives on an idle loop), else reported as its window ("one or more of N
 * callbacks"; two slow callbacks in one window of trivial ones count once). The watchdog refines
 * this: it samples the running sequence every quarter of the threshold (at most every watchdog
 * interval), and a sequence seen in two samples in a row is flagged, so the loop times that task
 * by name when it finishes, from the later of its window start and the sample before it was first
 * seen. Stuck detection uses the same samples; the stack comes from the loop thread. The watchdog
 * also sends a delay probe to a busy loop, so loops fed only plain {@code Runnable}s are measured,
 * and sleeps while the loop is parked.
 */
final class StuckDetector implements LoopCounters.FlaggedTaskTimer {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final long NOT_RUNNING = LoopCounters.NOT_RUNNING;
    private static final long IDLE = LoopCounters.IDLE;
    /** Slow-callback warnings allowed per window before they are summarised. */
    private static final int SLOW_LOGS_PER_WINDOW = 5;
    private static final long SLOW_LOG_WINDOW_NANOS = Duration.ofSeconds(10).toNanos();
    private static final long MAX_STUCK_LOG_INTERVAL_NANOS = Duration.ofMinutes(5).toNanos();
    private static final StackTraceElement[] NO_STACK = new StackTraceElement[0];
    /** Samples in a row that must find the loop parked, having run nothing, before the watch sleeps. */
    private static final int DORMANT_AFTER = 2;
    private static final VarHandle DORMANT;

    static {
        try {
            DORMANT = MethodHandles.lookup().findVarHandle(StuckDetector.class, "dormant", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopContext loop;
    private final LoopCounters counters;
    private final ListenerDispatch listeners;
    private final io.eventthread.LoopClock clock;
    private final long slowNanos;
    private final long stuckNanos;
    private final long watchdogIntervalNanos;
    private final long samplePeriodNanos;
    private final DelayProbe probe = new DelayProbe();

    /** When the flagged callback started at the earliest: the sample before it was first seen. */
    private volatile long flaggedStartedAfter;
    /** The loop thread's stack as the watchdog sampled it during a flagged callback, with its sequence. */
    private volatile FlaggedStack flaggedStack;

    private record FlaggedStack(long sequence, StackTraceElement[] stack) {
    }

    // loop thread only: the slow-callback log's rate limit
    private long slowCallbacks;
    private long slowWindowStart;
    private int slowLogsInWindow;
    private long slowLogsSuppressed;

    // watchdog thread only (read racily by the snapshot)
    private volatile long sampledSequence = NOT_RUNNING;
    private volatile long sampledSince = IDLE;
    /** The sample before the running sequence was first seen: it started after this. */
    private long sampledStartedAfter = IDLE;
    private long previousSampleAt = IDLE;
    /** The sequence the watchdog reported stuck, until it returns; the snapshot reads it (volatile). */
    private volatile long stuckSequence = NOT_RUNNING;
    private long nextStuckLog;
    private long stuckLogInterval;
    private long nextProbeAt;
    private volatile long stuckIncidents;
    // guarded by this: the current schedule, null while dormant or stopped
    private ScheduledFuture<?> watch;
    private boolean stopped;
    /** True while the watch is not scheduled because the loop parked; the loop re-arms it. */
    private volatile boolean dormant;
    // watchdog thread only
    private int parkedSamples;
    private long tasksRunAtLastSample = -1;

    StuckDetector(LoopContext loop, LoopCounters counters, ListenerDispatch listeners, LoopSettings settings) {
        this.loop = loop;
        this.counters = counters;
        this.listeners = listeners;
        this.clock = settings.clock();
        this.slowNanos = settings.slowCallbackThresholdNanos();
        this.stuckNanos = settings.stuckThresholdNanos();
        this.watchdogIntervalNanos = settings.watchdogIntervalNanos();
        // two samples a quarter-threshold apart see every callback of at least half the threshold
        this.samplePeriodNanos = Math.max(Duration.ofMillis(1).toNanos(), Math.min(slowNanos / 4, watchdogIntervalNanos));
        counters.flaggedTimer(this, slowNanos);
    }

    void start() {
        rearm();
    }

    synchronized void stop() {
        stopped = true;
        if (watch != null) {
            watch.cancel(false);
            watch = null;
        }
    }

    // ---------------------------------------------------------------- dormancy
    //
    // Nothing can be slow or stuck while the loop is parked, so a watch that has seen the loop
    // parked, with no task run, in DORMANT_AFTER samples in a row stops sampling and the loop
    // re-arms it when it next wakes: an idle group costs no watchdog wake-ups. A Dekker pair keeps
    // a waking loop from being left unwatched — the watch writes `dormant` then reads `parked`;
    // the loop writes `parked = 0` (IdleStrategy) then reads `dormant` ({@link #loopWoke}) — and
    // the schedule changes hands only under this object's lock.

    /** Loop thread, after every idle wait: re-arms the watch if it went dormant. One volatile read. */
    void loopWoke() {
        if (dormant && DORMANT.compareAndSet(this, true, false)) {
            rearm();
        }
    }

    private synchronized void rearm() {
        if (!stopped && watch == null) {
            parkedSamples = 0;
            watch = Watchdog.every(this::watch, samplePeriodNanos);
        }
    }

    /** Watchdog thread: whether this sample found the loop parked long enough to stop sampling. */
    private boolean wentDormant() {
        long ran = counters.tasksRun();
        boolean idleNow = loop.isParked() && ran == tasksRunAtLastSample;
        tasksRunAtLastSample = ran;
        if (!idleNow) {
            parkedSamples = 0;
            return false;
        }
        if (++parkedSamples < DORMANT_AFTER) {
            return false;
        }
        dormant = true;
        if (!loop.isParked()) {
            // it woke meanwhile: if it has not seen `dormant` yet, take it back and keep sampling
            if (DORMANT.compareAndSet(this, true, false)) {
                parkedSamples = 0;
                return false;
            }
        }
        synchronized (this) {
            // still dormant: the loop has not re-armed, and will when it wakes
            if (dormant && watch != null) {
                watch.cancel(false);
                watch = null;
                return true;
            }
        }
        return false;
    }

    /** For tests: whether the watch is currently not sampling because the loop is parked. */
    boolean isDormant() {
        return dormant;
    }

    // ---------------------------------------------------------------- slow (loop thread)

    /**
     * The watchdog saw this task running in two samples: time it. It started after both the
     * batch start and the sample before it was first seen, so the later of the two bounds its
     * start, within one sample period.
     */
    @Override
    public boolean finished(Object task, long groupStart, long now) {
        long ran = now - Math.max(groupStart, flaggedStartedAfter);
        if (ran >= slowNanos) {
            FlaggedStack flagged = flaggedStack;
            long seq = counters.runningSequence(); // still this task's: the loop thread wrote it
            slowCallback(task, Failures.describe(task), ran,
                    flagged != null && flagged.sequence == seq ? flagged.stack : NO_STACK);
            return true;
        }
        return false;
    }

    /**
     * The loop's own timing, which needs no watchdog: a window of consecutive callbacks between two
     * clock reads lasted at least the threshold. Alone in its window, the callback is named and timed
     * exactly; among several, the window is reported.
     */
    @Override
    public void slowWindow(Object task, int callbacks, long nanos) {
        String description = callbacks == 1 ? Failures.describe(task)
                : "one or more of " + callbacks + " callbacks run back to back, the first: " + Failures.describe(task);
        slowCallback(callbacks == 1 ? task : null, description, nanos, NO_STACK);
    }

    private void slowCallback(Object task, String description, long ranNanos, StackTraceElement[] stack) {
        slowCallbacks++;
        listeners.notify(l -> l.slowCallback(loop.loop(), description, Duration.ofNanos(ranNanos), stack));
        long now = clock.nanoTime();
        if (now - slowWindowStart >= SLOW_LOG_WINDOW_NANOS) {
            slowWindowStart = now;
            slowLogsInWindow = 0;
        }
        if (++slowLogsInWindow > SLOW_LOGS_PER_WINDOW) {
            slowLogsSuppressed++;
            return;
        }
        StringBuilder message = new StringBuilder("Event loop '").append(loop.name()).append("' ran a slow callback for ")
                .append(millis(ranNanos)).append(" ms (threshold ").append(millis(slowNanos)).append(" ms): ")
                .append(description);
        if (slowLogsSuppressed > 0) {
            message.append(" (").append(slowLogsSuppressed).append(" similar warnings suppressed before this one)");
            slowLogsSuppressed = 0;
        }
        Throwable origin = task instanceof TaskFuture<?> t ? t.submittedAt : null;
        if (origin != null) {
            LOG.log(Level.WARNING, message.toString(), origin);
        } else {
            LOG.log(Level.WARNING, message.toString());
        }
    }

    // ---------------------------------------------------------------- stuck (watchdog thread)

    /** On the watchdog thread, every sample period. */
    private void watch() {
        if (loop.state() == LoopState.TERMINATED) {
            return;
        }
        long now = clock.nanoTime();
        long seq = counters.runningSequence();
        long before = previousSampleAt;
        previousSampleAt = now;
        if (seq != sampledSequence) {
            recoverIfStuck(now);
            sampledSequence = seq;
            sampledSince = now;
            sampledStartedAfter = before;
            if (seq == NOT_RUNNING || now - nextProbeAt >= 0) {
                sendProbe(now);
            }
            return;
        }
        if (seq == NOT_RUNNING) {
            wentDormant();
            return;
        }
        parkedSamples = 0;
        // the same callback in two samples: it has run at least since the previous sample
        if (counters.flagged() != seq) {
            // IDLE (Long.MIN_VALUE) when no sample preceded it: then only the batch start bounds it
            flaggedStartedAfter = sampledStartedAfter;
            counters.flag(seq);
        }
        long runningFor = now - sampledSince;
        FlaggedStack sampled = flaggedStack;
        if (runningFor >= slowNanos / 2 && (sampled == null || sampled.sequence != seq) && listeners.any()) {
            // one stack per callback that has run half the threshold, for the listeners'
            // slow-callback event; after flagging, so the timing never waits for it; paired with
            // its sequence, so a stale one is never reported for another callback
            flaggedStack = new FlaggedStack(seq, loop.thread().getStackTrace());
        }
        if (runningFor < stuckNanos) {
            return;
        }
        if (stuckSequence != seq) {
            stuckSequence = seq;
            stuckIncidents++;
            long base = Math.max(stuckNanos, watchdogIntervalNanos);
            stuckLogInterval = base > Durations.MAX_NANOS / 4 ? Durations.MAX_NANOS : base * 4; // saturated
            nextStuckLog = now + stuckLogInterval;
            logStuck(runningFor, true);
        } else if (now - nextStuckLog >= 0) {
            stuckLogInterval = Math.min(stuckLogInterval * 2, MAX_STUCK_LOG_INTERVAL_NANOS);
            nextStuckLog = now + stuckLogInterval;
            logStuck(runningFor, false);
        }
    }

    private void recoverIfStuck(long now) {
        if (stuckSequence == NOT_RUNNING) {
            return;
        }
        long total = now - sampledSince;
        stuckSequence = NOT_RUNNING;
        LOG.log(Level.INFO, "Event loop '" + loop.name() + "' recovered: the stuck callback returned after about "
                + millis(total) + " ms");
        listeners.notify(l -> l.recovered(loop.loop(), Duration.ofNanos(total)));
    }

    private void logStuck(long stuckForNanos, boolean first) {
        StackTraceElement[] stack = loop.thread().getStackTrace();
        Throwable trace = new Throwable("stack of event loop thread '" + loop.name() + "'");
        trace.setStackTrace(stack);
        LOG.log(Level.WARNING, "Event loop '" + loop.name() + "' is " + (first ? "" : "still ") + "blocked in one callback for "
                + millis(stuckForNanos) + " ms, limit " + millis(stuckNanos) + " ms; its stack follows. "
                + "Move blocking work to runBlocking(...)", trace);
        if (first) {
            listeners.notify(l -> l.stuck(loop.loop(), Duration.ofNanos(stuckForNanos), stack));
        }
    }

    // ---------------------------------------------------------------- delay probe

    /** A probe measures queueing delay on a busy loop even when it runs only plain Runnables. */
    private void sendProbe(long now) {
        if (!LoopCounters.ENABLED || probe.pending || loop.queueSize() == 0) {
            return;
        }
        nextProbeAt = now + watchdogIntervalNanos;
        probe.pending = true;
        probe.sentAt = now;
        loop.executeInternal(probe);
    }

    private final class DelayProbe implements InternalTask {
        volatile boolean pending;
        volatile long sentAt;

        @Override
        public void run() {
            counters.recordDelay(sentAt);
            counters.uncountTask(); // the probe is ours, not a user task
            pending = false;
        }

        @Override
        public void runAtTermination() {
            pending = false;
        }

        @Override
        public String toString() {
            return "loop delay probe";
        }
    }

    // ---------------------------------------------------------------- reading

    /** Queued entries that are the probe (0 or 1), so queue depth shows user work only. */
    int probesQueued() {
        return probe.pending ? 1 : 0;
    }

    /** How long the current callback has run as sampled, 0 between callbacks. */
    long currentCallbackNanos(long now, long runningSequence) {
        long since = sampledSince;
        return runningSequence == NOT_RUNNING || runningSequence != sampledSequence || since == IDLE ? 0
                : Math.max(0, now - since);
    }

    /** Whether the running callback is the one reported stuck: every stuck the stats show is a counted incident. */
    boolean isStuck(long runningSequence) {
        return runningSequence != NOT_RUNNING && runningSequence == stuckSequence;
    }

    long stuckIncidents() {
        return stuckIncidents;
    }

    long slowCallbacks() {
        return slowCallbacks;
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
