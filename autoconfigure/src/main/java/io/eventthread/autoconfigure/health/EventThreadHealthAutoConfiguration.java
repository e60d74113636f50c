package io.eventthread.autoconfigure.health;

import java.util.Map;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.ConditionalOnEventThread;
import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import io.eventthread.autoconfigure.EventThreadGroups;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code eventThread} health contributor, switched off by
 * {@code management.health.eventthread.enabled=false}. With one group it is that group's
 * indicator; with several, a composite keyed by bean name, as Boot's {@code db} contributor does
 * for several {@code DataSource}s.
 */
@AutoConfiguration(after = EventThreadAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass({ EventThread.class, HealthIndicator.class })
public final class EventThreadHealthAutoConfiguration {

    // Nested so that its conditions, whose classes live in the health module, are only loaded
    // once the class check above has passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEventThread
    @ConditionalOnBean(EventThreadGroups.class)
    @ConditionalOnEnabledHealthIndicator("eventthread")
    static class EventThreadHealthContributorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = { "eventThreadHealthIndicator", "eventThreadHealthContributor" })
        HealthContributor eventThreadHealthContributor(EventThreadGroups eventThreadGroups) {
            Map<String, EventThread> groups = eventThreadGroups.all();
            if (groups.size() == 1) {
                Map.Entry<String, EventThread> only = groups.entrySet().iterator().next();
                return indicator(eventThreadGroups, only.getKey(), only.getValue());
            }
            Map<String, HealthContributor> contributors = new java.util.LinkedHashMap<>();
            groups.forEach((name, group) -> contributors.put(name, indicator(eventThreadGroups, name, group)));
            return CompositeHealthContributor.fromMap(contributors);
        }

        private static EventThreadHealthIndicator indicator(EventThreadGroups groups, String name, EventThread group) {
            return new EventThreadHealthIndicator(group, groups.settings(name).getHealth().getMaxQueueDepth());
        }

    }

}
