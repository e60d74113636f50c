package io.eventthread.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Settings that are each valid but contradict each other fail start-up with a report naming both
 * and where each was set.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConflictingEventThreadPropertiesFailureAnalyzerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class));

    @Test
    void stuckThresholdBelowSlowCallbackThresholdShouldFailStartUp(CapturedOutput output) {
        assertThatException().isThrownBy(() -> InvalidEventThreadPropertyFailureAnalyzerTests
            .run("--spring.config.location=classpath:conflicts/stuck-below-slow.properties"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("EventThread settings contradict each other")
            .contains("Property: eventthread.stuck-threshold", "Value: 10ms",
                    "Origin: class path resource [conflicts/stuck-below-slow.properties] - 2:29")
            .contains("Property: eventthread.slow-callback-threshold", "Value: 100ms", "Origin: the default")
            .contains("Reason: a callback would be reported stuck, with its stack, before it is counted slow")
            .contains("Set 'eventthread.stuck-threshold' to at least 'eventthread.slow-callback-threshold' (100ms)");
    }

    @Test
    void stuckThresholdBelowWatchdogIntervalShouldFailStartUp(CapturedOutput output) {
        assertThatException().isThrownBy(() -> InvalidEventThreadPropertyFailureAnalyzerTests
            .run("--spring.config.location=classpath:conflicts/stuck-below-watchdog.properties"));
        assertThat(output).contains("EventThread settings contradict each other")
            .contains("Property: eventthread.stuck-threshold", "Value: 100ms")
            .contains("Property: eventthread.watchdog-interval", "Value: 500ms",
                    "Origin: class path resource [conflicts/stuck-below-watchdog.properties] - 3:31")
            .contains("the watchdog checks for stuck loops only once per interval");
    }

    @Test
    void shutdownTimeoutPlusForceGraceOverThePhaseTimeoutShouldFailStartUp(CapturedOutput output) {
        assertThatException().isThrownBy(() -> InvalidEventThreadPropertyFailureAnalyzerTests
            .run("--spring.config.location=classpath:conflicts/shutdown-over-phase.properties"));
        assertThat(output).contains("EventThread settings contradict each other")
            .contains("Property: eventthread.shutdown-timeout", "Value: 30s",
                    "Origin: class path resource [conflicts/shutdown-over-phase.properties] - 1:30")
            .contains("Property: spring.lifecycle.timeout-per-shutdown-phase", "Value: 30s")
            .contains("a shutdown may take 'shutdown-timeout' plus 'force-grace' (200ms), 30200ms")
            .contains("Lower 'eventthread.shutdown-timeout' to at most 29800ms, or raise "
                    + "'spring.lifecycle.timeout-per-shutdown-phase' to at least 30200ms.");
    }

    @Test
    void namedGroupsConflictShouldNameTheGroupsOwnProperty(CapturedOutput output) {
        assertThatException().isThrownBy(() -> InvalidEventThreadPropertyFailureAnalyzerTests
            .run("--spring.config.location=classpath:conflicts/group-stuck-below-slow.properties"));
        assertThat(output).contains("Property: eventthread.groups.io.stuck-threshold", "Value: 50ms")
            .contains("Property: eventthread.slow-callback-threshold", "Value: 100ms");
    }

    @Test
    void phaseTimeoutOriginShouldBeReportedWhenSet() {
        this.contextRunner
            .withPropertyValues("eventthread.shutdown-timeout=5s", "spring.lifecycle.timeout-per-shutdown-phase=5s")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new ConflictingEventThreadPropertiesFailureAnalyzer()
                    .analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("Property: spring.lifecycle.timeout-per-shutdown-phase")
                    .contains("Origin: \"spring.lifecycle.timeout-per-shutdown-phase\" from property source \"test\"");
            });
    }

    @Test
    void consistentSettingsShouldStart() {
        this.contextRunner
            .withPropertyValues("eventthread.slow-callback-threshold=50ms", "eventthread.stuck-threshold=500ms",
                    "eventthread.watchdog-interval=500ms", "eventthread.shutdown-timeout=29800ms")
            .run((context) -> assertThat(context).hasNotFailed());
    }

}
