package io.eventthread;

import io.eventthread.internal.Durations;
import io.eventthread.internal.LoopSettings;
import io.eventthread.internal.jfr.Diagnostics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/** The mutable state of {@link EventThread.Builder}, its validation, and the argument checks shared by the API. */
final class Settings {

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
    Duration forceGrace = EventThread.FORCE_GRACE;
    boolean debug;
    final List<EventLoopListener> listeners = new ArrayList<>();
    LoopClock clock = LoopClock.SYSTEM;
    UnaryOperator<Runnable> taskDecorator;
    /** Flight Recorder events and blocking-call detection; it adds its listener at validation. */
    final Diagnostics diagnostics = new Diagnostics();

    LoopSettings validate() {
        requireRange("loopCount", loopCount, 1, EventThread.Builder.MAX_LOOP_COUNT);
        if (threadNamePrefix.isBlank()) {
            throw new IllegalArgumentException("threadNamePrefix: '" + threadNamePrefix + "' (expected: not blank)");
        }
        requireNonNegative("shutdownTimeout", shutdownTimeout);
        requireRange("queueCapacity", queueCapacity, 1, Integer.MAX_VALUE);
        requireRange("blockingMaxThreads", blockingMaxThreads, 1, EventThread.Builder.MAX_BLOCKING_THREADS);
        requireRange("blockingQueueCapacity", blockingQueueCapacity, 0, Integer.MAX_VALUE);
        requirePositive("blockingKeepAlive", blockingKeepAlive);
        requireNonNegative("idleSpin", idleSpin);
        if (idleSpin.compareTo(EventThread.Builder.MAX_IDLE_SPIN) > 0) {
            throw new IllegalArgumentException("idleSpin: " + idleSpin + " (expected: 0.." + EventThread.Builder.MAX_IDLE_SPIN + ")");
        }
        requirePositive("slowCallbackThreshold", slowCallbackThreshold);
        requirePositive("stuckThreshold", stuckThreshold);
        requirePositive("watchdogInterval", watchdogInterval);
        requireNonNegative("forceGrace", forceGrace);
        diagnostics.validate();
        if (blockingVirtualThreads && Runtime.version().feature() < 21) {
            throw new IllegalArgumentException("blockingVirtualThreads: true (expected: false on Java "
                    + Runtime.version().feature() + "; virtual threads need Java 21 or later)");
        }
        return new LoopSettings(loopCount, threadNamePrefix, shutdownTimeout, timerShutdownPolicy,
                queueCapacity, blockingMaxThreads, blockingQueueCapacity, blockingKeepAlive,
                blockingVirtualThreads, uncaughtExceptionHandler, threadFactory, Durations.saturatedNanos(idleSpin),
                Durations.saturatedNanos(slowCallbackThreshold), Durations.saturatedNanos(stuckThreshold),
                Durations.saturatedNanos(watchdogInterval), Durations.saturatedNanos(forceGrace), debug,
                diagnostics.withListeners(listeners), clock, taskDecorator);
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
}
