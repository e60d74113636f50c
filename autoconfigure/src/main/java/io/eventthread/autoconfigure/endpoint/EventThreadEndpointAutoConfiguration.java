package io.eventthread.autoconfigure.endpoint;

import io.eventthread.EventThread;
import io.eventthread.autoconfigure.EventThreadAutoConfiguration;
import io.eventthread.autoconfigure.EventThreadGroups;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the {@code eventthread} Actuator endpoint over every group; like other
 * endpoints it must be exposed ({@code management.endpoints.web.exposure.include}) to answer over
 * HTTP.
 */
@AutoConfiguration(after = EventThreadAutoConfiguration.class)
@ConditionalOnClass({ EventThread.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class EventThreadEndpointAutoConfiguration {

    // Nested so that its conditions, whose classes live in Actuator, are only loaded once the
    // class check above has passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(EventThreadGroups.class)
    @ConditionalOnAvailableEndpoint(EventThreadEndpoint.class)
    static class EventThreadEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        EventThreadEndpoint eventThreadEndpoint(EventThreadGroups eventThreadGroups) {
            return new EventThreadEndpoint(eventThreadGroups);
        }

    }

}
