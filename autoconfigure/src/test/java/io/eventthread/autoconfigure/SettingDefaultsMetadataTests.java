package io.eventthread.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.eventthread.EventThread;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core holds the defaults ({@code EventThread.Builder.DEFAULT_*}); the IDE metadata the build
 * generates for the starter's properties shows them to users, and must show the same values.
 */
class SettingDefaultsMetadataTests {

    /** Core's default of each setting that has a fixed one, by the setting's name. */
    private static final Map<String, Object> CORE_DEFAULTS = Map.ofEntries(
            Map.entry("loopCount", EventThread.Builder.DEFAULT_LOOP_COUNT),
            Map.entry("threadNamePrefix", EventThread.Builder.DEFAULT_THREAD_NAME_PREFIX),
            Map.entry("shutdownTimeout", EventThread.Builder.DEFAULT_SHUTDOWN_TIMEOUT),
            Map.entry("forceGrace", EventThread.Builder.DEFAULT_FORCE_GRACE),
            Map.entry("timerShutdownPolicy", EventThread.Builder.DEFAULT_TIMER_SHUTDOWN_POLICY),
            Map.entry("slowCallbackThreshold", EventThread.Builder.DEFAULT_SLOW_CALLBACK_THRESHOLD),
            Map.entry("stuckThreshold", EventThread.Builder.DEFAULT_STUCK_THRESHOLD),
            Map.entry("watchdogInterval", EventThread.Builder.DEFAULT_WATCHDOG_INTERVAL),
            Map.entry("idleSpin", EventThread.Builder.DEFAULT_IDLE_SPIN),
            Map.entry("debug", false),
            Map.entry("blockingQueueCapacity", EventThread.Builder.DEFAULT_BLOCKING_QUEUE_CAPACITY),
            Map.entry("blockingKeepAlive", EventThread.Builder.DEFAULT_BLOCKING_KEEP_ALIVE),
            Map.entry("blockingDetection", false),
            Map.entry("blockingDetectionThreshold", EventThread.Builder.DEFAULT_BLOCKING_DETECTION_THRESHOLD),
            Map.entry("blockingDetectionQuietPeriod", EventThread.Builder.DEFAULT_BLOCKING_DETECTION_QUIET_PERIOD));

    /**
     * Settings whose core default depends on the machine or the application (unbounded queue,
     * {@code min(32, cores + 4)} threads, Spring's virtual-threads switch): the metadata shows none.
     */
    private static final Map<String, String> NO_FIXED_DEFAULT = Map.of("queueCapacity", "unbounded",
            "blockingMaxThreads", "per machine", "blockingVirtualThreads", "follows spring.threads.virtual.enabled");

    @Test
    void everyCoreSettingHasAPropertyAndItsDefaultInTheMetadataIsCores() throws Exception {
        Map<String, JsonNode> metadata = ConfigurationMetadataTests.properties();
        assertThat(EventThreadPropertiesValidator.SETTING_KEYS.keySet())
            .as("every setting mapped to a property is checked here")
            .containsExactlyInAnyOrderElementsOf(union(CORE_DEFAULTS.keySet(), NO_FIXED_DEFAULT.keySet()));
        CORE_DEFAULTS.forEach((setting, coreDefault) -> {
            String property = "eventthread." + EventThreadPropertiesValidator.key(setting);
            JsonNode entry = metadata.get(property);
            assertThat(entry).as(property).isNotNull();
            assertThat(entry.path("defaultValue").isMissingNode()).as(property + " has a default in the metadata").isFalse();
            assertThat(parse(entry.path("defaultValue"), coreDefault)).as(property).isEqualTo(coreDefault);
        });
        NO_FIXED_DEFAULT.forEach((setting, why) -> {
            String property = "eventthread." + EventThreadPropertiesValidator.key(setting);
            assertThat(metadata).as(property).containsKey(property);
            assertThat(metadata.get(property).path("defaultValue").isMissingNode()).as(property + ": " + why).isTrue();
        });
    }

    private static Object parse(JsonNode value, Object like) {
        if (like instanceof Duration) {
            return DurationStyle.detectAndParse(value.asString());
        }
        if (like instanceof Integer) {
            return value.asInt();
        }
        if (like instanceof Boolean) {
            return value.asBoolean();
        }
        if (like instanceof Enum<?> constant) {
            return Enum.valueOf(constant.getDeclaringClass(), value.asString().toUpperCase(java.util.Locale.ROOT));
        }
        return value.asString();
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

}
