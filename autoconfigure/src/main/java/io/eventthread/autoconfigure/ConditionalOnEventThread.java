package io.eventthread.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the context defines at least one {@code EventThread} bean, whether or not it is a
 * default candidate: unlike {@code @ConditionalOnBean}, it counts the named groups of
 * {@code eventthread.groups}, which are not.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnEventThreadCondition.class)
public @interface ConditionalOnEventThread {

}
