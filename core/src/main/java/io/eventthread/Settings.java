package io.eventthread;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;

/** The mutable state of {@link EventThread.Builder}, and the argument checks shared by the API. */
final class Settings {

    static final int MAX_LOOPS = 1024;

    int loopCount = 1;
    String threadNamePrefix = "eventthread";
    Duration shutdownTimeout = Duration.ofSeconds(10);
    TimerShutdownPolicy timerShutdownPolicy = TimerShutdownPolicy.CANCEL;
    int queueCapacity = Integer.MAX_VALUE;
    int blockingMaxThreads = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
    int blockingQueueCapacity = 10_000;
    Duration blockingKeepAlive = Duration.ofSeconds(60);
    boolean blockingVirtualThreads;
    Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
    ThreadFactory threadFactory;
    Duration idleSpin = Duration.ofNanos(10_000);
    Duration slowCallbackThreshold = Duration.ofMillis(100);
    Duration stuckThreshold = Duration.ofSeconds(2);
    Duration watchdogInterval = Duration.ofMillis(500);
    boolean debug;
    final List<EventLoopListener> listeners = new ArrayList<>();
    LoopClock clock = LoopClock.SYSTEM;
    java.util.function.UnaryOperator<Runnable> taskDecorator;

    LoopSettings validate() {
        requireRange("loopCount", loopCount, 1, MAX_LOOPS);
        if (threadNamePrefix.isBlank()) {
            throw new IllegalArgumentException("threadNamePrefix: '" + threadNamePrefix + "' (expected: not blank)");
        }
        requireNonNegative("shutdownTimeout", shutdownTimeout);
        requireRange("queueCapacity", queueCapacity, 1, Integer.MAX_VALUE);
        requireRange("blockingMaxThreads", blockingMaxThreads, 1, 32_767);
        requireRange("blockingQueueCapacity", blockingQueueCapacity, 0, Integer.MAX_VALUE);
        requirePositive("blockingKeepAlive", blockingKeepAlive);
        requireNonNegative("idleSpin", idleSpin);
        if (idleSpin.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("idleSpin: " + idleSpin + " (expected: 0..PT1S)");
        }
        requirePositive("slowCallbackThreshold", slowCallbackThreshold);
        requirePositive("stuckThreshold", stuckThreshold);
        requirePositive("watchdogInterval", watchdogInterval);
        if (blockingVirtualThreads && Runtime.version().feature() < 21) {
            throw new IllegalArgumentException("blockingVirtualThreads: true (expected: false on Java "
                    + Runtime.version().feature() + "; virtual threads need Java 21 or later)");
        }
        return new LoopSettings(loopCount, threadNamePrefix, shutdownTimeout, timerShutdownPolicy,
                queueCapacity, blockingMaxThreads, blockingQueueCapacity, blockingKeepAlive,
                blockingVirtualThreads, uncaughtExceptionHandler, threadFactory, idleSpin.toNanos(),
                slowCallbackThreshold.toNanos(), stuckThreshold.toNanos(), watchdogInterval.toNanos(), debug,
                List.copyOf(listeners), clock, taskDecorator);
    }

    static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + ".."
                    + (max == Integer.MAX_VALUE ? "" : String.valueOf(max)) + ")");
        }
    }

    static void requireNonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }

    static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    static <T> Callable<T> callable(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return new Callable<>() {
            @Override
            public T call() {
                task.run();
                return result;
            }

            @Override
            public String toString() {
                return task.toString();
            }
        };
    }

    /** Validated, immutable settings shared by the loops of one group. Durations are in nanoseconds. */
    record LoopSettings(int loopCount, String threadNamePrefix, Duration shutdownTimeout,
            TimerShutdownPolicy timerShutdownPolicy, int queueCapacity, int blockingMaxThreads,
            int blockingQueueCapacity, Duration blockingKeepAlive, boolean blockingVirtualThreads,
            Thread.UncaughtExceptionHandler uncaughtExceptionHandler, ThreadFactory threadFactory,
            long idleSpinNanos, long slowCallbackThresholdNanos, long stuckThresholdNanos,
            long watchdogIntervalNanos, boolean debug, List<EventLoopListener> listeners, LoopClock clock,
            java.util.function.UnaryOperator<Runnable> taskDecorator) {

        boolean bounded() {
            return queueCapacity != Integer.MAX_VALUE;
        }
    }
}
