package io.eventthread.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the auto-configured {@link io.eventthread.EventThread} groups: the
 * {@code eventThread} group from the top-level keys, and one group per entry of
 * {@code eventthread.groups}. Values are checked by {@link EventThreadPropertiesValidator} before
 * a group is built.
 */
@ConfigurationProperties("eventthread")
public class EventThreadProperties extends EventThreadGroupProperties {

    /**
     * Whether to auto-configure the 'eventThread' group from the top-level keys. Named groups and
     * EventThread beans of your own are managed either way.
     */
    private boolean enabled = true;

    /**
     * Whether to carry the submitting thread's context (MDC, observations, any registered
     * ThreadLocalAccessor) into every task of every group, the continuations of its futures and
     * its blocking pool. On by default when io.micrometer:context-propagation is on the
     * classpath.
     */
    private Boolean contextPropagation;

    /**
     * Further groups by name, each an EventThread bean of that name with the same keys as the top
     * level, inheriting every top-level value it does not set.
     */
    private final Map<String, EventThreadGroupProperties> groups = new LinkedHashMap<>();

    public EventThreadProperties() {
        setThreadNamePrefix("eventthread");
    }

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Boolean getContextPropagation() {
        return this.contextPropagation;
    }

    public void setContextPropagation(Boolean contextPropagation) {
        this.contextPropagation = contextPropagation;
    }

    public Map<String, EventThreadGroupProperties> getGroups() {
        return this.groups;
    }

}
