package io.eventthread.autoconfigure.metrics;

import java.util.Map;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.ConditionalOnEventThread;
import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import io.eventthread.autoconfigure.EventThreadGroups;
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
 * Auto-configuration of metrics for every {@link EventThread} bean (the auto-configured group,
 * named groups and your own), tagged with its bean name.
 * Boot binds the {@link MeterBinder} bean to each registry.
 */
@AutoConfiguration(after = { EventThreadAutoConfiguration.class, MetricsAutoConfiguration.class,
        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class })
@ConditionalOnClass({ EventThread.class, MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ EventThreadGroups.class, MeterRegistry.class })
@ConditionalOnEventThread
public final class EventThreadMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "eventThreadMeterBinder")
    EventThreadMeterBinder eventThreadMeterBinder(ObjectProvider<EventThreadGroups> eventThreadGroups) {
        return new EventThreadMeterBinder(eventThreadGroups);
    }

    /** Binds {@link EventThreadMetrics} for every group, tagged with its bean name. */
    static final class EventThreadMeterBinder implements MeterBinder {

        private final ObjectProvider<EventThreadGroups> eventThreadGroups;

        EventThreadMeterBinder(ObjectProvider<EventThreadGroups> eventThreadGroups) {
            this.eventThreadGroups = eventThreadGroups;
        }

        @Override
        public void bindTo(MeterRegistry registry) {
            Map<String, EventThread> groups = this.eventThreadGroups.getObject().all();
            groups.forEach((name, group) -> new EventThreadMetrics(group, name, Tags.empty()).bindTo(registry));
        }

    }

}
