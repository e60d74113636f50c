package io.eventthread;

/**
 * A callback scheduled on an {@link EventLoop} with {@link EventLoop#callSoon callSoon},
 * {@link EventLoop#callLater callLater} or {@link EventLoop#callAt callAt}: asyncio's
 * {@code Handle}/{@code TimerHandle}.
 *
 * <p>Cancelling is thread-safe and final: a callback cancelled before it started never runs, and a
 * cancelled timer is removed from the loop's timer heap promptly, so it holds no memory until its
 * deadline.
 */
public interface LoopHandle {

    /**
     * Cancels the callback if it has not started yet.
     * @return {@code true} if this call cancelled it; {@code false} if it had already run, started,
     * or been cancelled
     */
    boolean cancel();

    /**
     * Whether the callback was cancelled (by {@link #cancel()} or by the loop's shutdown).
     * @return {@code true} once cancelled
     */
    boolean isCancelled();

    /**
     * The loop time ({@link EventLoop#time()}) at which the callback is due; for
     * {@code callSoon} the time it was accepted.
     * @return the due time in loop nanoseconds
     */
    long when();
}
