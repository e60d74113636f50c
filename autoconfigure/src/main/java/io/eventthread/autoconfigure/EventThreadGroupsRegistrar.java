package io.eventthread.autoconfigure;

import java.util.Map;
import java.util.Set;

import io.eventthread.EventThread;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link EventThread} bean per entry of {@code eventthread.groups}, named after the
 * entry and built by {@code eventThreadBuilder} with the group's settings.
 *
 * <p>The beans are not default candidates: injecting "the" {@code EventThread} by type keeps
 * getting {@code eventThread}, a named group is injected by name ({@code @Qualifier("io")},
 * {@code @Async("io")}), and Spring Boot's task executor and scheduler, whose conditions ignore
 * beans that are not default candidates, do not back off because of them.
 */
class EventThreadGroupsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private Environment environment;

    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        for (String name : groupNames(this.environment)) {
            EventThreadPropertiesValidator.validateGroupName(name, PropertyLocator.topLevel(this.environment));
            if (registry.containsBeanDefinition(name)) {
                Class<?> type = (this.beanFactory instanceof ConfigurableListableBeanFactory listable)
                        ? listable.getType(name, false) : null;
                if (type == null || EventThread.class.isAssignableFrom(type)) {
                    // a group of that name is the user's: it wins, as with @ConditionalOnMissingBean
                    continue;
                }
                // silently skipping would drop the group's settings on the floor
                String property = PropertyLocator.PREFIX + "groups." + name;
                throw new InvalidEventThreadPropertyException(property, "'" + name + "'",
                        "a group name no other bean has; bean '" + name + "' is a " + type.getName());
            }
            RootBeanDefinition definition = new RootBeanDefinition(EventThread.class, () -> create(name));
            definition.setDefaultCandidate(false);
            // and a fallback, as eventThread is: Spring picks the one group that is not a fallback
            // before it looks at default candidates, so getBean(EventThread.class) would pick a
            // named group over eventThread
            definition.setFallback(true);
            definition.setDestroyMethodName("close");
            definition.setRole(AbstractBeanDefinition.ROLE_APPLICATION);
            registry.registerBeanDefinition(name, definition);
        }
    }

    private EventThread create(String name) {
        EventThreadProperties properties = this.beanFactory.getBean(EventThreadProperties.class);
        EventThreadGroupProperties group = EventThreadGroups.bind(this.environment, properties, name);
        EventThreadPropertiesValidator.validate(group, PropertyLocator.group(this.environment, name),
                EventThreadGroups.shutdownPhaseTimeout(this.environment), this.environment);
        return this.beanFactory.getBean(EventThreadBuilder.class)
            .withSettings(EventThreadGroups.settingsCustomizer(group, this.environment,
                    this.beanFactory.getBean(ApplicationReadySignal.class)))
            .build();
    }

    static Set<String> groupNames(Environment environment) {
        return Binder.get(environment)
            .bind(PropertyLocator.PREFIX + "groups", Bindable.mapOf(String.class, EventThreadGroupProperties.class))
            .map(Map::keySet)
            .orElse(Set.of());
    }

}
