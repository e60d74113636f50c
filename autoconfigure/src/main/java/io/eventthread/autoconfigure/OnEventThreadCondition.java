package io.eventthread.autoconfigure;

import io.eventthread.EventThread;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnEventThread}. */
class OnEventThreadCondition extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String[] names = context.getBeanFactory().getBeanNamesForType(EventThread.class, true, false);
        return (names.length > 0) ? ConditionOutcome.match("EventThread beans " + String.join(", ", names))
                : ConditionOutcome.noMatch("no EventThread bean");
    }

}
