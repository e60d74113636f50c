package io.eventthread;

/**
 * What a graceful shutdown does with plain timers ({@code callLater}, {@code callAt},
 * {@code schedule}) that are not yet due.
 *
 * <p>Periodic tasks are always cancelled when the shutdown begins, and the timers that in-flight
 * work waits on ({@link EventLoop#sleep sleep}, {@link EventLoop#timeout timeout}) are always kept
 * until the deadline, whatever the policy.
 */
public enum TimerShutdownPolicy {
    /**
     * Cancel plain timers when the shutdown begins, as Netty and asyncio do: an idle application
     * with a timer an hour away stops at once. The default.
     */
    CANCEL,
    /**
     * Keep plain timers that fall due before the shutdown deadline and let them fire; cancel the
     * ones due after it.
     */
    RUN_BEFORE_DEADLINE
}
