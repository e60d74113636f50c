package io.eventthread.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventthread.EventThread;
import io.eventthread.SettingViolation;
import io.eventthread.autoconfigure.ConflictingEventThreadPropertiesException.Setting;

import org.springframework.core.env.Environment;

/**
 * Reports bad settings of a group before the group is built, under the property the user wrote
 * (with its origin) rather than as the core builder's setter name. Core judges its own settings —
 * ranges, the rules between them — and this class only maps its {@link SettingViolation}s to
 * properties; the rules here are about what core does not have: the starter's own properties,
 * group names, and Spring's shutdown phase.
 */
final class EventThreadPropertiesValidator {

    /**
     * The property key (under {@code eventthread.} or {@code eventthread.groups.<name>.}) of each
     * setting of the core builder, by the setting's name in core's {@link SettingViolation}s.
     */
    static final Map<String, String> SETTING_KEYS = Map.ofEntries(Map.entry("loopCount", "loop-count"),
            Map.entry("threadNamePrefix", "thread-name-prefix"), Map.entry("shutdownTimeout", "shutdown-timeout"),
            Map.entry("forceGrace", "force-grace"), Map.entry("timerShutdownPolicy", "timer-shutdown-policy"),
            Map.entry("slowCallbackThreshold", "slow-callback-threshold"),
            Map.entry("stuckThreshold", "stuck-threshold"), Map.entry("watchdogInterval", "watchdog-interval"),
            Map.entry("idleSpin", "idle-spin"), Map.entry("queueCapacity", "queue-capacity"),
            Map.entry("debug", "debug"), Map.entry("blockingMaxThreads", "blocking.max-threads"),
            Map.entry("blockingQueueCapacity", "blocking.queue-capacity"),
            Map.entry("blockingKeepAlive", "blocking.keep-alive"),
            Map.entry("blockingVirtualThreads", "blocking.virtual-threads"),
            Map.entry("blockingDetection", "blocking-detection.enabled"),
            Map.entry("blockingDetectionThreshold", "blocking-detection.threshold"),
            Map.entry("blockingDetectionQuietPeriod", "blocking-detection.quiet-period"));

    private static final Pattern ISO_DURATION = Pattern.compile("PT(?:[0-9]+(?:\\.[0-9]+)?[HMS])+");

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
     * @param environment the environment, for the settings that follow Spring's (virtual threads)
     * @throws InvalidEventThreadPropertyException for the first invalid property
     * @throws ConflictingEventThreadPropertiesException for the first two that contradict
     */
    static void validate(EventThreadGroupProperties properties, PropertyLocator at, Duration shutdownPhaseTimeout,
            Environment environment) {
        new EventThreadPropertiesValidator(at).check(properties, shutdownPhaseTimeout, environment);
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

    private void check(EventThreadGroupProperties properties, Duration shutdownPhaseTimeout, Environment environment) {
        requireValue("shutdown-timeout", properties.getShutdownTimeout());
        requireValue("force-grace", properties.getForceGrace());
        requireValue("slow-callback-threshold", properties.getSlowCallbackThreshold());
        requireValue("stuck-threshold", properties.getStuckThreshold());
        requireValue("watchdog-interval", properties.getWatchdogInterval());
        requireValue("idle-spin", properties.getIdleSpin());
        requireValue("blocking.keep-alive", properties.getBlocking().getKeepAlive());
        requireValue("blocking-detection.threshold", properties.getBlockingDetection().getThreshold());
        requireValue("blocking-detection.quiet-period", properties.getBlockingDetection().getQuietPeriod());
        if (properties.getThreadNamePrefix() == null) {
            throw invalid("thread-name-prefix", "null", "not blank");
        }
        // core judges its own settings: the builder the group will be built with reports them
        EventThread.Builder builder = EventThread.builder();
        EventThreadGroups.settingsCustomizer(properties, environment, new ApplicationReadySignal()).customize(builder);
        List<SettingViolation> violations = builder.violations();
        if (!violations.isEmpty()) {
            throw report(violations.get(0));
        }
        // the starter's own settings, which core does not have
        Integer maxQueueDepth = properties.getHealth().getMaxQueueDepth();
        if (maxQueueDepth != null && maxQueueDepth < 0) {
            throw invalid("health.max-queue-depth", maxQueueDepth, ">= 0");
        }
        checkShutdownPhase(properties, shutdownPhaseTimeout);
    }

    /** Core's violation under the property the user wrote, with its origin. */
    private RuntimeException report(SettingViolation violation) {
        String key = key(violation.setting());
        if (!violation.isConflict()) {
            return invalid(key, text(violation.value()), expected(violation.expected(), violation.value()));
        }
        String other = key(violation.conflictingSetting());
        String otherValue = text(violation.conflictingValue());
        return new ConflictingEventThreadPropertiesException(setting(key, violation.value()),
                setting(other, violation.conflictingValue()), violation.reason(),
                "Set '" + this.at.name(key) + "' to at least '" + this.at.name(other) + "' (" + otherValue
                        + "), or lower '" + this.at.name(other) + "'.");
    }

    /** The property key of a core builder setting. */
    static String key(String setting) {
        String key = SETTING_KEYS.get(setting);
        if (key == null) {
            throw new IllegalStateException("No property for the EventThread setting '" + setting + "'");
        }
        return key;
    }

    /** Core's words for a range, with durations as a properties file writes them. */
    private static String expected(String expected, Object value) {
        if (value instanceof Duration) {
            if (expected.equals("> 0")) {
                return "a duration greater than 0s";
            }
            if (expected.equals(">= 0")) {
                return "a duration of 0s or more";
            }
        }
        if (expected.matches("-?\\d+\\.\\.")) {
            return expected.substring(0, expected.length() - 2) + " or more";
        }
        Matcher iso = ISO_DURATION.matcher(expected);
        StringBuilder rendered = new StringBuilder();
        while (iso.find()) {
            iso.appendReplacement(rendered, Matcher.quoteReplacement(text(Duration.parse(iso.group()))));
        }
        iso.appendTail(rendered);
        return rendered.toString();
    }

    private void requireValue(String key, Duration value) {
        if (value == null) {
            throw invalid(key, "null", "a duration");
        }
    }

    private void checkShutdownPhase(EventThreadGroupProperties properties, Duration shutdownPhaseTimeout) {
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

    private Setting setting(String key, Object value) {
        String property = this.at.name(key);
        return new Setting(property, text(value), this.at.origin(property));
    }

    private InvalidEventThreadPropertyException invalid(String key, Object value, String expected) {
        String property = this.at.name(key);
        return new InvalidEventThreadPropertyException(property, value, expected, this.at.origin(property));
    }

    /** A value as a properties file writes it: durations as {@code 40s}, others as they print. */
    static String text(Object value) {
        return (value instanceof Duration duration) ? text(duration) : String.valueOf(value);
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
