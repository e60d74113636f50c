package io.eventthread.autoconfigure;

import java.time.Duration;

import io.eventthread.EventThread;

/**
 * Checks {@link EventThreadProperties} in one place, before the group is built, so a bad value
 * is reported under its property name rather than as the core builder's setter name.
 */
final class EventThreadPropertiesValidator {

    /** The core builder accepts at most this many loops. */
    static final int MAX_LOOPS = EventThread.Builder.MAX_LOOP_COUNT;

    /** The core builder accepts an idle spin up to this. */
    static final Duration MAX_IDLE_SPIN = EventThread.Builder.MAX_IDLE_SPIN;

    private EventThreadPropertiesValidator() {
    }

    /**
     * Validates the properties.
     * @param properties the bound properties
     * @param shutdownPhaseTimeout {@code spring.lifecycle.timeout-per-shutdown-phase}
     * @param contextPropagationAvailable whether io.micrometer:context-propagation is present
     * @throws InvalidEventThreadPropertyException for the first invalid property
     */
    static void validate(EventThreadProperties properties, Duration shutdownPhaseTimeout,
            boolean contextPropagationAvailable) {
        int loopCount = properties.getLoopCount();
        if (loopCount < 1 || loopCount > MAX_LOOPS) {
            throw new InvalidEventThreadPropertyException("eventthread.loop-count", loopCount, "1.." + MAX_LOOPS);
        }
        String prefix = properties.getThreadNamePrefix();
        if (prefix == null || prefix.isBlank()) {
            throw new InvalidEventThreadPropertyException("eventthread.thread-name-prefix", "'" + prefix + "'",
                    "a non-blank name");
        }
        Duration shutdownTimeout = properties.getShutdownTimeout();
        requireNonNegative("eventthread.shutdown-timeout", shutdownTimeout);
        if (shutdownTimeout.compareTo(shutdownPhaseTimeout) > 0) {
            // Spring abandons a lifecycle bean that takes longer than the phase timeout, and the
            // loops would then be torn down by the context close instead of draining.
            throw new InvalidEventThreadPropertyException("eventthread.shutdown-timeout", text(shutdownTimeout),
                    "0s.." + text(shutdownPhaseTimeout) + ", at most spring.lifecycle.timeout-per-shutdown-phase");
        }
        requirePositive("eventthread.slow-callback-threshold", properties.getSlowCallbackThreshold());
        requirePositive("eventthread.stuck-threshold", properties.getStuckThreshold());
        requirePositive("eventthread.watchdog-interval", properties.getWatchdogInterval());
        Duration idleSpin = properties.getIdleSpin();
        requireNonNegative("eventthread.idle-spin", idleSpin);
        if (idleSpin.compareTo(MAX_IDLE_SPIN) > 0) {
            throw new InvalidEventThreadPropertyException("eventthread.idle-spin", text(idleSpin), "0s..1s");
        }
        requireAtLeast("eventthread.queue-capacity", properties.getQueueCapacity(), 1);
        EventThreadProperties.Blocking blocking = properties.getBlocking();
        requireAtLeast("eventthread.blocking.max-threads", blocking.getMaxThreads(), 1);
        requireAtLeast("eventthread.blocking.queue-capacity", blocking.getQueueCapacity(), 0);
        requirePositive("eventthread.blocking.keep-alive", blocking.getKeepAlive());
        if (Boolean.TRUE.equals(blocking.getVirtualThreads()) && Runtime.version().feature() < 21) {
            throw new InvalidEventThreadPropertyException("eventthread.blocking.virtual-threads", true,
                    "false on Java " + Runtime.version().feature() + "; virtual threads need Java 21 or later");
        }
        requireAtLeast("eventthread.health.max-queue-depth", properties.getHealth().getMaxQueueDepth(), 0);
        requirePositive("eventthread.blocking-detection.threshold", properties.getBlockingDetection().getThreshold());
        if (Boolean.TRUE.equals(properties.getContextPropagation()) && !contextPropagationAvailable) {
            throw new InvalidEventThreadPropertyException("eventthread.context-propagation", true,
                    "false, or io.micrometer:context-propagation on the classpath");
        }
    }

    private static void requireAtLeast(String property, Integer value, int min) {
        if (value != null && value < min) {
            throw new InvalidEventThreadPropertyException(property, value, (min == 0) ? ">= 0" : min + " or more");
        }
    }

    private static void requireNonNegative(String property, Duration value) {
        if (value == null || value.isNegative()) {
            throw new InvalidEventThreadPropertyException(property, text(value), "a duration of 0s or more");
        }
    }

    private static void requirePositive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidEventThreadPropertyException(property, text(value), "a duration greater than 0s");
        }
    }

    /**
     * A duration as a user would write it in a properties file ({@code 40s}, {@code 250ms}), so
     * the message can be copied back, rather than ISO-8601 ({@code PT40S}).
     */
    static String text(Duration duration) {
        if (duration == null) {
            return "null";
        }
        long nanos;
        try {
            nanos = duration.toNanos();
        }
        catch (ArithmeticException ex) {
            return duration.toSeconds() + "s";
        }
        if (nanos % 1_000_000_000L == 0) {
            return (nanos / 1_000_000_000L) + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return (nanos / 1_000_000L) + "ms";
        }
        return (nanos % 1_000L == 0) ? (nanos / 1_000L) + "us" : nanos + "ns";
    }

}
