package io.eventthread.internal;

import io.eventthread.EventLoopListener;
import io.eventthread.LoopClock;
import io.eventthread.TimerShutdownPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/**
 * Validated, immutable settings shared by the loops of one group; built by
 * {@code EventThread.Builder}. Durations the engine reads on its paths are in nanoseconds.
 */
public record LoopSettings(int loopCount, String threadNamePrefix, Duration shutdownTimeout,
        TimerShutdownPolicy timerShutdownPolicy, int queueCapacity, int blockingMaxThreads,
        int blockingQueueCapacity, Duration blockingKeepAlive, boolean blockingVirtualThreads,
        Thread.UncaughtExceptionHandler uncaughtExceptionHandler, ThreadFactory threadFactory,
        long idleSpinNanos, long slowCallbackThresholdNanos, long stuckThresholdNanos,
        long watchdogIntervalNanos, long forceGraceNanos, boolean debug, List<EventLoopListener> listeners,
        LoopClock clock, UnaryOperator<Runnable> taskDecorator) {

    /**
     * @param prefix the group name its loops are named after
     * @return these settings with that prefix
     */
    public LoopSettings withThreadNamePrefix(String prefix) {
        return new LoopSettings(loopCount, prefix, shutdownTimeout, timerShutdownPolicy, queueCapacity,
                blockingMaxThreads, blockingQueueCapacity, blockingKeepAlive, blockingVirtualThreads,
                uncaughtExceptionHandler, threadFactory, idleSpinNanos, slowCallbackThresholdNanos,
                stuckThresholdNanos, watchdogIntervalNanos, forceGraceNanos, debug, listeners, clock, taskDecorator);
    }

    /** @return whether the task queue has a capacity */
    public boolean bounded() {
        return queueCapacity != Integer.MAX_VALUE;
    }
}
