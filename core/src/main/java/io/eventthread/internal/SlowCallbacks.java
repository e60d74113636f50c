package io.eventthread.internal;

import io.eventthread.EventLoop;
import io.eventthread.LoopClock;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Slow-callback reports, on the loop thread: counted, sent to the listeners, logged (at most
 * {@value #LOGS_PER_PERIOD} warnings per ten seconds, the rest summarised). The loop's own timing
 * windows ({@link LoopCounters}) find them, so a starved watchdog misses none: a callback alone in
 * its window — always at the start of a burst, and while callbacks are not proven fast — is named
 * and timed exactly; a window of several callbacks proven fast that lasted the threshold is
 * reported as that window, without lending its time to any one of them. The watch
 * ({@link StuckWatch}) names a slow callback that shares its window: it flags a callback seen in
 * two samples, and the loop times it when it finishes. Work the engine runs for itself (the delay
 * probe) is never reported or counted, however long the machine held it.
 */
final class SlowCallbacks implements LoopCounters.WindowTimer {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final int LOGS_PER_PERIOD = 5;
    private static final long LOG_PERIOD_NANOS = Duration.ofSeconds(10).toNanos();
    private static final StackTraceElement[] NO_STACK = new StackTraceElement[0];

    private final LoopContext loop;
    private final ListenerDispatch listeners;
    private final LoopClock clock;
    private final long thresholdNanos;

    /** When the flagged callback started at the earliest: the sample before it was first seen. */
    private volatile long flaggedStartedAfter = LoopCounters.IDLE;
    /** The loop thread's stack as the watch sampled it during a flagged callback, with its sequence. */
    private volatile FlaggedStack flaggedStack;

    private record FlaggedStack(long sequence, StackTraceElement[] stack) {
    }

    // loop thread only (the count is read racily by the snapshot)
    private volatile long count;
    private long logPeriodStart;
    private int logsInPeriod;
    private long logsSuppressed;

    SlowCallbacks(LoopContext loop, ListenerDispatch listeners, LoopClock clock, long thresholdNanos) {
        this.loop = loop;
        this.listeners = listeners;
        this.clock = clock;
        this.thresholdNanos = thresholdNanos;
    }

    long thresholdNanos() {
        return thresholdNanos;
    }

    // ---------------------------------------------------------------- from the watch (watchdog thread)

    /** The watch flagged a callback that started after {@code startedAfter}; set before the flag. */
    void flagged(long startedAfter) {
        flaggedStartedAfter = startedAfter;
    }

    /** Whether the watch already holds a stack of the callback with this sequence. */
    boolean hasStackOf(long sequence) {
        FlaggedStack s = flaggedStack;
        return s != null && s.sequence == sequence;
    }

    /** The stack of a flagged callback for the listeners' event, paired with its sequence. */
    void stackOf(long sequence, StackTraceElement[] stack) {
        flaggedStack = new FlaggedStack(sequence, stack);
    }

    // ---------------------------------------------------------------- from the windows (loop thread)

    /**
     * The watch saw this callback running in two samples: time it. It started after both the
     * window start and the sample before it was first seen, so the later of the two bounds its
     * start, within one sample period.
     */
    @Override
    public boolean flaggedFinished(Object task, long windowStart, long sequence, long now) {
        long ran = now - Math.max(windowStart, flaggedStartedAfter);
        if (ran < thresholdNanos) {
            return false;
        }
        if (!isUsers(task)) {
            return true; // the engine's own work, held by the machine: its window is not the user's either
        }
        FlaggedStack flagged = flaggedStack;
        report(task, Failures.describe(task), ran, flagged != null && flagged.sequence == sequence ? flagged.stack : NO_STACK);
        return true;
    }

    /**
     * A window of consecutive callbacks between two clock reads lasted at least the threshold.
     * Alone in its window, the callback is named and timed exactly; among several, the window is
     * reported as such.
     */
    @Override
    public void slowWindow(Object first, int callbacks, long nanos) {
        if (callbacks == 1) {
            if (isUsers(first)) {
                report(first, Failures.describe(first), nanos, NO_STACK);
            }
            return;
        }
        report(null, "one or more of " + callbacks + " callbacks run back to back"
                + (isUsers(first) ? ", the first: " + Failures.describe(first) : ""), nanos, NO_STACK);
    }

    private static boolean isUsers(Object task) {
        return InternalTask.mayRunUserCode(task);
    }

    private void report(Object task, String description, long ranNanos, StackTraceElement[] stack) {
        count++;
        listeners.notify(l -> l.slowCallback(loop.loop(), description, Duration.ofNanos(ranNanos), stack));
        long now = clock.nanoTime();
        if (now - logPeriodStart >= LOG_PERIOD_NANOS) {
            logPeriodStart = now;
            logsInPeriod = 0;
        }
        if (++logsInPeriod > LOGS_PER_PERIOD) {
            logsSuppressed++;
            return;
        }
        StringBuilder message = new StringBuilder("Event loop '").append(loop.name()).append("' ran a slow callback for ")
                .append(millis(ranNanos)).append(" ms (threshold ").append(millis(thresholdNanos)).append(" ms): ")
                .append(description);
        if (logsSuppressed > 0) {
            message.append(" (").append(logsSuppressed).append(" similar warnings suppressed before this one)");
            logsSuppressed = 0;
        }
        Throwable origin = loop.originOf(task);
        if (origin != null) {
            LOG.log(Level.WARNING, message.toString(), origin);
        } else {
            LOG.log(Level.WARNING, message.toString());
        }
    }

    long count() {
        return count;
    }

    static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }
}
