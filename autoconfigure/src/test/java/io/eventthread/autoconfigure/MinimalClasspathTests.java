package io.eventthread.autoconfigure;

import java.util.concurrent.TimeUnit;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.endpoint.EventThreadEndpointAutoConfiguration;
import io.eventthread.autoconfigure.health.EventThreadHealthAutoConfiguration;
import io.eventthread.autoconfigure.metrics.EventThreadMetricsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With only spring-boot-starter on the class path (no Actuator, health, Micrometer or
 * context-propagation) every auto-configuration of the starter loads, the optional parts back off,
 * and the group works.
 */
@Timeout(30)
class MinimalClasspathTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class,
                EventThreadHealthAutoConfiguration.class, EventThreadMetricsAutoConfiguration.class,
                EventThreadEndpointAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                "org.springframework.boot.health", "org.springframework.boot.micrometer", "io.micrometer"));

    @Test
    void groupShouldWorkAndOptionalPartsShouldBackOff() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed()
                .hasBean("eventThread")
                .hasBean("eventThreadLifecycle")
                .hasBean("eventThreadTaskScheduler")
                .doesNotHaveBean("eventThreadHealthIndicator")
                .doesNotHaveBean("eventThreadMeterBinder")
                .doesNotHaveBean("eventThreadEndpoint");
            EventThread eventThread = context.getBean(EventThread.class);
            assertThat(eventThread.next().submit(() -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
                .isEqualTo("eventthread-1");
        });
    }

    @Test
    void contextPropagationWithoutTheLibraryShouldBeReported() {
        this.contextRunner.withPropertyValues("eventthread.context-propagation=true")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("eventthread.context-propagation"));
    }

}
