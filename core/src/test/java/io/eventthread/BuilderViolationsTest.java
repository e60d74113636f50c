package io.eventthread;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder is the one judge of settings: structured violations, the rules between settings, the defaults. */
class BuilderViolationsTest {

    @Test
    void theDefaultsAreValidAndAreTheDocumentedConstants() {
        EventThread.Builder builder = EventThread.builder();
        assertThat(builder.violations()).isEmpty();
        EventThread group = builder.build();
        try {
            assertThat(group.loops()).hasSize(EventThread.Builder.DEFAULT_LOOP_COUNT);
            assertThat(group.name()).isEqualTo(EventThread.Builder.DEFAULT_THREAD_NAME_PREFIX);
            assertThat(group.shutdownTimeout()).isEqualTo(EventThread.Builder.DEFAULT_SHUTDOWN_TIMEOUT);
            assertThat(group.slowCallbackThreshold()).isEqualTo(EventThread.Builder.DEFAULT_SLOW_CALLBACK_THRESHOLD);
            assertThat(group.stuckThreshold()).isEqualTo(EventThread.Builder.DEFAULT_STUCK_THRESHOLD);
            assertThat(group.watchdogInterval()).isEqualTo(EventThread.Builder.DEFAULT_WATCHDOG_INTERVAL);
            assertThat(group.forceGrace()).isEqualTo(EventThread.Builder.DEFAULT_FORCE_GRACE);
            assertThat(group.blockingPool().maxThreads()).isEqualTo(EventThread.Builder.defaultBlockingMaxThreads());
        } finally {
            group.close();
        }
    }

    @Test
    void everyViolationIsReportedWithItsSettingValueAndRange() {
        List<SettingViolation> violations = EventThread.builder().loopCount(0).queueCapacity(0)
                .blockingKeepAlive(Duration.ZERO).violations();
        assertThat(violations).containsExactly(
                SettingViolation.outOfRange("loopCount", 0, "1..1024"),
                SettingViolation.outOfRange("queueCapacity", 0, "1.."),
                SettingViolation.outOfRange("blockingKeepAlive", Duration.ZERO, "> 0"));
        assertThatThrownBy(() -> EventThread.builder().loopCount(0).queueCapacity(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("loopCount: 0 (expected: 1..1024)");
    }

    @Test
    void aStuckThresholdBelowTheSlowCallbackThresholdConflicts() {
        List<SettingViolation> violations = EventThread.builder().slowCallbackThreshold(Duration.ofSeconds(1))
                .stuckThreshold(Duration.ofMillis(600)).violations();
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.isConflict()).isTrue();
            assertThat(v.setting()).isEqualTo("stuckThreshold");
            assertThat(v.value()).isEqualTo(Duration.ofMillis(600));
            assertThat(v.conflictingSetting()).isEqualTo("slowCallbackThreshold");
            assertThat(v.conflictingValue()).isEqualTo(Duration.ofSeconds(1));
            assertThat(v.reason()).contains("reported stuck", "before it is counted slow");
        });
        assertThatThrownBy(() -> EventThread.builder().slowCallbackThreshold(Duration.ofSeconds(1))
                .stuckThreshold(Duration.ofMillis(600)).build())
                .hasMessageStartingWith("stuckThreshold: PT0.6S (expected: >= slowCallbackThreshold)");
    }

    @Test
    void aStuckThresholdBelowTheWatchdogIntervalConflicts() {
        assertThat(EventThread.builder().slowCallbackThreshold(Duration.ofMillis(10)).stuckThreshold(Duration.ofMillis(200))
                .watchdogInterval(Duration.ofMillis(500)).violations())
                .singleElement().satisfies(v -> {
                    assertThat(v.conflictingSetting()).isEqualTo("watchdogInterval");
                    assertThat(v.reason()).contains("once per interval");
                });
        assertThat(EventThread.builder().slowCallbackThreshold(Duration.ofMillis(10)).stuckThreshold(Duration.ofMillis(200))
                .watchdogInterval(Duration.ofMillis(200)).violations()).isEmpty();
    }

    @Test
    void anInvalidThresholdIsReportedAloneNotAlsoAsAConflict() {
        assertThat(EventThread.builder().stuckThreshold(Duration.ZERO).violations())
                .containsExactly(SettingViolation.outOfRange("stuckThreshold", Duration.ZERO, "> 0"));
    }

    @Test
    void aZeroForceGraceIsAccepted() {
        // the starter accepts eventthread.force-grace=0 too: it asks this builder
        assertThat(EventThread.builder().forceGrace(Duration.ZERO).violations()).isEmpty();
        assertThat(EventThread.builder().forceGrace(Duration.ofMillis(-1)).violations())
                .containsExactly(SettingViolation.outOfRange("forceGrace", Duration.ofMillis(-1), ">= 0"));
    }
}
