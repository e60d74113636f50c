package io.eventthread;

import java.time.Duration;

/**
 * An immutable snapshot of one loop's figures, from {@link EventLoop#stats()}. Counters are
 * cumulative since the loop started; read two snapshots and subtract for a rate. Utilization over
 * a window is {@code Δbusy / Δelapsed}.
 *
 * @param loopName the loop thread's name
 * @param state the life-cycle state
 * @param stuck whether the loop is inside a callback that has run longer than the stuck threshold
 * @param queueDepth tasks accepted and not yet started
 * @param pendingTimers timers scheduled and not yet due or cancelled
 * @param tasksCompleted tasks and timer callbacks that returned normally
 * @param tasksFailed tasks and timer callbacks that threw (not also counted as completed)
 * @param tasksRejected submissions rejected because of shutdown or a full queue
 * @param slowCallbacks callbacks that ran at least the slow-callback threshold
 * @param stuckIncidents times the loop was flagged stuck
 * @param busyTime total time spent inside callbacks
 * @param elapsed time since the loop started (to its termination, once terminated)
 * @param currentCallbackTime how long the current callback has run, zero when idle
 * @param delay how late work started compared with when it was due
 * @param droppedEvents listener events dropped because listeners fell behind
 */
public record LoopStats(String loopName, LoopState state, boolean stuck, int queueDepth,
        int pendingTimers, long tasksCompleted, long tasksFailed, long tasksRejected,
        long slowCallbacks, long stuckIncidents, Duration busyTime, Duration elapsed,
        Duration currentCallbackTime, LoopDelay delay, long droppedEvents) {

    /**
     * The fraction of {@link #elapsed()} spent in callbacks since the loop started, 0 to 1.
     * @return the lifetime utilization
     */
    public double utilization() {
        long e = elapsed.toNanos();
        return e <= 0 ? 0.0 : Math.min(1.0, (double) busyTime.toNanos() / e);
    }
}
