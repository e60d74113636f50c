package io.eventthread.autoconfigure.metrics;

import java.util.Map;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of metrics for every {@link EventThread} bean, tagged with its bean name.
 * Boot binds the {@link MeterBinder} bean to each registry.
 */
@AutoConfiguration(after = { EventThreadAutoConfiguration.class, MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class })
@ConditionalOnClass({ EventThread.class, MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ EventThread.class, MeterRegistry.class })
public final class EventThreadMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "eventThreadMeterBinder")
    EventThreadMeterBinder eventThreadMeterBinder(ObjectProvider<Map<String, EventThread>> eventThreads) {
        return new EventThreadMeterBinder(eventThreads);
    }

    /** Binds {@link EventThreadMetrics} and the blocking pool's executor metrics for each group. */
    static final class EventThreadMeterBinder implements MeterBinder {

        private final ObjectProvider<Map<String, EventThread>> eventThreads;

        EventThreadMeterBinder(ObjectProvider<Map<String, EventThread>> eventThreads) {
            this.eventThreads = eventThreads;
        }

        @Override
        public void bindTo(MeterRegistry registry) {
            Map<String, EventThread> groups = this.eventThreads.getIfAvailable(Map::of);
            groups.forEach((name, group) -> {
                new EventThreadMetrics(group, name, Tags.empty()).bindTo(registry);
                // the names of Micrometer's executor meters (executor.active, executor.queued, ...), name "<bean>.blocking",
                // over the read-only view of the blocking pool
                bindBlockingPool(group, name + ".blocking", registry);
            });
        }

        private static void bindBlockingPool(EventThread group, String name, MeterRegistry registry) {
            Tags tags = Tags.of("name", name);
            FunctionCounter.builder("executor.completed", group, g -> g.blockingPool().completedTasks()).tags(tags)
                .baseUnit("tasks").register(registry);
            Gauge.builder("executor.active", group, g -> g.blockingPool().activeThreads()).tags(tags)
                .baseUnit("threads").register(registry);
            Gauge.builder("executor.queued", group, g -> g.blockingPool().queuedTasks()).tags(tags)
                .baseUnit("tasks").register(registry);
            Gauge.builder("executor.pool.size", group, g -> g.blockingPool().poolSize()).tags(tags)
                .baseUnit("threads").register(registry);
            Gauge.builder("executor.pool.max", group, g -> g.blockingPool().maxThreads()).tags(tags)
                .baseUnit("threads").register(registry);
        }

    }

}
