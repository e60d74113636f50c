package io.eventthread.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import io.eventthread.EventThread;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Keeps Spring Boot's {@code applicationTaskExecutor} and {@code taskScheduler} when an
 * {@link EventThread} bean of the application made them back off.
 *
 * <p>A group is an {@code Executor} and a {@code ScheduledExecutorService}, so Boot's task
 * execution and scheduling auto-configurations, which back off when any bean of those types
 * exists, drop their beans for a user's {@code @Bean EventThread}; unqualified {@code @Async}
 * methods would then fall back to a {@code SimpleAsyncTaskExecutor} and unqualified
 * {@code @Scheduled} methods run on an event loop. When the only beans that made them back off are
 * groups, this configuration defines the same beans Boot would have, from Boot's own builders (so
 * every {@code spring.task.*} property and customizer still applies). Named groups and the
 * auto-configured group never make Boot back off in the first place.
 */
@AutoConfiguration(after = { TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
@ConditionalOnClass({ EventThread.class, ThreadPoolTaskExecutor.class })
public final class EventThreadTaskExecutionAutoConfiguration {

    /** Boot's bean name for the application's task executor. */
    static final String APPLICATION_TASK_EXECUTOR = "applicationTaskExecutor";

    /** Boot's bean name for the application's task scheduler. */
    static final String TASK_SCHEDULER = "taskScheduler";

    /** Registered by {@code @EnableScheduling}; Boot's scheduler is only created with it. */
    static final String SCHEDULED_ANNOTATION_PROCESSOR = "org.springframework.scheduling.config.internalScheduledAnnotationProcessor";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(name = APPLICATION_TASK_EXECUTOR)
    @ConditionalOnOnlyEventThreads(Executor.class)
    static class ApplicationTaskExecutorConfiguration {

        @Bean(name = APPLICATION_TASK_EXECUTOR)
        @ConditionalOnThreading(Threading.VIRTUAL)
        @ConditionalOnBean(SimpleAsyncTaskExecutorBuilder.class)
        SimpleAsyncTaskExecutor applicationTaskExecutorVirtualThreads(SimpleAsyncTaskExecutorBuilder builder) {
            return builder.build();
        }

        @Bean(name = APPLICATION_TASK_EXECUTOR)
        @Lazy
        @ConditionalOnThreading(Threading.PLATFORM)
        @ConditionalOnBean(ThreadPoolTaskExecutorBuilder.class)
        ThreadPoolTaskExecutor applicationTaskExecutor(ThreadPoolTaskExecutorBuilder builder) {
            return builder.build();
        }

        // As Boot's: unqualified @Async methods use the application task executor.
        @Bean
        @ConditionalOnMissingBean(AsyncConfigurer.class)
        AsyncConfigurer applicationTaskExecutorAsyncConfigurer(BeanFactory beanFactory) {
            return new AsyncConfigurer() {
                @Override
                public Executor getAsyncExecutor() {
                    return beanFactory.getBean(APPLICATION_TASK_EXECUTOR, Executor.class);
                }
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(name = SCHEDULED_ANNOTATION_PROCESSOR)
    @ConditionalOnMissingBean(name = TASK_SCHEDULER)
    @ConditionalOnOnlyEventThreads({ TaskScheduler.class, ScheduledExecutorService.class })
    static class TaskSchedulerConfiguration {

        @Bean(name = TASK_SCHEDULER)
        @ConditionalOnThreading(Threading.VIRTUAL)
        @ConditionalOnBean(SimpleAsyncTaskSchedulerBuilder.class)
        SimpleAsyncTaskScheduler taskSchedulerVirtualThreads(SimpleAsyncTaskSchedulerBuilder builder) {
            return builder.build();
        }

        @Bean(name = TASK_SCHEDULER)
        @ConditionalOnThreading(Threading.PLATFORM)
        @ConditionalOnBean(ThreadPoolTaskSchedulerBuilder.class)
        ThreadPoolTaskScheduler taskScheduler(ThreadPoolTaskSchedulerBuilder builder) {
            return builder.build();
        }

    }

}
