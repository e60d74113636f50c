package io.eventthread;

import java.time.Duration;

/**
 * Receives notable events of the loops of an {@link EventThread}: slow callbacks, stuck and
 * recovered loops, failed tasks, rejected submissions. Register with
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
}
