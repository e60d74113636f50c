package io.eventthread.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests that Spring Boot's task execution and scheduling auto-configurations create, configure
 * and route exactly what they would without the starter: the situations of Boot's own tests in
 * which the starter used to change what the application does.
 */
@Timeout(30)
class InvisibleToBootTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                TaskSchedulingAutoConfiguration.class, EventThreadAutoConfiguration.class));

    @Test
    void unqualifiedExecutorShouldBeTheApplicationsOwn() {
        this.contextRunner.withBean("customTaskExecutor", Executor.class, SyncTaskExecutor::new)
            .run((context) -> {
                assertThat(context).doesNotHaveBean("applicationTaskExecutor");
                assertThat(context.getBean(Executor.class)).isSameAs(context.getBean("customTaskExecutor"));
            });
    }

    @Test
    void unqualifiedExecutorShouldBeBootsWithoutOneOfTheApplications() {
        this.contextRunner.run((context) -> assertThat(context.getBean(Executor.class))
            .isSameAs(context.getBean("applicationTaskExecutor")));
    }

    @Test
    void unqualifiedScheduledExecutorServiceShouldBeTheApplicationsOwn() {
        this.contextRunner
            .withBean("customScheduledExecutorService", ScheduledExecutorService.class,
                    () -> Executors.newSingleThreadScheduledExecutor(),
                    (definition) -> definition.setDestroyMethodName("shutdownNow"))
            .run((context) -> assertThat(context.getBean(ScheduledExecutorService.class))
                .isSameAs(context.getBean("customScheduledExecutorService")));
    }

    @Test
    void unqualifiedScheduledShouldRunOnTheApplicationsScheduledExecutorService() {
        this.contextRunner.withUserConfiguration(SchedulingConfiguration.class, ScheduledJob.class)
            .withBean("customScheduledExecutorService", ScheduledExecutorService.class,
                    () -> Executors.newSingleThreadScheduledExecutor((task) -> new Thread(task, "custom-ses")),
                    (definition) -> definition.setDestroyMethodName("shutdownNow"))
            .run((context) -> {
                assertThat(context).doesNotHaveBean("taskScheduler");
                assertThat(context.getBean(ScheduledJob.class).thread.get(10, TimeUnit.SECONDS))
                    .isEqualTo("custom-ses");
            });
    }

    @Test
    void unqualifiedScheduledShouldRunOnBootsScheduler() {
        this.contextRunner.withPropertyValues("spring.task.scheduling.thread-name-prefix=auto-scheduling-")
            .withUserConfiguration(SchedulingConfiguration.class, ScheduledJob.class)
            .run((context) -> {
                assertThat(context.getBean(TaskScheduler.class)).isSameAs(context.getBean("taskScheduler"));
                assertThat(context.getBean(ScheduledJob.class).thread.get(10, TimeUnit.SECONDS))
                    .startsWith("auto-scheduling-");
            });
    }

    @Test
    void asyncConfigurerThatOnlySetsTheHandlerShouldBeLinkedToBootsExecutorBesideAGroupOfYourOwn() {
        AsyncUncaughtExceptionHandler handler = mock(AsyncUncaughtExceptionHandler.class);
        this.contextRunner.withPropertyValues("spring.task.execution.thread-name-prefix=auto-task-")
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .withBean("taskScheduler", TaskScheduler.class, () -> mock(ThreadPoolTaskScheduler.class))
            .withBean("customAsyncConfigurer", AsyncConfigurer.class, () -> new AsyncConfigurer() {
                @Override
                public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
                    return handler;
                }
            })
            .withUserConfiguration(AsyncConfiguration.class, AsyncEcho.class)
            .run((context) -> {
                assertThat(context).hasBean("applicationTaskExecutor");
                assertThat(context.getBean(AsyncEcho.class).echo().get(10, TimeUnit.SECONDS)).startsWith("auto-task-");
                assertThat(context.getBean(AsyncConfigurer.class).getAsyncUncaughtExceptionHandler()).isSameAs(handler);
            });
    }

    @Test
    void asyncShouldRunOnBootsExecutorBesideAGroupOfYourOwn() {
        this.contextRunner.withPropertyValues("spring.task.execution.thread-name-prefix=auto-task-")
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .withUserConfiguration(AsyncConfiguration.class, SchedulingConfiguration.class, AsyncEcho.class)
            .run((context) -> {
                assertThat(context).hasBean("applicationTaskExecutor").hasBean("taskScheduler");
                assertThat(context.getBean(AsyncEcho.class).echo().get(10, TimeUnit.SECONDS)).startsWith("auto-task-");
            });
    }

    @Test
    void groupsShouldBeReachableByQualifierFromAsyncAndScheduled() {
        this.contextRunner.withPropertyValues("eventthread.groups.io.loop-count=1")
            .withUserConfiguration(AsyncConfiguration.class, SchedulingConfiguration.class, QualifiedWork.class)
            .run((context) -> {
                QualifiedWork work = context.getBean(QualifiedWork.class);
                assertThat(work.onEventThread().get(10, TimeUnit.SECONDS)).isEqualTo("eventthread-1");
                assertThat(work.onIo().get(10, TimeUnit.SECONDS)).isEqualTo("io-1");
                assertThat(work.scheduled().get(10, TimeUnit.SECONDS)).isEqualTo("io-1");
            });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfiguration {

    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class SchedulingConfiguration {

    }

    static class ScheduledJob {

        final CompletableFuture<String> thread = new CompletableFuture<>();

        @Scheduled(fixedDelay = 50)
        void run() {
            this.thread.complete(Thread.currentThread().getName());
        }

    }

    static class AsyncEcho {

        @Async
        Future<String> echo() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

    }

    static class QualifiedWork {

        private final CompletableFuture<String> scheduled = new CompletableFuture<>();

        // through a method: the bean is a proxy (for @Async) whose own fields are unset
        CompletableFuture<String> scheduled() {
            return this.scheduled;
        }

        @Async("eventThread")
        CompletableFuture<String> onEventThread() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Async("io")
        CompletableFuture<String> onIo() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Scheduled(fixedDelay = 50, scheduler = "io")
        void tick() {
            this.scheduled.complete(Thread.currentThread().getName());
        }

    }

}
