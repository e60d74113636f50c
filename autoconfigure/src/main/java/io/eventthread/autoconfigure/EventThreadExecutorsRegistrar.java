package io.eventthread.autoconfigure;

import io.eventthread.EventThread;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;

/**
 * Registers an {@link EventThreadExecutor} for every {@link EventThread} bean — the
 * auto-configured group, the named groups and groups of your own — named {@code <group>Executor}
 * and qualified by the group's bean name, so that {@code @Async("<group>")} and
 * {@code @Scheduled(scheduler = "<group>")} reach the group.
 *
 * <p>The executors are not default candidates: Spring Boot's {@code @ConditionalOnMissingBean}
 * ignores them, and so do Spring's look-ups of "the" executor or scheduler whenever another
 * candidate exists. They are not {@code TaskExecutor}s or {@code TaskScheduler}s either, the
 * types Spring's {@code @Async} and {@code @Scheduled} defaults look for first, where a lone
 * non-default candidate would still be picked.
 */
class EventThreadExecutorsRegistrar implements BeanDefinitionRegistryPostProcessor {

    static final String SUFFIX = "Executor";

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
            return;
        }
        for (String group : beanFactory.getBeanNamesForType(EventThread.class, true, false)) {
            String name = group + SUFFIX;
            if (registry.containsBeanDefinition(name) || beanFactory.containsSingleton(name)) {
                continue;
            }
            registry.registerBeanDefinition(name, definition(beanFactory, group));
        }
    }

    private static RootBeanDefinition definition(BeanFactory beanFactory, String group) {
        RootBeanDefinition definition = new RootBeanDefinition(EventThreadExecutor.class, () -> {
            EventThreadBuilder builder = beanFactory.getBeanProvider(EventThreadBuilder.class).getIfAvailable();
            return new EventThreadExecutor(beanFactory.getBean(group, EventThread.class),
                    (builder != null) ? builder.taskDecorator() : null);
        });
        definition.setDefaultCandidate(false);
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, group));
        definition.setDependsOn(group);
        // shutdown, not the inferred close(): destruction must not wait on the loops
        definition.setDestroyMethodName("shutdown");
        return definition;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }

}
