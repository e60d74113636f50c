package io.eventthread.autoconfigure.health;

import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EventThreadHealthAutoConfiguration}.
 */
class EventThreadHealthAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class,
                EventThreadHealthAutoConfiguration.class));

    @Test
    void healthIndicatorShouldBeCreatedWithTheMaximumQueueDepth() {
        this.contextRunner.withPropertyValues("eventthread.health.max-queue-depth=5").run((context) -> {
            assertThat(context).hasSingleBean(EventThreadHealthIndicator.class);
            assertThat(context.getBean(EventThreadHealthIndicator.class)).hasFieldOrPropertyWithValue("maxQueueDepth", 5);
        });
    }

    @Test
    void healthIndicatorWhenDisabledShouldBackOff() {
        this.contextRunner.withPropertyValues("management.health.eventthread.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("eventThreadHealthIndicator"));
    }

    @Test
    void healthIndicatorWhenUserDefinesOneShouldBackOff() {
        this.contextRunner.withBean("eventThreadHealthIndicator", String.class, () -> "mine")
            .run((context) -> assertThat(context.getBean("eventThreadHealthIndicator")).isEqualTo("mine"));
    }

    @Test
    void healthIndicatorWithoutTheGroupShouldBackOff() {
        this.contextRunner.withPropertyValues("eventthread.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("eventThreadHealthIndicator"));
    }

    @Test
    void healthIndicatorWithoutBootHealthShouldBackOff() {
        // Names only: the health types cannot be loaded through the filtered class loader.
        this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasBean("eventThread")
                .doesNotHaveBean("eventThreadHealthIndicator"));
    }

}
