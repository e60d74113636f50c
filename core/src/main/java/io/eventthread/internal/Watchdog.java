package io.eventthread.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process-wide helper threads of all loops: one watchdog thread that runs periodic checks
 * (stuck callbacks, delay probes) and shutdown deadlines, and one notifier thread that calls
 * listeners, so that neither a slow listener nor a stuck loop can hold up the other. Both are
 * daemon threads created on first use; they stay for the life of the process and cost nothing
 * while idle.
 */
final class Watchdog {

    private static final int NOTIFIER_BACKLOG = 10_000;

    private static final ScheduledThreadPoolExecutor SCHEDULER = newScheduler();
    private static final ThreadPoolExecutor NOTIFIER = newNotifier();

    private Watchdog() {
    }

    /**
     * Runs a check every {@code intervalNanos} on the watchdog thread until cancelled.
     * @param check the check; what it throws is logged and the schedule continues
     * @param intervalNanos the period
     * @return the handle to cancel it
     */
    static ScheduledFuture<?> every(Runnable check, long intervalNanos) {
        return SCHEDULER.scheduleWithFixedDelay(guarded(check), intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Runs an action once on the watchdog thread after a delay.
     * @param action the action
     * @param delayNanos the delay
     * @return the handle to cancel it
     */
    static ScheduledFuture<?> after(Runnable action, long delayNanos) {
        return SCHEDULER.schedule(guarded(action), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /**
     * Hands an event to the notifier thread.
     * @param event the listener call
     * @return {@code false} if the backlog is full and the event was dropped
     */
    static boolean notify(Runnable event) {
        try {
            NOTIFIER.execute(guarded(event));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static Runnable guarded(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (Throwable t) {
                System.getLogger(Watchdog.class.getName())
                        .log(System.Logger.Level.ERROR, "EventThread watchdog action failed: " + action, t);
            }
        };
    }

    private static ScheduledThreadPoolExecutor newScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonFactory("eventthread-watchdog"));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return scheduler;
    }

    private static ThreadPoolExecutor newNotifier() {
        ThreadPoolExecutor notifier = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(NOTIFIER_BACKLOG), daemonFactory("eventthread-notifier"),
                new ThreadPoolExecutor.AbortPolicy());
        notifier.allowCoreThreadTimeOut(true);
        return notifier;
    }

    private static java.util.concurrent.ThreadFactory daemonFactory(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, count.getAndIncrement() == 0 ? name : name + "-" + count.get());
            t.setDaemon(true);
            return t;
        };
    }
}
