package io.eventthread.autoconfigure.metrics;

import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EventThreadMetricsAutoConfiguration}.
 */
class EventThreadMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class, MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                EventThreadMetricsAutoConfiguration.class));

    @Test
    void metersShouldBeBoundForTheGroupBean() {
        this.contextRunner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("eventthread.queued").tags("name", "eventThread", "loop", "eventthread-1")
                .gauge()).isNotNull();
            assertThat(registry.get("eventthread.blocking.pool.max").tag("name", "eventThread").gauge()).isNotNull();
        });
    }

    @Test
    void metersShouldBeBoundForEveryGroupByBeanName() {
        this.contextRunner
            .withBean("first", io.eventthread.EventThread.class,
                    () -> io.eventthread.EventThread.builder().threadNamePrefix("a").build())
            .withBean("second", io.eventthread.EventThread.class,
                    () -> io.eventthread.EventThread.builder().threadNamePrefix("b").build())
            .run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("eventthread.loop.stuck").tags("name", "first", "loop", "a-1").gauge()).isNotNull();
                assertThat(registry.get("eventthread.loop.stuck").tags("name", "second", "loop", "b-1").gauge()).isNotNull();
            });
    }

    @Test
    void metersShouldCoverNamedGroups() {
        this.contextRunner.withPropertyValues("eventthread.enabled=false", "eventthread.groups.io.loop-count=2")
            .run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("eventthread.loop.busy").tag("name", "io").functionCounters()).hasSize(2);
                assertThat(registry.find("eventthread.loop.busy").tag("name", "eventThread").meters()).isEmpty();
            });
    }

    @Test
    void metricsWhenUserDefinesABinderShouldBackOff() {
        this.contextRunner.withBean("eventThreadMeterBinder", String.class, () -> "mine")
            .run((context) -> assertThat(context.getBean("eventThreadMeterBinder")).isEqualTo("mine"));
    }

    @Test
    void metricsWithoutMicrometerShouldBackOff() {
        // Names only: Micrometer types cannot be loaded through the filtered class loader.
        this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasBean("eventThread")
                .doesNotHaveBean("eventThreadMeterBinder"));
    }

}
