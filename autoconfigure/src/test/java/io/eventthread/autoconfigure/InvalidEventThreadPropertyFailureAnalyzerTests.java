package io.eventthread.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link EventThreadPropertiesValidator} and
 * {@link InvalidEventThreadPropertyFailureAnalyzer}: what a user reads when a property is wrong.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidEventThreadPropertyFailureAnalyzerTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class));

    @Test
    void zeroLoopCountShouldBeExplained() {
        FailureAnalysis analysis = analyze("eventthread.loop-count=0");
        assertThat(analysis.getDescription()).startsWith(
                "Property 'eventthread.loop-count' is 0, which EventThread cannot start with (expected: 1..1024).")
            .contains("Origin: \"eventthread.loop-count\" from property source \"test\"");
        assertThat(analysis.getAction()).isEqualTo("Update your application's configuration: set "
                + "'eventthread.loop-count' to 1..1024, or remove it to use the default.");
    }

    @Test
    void negativeDurationShouldBeExplained() {
        assertThat(analyze("eventthread.stuck-threshold=-1s").getDescription())
            .startsWith("Property 'eventthread.stuck-threshold' is -1s,")
            .contains("(expected: a duration greater than 0s).");
    }

    @Test
    void reportShouldShowTheOriginOfTheValueAsBootsOwnReportsDo(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--spring.config.location=classpath:conflicts/bad-loop-count.properties"));
        assertThat(output).contains("Property 'eventthread.loop-count' is 0, which EventThread cannot start with")
            .contains("Origin: class path resource [conflicts/bad-loop-count.properties] - 1:24");
    }

    @Test
    void shutdownTimeoutShouldFollowALongerPhaseTimeout() {
        this.contextRunner
            .withPropertyValues("eventthread.shutdown-timeout=40s", "spring.lifecycle.timeout-per-shutdown-phase=41s")
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void otherRangesShouldBeChecked() {
        assertThat(analyze("eventthread.idle-spin=1500ms").getDescription()).contains("is 1500ms").contains("(expected: 0s..1s)");
        assertThat(analyze("eventthread.queue-capacity=0").getDescription()).contains("(expected: 1 or more)");
        assertThat(analyze("eventthread.blocking.queue-capacity=-1").getDescription()).contains("(expected: 0 or more)");
        assertThat(analyze("eventthread.blocking-detection.threshold=0s").getDescription())
            .startsWith("Property 'eventthread.blocking-detection.threshold' is 0s,")
            .contains("(expected: a duration greater than 0s).").contains("Origin: ");
        assertThat(analyze("eventthread.thread-name-prefix= ").getDescription())
            .contains("'eventthread.thread-name-prefix'");
        // core's rule, which the starter reports: a grace of 0s is allowed (a loop ignoring the
        // deadline's interrupt is reported at once), a negative one is not
        assertThat(analyze("eventthread.force-grace=-1s").getDescription()).contains("'eventthread.force-grace' is -1s")
            .contains("(expected: a duration of 0s or more)");
        assertThat(analyze("eventthread.groups[a.b].loop-count=1").getDescription()).contains("'eventthread.groups' is 'a.b'")
            .contains("a group name of lowercase letters, digits and '-'");
        assertThat(analyze("eventthread.groups[Io].loop-count=1").getDescription()).contains("'eventthread.groups' is 'Io'");
    }

    @Test
    void failureAnalyzerShouldBeRegisteredAndReportAtStartUp(CapturedOutput output) {
        assertThatException().isThrownBy(() -> run("--eventthread.loop-count=0"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property 'eventthread.loop-count' is 0, which EventThread cannot start with (expected: 1..1024).")
            .contains("set 'eventthread.loop-count' to 1..1024");
    }

    @Test
    void unknownEnumConstantShouldBeLeftToBootsBindFailureAnalyzer(CapturedOutput output) {
        // Boot's analyzer names the property, the value, the reason and the valid constants.
        assertThatException().isThrownBy(() -> run("--eventthread.timer-shutdown-policy=sometimes"));
        assertThat(output).contains("Failed to bind properties under 'eventthread.timer-shutdown-policy'")
            .contains("sometimes")
            .contains("CANCEL")
            .contains("RUN_BEFORE_DEADLINE");
    }

    static void run(String... args) {
        new SpringApplicationBuilder(StartupConfiguration.class).web(WebApplicationType.NONE).run(args).close();
    }

    private FailureAnalysis analyze(String... properties) {
        FailureAnalysis[] analysis = new FailureAnalysis[1];
        this.contextRunner.withPropertyValues(properties).run((context) -> {
            assertThat(context).hasFailed();
            analysis[0] = new InvalidEventThreadPropertyFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(analysis[0]).as("analysis").isNotNull();
        return analysis[0];
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(EventThreadAutoConfiguration.class)
    static class StartupConfiguration {

    }

}
