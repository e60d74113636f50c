package io.eventthread.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Fallback;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of EventThread groups: the {@code eventThread} group from the top-level
 * {@code eventthread.*} keys, one group per {@code eventthread.groups.<name>}, the
 * {@link EventThreadBuilder} they are built with, one lifecycle for every {@code EventThread}
 * bean (yours included), and an {@link EventThreadExecutor} per group for {@code @Async} and
 * {@code @Scheduled} by qualifier.
 *
 * <p>A group is not an executor, and its executor is not a default candidate: Spring Boot's task
 * execution and scheduling auto-configurations, and Spring's default executor and scheduler
 * look-ups, see the application as they would without the starter. Ordered after them all the
 * same, so that no bean of ours exists yet when their conditions run.
 */
@AutoConfiguration(after = { TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
@ConditionalOnClass(EventThread.class)
@EnableConfigurationProperties(EventThreadProperties.class)
@Import(EventThreadGroupsRegistrar.class)
public final class EventThreadAutoConfiguration {

    /** The bean name of the group configured by the top-level keys. */
    public static final String DEFAULT_GROUP = "eventThread";

    static final String CONTEXT_SNAPSHOT_FACTORY = "io.micrometer.context.ContextSnapshotFactory";

    @Bean
    @ConditionalOnMissingBean
    EventThreadBuilder eventThreadBuilder(EventThreadProperties properties, Environment environment,
            ResourceLoader resourceLoader, ObjectProvider<EventLoopListener> listeners,
            ObjectProvider<TaskDecorator> taskDecorators, ObjectProvider<EventThreadCustomizer> customizers,
            ApplicationReadySignal applicationReady) {
        PropertyLocator topLevel = PropertyLocator.topLevel(environment);
        boolean contextPropagationPresent = isContextPropagationPresent(resourceLoader.getClassLoader());
        EventThreadPropertiesValidator.validateTopLevel(properties, topLevel, contextPropagationPresent);
        EventThreadPropertiesValidator.validate(properties, topLevel, EventThreadGroups.shutdownPhaseTimeout(environment),
                environment);
        List<EventThreadCustomizer> all = new ArrayList<>();
        TaskDecorator decorator = taskDecorator(properties, contextPropagationPresent, resourceLoader.getClassLoader(),
                taskDecorators);
        if (decorator != null) {
            all.add((builder) -> builder.taskDecorator(decorator::decorate));
        }
        listeners.orderedStream().forEach((listener) -> all.add((builder) -> builder.listener(listener)));
        customizers.orderedStream().forEach(all::add);
        return new EventThreadBuilder()
            .withSettings(EventThreadGroups.settingsCustomizer(properties, environment, applicationReady))
            .customizers(all)
            .withTaskDecorator(decorator);
    }

    // A fallback: injecting an EventThread by type gets a group of your own when there is one,
    // this one otherwise; by name it is always "eventThread".
    @Bean(name = DEFAULT_GROUP, destroyMethod = "close")
    @Fallback
    @ConditionalOnMissingBean(name = DEFAULT_GROUP)
    @ConditionalOnBooleanProperty(name = "eventthread.enabled", matchIfMissing = true)
    EventThread eventThread(EventThreadBuilder eventThreadBuilder) {
        return eventThreadBuilder.build();
    }

    @Bean
    static ApplicationReadySignal eventThreadApplicationReady() {
        return new ApplicationReadySignal();
    }

    @Bean(name = EventThreadGroups.BEAN_NAME)
    @ConditionalOnMissingBean
    EventThreadGroups eventThreadGroups(ListableBeanFactory beanFactory, EventThreadProperties properties,
            Environment environment) {
        return new EventThreadGroups(beanFactory, properties, environment);
    }

    @Bean
    @ConditionalOnMissingBean(name = "eventThreadLifecycle")
    EventThreadLifecycle eventThreadLifecycle(EventThreadGroups eventThreadGroups, Environment environment) {
        return new EventThreadLifecycle(eventThreadGroups, EventThreadGroups.shutdownPhaseTimeout(environment));
    }

    @Bean
    static EventThreadExecutorsRegistrar eventThreadExecutorsRegistrar() {
        return new EventThreadExecutorsRegistrar();
    }

    /**
     * Every {@code TaskDecorator} bean in order, composed as Boot composes them for its own
     * executors, and context propagation around them all, so they run in the submitter's context.
     */
    private static TaskDecorator taskDecorator(EventThreadProperties properties, boolean contextPropagationPresent,
            ClassLoader classLoader, ObjectProvider<TaskDecorator> taskDecorators) {
        List<TaskDecorator> decorators = new ArrayList<>(taskDecorators.orderedStream().toList());
        Boolean enabled = properties.getContextPropagation();
        if ((enabled != null) ? (enabled && contextPropagationPresent) : contextPropagationPresent) {
            decorators.add(ContextPropagationDecorator.create(classLoader));
        }
        if (decorators.isEmpty()) {
            return null;
        }
        return (decorators.size() == 1) ? decorators.get(0) : new CompositeTaskDecorator(decorators);
    }

    // The application's class loader, not ours: they differ in tests and some launchers.
    static boolean isContextPropagationPresent(ClassLoader classLoader) {
        return ClassUtils.isPresent(CONTEXT_SNAPSHOT_FACTORY, classLoader);
    }

}
