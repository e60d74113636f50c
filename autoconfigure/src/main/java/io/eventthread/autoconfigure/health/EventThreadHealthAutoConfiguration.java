package io.eventthread.autoconfigure.health;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import io.eventthread.autoconfigure.EventThreadProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code eventThread} health contributor, switched off by
 * {@code management.health.eventthread.enabled=false}.
 */
@AutoConfiguration(after = EventThreadAutoConfiguration.class, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass({ EventThread.class, HealthIndicator.class })
public final class EventThreadHealthAutoConfiguration {

    // Nested so that its conditions, whose classes live in the health module, are only loaded
    // once the class check above has passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnSingleCandidate(EventThread.class)
    @ConditionalOnEnabledHealthIndicator("eventthread")
    @EnableConfigurationProperties(EventThreadProperties.class)
    static class EventThreadHealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "eventThreadHealthIndicator")
        EventThreadHealthIndicator eventThreadHealthIndicator(EventThread eventThread,
                EventThreadProperties properties) {
            return new EventThreadHealthIndicator(eventThread, properties.getHealth().getMaxQueueDepth());
        }

    }

}
