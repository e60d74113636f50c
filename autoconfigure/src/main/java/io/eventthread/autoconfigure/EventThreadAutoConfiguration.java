package io.eventthread.autoconfigure;

import java.time.Duration;

import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of an {@link EventThread} group, its lifecycle and a
 * {@link org.springframework.scheduling.TaskScheduler} view of it.
 *
 * <p>Ordered after Boot's task execution and scheduling auto-configurations: they back off when
 * any {@code Executor} or {@code ScheduledExecutorService} bean exists, and the group is both, but
 * it is not meant to become the application's default executor or scheduler.
 */
@AutoConfiguration(after = { TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
@ConditionalOnClass(EventThread.class)
@ConditionalOnBooleanProperty(name = "eventthread.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventThreadProperties.class)
public final class EventThreadAutoConfiguration {

    static final String CONTEXT_SNAPSHOT_FACTORY = "io.micrometer.context.ContextSnapshotFactory";

    private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EventThread eventThread(EventThreadProperties properties, Environment environment, ResourceLoader resourceLoader,
            ObjectProvider<EventLoopListener> listeners, ObjectProvider<EventThreadCustomizer> customizers) {
        Duration phaseTimeout = Binder.get(environment)
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
        EventThreadPropertiesValidator.validate(properties, phaseTimeout,
                isContextPropagationPresent(resourceLoader.getClassLoader()));
        EventThread.Builder builder = EventThread.builder()
            .loopCount(properties.getLoopCount())
            .threadNamePrefix(properties.getThreadNamePrefix())
            .shutdownTimeout(properties.getShutdownTimeout())
            .timerShutdownPolicy(properties.getTimerShutdownPolicy())
            .slowCallbackThreshold(properties.getSlowCallbackThreshold())
            .stuckThreshold(properties.getStuckThreshold())
            .watchdogInterval(properties.getWatchdogInterval())
            .idleSpin(properties.getIdleSpin())
            .debug(properties.isDebug())
            .blockingDetection(properties.getBlockingDetection().isEnabled())
            .blockingDetectionThreshold(properties.getBlockingDetection().getThreshold());
        if (properties.getQueueCapacity() != null) {
            builder.queueCapacity(properties.getQueueCapacity());
        }
        EventThreadProperties.Blocking blocking = properties.getBlocking();
        if (blocking.getMaxThreads() != null) {
            builder.blockingMaxThreads(blocking.getMaxThreads());
        }
        builder.blockingQueueCapacity(blocking.getQueueCapacity())
            .blockingKeepAlive(blocking.getKeepAlive())
            .blockingVirtualThreads((blocking.getVirtualThreads() != null) ? blocking.getVirtualThreads()
                    : Threading.VIRTUAL.isActive(environment));
        TaskDecorator decorator = contextPropagation(properties, resourceLoader.getClassLoader());
        if (decorator != null) {
            builder.taskDecorator(decorator::decorate);
        }
        listeners.orderedStream().forEach(builder::listener);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(EventThread.class)
    EventThreadLifecycle eventThreadLifecycle(EventThread eventThread) {
        return new EventThreadLifecycle(eventThread);
    }

    // Not a default candidate: an application injecting "the" TaskScheduler by type, or Spring's
    // @Scheduled looking one up, must keep getting Boot's; ours is for use by name.
    @Bean(defaultCandidate = false)
    @ConditionalOnMissingBean(name = "eventThreadTaskScheduler")
    @ConditionalOnSingleCandidate(EventThread.class)
    EventThreadTaskScheduler eventThreadTaskScheduler(EventThread eventThread) {
        return new EventThreadTaskScheduler(eventThread);
    }

    private static TaskDecorator contextPropagation(EventThreadProperties properties, ClassLoader classLoader) {
        Boolean enabled = properties.getContextPropagation();
        boolean present = isContextPropagationPresent(classLoader);
        if ((enabled != null) ? (enabled && present) : present) {
            return ContextPropagation.decorator();
        }
        return null;
    }

    // The application's class loader, not ours: they differ in tests and some launchers.
    static boolean isContextPropagationPresent(ClassLoader classLoader) {
        return ClassUtils.isPresent(CONTEXT_SNAPSHOT_FACTORY, classLoader);
    }

    /** Holds the only reference to context-propagation types, loaded only when they are present. */
    private static final class ContextPropagation {

        static TaskDecorator decorator() {
            return new ContextPropagatingTaskDecorator();
        }

    }

}
