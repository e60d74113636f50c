package io.eventthread.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventLoop;
import io.eventthread.EventLoopListener;
import io.eventthread.EventThread;
import io.eventthread.LoopState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EventThreadAutoConfiguration}: the group, its lifecycle, back-off and the
 * TaskScheduler view.
 */
@Timeout(30)
class EventThreadAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(EventThreadAutoConfiguration.class,
                TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class));

    @Test
    void eventThreadShouldBeCreatedWithDefaultsAndStarted() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(EventThread.class).hasSingleBean(EventThreadLifecycle.class);
            EventThread eventThread = context.getBean("eventThread", EventThread.class);
            assertThat(eventThread.name()).isEqualTo("eventthread");
            assertThat(eventThread.loops()).hasSize(1);
            assertThat(eventThread.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(eventThread.loops()).allSatisfy((loop) -> assertThat(loop.state()).isEqualTo(LoopState.RUNNING));
            assertThat(context.getBean(EventThreadLifecycle.class).isRunning()).isTrue();
        });
    }

    @Test
    void propertiesShouldBeAppliedToTheGroup() {
        this.contextRunner
            .withPropertyValues("eventthread.loop-count=3", "eventthread.thread-name-prefix=worker",
                    "eventthread.shutdown-timeout=5s", "eventthread.queue-capacity=64",
                    "eventthread.blocking.max-threads=2")
            .run((context) -> {
                EventThread eventThread = context.getBean(EventThread.class);
                assertThat(eventThread.name()).isEqualTo("worker");
                assertThat(eventThread.loops()).extracting(EventLoop::name)
                    .containsExactly("worker-1", "worker-2", "worker-3");
                assertThat(eventThread.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
                assertThat(eventThread.blockingPool().maxThreads()).isEqualTo(2);
            });
    }

    @Test
    void propertiesShouldBindWithDefaults() {
        this.contextRunner.withPropertyValues("eventthread.blocking.keep-alive=2m", "eventthread.health.max-queue-depth=7")
            .run((context) -> {
                EventThreadProperties properties = context.getBean(EventThreadProperties.class);
                assertThat(properties.getBlocking().getKeepAlive()).isEqualTo(Duration.ofMinutes(2));
                assertThat(properties.getHealth().getMaxQueueDepth()).isEqualTo(7);
                assertThat(properties.getIdleSpin()).isEqualTo(Duration.ofNanos(10_000));
                assertThat(properties.getQueueCapacity()).isNull();
                assertThat(properties.getBlocking().getVirtualThreads()).isNull();
                assertThat(properties.getBlockingDetection().isEnabled()).isFalse();
                assertThat(properties.getBlockingDetection().getThreshold()).isEqualTo(Duration.ofMillis(10));
            });
    }

    @Test
    void blockingDetectionPropertiesShouldCountABlockingCallOnALoop() {
        this.contextRunner
            .withPropertyValues("eventthread.blocking-detection.enabled=true",
                    "eventthread.blocking-detection.threshold=20ms")
            .run((context) -> {
                EventLoop loop = context.getBean(EventThread.class).next();
                loop.submit(() -> {
                    Thread.sleep(60);
                    return null;
                }).get(10, TimeUnit.SECONDS);
                // the JDK's events reach the detector in batches, about once a second
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (loop.stats().blockingCalls() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(loop.stats().blockingCalls()).isEqualTo(1);
            });
    }

    @Test
    void eventThreadWhenUserDefinesOneShouldBackOff() {
        this.contextRunner
            .withBean("myLoops", EventThread.class, () -> EventThread.builder().threadNamePrefix("mine").build())
            .run((context) -> {
                assertThat(context).hasSingleBean(EventThread.class).doesNotHaveBean("eventThread");
                // The user's group is still started and stopped with the context.
                assertThat(context).hasSingleBean(EventThreadLifecycle.class);
                assertThat(context.getBean(EventThread.class).loops().get(0).state()).isEqualTo(LoopState.RUNNING);
            });
    }

    @Test
    void eventThreadWhenDisabledShouldBackOff() {
        this.contextRunner.withPropertyValues("eventthread.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(EventThread.class)
                .doesNotHaveBean(EventThreadLifecycle.class)
                .doesNotHaveBean("eventThreadTaskScheduler"));
    }

    @Test
    void customizersShouldBeAppliedInOrderAfterProperties() {
        this.contextRunner.withPropertyValues("eventthread.thread-name-prefix=from-properties")
            .withUserConfiguration(CustomizerConfiguration.class)
            .run((context) -> assertThat(context.getBean(EventThread.class).name()).isEqualTo("second"));
    }

    @Test
    void listenerBeansShouldBeRegistered() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        this.contextRunner.withPropertyValues("eventthread.slow-callback-threshold=1ms")
            .withBean(EventLoopListener.class, () -> new EventLoopListener() {
                @Override
                public void slowCallback(EventLoop loop, String task, Duration duration) {
                    slow.complete(task);
                }
            })
            .run((context) -> {
                EventThread eventThread = context.getBean(EventThread.class);
                eventThread.execute(EventLoop.labeled("nap", () -> sleepQuietly(20)));
                assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("nap");
            });
    }

    @Test
    void closingTheContextShouldShutDownTheLoops() {
        EventThread[] holder = new EventThread[1];
        this.contextRunner.run((context) -> holder[0] = context.getBean(EventThread.class));
        assertThat(holder[0].isTerminated()).isTrue();
    }

    @Test
    void closingTheContextShouldLetQueuedWorkFinish() {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        this.contextRunner.run((context) -> {
            EventThread eventThread = context.getBean(EventThread.class);
            eventThread.schedule(() -> ran.complete(true), 50, TimeUnit.MILLISECONDS);
            eventThread.execute(() -> sleepQuietly(100));
            eventThread.execute(() -> ran.complete(false));
        });
        // The queued task ran during the drain; the timer not yet due was cancelled (CANCEL policy).
        assertThat(ran).isCompletedWithValue(false);
    }

    @Test
    void taskSchedulerShouldRunTasksOnALoop() {
        this.contextRunner.run((context) -> {
            TaskScheduler scheduler = context.getBean("eventThreadTaskScheduler", TaskScheduler.class);
            CompletableFuture<String> thread = new CompletableFuture<>();
            scheduler.schedule(() -> thread.complete(Thread.currentThread().getName()), Instant.now());
            assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("eventthread-1");
        });
    }

    @Test
    void bootDefaultExecutorAndSchedulerShouldNotBackOffForTheGroup() {
        this.contextRunner.withUserConfiguration(SchedulingConfiguration.class).run((context) -> {
            assertThat(context).hasBean("applicationTaskExecutor").hasBean("taskScheduler");
            // Ours is not a default candidate, so "the" TaskScheduler by type is still Boot's.
            assertThat(context.getBeanProvider(TaskScheduler.class).getIfUnique()).isSameAs(context.getBean("taskScheduler"));
        });
    }

    @Test
    void stopShouldRunTheCallbackOnceTheGroupHasTerminated() {
        this.contextRunner.run((context) -> {
            EventThreadLifecycle lifecycle = context.getBean(EventThreadLifecycle.class);
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            lifecycle.stop(() -> stopped.complete(null));
            stopped.get(10, TimeUnit.SECONDS);
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(context.getBean(EventThread.class).isTerminated()).isTrue();
            // The destroy method runs later on close; the idempotent shutdown makes it a no-op.
            context.getSourceApplicationContext().close();
        });
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class CustomizerConfiguration {

        @org.springframework.context.annotation.Bean
        @Order(2)
        EventThreadCustomizer second() {
            return (builder) -> builder.threadNamePrefix("second");
        }

        @org.springframework.context.annotation.Bean
        @Order(1)
        EventThreadCustomizer first() {
            return (builder) -> builder.threadNamePrefix("first");
        }

    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class SchedulingConfiguration {

    }

}
