package io.eventthread.internal;

import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.LoopClock;
import io.eventthread.SettingViolation;
import io.eventthread.TimerShutdownPolicy;
import io.eventthread.internal.jfr.Diagnostics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.UnaryOperator;

/**
 * The engine's {@link EventThread.Builder}: the settings as given, every rule on them — ranges and
 * the rules between settings — in {@link #violations()}, the one place that judges them, and the
 * group it builds. The defaults are the API's {@code DEFAULT_*} constants.
 */
public final class GroupBuilder implements EventThread.Builder {

    private int loopCount = DEFAULT_LOOP_COUNT;
    private String threadNamePrefix = DEFAULT_THREAD_NAME_PREFIX;
    private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    private TimerShutdownPolicy timerShutdownPolicy = DEFAULT_TIMER_SHUTDOWN_POLICY;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int blockingMaxThreads = EventThread.Builder.defaultBlockingMaxThreads();
    private int blockingQueueCapacity = DEFAULT_BLOCKING_QUEUE_CAPACITY;
    private Duration blockingKeepAlive = DEFAULT_BLOCKING_KEEP_ALIVE;
    private boolean blockingVirtualThreads;
    private Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
    private ThreadFactory threadFactory;
    private Duration idleSpin = DEFAULT_IDLE_SPIN;
    private Duration slowCallbackThreshold = DEFAULT_SLOW_CALLBACK_THRESHOLD;
    private Duration stuckThreshold = DEFAULT_STUCK_THRESHOLD;
    private Duration watchdogInterval = DEFAULT_WATCHDOG_INTERVAL;
    private Duration forceGrace = DEFAULT_FORCE_GRACE;
    private boolean debug;
    private final List<EventLoopListener> listeners = new ArrayList<>();
    private LoopClock clock = LoopClock.SYSTEM;
    private UnaryOperator<Runnable> taskDecorator;
    /** Flight Recorder events and blocking-call detection; it adds its listener at build. */
    private final Diagnostics diagnostics = new Diagnostics();

    /** Made by {@link EventThread#builder()}. */
    public GroupBuilder() {
    }

    @Override
    public GroupBuilder loopCount(int loopCount) {
        this.loopCount = loopCount;
        return this;
    }

    @Override
    public GroupBuilder threadNamePrefix(String prefix) {
        this.threadNamePrefix = Objects.requireNonNull(prefix, "prefix");
        return this;
    }

    @Override
    public GroupBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    @Override
    public GroupBuilder timerShutdownPolicy(TimerShutdownPolicy policy) {
        this.timerShutdownPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    @Override
    public GroupBuilder queueCapacity(int capacity) {
        this.queueCapacity = capacity;
        return this;
    }

    @Override
    public GroupBuilder blockingMaxThreads(int maxThreads) {
        this.blockingMaxThreads = maxThreads;
        return this;
    }

    @Override
    public GroupBuilder blockingQueueCapacity(int capacity) {
        this.blockingQueueCapacity = capacity;
        return this;
    }

    @Override
    public GroupBuilder blockingKeepAlive(Duration keepAlive) {
        this.blockingKeepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        return this;
    }

    @Override
    public GroupBuilder blockingVirtualThreads(boolean virtualThreads) {
        this.blockingVirtualThreads = virtualThreads;
        return this;
    }

    @Override
    public GroupBuilder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
        this.uncaughtExceptionHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    @Override
    public GroupBuilder threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    @Override
    public GroupBuilder idleSpin(Duration spin) {
        this.idleSpin = Objects.requireNonNull(spin, "spin");
        return this;
    }

    @Override
    public GroupBuilder slowCallbackThreshold(Duration threshold) {
        this.slowCallbackThreshold = Objects.requireNonNull(threshold, "threshold");
        return this;
    }

    @Override
    public GroupBuilder stuckThreshold(Duration threshold) {
        this.stuckThreshold = Objects.requireNonNull(threshold, "threshold");
        return this;
    }

    @Override
    public GroupBuilder watchdogInterval(Duration interval) {
        this.watchdogInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    @Override
    public GroupBuilder debug(boolean debug) {
        this.debug = debug;
        return this;
    }

    @Override
    public GroupBuilder listener(EventLoopListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    @Override
    public GroupBuilder clock(LoopClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    @Override
    public GroupBuilder forceGrace(Duration grace) {
        this.forceGrace = Objects.requireNonNull(grace, "grace");
        return this;
    }

    @Override
    public GroupBuilder taskDecorator(UnaryOperator<Runnable> decorator) {
        this.taskDecorator = Objects.requireNonNull(decorator, "decorator");
        return this;
    }

    @Override
    public GroupBuilder flightRecorder(boolean enabled) {
        diagnostics.flightRecorder(enabled);
        return this;
    }

    @Override
    public GroupBuilder blockingDetection(boolean enabled) {
        diagnostics.blockingDetection(enabled);
        return this;
    }

    @Override
    public GroupBuilder blockingDetectionThreshold(Duration threshold) {
        diagnostics.blockingDetectionThreshold(threshold);
        return this;
    }

    @Override
    public GroupBuilder blockingDetectionQuietPeriod(Duration quietPeriod) {
        diagnostics.blockingDetectionQuietPeriod(quietPeriod);
        return this;
    }

    @Override
    public GroupBuilder blockingDetectionQuietUntil(java.util.concurrent.CompletionStage<?> until) {
        diagnostics.blockingDetectionQuietUntil(until);
        return this;
    }

    @Override
    public List<SettingViolation> violations() {
        List<SettingViolation> found = new ArrayList<>();
        range(found, "loopCount", loopCount, 1, MAX_LOOP_COUNT);
        if (threadNamePrefix.isBlank()) {
            found.add(SettingViolation.outOfRange("threadNamePrefix", "'" + threadNamePrefix + "'", "not blank"));
        }
        nonNegative(found, "shutdownTimeout", shutdownTimeout);
        range(found, "queueCapacity", queueCapacity, 1, Integer.MAX_VALUE);
        range(found, "blockingMaxThreads", blockingMaxThreads, 1, MAX_BLOCKING_THREADS);
        range(found, "blockingQueueCapacity", blockingQueueCapacity, 0, Integer.MAX_VALUE);
        positive(found, "blockingKeepAlive", blockingKeepAlive);
        if (blockingVirtualThreads && Runtime.version().feature() < 21) {
            found.add(SettingViolation.outOfRange("blockingVirtualThreads", true, "false on Java "
                    + Runtime.version().feature() + "; virtual threads need Java 21 or later"));
        }
        if (idleSpin.isNegative() || idleSpin.compareTo(MAX_IDLE_SPIN) > 0) {
            found.add(SettingViolation.outOfRange("idleSpin", idleSpin, Duration.ZERO + ".." + MAX_IDLE_SPIN));
        }
        boolean slowValid = positive(found, "slowCallbackThreshold", slowCallbackThreshold);
        boolean stuckValid = positive(found, "stuckThreshold", stuckThreshold);
        boolean intervalValid = positive(found, "watchdogInterval", watchdogInterval);
        // a zero grace is meaningful: a loop that ignores the deadline's interrupt is reported at once
        nonNegative(found, "forceGrace", forceGrace);
        diagnostics.validate(found);
        if (stuckValid && slowValid && stuckThreshold.compareTo(slowCallbackThreshold) < 0) {
            found.add(SettingViolation.conflict("stuckThreshold", stuckThreshold, ">= slowCallbackThreshold",
                    "slowCallbackThreshold", slowCallbackThreshold,
                    "a callback would be reported stuck, with its stack, before it is counted slow"));
        }
        if (stuckValid && intervalValid && stuckThreshold.compareTo(watchdogInterval) < 0) {
            found.add(SettingViolation.conflict("stuckThreshold", stuckThreshold, ">= watchdogInterval",
                    "watchdogInterval", watchdogInterval,
                    "the watchdog checks for stuck loops only once per interval, so the stuck threshold is "
                            + "effectively the interval and callbacks shorter than it are flagged stuck at random"));
        }
        return List.copyOf(found);
    }

    @Override
    public EventThread build() {
        List<SettingViolation> violations = violations();
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(violations.get(0).message());
        }
        LoopSettings settings = new LoopSettings(loopCount, threadNamePrefix, shutdownTimeout, timerShutdownPolicy,
                queueCapacity, blockingMaxThreads, blockingQueueCapacity, blockingKeepAlive,
                blockingVirtualThreads, uncaughtExceptionHandler, threadFactory, Durations.saturatedNanos(idleSpin),
                Durations.saturatedNanos(slowCallbackThreshold), Durations.saturatedNanos(stuckThreshold),
                Durations.saturatedNanos(watchdogInterval), Durations.saturatedNanos(forceGrace), debug,
                diagnostics.withListeners(listeners), clock, taskDecorator);
        return new LoopGroup(settings, diagnostics);
    }

    private static void range(List<SettingViolation> found, String name, int value, int min, int max) {
        if (value < min || value > max) {
            found.add(SettingViolation.outOfRange(name, value,
                    min + ".." + (max == Integer.MAX_VALUE ? "" : String.valueOf(max))));
        }
    }

    private static void nonNegative(List<SettingViolation> found, String name, Duration value) {
        if (value.isNegative()) {
            found.add(SettingViolation.outOfRange(name, value, ">= 0"));
        }
    }

    private static boolean positive(List<SettingViolation> found, String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            found.add(SettingViolation.outOfRange(name, value, "> 0"));
            return false;
        }
        return true;
    }
}
