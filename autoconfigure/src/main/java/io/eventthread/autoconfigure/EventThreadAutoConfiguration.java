package io.eventthread.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
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
 * bean (yours included), and a {@link org.springframework.scheduling.TaskScheduler} view of
 * {@code eventThread}.
 *
 * <p>Ordered after Boot's task execution and scheduling auto-configurations: they back off when
 * any {@code Executor} or {@code ScheduledExecutorService} bean exists, and a group is both, but
 * it is not meant to become the application's default executor or scheduler.
 */
@AutoConfiguration(after = { TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class,
        EventThreadTaskExecutionAutoConfiguration.class })
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
            .customizers(all);
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

    // The group is not an Executor: @Async("eventThread") finds this view by its qualifier. Not a
    // default candidate, so unqualified Executor injection keeps getting the application's own.
    @Bean(defaultCandidate = false)
    @Qualifier(DEFAULT_GROUP)
    @ConditionalOnMissingBean(name = "eventThreadExecutor")
    @ConditionalOnBean(name = DEFAULT_GROUP)
    ScheduledExecutorService eventThreadExecutor(@Qualifier(DEFAULT_GROUP) EventThread eventThread) {
        return eventThread.asExecutorService();
    }

    // Not a default candidate: an application injecting "the" TaskScheduler by type, or Spring's
    // @Scheduled looking one up, must keep getting Boot's; ours is for use by name.
    @Bean(defaultCandidate = false)
    @ConditionalOnMissingBean(name = "eventThreadTaskScheduler")
    @ConditionalOnBean(name = DEFAULT_GROUP)
    EventThreadTaskScheduler eventThreadTaskScheduler(@Qualifier(DEFAULT_GROUP) EventThread eventThread) {
        return new EventThreadTaskScheduler(eventThread);
    }

    @Bean
    static BeanFactoryPostProcessor eventThreadPrimaryPostProcessor() {
        return EventThreadAutoConfiguration::makeDefaultGroupPrimaryWhenAlone;
    }

    /**
     * With no default-candidate group of the application's own, the auto-configured group is made
     * primary, so that even {@code getBean(EventThread.class)}, which does not skip the named
     * groups (not default candidates), resolves to it; with one, it stays a fallback.
     */
    static void makeDefaultGroupPrimaryWhenAlone(ConfigurableListableBeanFactory beanFactory) {
        if (!OnOnlyEventThreadsCondition.isAutoConfiguredGroup(beanFactory, DEFAULT_GROUP)) {
            return;
        }
        for (String name : beanFactory.getBeanNamesForType(EventThread.class, true, false)) {
            if (!DEFAULT_GROUP.equals(name) && OnOnlyEventThreadsCondition.countedByBoot(beanFactory, name)) {
                return;
            }
        }
        BeanDefinition definition = beanFactory.getBeanDefinition(DEFAULT_GROUP);
        definition.setFallback(false);
        definition.setPrimary(true);
    }

    @Bean
    static BootExecutorsCheck eventThreadBootExecutorsCheck(ConfigurableListableBeanFactory beanFactory) {
        return new BootExecutorsCheck(beanFactory);
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
