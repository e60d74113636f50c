package io.eventthread;

import java.time.Duration;

/**
 * Receives notable events of the loops of an {@link EventThread}: slow callbacks, stuck and
 * recovered loops, failed tasks, rejected submissions, blocking calls. Register with
 * {@link EventThread.Builder#listener(EventLoopListener)}.
 *
 * <p>Listeners are called on one shared notifier thread, never on a loop thread, so a slow
 * listener cannot block a loop. Events are delivered in order per process; if listeners fall far
 * behind, further events are dropped (and counted in {@link LoopStats#droppedEvents()}) rather
 * than queued without bound. A listener that throws is logged and keeps receiving events.
 */
public interface EventLoopListener {

    /**
     * A callback ran at least the slow-callback threshold.
     * @param loop the loop it ran on
     * @param task a description of the task (its {@code toString} or label)
     * @param duration how long it ran
     */
    default void slowCallback(EventLoop loop, String task, Duration duration) {
    }

    /**
     * A callback ran at least the slow-callback threshold, with the loop thread's stack as the
     * watchdog saw it while the callback was running (empty if it was not sampled). By default
     * calls {@link #slowCallback(EventLoop, String, Duration)}.
     * @param loop the loop it ran on
     * @param task a description of the task (its {@code toString} or label)
     * @param duration how long it ran
     * @param stack the loop thread's stack during the callback, innermost frame first
     */
    default void slowCallback(EventLoop loop, String task, Duration duration, StackTraceElement[] stack) {
        slowCallback(loop, task, duration);
    }

    /**
     * A loop has been inside one callback for longer than the stuck threshold.
     * @param loop the stuck loop
     * @param stuckFor how long the callback has run so far
     * @param stack the loop thread's stack when it was detected
     */
    default void stuck(EventLoop loop, Duration stuckFor, StackTraceElement[] stack) {
    }

    /**
     * A loop that was reported stuck returned from the callback.
     * @param loop the loop
     * @param stuckFor how long the callback ran in total
     */
    default void recovered(EventLoop loop, Duration stuckFor) {
    }

    /**
     * A task failed: a plain {@code Runnable} threw, or a future's task completed exceptionally.
     * @param loop the loop it ran on
     * @param task a description of the task
     * @param failure what it threw
     */
    default void taskFailed(EventLoop loop, String task, Throwable failure) {
    }

    /**
     * A submission was rejected (shutdown, or a full bounded queue).
     * @param loop the loop that rejected it
     * @param reason the message given to the caller
     */
    default void rejected(EventLoop loop, String reason) {
    }

    /**
     * A callback on a loop thread made a blocking call at least the blocking-detection threshold
     * long; see {@link EventThread.Builder#blockingDetection(boolean)}. Called after the call has
     * returned: the JDK's events reach the detector in batches, about once a second.
     * @param loop the loop whose thread blocked
     * @param call what blocked, for example {@code Thread.sleep} or {@code socket read from host:port}
     * @param duration how long it blocked
     * @param stack the loop thread's stack at the call, innermost frame first
     */
    default void blockingCall(EventLoop loop, String call, Duration duration, StackTraceElement[] stack) {
    }
}
