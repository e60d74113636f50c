package io.eventthread.internal;

/**
 * Measures queueing delay on a busy loop that runs only plain {@code Runnable}s (which carry no
 * enqueue time): the watch sends this task through the queue and it records how long it waited.
 * At most one is queued at a time, and at most one is sent per watchdog interval. It is the
 * engine's own work: uncounted as a task, never reported as a slow callback, left out of the
 * queue depth.
 */
final class DelayProbe implements InternalTask {

    private final LoopContext loop;
    private final LoopCounters counters;
    private final long intervalNanos;
    private volatile boolean pending;
    private volatile long sentAt;
    // watchdog thread only
    private long nextAt;

    DelayProbe(LoopContext loop, LoopCounters counters, long intervalNanos) {
        this.loop = loop;
        this.counters = counters;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Watchdog thread, when a sample finds a new callback running (or none): sends the probe if
     * work is queued, none is pending, and the interval has passed since the last one (at once
     * when the loop is between callbacks).
     */
    void sendIfDue(long now, boolean betweenCallbacks) {
        if (!LoopCounters.ENABLED || pending || !betweenCallbacks && now - nextAt < 0 || loop.queueSize() == 0) {
            return;
        }
        nextAt = now + intervalNanos;
        pending = true;
        sentAt = now;
        loop.executeInternal(this);
    }

    /** Whether the probe is queued (0 or 1 entries), so the queue depth shows user work only. */
    boolean isQueued() {
        return pending;
    }

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
    public boolean runsUserCode() {
        return false;
    }

    @Override
    public String toString() {
        return "loop delay probe";
    }
}
