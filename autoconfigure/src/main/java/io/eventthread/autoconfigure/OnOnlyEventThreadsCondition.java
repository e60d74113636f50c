package io.eventthread.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.eventthread.EventThread;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.type.MethodMetadata;

/** The condition behind {@link ConditionalOnOnlyEventThreads}. */
class OnOnlyEventThreadsCondition extends SpringBootCondition implements ConfigurationCondition {

    // Like Boot's bean conditions: only once every bean definition of the user's configuration
    // classes is registered.
    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnOnlyEventThreads.class.getName());
        Class<?>[] types = (Class<?>[]) attributes.get("value");
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        List<String> groups = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Class<?> type : types) {
            for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
                // taskScheduler is also an Executor: when a group made Boot's executor back off it
                // made Boot's scheduler back off too, so a taskScheduler here is our replacement
                if (EventThreadTaskExecutionAutoConfiguration.TASK_SCHEDULER.equals(name)
                        || !countedByBoot(beanFactory, name) || groups.contains(name) || others.contains(name)) {
                    continue;
                }
                // The declared type of a @Bean method, without creating the bean: a group whose
                // method declares a wider type (Executor) cannot be recognised here.
                Class<?> beanType = beanFactory.getType(name, false);
                ((beanType != null && EventThread.class.isAssignableFrom(beanType)) ? groups : others).add(name);
            }
        }
        if (!others.isEmpty()) {
            return ConditionOutcome.noMatch("beans other than EventThread groups " + others);
        }
        if (groups.isEmpty()) {
            return ConditionOutcome.noMatch("no EventThread group made Spring Boot back off");
        }
        return ConditionOutcome.match("only EventThread groups " + groups);
    }

    /** Whether the bean is the {@code eventThread} group of {@link EventThreadAutoConfiguration}. */
    static boolean isAutoConfiguredGroup(ConfigurableListableBeanFactory beanFactory, String name) {
        if (!beanFactory.containsBeanDefinition(name)) {
            return false;
        }
        BeanDefinition definition = beanFactory.getBeanDefinition(name);
        MethodMetadata method = (definition instanceof AnnotatedBeanDefinition annotated)
                ? annotated.getFactoryMethodMetadata() : null;
        return method != null && EventThreadAutoConfiguration.class.getName().equals(method.getDeclaringClassName());
    }

    /** Whether Boot's {@code @ConditionalOnMissingBean} counts the bean: a default candidate. */
    static boolean countedByBoot(ConfigurableListableBeanFactory beanFactory, String name) {
        if (!beanFactory.containsBeanDefinition(name)) {
            return true;
        }
        BeanDefinition definition = beanFactory.getBeanDefinition(name);
        if (!definition.isAutowireCandidate()) {
            return false;
        }
        return !(definition instanceof AbstractBeanDefinition abstractDefinition)
                || abstractDefinition.isDefaultCandidate();
    }

}
