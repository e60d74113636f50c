package io.eventthread.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventthread.EventThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the groups follow Spring's life cycle as Spring's own executors do: {@code stop()}
 * pauses the work Spring hands them, {@code start()} resumes it, close drains and terminates.
 */
@Timeout(30)
class SpringLifecycleTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                TaskSchedulingAutoConfiguration.class, EventThreadAutoConfiguration.class))
        .withUserConfiguration(AsyncAndScheduling.class, Work.class);

    @Test
    void stopShouldHoldAsyncWorkAndStartShouldRunIt() {
        this.contextRunner.run((context) -> {
            ConfigurableApplicationContext application = context.getSourceApplicationContext();
            Work work = context.getBean(Work.class);
            application.stop();
            CompletableFuture<String> held = work.onEventThread();
            // the loops themselves keep running: direct work and in-flight futures complete
            EventThread eventThread = context.getBean("eventThread", EventThread.class);
            assertThat(eventThread.next().submit(() -> "direct").get(10, TimeUnit.SECONDS)).isEqualTo("direct");
            assertThat(held).as("accepted, waiting for start()").isNotDone();
            application.start();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("eventthread-1");
        });
    }

    @Test
    void startAfterStopShouldResumeFixedRateTasks() {
        this.contextRunner.run((context) -> {
            ConfigurableApplicationContext application = context.getSourceApplicationContext();
            Work work = context.getBean(Work.class);
            assertThat(work.ticked(1)).isTrue();
            application.stop();
            assertThat(application.isRunning()).isFalse();
            int before = work.ticks();
            application.start();
            assertThat(work.ticked(before + 2)).as("runs again after start()").isTrue();
            assertThat(work.tickThread()).isEqualTo("eventthread-1");
        });
    }

    @Test
    void closeAfterStopShouldRunHeldWorkAndTerminateTheGroups() {
        CompletableFuture<String> held = new CompletableFuture<>();
        EventThread[] group = new EventThread[1];
        this.contextRunner.run((context) -> {
            group[0] = context.getBean("eventThread", EventThread.class);
            context.getSourceApplicationContext().stop();
            context.getBean(Work.class).onEventThread().whenComplete((value, ex) -> held.complete(value));
            assertThat(held).isNotDone();
        });
        // nothing is lost: the held task ran during the drain, then the group terminated
        assertThat(held).isCompletedWithValue("eventthread-1");
        assertThat(group[0].isTerminated()).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    @EnableScheduling
    static class AsyncAndScheduling {

    }

    static class Work {

        private final AtomicInteger ticks = new AtomicInteger();

        private volatile String tickThread;

        private final Object monitor = new Object();

        @Async("eventThread")
        CompletableFuture<String> onEventThread() {
            return CompletableFuture.completedFuture(Thread.currentThread().getName());
        }

        @Scheduled(fixedRate = 20, scheduler = "eventThread")
        void tick() {
            this.tickThread = Thread.currentThread().getName();
            synchronized (this.monitor) {
                this.ticks.incrementAndGet();
                this.monitor.notifyAll();
            }
        }

        // through methods: the bean is a proxy (for @Async) whose own fields are unset
        int ticks() {
            return this.ticks.get();
        }

        String tickThread() {
            return this.tickThread;
        }

        boolean ticked(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (this.monitor) {
                while (this.ticks.get() < count) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return false;
                    }
                    this.monitor.wait(left);
                }
            }
            return true;
        }

    }

}
