package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.LoopClock;
import io.eventthread.LoopState;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * The watchdog's view of one loop, one sample every quarter of the slow-callback threshold (at
 * most every watchdog interval): a callback seen in two samples in a row is flagged, so the loop
 * times it by name when it finishes ({@link SlowCallbacks}); one seen running for the stuck
 * threshold is reported stuck, with the loop thread's stack, until it returns. A sample that finds
 * a new callback running sends the {@link DelayProbe}. Watchdog thread only, but for the figures
 * the snapshot reads racily.
 */
final class StuckWatch {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final long NOT_RUNNING = LoopCounters.NOT_RUNNING;
    private static final long IDLE = LoopCounters.IDLE;
    private static final long MAX_LOG_INTERVAL_NANOS = Duration.ofMinutes(5).toNanos();

    private final LoopContext loop;
    private final LoopCounters counters;
    private final SlowCallbacks slow;
    private final DelayProbe probe;
    private final ListenerDispatch listeners;
    private final LoopClock clock;
    private final long stuckNanos;
    private final long watchdogIntervalNanos;
    private final long periodNanos;

    private volatile long sampledSequence = NOT_RUNNING;
    private volatile long sampledSince = IDLE;
    /** The sample before the running sequence was first seen: it started after this. */
    private long sampledStartedAfter = IDLE;
    private long previousSampleAt = IDLE;
    /** The sequence reported stuck, until it returns. */
    private volatile long stuckSequence = NOT_RUNNING;
    private volatile long stuckIncidents;
    private long nextLog;
    private long logInterval;

    StuckWatch(LoopContext loop, LoopCounters counters, SlowCallbacks slow, DelayProbe probe, ListenerDispatch listeners,
            LoopSettings settings) {
        this.loop = loop;
        this.counters = counters;
        this.slow = slow;
        this.probe = probe;
        this.listeners = listeners;
        this.clock = settings.clock();
        this.stuckNanos = settings.stuckThresholdNanos();
        this.watchdogIntervalNanos = settings.watchdogIntervalNanos();
        // two samples a quarter-threshold apart see every callback of at least half the threshold
        this.periodNanos = Math.max(Duration.ofMillis(1).toNanos(),
                Math.min(slow.thresholdNanos() / 4, watchdogIntervalNanos));
    }

    long periodNanos() {
        return periodNanos;
    }

    /**
     * One sample.
     * @return whether the loop was between callbacks in this sample and the one before (it may be
     *         parked: the schedule decides whether to sleep)
     */
    boolean sample() {
        if (loop.state() == LoopState.TERMINATED) {
            return false;
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
            probe.sendIfDue(now, seq == NOT_RUNNING);
            return false;
        }
        if (seq == NOT_RUNNING) {
            return true;
        }
        // the same callback in two samples: it has run at least since the previous sample
        if (counters.flagged() != seq) {
            // IDLE (Long.MIN_VALUE) when no sample preceded it: then only the window start bounds it
            slow.flagged(sampledStartedAfter);
            counters.flag(seq);
        }
        long runningFor = now - sampledSince;
        if (runningFor >= slow.thresholdNanos() / 2 && !slow.hasStackOf(seq) && listeners.any()) {
            // one stack per callback that has run half the threshold, for the listeners'
            // slow-callback event; after flagging, so the timing never waits for it; paired with
            // its sequence, so a stale one is never reported for another callback
            slow.stackOf(seq, loop.thread().getStackTrace());
        }
        if (runningFor < stuckNanos) {
            return false;
        }
        if (stuckSequence != seq) {
            stuckSequence = seq;
            stuckIncidents++;
            long base = Math.max(stuckNanos, watchdogIntervalNanos);
            logInterval = base > Durations.MAX_NANOS / 4 ? Durations.MAX_NANOS : base * 4; // saturated
            nextLog = now + logInterval;
            logStuck(runningFor, true);
        } else if (now - nextLog >= 0) {
            logInterval = Math.min(logInterval * 2, MAX_LOG_INTERVAL_NANOS);
            nextLog = now + logInterval;
            logStuck(runningFor, false);
        }
        return false;
    }

    private void recoverIfStuck(long now) {
        if (stuckSequence == NOT_RUNNING) {
            return;
        }
        long total = now - sampledSince;
        stuckSequence = NOT_RUNNING;
        LOG.log(Level.INFO, "Event loop '" + loop.name() + "' recovered: the stuck callback returned after about "
                + SlowCallbacks.millis(total) + " ms");
        listeners.notify(l -> l.recovered(loop.loop(), Duration.ofNanos(total)));
    }

    private void logStuck(long stuckForNanos, boolean first) {
        StackTraceElement[] stack = loop.thread().getStackTrace();
        Throwable trace = new Throwable("stack of event loop thread '" + loop.name() + "'");
        trace.setStackTrace(stack);
        LOG.log(Level.WARNING, "Event loop '" + loop.name() + "' is " + (first ? "" : "still ")
                + "blocked in one callback for " + SlowCallbacks.millis(stuckForNanos) + " ms, limit "
                + SlowCallbacks.millis(stuckNanos) + " ms; its stack follows. Move blocking work to runBlocking(...)", trace);
        if (first) {
            listeners.notify(l -> l.stuck(loop.loop(), Duration.ofNanos(stuckForNanos), stack));
        }
    }

    // ---------------------------------------------------------------- reading (any thread)

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
}
