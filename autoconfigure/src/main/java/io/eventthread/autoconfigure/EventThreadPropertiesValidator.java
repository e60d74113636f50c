package io.eventthread.autoconfigure;

import java.time.Duration;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.ConflictingEventThreadPropertiesException.Setting;

/**
 * Checks the settings of a group in one place, before the group is built, so a bad value is
 * reported under the property the user wrote (with its origin) rather than as the core builder's
 * setter name, and settings that contradict each other are reported together.
 */
final class EventThreadPropertiesValidator {

    /** The core builder accepts at most this many loops. */
    static final int MAX_LOOPS = EventThread.Builder.MAX_LOOP_COUNT;

    /** The core builder accepts an idle spin up to this. */
    static final Duration MAX_IDLE_SPIN = EventThread.Builder.MAX_IDLE_SPIN;

    static final String PHASE_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

    private final PropertyLocator at;

    private EventThreadPropertiesValidator(PropertyLocator at) {
        this.at = at;
    }

    /**
     * Validates the settings of one group.
     * @param properties the bound settings
     * @param at names the property behind each key, and where it was set
     * @param shutdownPhaseTimeout {@code spring.lifecycle.timeout-per-shutdown-phase}
     * @throws InvalidEventThreadPropertyException for the first invalid property
     * @throws ConflictingEventThreadPropertiesException for the first two that contradict
     */
    static void validate(EventThreadGroupProperties properties, PropertyLocator at, Duration shutdownPhaseTimeout) {
        new EventThreadPropertiesValidator(at).check(properties, shutdownPhaseTimeout);
    }

    /**
     * Checks the application-wide switches of the top level.
     * @param properties the bound properties
     * @param at where each was set
     * @param contextPropagationAvailable whether io.micrometer:context-propagation is present
     */
    static void validateTopLevel(EventThreadProperties properties, PropertyLocator at,
            boolean contextPropagationAvailable) {
        EventThreadPropertiesValidator validator = new EventThreadPropertiesValidator(at);
        if (Boolean.TRUE.equals(properties.getContextPropagation()) && !contextPropagationAvailable) {
            throw validator.invalid("context-propagation", true,
                    "false, or io.micrometer:context-propagation on the classpath");
        }
    }

    /**
     * Checks a group's name: it becomes a bean name and a property key.
     * @param name the key under {@code eventthread.groups}
     * @param at where it was set
     */
    static void validateGroupName(String name, PropertyLocator at) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new EventThreadPropertiesValidator(at).invalid("groups", "'" + name + "'",
                    "a group name of lowercase letters, digits and '-', starting with a letter, as it becomes a "
                            + "bean name and a property key");
        }
    }

    private void check(EventThreadGroupProperties properties, Duration shutdownPhaseTimeout) {
        int loopCount = properties.getLoopCount();
        if (loopCount < 1 || loopCount > MAX_LOOPS) {
            throw invalid("loop-count", loopCount, "1.." + MAX_LOOPS);
        }
        String prefix = properties.getThreadNamePrefix();
        if (prefix == null || prefix.isBlank()) {
            throw invalid("thread-name-prefix", "'" + prefix + "'", "a non-blank name");
        }
        Duration shutdownTimeout = properties.getShutdownTimeout();
        requireNonNegative("shutdown-timeout", shutdownTimeout);
        Duration forceGrace = properties.getForceGrace();
        requirePositive("force-grace", forceGrace);
        requirePositive("slow-callback-threshold", properties.getSlowCallbackThreshold());
        requirePositive("stuck-threshold", properties.getStuckThreshold());
        requirePositive("watchdog-interval", properties.getWatchdogInterval());
        Duration idleSpin = properties.getIdleSpin();
        requireNonNegative("idle-spin", idleSpin);
        if (idleSpin.compareTo(MAX_IDLE_SPIN) > 0) {
            throw invalid("idle-spin", text(idleSpin), "0s..1s");
        }
        requireAtLeast("queue-capacity", properties.getQueueCapacity(), 1);
        EventThreadGroupProperties.Blocking blocking = properties.getBlocking();
        requireAtLeast("blocking.max-threads", blocking.getMaxThreads(), 1);
        requireAtLeast("blocking.queue-capacity", blocking.getQueueCapacity(), 0);
        requirePositive("blocking.keep-alive", blocking.getKeepAlive());
        if (Boolean.TRUE.equals(blocking.getVirtualThreads()) && Runtime.version().feature() < 21) {
            throw invalid("blocking.virtual-threads", true,
                    "false on Java " + Runtime.version().feature() + "; virtual threads need Java 21 or later");
        }
        requireAtLeast("health.max-queue-depth", properties.getHealth().getMaxQueueDepth(), 0);
        requirePositive("blocking-detection.threshold", properties.getBlockingDetection().getThreshold());
        requireNonNegative("blocking-detection.quiet-period", properties.getBlockingDetection().getQuietPeriod());
        checkConflicts(properties, shutdownPhaseTimeout);
    }

    private void checkConflicts(EventThreadGroupProperties properties, Duration shutdownPhaseTimeout) {
        Duration stuck = properties.getStuckThreshold();
        Duration slow = properties.getSlowCallbackThreshold();
        if (stuck.compareTo(slow) < 0) {
            // A stuck callback would be logged with its stack before it counts as slow.
            throw new ConflictingEventThreadPropertiesException(setting("stuck-threshold", stuck),
                    setting("slow-callback-threshold", slow),
                    "a callback would be reported stuck, with its stack, before it is counted slow",
                    "Set '" + this.at.name("stuck-threshold") + "' to at least '" + this.at.name("slow-callback-threshold")
                            + "' (" + text(slow) + "), or lower the slow-callback threshold.");
        }
        Duration interval = properties.getWatchdogInterval();
        if (stuck.compareTo(interval) < 0) {
            // The watchdog only looks once per interval: callbacks far shorter than the interval
            // but longer than the threshold would be flagged at random.
            throw new ConflictingEventThreadPropertiesException(setting("stuck-threshold", stuck),
                    setting("watchdog-interval", interval),
                    "the watchdog checks for stuck loops only once per interval, so the stuck threshold is "
                            + "effectively the interval and callbacks shorter than it are flagged stuck at random",
                    "Set '" + this.at.name("stuck-threshold") + "' to at least '" + this.at.name("watchdog-interval")
                            + "' (" + text(interval) + "), or shorten the watchdog interval.");
        }
        Duration shutdownTimeout = properties.getShutdownTimeout();
        Duration longest = shutdownTimeout.plus(properties.getForceGrace());
        if (longest.compareTo(shutdownPhaseTimeout) > 0) {
            // Spring abandons a lifecycle bean that takes longer than the phase timeout, and the
            // loops would then be torn down by the context close instead of draining.
            Setting phase = new Setting(PHASE_TIMEOUT, text(shutdownPhaseTimeout), this.at.origin(PHASE_TIMEOUT));
            throw new ConflictingEventThreadPropertiesException(setting("shutdown-timeout", shutdownTimeout), phase,
                    "a shutdown may take 'shutdown-timeout' plus 'force-grace' (" + text(properties.getForceGrace())
                            + "), " + text(longest) + ", but Spring stops waiting for a lifecycle phase after "
                            + text(shutdownPhaseTimeout),
                    "Lower '" + this.at.name("shutdown-timeout") + "' to at most "
                            + text(shutdownPhaseTimeout.minus(properties.getForceGrace())) + ", or raise '"
                            + PHASE_TIMEOUT + "' to at least " + text(longest) + ".");
        }
    }

    private Setting setting(String key, Duration value) {
        String property = this.at.name(key);
        return new Setting(property, text(value), this.at.origin(property));
    }

    private InvalidEventThreadPropertyException invalid(String key, Object value, String expected) {
        String property = this.at.name(key);
        return new InvalidEventThreadPropertyException(property, value, expected, this.at.origin(property));
    }

    private void requireAtLeast(String key, Integer value, int min) {
        if (value != null && value < min) {
            throw invalid(key, value, (min == 0) ? ">= 0" : min + " or more");
        }
    }

    private void requireNonNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw invalid(key, text(value), "a duration of 0s or more");
        }
    }

    private void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(key, text(value), "a duration greater than 0s");
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
