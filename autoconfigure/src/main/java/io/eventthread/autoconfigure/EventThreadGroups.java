package io.eventthread.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.eventthread.EventThread;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;

/**
 * Every {@link EventThread} bean of the application by bean name — the auto-configured
 * {@code eventThread}, the named groups of {@code eventthread.groups.*} and groups of your own —
 * with the settings each was configured with. The lifecycle, health, metrics and endpoint all
 * work from it, so none of them misses a group.
 */
public final class EventThreadGroups {

    static final String BEAN_NAME = "eventThreadGroups";

    private final ListableBeanFactory beanFactory;

    private final EventThreadProperties properties;

    private final Environment environment;

    EventThreadGroups(ListableBeanFactory beanFactory, EventThreadProperties properties, Environment environment) {
        this.beanFactory = beanFactory;
        this.properties = properties;
        this.environment = environment;
    }

    /**
     * Every group, the auto-configured {@code eventThread} first, then in registration order;
     * creates groups not yet created.
     * @return the groups by bean name
     */
    public Map<String, EventThread> all() {
        // getBeansOfType, not an injected Map: named groups are not default candidates and
        // would be left out of one.
        Map<String, EventThread> found = this.beanFactory.getBeansOfType(EventThread.class);
        Map<String, EventThread> ordered = new LinkedHashMap<>();
        EventThread first = found.get(EventThreadAutoConfiguration.DEFAULT_GROUP);
        if (first != null) {
            ordered.put(EventThreadAutoConfiguration.DEFAULT_GROUP, first);
        }
        ordered.putAll(found);
        return ordered;
    }

    /**
     * The settings a group was configured with: its own for a named group, the top-level ones for
     * the others (which is what {@code eventThreadBuilder} applies).
     * @param name the bean name
     * @return the settings
     */
    public EventThreadGroupProperties settings(String name) {
        if (this.properties.getGroups().containsKey(name)) {
            return bind(this.environment, this.properties, name);
        }
        return this.properties;
    }

    /**
     * The settings of a named group: a copy of the top level with the group's own keys bound over
     * it, and the group's name as its default thread name prefix.
     */
    static EventThreadGroupProperties bind(Environment environment, EventThreadProperties topLevel, String name) {
        EventThreadGroupProperties group = topLevel.copy();
        group.setThreadNamePrefix(name);
        Binder.get(environment).bind(PropertyLocator.PREFIX + "groups." + name, Bindable.ofInstance(group));
        return group;
    }

    /**
     * Applies a group's settings to the core builder.
     * @param ready completes when the application is ready, for a quiet start of blocking detection
     */
    static EventThreadCustomizer settingsCustomizer(EventThreadGroupProperties properties, Environment environment,
            ApplicationReadySignal ready) {
        boolean virtualByDefault = Threading.VIRTUAL.isActive(environment);
        return (builder) -> {
            builder.loopCount(properties.getLoopCount())
                .threadNamePrefix(properties.getThreadNamePrefix())
                .shutdownTimeout(properties.getShutdownTimeout())
                .forceGrace(properties.getForceGrace())
                .timerShutdownPolicy(properties.getTimerShutdownPolicy())
                .slowCallbackThreshold(properties.getSlowCallbackThreshold())
                .stuckThreshold(properties.getStuckThreshold())
                .watchdogInterval(properties.getWatchdogInterval())
                .idleSpin(properties.getIdleSpin())
                .debug(properties.isDebug())
                .blockingDetection(properties.getBlockingDetection().isEnabled())
                .blockingDetectionThreshold(properties.getBlockingDetection().getThreshold())
                .blockingDetectionQuietPeriod(properties.getBlockingDetection().getQuietPeriod())
                .blockingDetectionQuietUntil(properties.getBlockingDetection().isQuietUntilReady() ? ready.stage() : null);
            if (properties.getQueueCapacity() != null) {
                builder.queueCapacity(properties.getQueueCapacity());
            }
            EventThreadGroupProperties.Blocking blocking = properties.getBlocking();
            if (blocking.getMaxThreads() != null) {
                builder.blockingMaxThreads(blocking.getMaxThreads());
            }
            builder.blockingQueueCapacity(blocking.getQueueCapacity())
                .blockingKeepAlive(blocking.getKeepAlive())
                .blockingVirtualThreads(
                        (blocking.getVirtualThreads() != null) ? blocking.getVirtualThreads() : virtualByDefault);
        };
    }

    /** {@code spring.lifecycle.timeout-per-shutdown-phase}, Spring's default when not set. */
    static Duration shutdownPhaseTimeout(Environment environment) {
        return Binder.get(environment)
            .bind(EventThreadPropertiesValidator.PHASE_TIMEOUT, Duration.class)
            .orElse(Duration.ofSeconds(30));
    }

}
