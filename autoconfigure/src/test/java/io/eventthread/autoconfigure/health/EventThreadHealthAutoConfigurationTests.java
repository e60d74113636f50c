package io.eventthread.autoconfigure.health;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.Status;
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
    void severalGroupsShouldBeACompositeKeyedByBeanName() {
        this.contextRunner.withPropertyValues("eventthread.groups.io.loop-count=1", "eventthread.groups.io.health.max-queue-depth=3")
            .withBean("mine", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> {
                CompositeHealthContributor composite = context.getBean("eventThreadHealthContributor",
                        CompositeHealthContributor.class);
                assertThat(composite.stream().map(HealthContributors.Entry::name)).containsExactlyInAnyOrder("eventThread", "io", "mine");
                EventThreadHealthIndicator io = (EventThreadHealthIndicator) composite.getContributor("io");
                assertThat(io).hasFieldOrPropertyWithValue("maxQueueDepth", 3);
                assertThat(((EventThreadHealthIndicator) composite.getContributor("mine")).health(true).getStatus())
                    .isEqualTo(Status.UP);
            });
    }

    @Test
    void namedGroupsAloneShouldStillBeHealthChecked() {
        this.contextRunner.withPropertyValues("eventthread.enabled=false", "eventthread.groups.io.loop-count=1")
            .run((context) -> assertThat(context.getBean("eventThreadHealthContributor"))
                .isInstanceOf(EventThreadHealthIndicator.class));
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
