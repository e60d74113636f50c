package io.eventthread.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when every bean of the given types that Spring Boot's {@code @ConditionalOnMissingBean}
 * would count (default candidates) is an {@code EventThread} group, and there is at least one:
 * that is, when Boot's own bean of those types backed off because of our groups alone.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnOnlyEventThreadsCondition.class)
@interface ConditionalOnOnlyEventThreads {

    /**
     * The bean types Boot's condition checked.
     * @return the types
     */
    Class<?>[] value();

}
